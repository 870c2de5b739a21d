import type { RuntimeName } from "../../src/runtime/types.js";

/**
 * (function, event, expected) cases written from AWS's documentation and samples. `output` is the
 * parsed FunctionOutput; `errorMessage` the exact FunctionErrorMessage. Runtimes: where the case applies.
 */
export interface ConformanceCase {
  name: string;
  source: string;
  runtimes: RuntimeName[];
  code: string;
  event: unknown;
  output?: unknown;
  logs?: string[];
  errorMessage?: string;
  /**
   * ComputeUtilization for each runtime: exact, since the figure is deterministic (src/runtime/meter.ts); 0 for
   * code that never ran.
   */
  utilization: Partial<Record<RuntimeName, number>>;
}

const BOTH: RuntimeName[] = ["cloudfront-js-1.0", "cloudfront-js-2.0"];
const PREFIX = "The CloudFront function associated with the CloudFront distribution is invalid or could not run. ";

const minimalRequest = {
  version: "1.0",
  context: { eventType: "viewer-request" },
  viewer: { ip: "198.51.100.11" },
  request: { method: "GET", uri: "/example.png", headers: { host: { value: "example.org" } } },
};

const viewerResponse = (headers: Record<string, { value: string }> = {}) => ({
  version: "1.0",
  context: { eventType: "viewer-response" },
  viewer: { ip: "198.51.100.11" },
  request: { method: "GET", uri: "/index.html", querystring: {}, headers: { host: { value: "example.org" } }, cookies: {} },
  response: { statusCode: 200, statusDescription: "OK", headers, cookies: {} },
});

export const CASES: ConformanceCase[] = [
  {
    name: "generated 302 redirect (the TestFunction CLI example)",
    source: "CloudFront Developer Guide, test-function CLI output (the test-function CLI output for a viewer-request 302)",
    runtimes: BOTH,
    utilization: { "cloudfront-js-1.0": 14, "cloudfront-js-2.0": 6 },
    code: `function handler(event) {
    var response = {
        statusCode: 302,
        statusDescription: 'Found',
        headers: {
            'cloudfront-functions': { value: 'generated-by-CloudFront-Functions' },
            'location': { value: 'https://aws.amazon.com/cloudfront/' }
        }
    };
    return response;
}`,
    event: minimalRequest,
    output: {
      response: {
        headers: { "cloudfront-functions": { value: "generated-by-CloudFront-Functions" }, location: { value: "https://aws.amazon.com/cloudfront/" } },
        statusDescription: "Found",
        cookies: {},
        statusCode: 302,
      },
    },
    logs: [],
  },
  {
    name: "add a Cache-Control header (viewer-response)",
    source: "aws-samples/amazon-cloudfront-functions add-cache-control-header",
    runtimes: BOTH,
    utilization: { "cloudfront-js-1.0": 14, "cloudfront-js-2.0": 6 },
    code: `function handler(event) {
    var response = event.response;
    var headers = response.headers;
    headers['cache-control'] = {value: 'public, max-age=63072000'};
    return response;
}`,
    event: viewerResponse({ "content-type": { value: "text/html" } }),
    output: { response: { headers: { "content-type": { value: "text/html" }, "cache-control": { value: "public, max-age=63072000" } }, statusDescription: "OK", cookies: {}, statusCode: 200 } },
  },
  {
    name: "URL rewrite for single-page apps, directory URI",
    source: "aws-samples/amazon-cloudfront-functions url-rewrite-single-page-apps",
    runtimes: BOTH,
    utilization: { "cloudfront-js-1.0": 14, "cloudfront-js-2.0": 6 },
    code: `function handler(event) {
    var request = event.request;
    var uri = request.uri;
    if (uri.endsWith('/')) {
        request.uri += 'index.html';
    } else if (!uri.includes('.')) {
        request.uri += '/index.html';
    }
    return request;
}`,
    event: { ...minimalRequest, request: { ...minimalRequest.request, uri: "/blog/" } },
    output: { request: { headers: { host: { value: "example.org" } }, method: "GET", querystring: {}, uri: "/blog/index.html", cookies: {} } },
  },
  {
    name: "security headers on every response",
    source: "aws-samples/amazon-cloudfront-functions add-security-headers",
    runtimes: BOTH,
    utilization: { "cloudfront-js-1.0": 15, "cloudfront-js-2.0": 7 },
    code: `function handler(event) {
    var response = event.response;
    var headers = response.headers;
    headers['strict-transport-security'] = { value: 'max-age=63072000; includeSubdomains; preload'};
    headers['content-security-policy'] = { value: "default-src 'none'; img-src 'self'; script-src 'self'; style-src 'self'; object-src 'none'"};
    headers['x-content-type-options'] = { value: 'nosniff'};
    headers['x-frame-options'] = {value: 'DENY'};
    headers['x-xss-protection'] = {value: '1; mode=block'};
    return response;
}`,
    event: viewerResponse(),
    output: {
      response: {
        headers: {
          "strict-transport-security": { value: "max-age=63072000; includeSubdomains; preload" },
          "content-security-policy": { value: "default-src 'none'; img-src 'self'; script-src 'self'; style-src 'self'; object-src 'none'" },
          "x-content-type-options": { value: "nosniff" },
          "x-frame-options": { value: "DENY" },
          "x-xss-protection": { value: "1; mode=block" },
        },
        statusDescription: "OK",
        cookies: {},
        statusCode: 200,
      },
    },
  },
  {
    name: "redirect by viewer country",
    source: "aws-samples/amazon-cloudfront-functions redirect-based-on-country",
    runtimes: BOTH,
    utilization: { "cloudfront-js-1.0": 15, "cloudfront-js-2.0": 7 },
    code: `function handler(event) {
    var request = event.request;
    var headers = request.headers;
    var host = request.headers.host.value;
    var country = 'DE';
    var newurl = \`https://\${host}/de/index.html\`;
    if (headers['cloudfront-viewer-country']) {
        var countryCode = headers['cloudfront-viewer-country'].value;
        if (countryCode === country) {
            var response = { statusCode: 302, statusDescription: 'Found', headers: { "location": { "value": newurl } } };
            return response;
        }
    }
    return request;
}`,
    event: { ...minimalRequest, request: { ...minimalRequest.request, headers: { host: { value: "www.example.com" }, "cloudfront-viewer-country": { value: "DE" } } } },
    output: { response: { headers: { location: { value: "https://www.example.com/de/index.html" } }, statusDescription: "Found", cookies: {}, statusCode: 302 } },
  },
  {
    name: "a lowercase multivalue key is dropped from the output",
    source: "aws-samples READMEs (sample events with `multivalue`)",
    runtimes: BOTH,
    utilization: { "cloudfront-js-1.0": 14, "cloudfront-js-2.0": 6 },
    code: "function handler(event) { return event.request; }",
    event: { ...minimalRequest, request: { ...minimalRequest.request, headers: { host: { value: "example.org" }, accept: { value: "a", multivalue: [{ value: "a" }] } } } },
    output: { request: { headers: { host: { value: "example.org" }, accept: { value: "a" } }, method: "GET", querystring: {}, uri: "/example.png", cookies: {} } },
  },
  {
    name: "multiValue query parameters and cookies pass through",
    source: "CloudFront Developer Guide, event structure",
    runtimes: BOTH,
    utilization: { "cloudfront-js-1.0": 14, "cloudfront-js-2.0": 6 },
    code: "function handler(event) { console.log(event.request.querystring.querymv.multiValue.length + ' ' + event.request.cookies.Cookie1.value); return event.request; }",
    event: {
      ...minimalRequest,
      request: {
        ...minimalRequest.request,
        querystring: { querymv: { value: "val1", multiValue: [{ value: "val1" }, { value: "val2,val3" }] } },
        cookies: { Cookie1: { value: "value1" } },
      },
    },
    output: {
      request: {
        headers: { host: { value: "example.org" } },
        method: "GET",
        querystring: { querymv: { value: "val1", multiValue: [{ value: "val1" }, { value: "val2,val3" }] } },
        uri: "/example.png",
        cookies: { Cookie1: { value: "value1" } },
      },
    },
    logs: ["2 value1"],
  },
  {
    name: "reading a missing header's value",
    source: "aws-samples/amazon-cloudfront-functions issue #19 (exact FunctionErrorMessage)",
    runtimes: ["cloudfront-js-1.0"],
    utilization: { "cloudfront-js-1.0": 14 },
    code: "function handler(event) { var host = event.request.headers.host.value; return event.request; }",
    event: { ...minimalRequest, request: { ...minimalRequest.request, headers: {} } },
    errorMessage: `${PREFIX}TypeError: cannot get property "value" of undefined`,
  },
  {
    name: "for…of is not supported (2.0)",
    source: "incident note quoting test-function output (runtime-errors.md)",
    runtimes: ["cloudfront-js-2.0"],
    utilization: { "cloudfront-js-2.0": 0 },
    code: "function handler(event) {\n  var headers = event.request.headers;\n  for (const name of Object.keys(headers)) {\n    console.log(name);\n  }\n  return event.request;\n}",
    event: minimalRequest,
    errorMessage: `${PREFIX}SyntaxError: Token "of" not supported in this version in 3`,
  },
  {
    name: "an arrow function with destructured parameters (2.0)",
    source: "blog quoting test-function output (runtime-errors.md)",
    runtimes: ["cloudfront-js-2.0"],
    utilization: { "cloudfront-js-2.0": 0 },
    code: "function handler(event) {\n  var q = event.request.querystring;\n  Object.entries(q).forEach(([key, valueObj]) => {\n    console.log(key);\n  });\n  return event.request;\n}",
    event: minimalRequest,
    errorMessage: `${PREFIX}SyntaxError: Unexpected token "=>" in 3`,
  },
  {
    name: "a thrown Error",
    source: "paulhammond/cftest (Error: thrown error)",
    runtimes: ["cloudfront-js-1.0"],
    utilization: { "cloudfront-js-1.0": 14 },
    code: "function handler(event) { throw new Error('thrown error'); }",
    event: minimalRequest,
    errorMessage: `${PREFIX}Error: thrown error`,
  },
];
