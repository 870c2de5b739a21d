import { describe, expect, it } from "vitest";
import { withResponseHeadersPolicy, type PolicyContext } from "../../src/edge/responseHeaders.js";
import { allowOriginFor, corsHeaders, isPreflight, type CorsRequest } from "../../src/edge/responseHeadersCors.js";
import { securityHeaders } from "../../src/edge/responseHeadersSecurity.js";
import { serverTimingSampled, serverTimingValue } from "../../src/edge/responseHeadersServerTiming.js";
import { responseFromOrigin } from "../../src/edge/events.js";
import { emptyRecord } from "../../src/nullPrototype.js";
import type { FunctionResponse } from "../../src/runtime/event.js";
import type { ResponseHeadersPolicy, ResponseHeadersPolicyCors } from "../../src/service/responseHeadersPolicy.js";

const simple = (origin?: string): CorsRequest => ({ method: "GET", origin, accessControlRequestMethod: undefined });
const preflight = (origin: string): CorsRequest => ({ method: "OPTIONS", origin, accessControlRequestMethod: "PUT" });

const cors = (overrides: Partial<ResponseHeadersPolicyCors> = {}): ResponseHeadersPolicyCors => ({
  accessControlAllowOrigins: ["https://app.example.com"],
  accessControlAllowHeaders: ["X-Token", "Content-Type"],
  accessControlAllowMethods: ["GET", "PUT"],
  accessControlAllowCredentials: false,
  accessControlExposeHeaders: ["X-Request-Id"],
  accessControlMaxAgeSec: 600,
  originOverride: false,
  ...overrides,
});

const policy = (overrides: Partial<ResponseHeadersPolicy> = {}): ResponseHeadersPolicy => ({ id: "p", name: "p", comment: "", customHeaders: [], removeHeaders: [], ...overrides });

const originResponse = (...lines: Array<[string, string]>): FunctionResponse => responseFromOrigin(200, "OK", lines.flat());

const context = (request: CorsRequest = simple(), extra: Partial<PolicyContext> = {}): PolicyContext => ({
  cors: request,
  pragma: [],
  serverTiming: () => ({ cache: "Miss", originWaitMs: 12.4, downstreamMs: 20.6, requestId: "rid==", pop: "LCL50-C1" }),
  ...extra,
});

const headerMap = (response: FunctionResponse) => Object.fromEntries(Object.entries(response.headers).map(([name, entry]) => [name, entry.value]));

describe("CORS origins", () => {
  it("allows `*`, exact origins and a leftmost wildcard label only", () => {
    expect(allowOriginFor(["*"], "https://anything.test")).toBe("*");
    expect(allowOriginFor(["https://app.example.com"], "https://app.example.com")).toBe("https://app.example.com");
    expect(allowOriginFor(["https://app.example.com"], "HTTPS://APP.example.com")).toBe("HTTPS://APP.example.com");
    expect(allowOriginFor(["https://app.example.com"], "http://app.example.com")).toBeUndefined();
    expect(allowOriginFor(["https://app.example.com"], "https://app.example.com:8443")).toBeUndefined();
    expect(allowOriginFor(["https://*.example.org"], "https://a.b.example.org")).toBe("https://a.b.example.org");
    expect(allowOriginFor(["https://*.example.org"], "https://example.org")).toBeUndefined();
    expect(allowOriginFor(["https://*.example.org"], "https://evilexample.org")).toBeUndefined();
    expect(allowOriginFor(["*.example.org"], "http://www.example.org")).toBe("http://www.example.org");
    expect(allowOriginFor(["http://localhost:3000"], "http://localhost:3000")).toBe("http://localhost:3000");
    // The wildcard is not allowed right of a label, inside one, or as the top-level domain.
    expect(allowOriginFor(["https://test.*.example.org"], "https://test.a.example.org")).toBeUndefined();
    expect(allowOriginFor(["https://exa*mple.org"], "https://example.org")).toBeUndefined();
    expect(allowOriginFor(["https://example.*"], "https://example.com")).toBeUndefined();
    expect(allowOriginFor(["https://app.example.com"], "null")).toBeUndefined();
    expect(allowOriginFor(["https://*.example.org"], "https://*.example.org")).toBeUndefined();
  });

  it("reads hostile Origins (20 KB, the request limit) without backtracking", () => {
    for (const origin of ["a".repeat(20_000), `${"a".repeat(20_000)}://`, `https://${"a.".repeat(10_000)}example.org`, `https://x${":1".repeat(10_000)}`, `${"a".repeat(20_000)} `]) {
      expect(allowOriginFor(["https://*.example.org", "https://app.example"], origin)).toBe(origin.startsWith("https://a.") ? origin : undefined);
    }
  });

  it("adds Allow-Origin (and Credentials) to a CORS request, and the preflight headers to a preflight", () => {
    expect(corsHeaders(cors(), simple())).toEqual([]);
    expect(corsHeaders(cors(), simple("https://other.example"))).toEqual([]);
    expect(corsHeaders(cors({ accessControlAllowCredentials: true }), simple("https://app.example.com"))).toEqual([
      ["access-control-allow-origin", "https://app.example.com"],
      ["access-control-allow-credentials", "true"],
    ]);
    expect(isPreflight(preflight("https://app.example.com"))).toBe(true);
    expect(isPreflight({ method: "OPTIONS", origin: "https://app.example.com", accessControlRequestMethod: undefined })).toBe(false);
    expect(corsHeaders(cors(), preflight("https://app.example.com"))).toEqual([
      ["access-control-allow-origin", "https://app.example.com"],
      ["access-control-allow-methods", "GET, PUT"],
      ["access-control-allow-headers", "X-Token, Content-Type"],
      ["access-control-expose-headers", "X-Request-Id"],
      ["access-control-max-age", "600"],
    ]);
    expect(corsHeaders(cors({ accessControlAllowMethods: ["ALL"] }), preflight("https://app.example.com"))).toContainEqual(["access-control-allow-methods", "DELETE, GET, HEAD, OPTIONS, PATCH, POST, PUT"]);
  });
});

describe("security headers", () => {
  it("renders each header's value from its settings", () => {
    const lines = securityHeaders({
      xssProtection: { override: true, protection: true, reportUri: "https://r.example/x" },
      frameOptions: { override: false, frameOption: "DENY" },
      referrerPolicy: { override: false, referrerPolicy: "no-referrer" },
      contentSecurityPolicy: { override: true, contentSecurityPolicy: "default-src 'self'" },
      contentTypeOptions: { override: false },
      strictTransportSecurity: { override: true, accessControlMaxAgeSec: 63072000, includeSubdomains: true, preload: true },
    });
    expect(Object.fromEntries(lines.map((line) => [line.name, line.value]))).toEqual({
      "content-security-policy": "default-src 'self'",
      "referrer-policy": "no-referrer",
      "strict-transport-security": "max-age=63072000; includeSubDomains; preload",
      "x-content-type-options": "nosniff",
      "x-frame-options": "DENY",
      "x-xss-protection": "1; report=https://r.example/x",
    });
    expect(securityHeaders({ xssProtection: { override: false, protection: false, modeBlock: true } })[0]!.value).toBe("0");
  });
});

describe("withResponseHeadersPolicy", () => {
  it("keeps the origin's header unless the policy overrides it; adds what the origin lacks", () => {
    const given = originResponse(["X-Frame-Options", "DENY"], ["X-Content-Type-Options", "origin"], ["Content-Type", "text/plain"]);
    const out = withResponseHeadersPolicy(
      policy({ securityHeaders: { frameOptions: { override: false, frameOption: "SAMEORIGIN" }, contentTypeOptions: { override: true }, referrerPolicy: { override: false, referrerPolicy: "same-origin" } } }),
      given,
      context(),
    );
    expect(headerMap(out)).toEqual({ "x-frame-options": "DENY", "x-content-type-options": "nosniff", "content-type": "text/plain", "referrer-policy": "same-origin" });
    // The response given is left as it was (a cached response is served again).
    expect(headerMap(given)).toEqual({ "x-frame-options": "DENY", "x-content-type-options": "origin", "content-type": "text/plain" });
  });

  it("applies OriginOverride to the CORS headers", () => {
    const given = originResponse(["Access-Control-Allow-Origin", "https://origin.example"]);
    const request = simple("https://app.example.com");
    expect(headerMap(withResponseHeadersPolicy(policy({ cors: cors() }), given, context(request)))["access-control-allow-origin"]).toBe("https://origin.example");
    expect(headerMap(withResponseHeadersPolicy(policy({ cors: cors({ originOverride: true }) }), given, context(request)))["access-control-allow-origin"]).toBe("https://app.example.com");
  });

  it("removes first, then adds; a removed Server is CloudFront's; Set-Cookie removal drops the cookies", () => {
    const given = originResponse(["X-Powered-By", "Express"], ["Server", "nginx"], ["Vary", "Accept"], ["Set-Cookie", "a=1"]);
    const out = withResponseHeadersPolicy(
      policy({ removeHeaders: ["x-powered-by", "Server", "VARY", "Set-Cookie"], customHeaders: [{ header: "Vary", value: "Origin", override: false }] }),
      given,
      context(),
    );
    expect(headerMap(out)).toEqual({ server: "CloudFront", vary: "Origin" });
    expect(Object.keys(out.cookies)).toEqual([]);
    expect(Object.keys(given.cookies)).toEqual(["a"]);
  });

  it("adds custom headers (empty values too) with their Override; leaves out what cannot be written", () => {
    const given = originResponse(["X-Env", "origin"], ["X-Keep", "origin"]);
    const out = withResponseHeadersPolicy(
      policy({
        customHeaders: [
          { header: "X-Env", value: "edge", override: true },
          { header: "X-Keep", value: "edge", override: false },
          { header: "X-Empty", value: "", override: false },
          { header: "Bad Name", value: "x", override: true },
          { header: "X-Bad-Value", value: "a\r\nb", override: true },
          { header: "Content-Length", value: "1", override: true },
          { header: "Transfer-Encoding", value: "chunked", override: true },
          { header: "X-Amz-Cf-Id", value: "forged", override: true },
        ],
      }),
      given,
      context(),
    );
    expect(headerMap(out)).toEqual({ "x-env": "edge", "x-keep": "origin", "x-empty": "" });
  });

  it("names like __proto__ are plain header names", () => {
    const headers = emptyRecord<{ value: string }>();
    const given: FunctionResponse = { statusCode: 200, headers, cookies: emptyRecord() };
    const out = withResponseHeadersPolicy(policy({ customHeaders: [{ header: "__proto__", value: "x", override: true }], removeHeaders: ["constructor"] }), given, context());
    expect(Object.getOwnPropertyDescriptor(out.headers, "__proto__")?.value).toEqual({ value: "x" });
    expect(({} as Record<string, unknown>)["x"]).toBeUndefined();
  });

  it("adds Server-Timing by sampling rate or Pragma, after the origin's own on a miss", () => {
    const timing = policy({ serverTiming: { enabled: true, samplingRate: 0 } });
    const given = originResponse(["Server-Timing", 'db;dur=53, app;dur=47.2']);
    expect(headerMap(withResponseHeadersPolicy(timing, given, context()))["server-timing"]).toBe('db;dur=53, app;dur=47.2');
    const asked = withResponseHeadersPolicy(timing, given, context(simple(), { pragma: ["no-cache, Server-Timing"] }));
    expect(headerMap(asked)["server-timing"]).toBe(
      'cdn-upstream-layer;desc="EDGE",cdn-upstream-dns;dur=0,cdn-upstream-connect;dur=0,cdn-upstream-fbl;dur=12,cdn-cache-miss,cdn-pop;desc="LCL50-C1",cdn-rid;desc="rid==",cdn-downstream-fbl;dur=21,db;dur=53, app;dur=47.2',
    );
    const always = withResponseHeadersPolicy(policy({ serverTiming: { enabled: true, samplingRate: 100 } }), originResponse(), context());
    expect(headerMap(always)["server-timing"]).toMatch(/^cdn-upstream-layer/);
    const off = withResponseHeadersPolicy(policy({ serverTiming: { enabled: false } }), originResponse(), context(simple(), { pragma: ["server-timing"] }));
    expect(headerMap(off)["server-timing"]).toBeUndefined();
  });
});

describe("Server-Timing", () => {
  it("samples the configured share of responses", () => {
    let n = 0;
    const sequence = () => [0.1, 0.3, 0.5, 0.7, 0.9][n++ % 5]!;
    const hits = Array.from({ length: 5 }, () => serverTimingSampled(50, [], sequence)).filter(Boolean).length;
    expect(hits).toBe(2);
    expect(serverTimingSampled(0, [], () => 0)).toBe(false);
    expect(serverTimingSampled(100, [], () => 0.99999)).toBe(true);
  });

  it("says hit, with the hit layer and none of the origin's metrics", () => {
    expect(serverTimingValue({ cache: "Hit", originWaitMs: undefined, downstreamMs: 1.2, requestId: "r", pop: "LCL50-C1", originValue: "db;dur=1" })).toBe(
      'cdn-cache-hit,cdn-pop;desc="LCL50-C1",cdn-rid;desc="r",cdn-hit-layer;desc="EDGE",cdn-downstream-fbl;dur=1',
    );
  });
});
