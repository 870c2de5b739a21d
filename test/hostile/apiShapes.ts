import fc from "fast-check";
import { PROTOTYPE_NAMES, text } from "./arbitraries.js";
import { percentEncode } from "./rawHttp.js";

/** An XML element as a template: leaves carry text, branches carry children in order. */
type Template = { name: string; text: string } | { name: string; children: Template[] };

const el = (name: string, ...children: Template[]): Template => ({ name, children });
const leaf = (name: string, value: string): Template => ({ name, text: value });

const CODE = Buffer.from("function handler(event) { return event.request; }").toString("base64");

const namesList = (wrapper: string, ...names: string[]) => el(wrapper, leaf("Quantity", String(names.length)), el("Items", ...names.map((n) => leaf("Name", n))));
const valuesConfigs = [
  el("HeadersConfig", leaf("HeaderBehavior", "whitelist"), namesList("Headers", "x-a")),
  el("CookiesConfig", leaf("CookieBehavior", "allExcept"), namesList("Cookies", "c")),
  el("QueryStringsConfig", leaf("QueryStringBehavior", "whitelist"), namesList("QueryStrings", "q")),
];
const cachePolicyConfig = el(
  "CachePolicyConfig",
  leaf("Comment", "c"),
  leaf("Name", "fuzz-cache"),
  leaf("DefaultTTL", "60"),
  leaf("MaxTTL", "600"),
  leaf("MinTTL", "1"),
  el("ParametersInCacheKeyAndForwardedToOrigin", leaf("EnableAcceptEncodingGzip", "true"), leaf("EnableAcceptEncodingBrotli", "false"), ...valuesConfigs),
);
const counted = (wrapper: string, member: string, ...values: string[]) => el(wrapper, leaf("Quantity", String(values.length)), el("Items", ...values.map((v) => leaf(member, v))));
const responseHeadersPolicyConfig = el(
  "ResponseHeadersPolicyConfig",
  leaf("Comment", "c"),
  leaf("Name", "fuzz-headers"),
  el(
    "CorsConfig",
    counted("AccessControlAllowOrigins", "Origin", "https://a.example"),
    counted("AccessControlAllowHeaders", "Header", "*"),
    counted("AccessControlAllowMethods", "Method", "GET"),
    leaf("AccessControlAllowCredentials", "false"),
    leaf("AccessControlMaxAgeSec", "60"),
    leaf("OriginOverride", "true"),
  ),
  el("SecurityHeadersConfig", el("FrameOptions", leaf("Override", "true"), leaf("FrameOption", "DENY")), el("ContentSecurityPolicy", leaf("Override", "true"), leaf("ContentSecurityPolicy", "default-src 'self'"))),
  el("ServerTimingHeadersConfig", leaf("Enabled", "true"), leaf("SamplingRate", "50")),
  el("CustomHeadersConfig", leaf("Quantity", "1"), el("Items", el("ResponseHeadersPolicyCustomHeader", leaf("Header", "X-A"), leaf("Value", "v"), leaf("Override", "true")))),
  el("RemoveHeadersConfig", leaf("Quantity", "1"), el("Items", el("ResponseHeadersPolicyRemoveHeader", leaf("Header", "X-Powered-By")))),
);

/** Well-formed request bodies of the operations that take one, as AWS's SDKs send them. */
export const TEMPLATES: Array<{ method: string; path: string; root: Template; ifMatch?: boolean }> = [
  {
    method: "POST",
    path: "/2020-05-31/function",
    root: el("CreateFunctionRequest", leaf("Name", "fuzzed"), el("FunctionConfig", leaf("Comment", "c"), leaf("Runtime", "cloudfront-js-2.0")), leaf("FunctionCode", CODE)),
  },
  {
    method: "PUT",
    path: "/2020-05-31/function/fuzz-target",
    ifMatch: true,
    root: el("UpdateFunctionRequest", el("FunctionConfig", leaf("Comment", "c"), leaf("Runtime", "cloudfront-js-2.0")), leaf("FunctionCode", CODE)),
  },
  {
    method: "POST",
    path: "/2020-05-31/function/fuzz-target/test",
    ifMatch: true,
    root: el("TestFunctionRequest", leaf("Stage", "DEVELOPMENT"), leaf("EventObject", Buffer.from(JSON.stringify({ version: "1.0", context: { eventType: "viewer-request" }, viewer: { ip: "1.2.3.4" }, request: { method: "GET", uri: "/", headers: {}, cookies: {}, querystring: {} } })).toString("base64"))),
  },
  {
    method: "POST",
    path: "/2020-05-31/key-value-store",
    root: el("CreateKeyValueStoreRequest", leaf("Name", "fuzzkvs"), leaf("Comment", "c")),
  },
  {
    method: "POST",
    path: "/2020-05-31/tagging?Operation=Tag&Resource=arn%3Aaws%3Acloudfront%3A%3A123456789012%3Afunction%2Ffuzz-target",
    root: el("Tags", el("Items", el("Tag", leaf("Key", "k"), leaf("Value", "v")))),
  },
  {
    method: "POST",
    path: "/2020-05-31/distribution",
    root: el(
      "DistributionConfig",
      leaf("CallerReference", "fuzz"),
      leaf("Comment", ""),
      leaf("Enabled", "true"),
      el("Origins", leaf("Quantity", "1"), el("Items", el("Origin", leaf("Id", "o"), leaf("DomainName", "127.0.0.1"), el("CustomOriginConfig", leaf("HTTPPort", "80"), leaf("HTTPSPort", "443"), leaf("OriginProtocolPolicy", "http-only"), leaf("OriginReadTimeout", "30"))))),
      el("DefaultCacheBehavior", leaf("TargetOriginId", "o"), leaf("ViewerProtocolPolicy", "allow-all")),
      el("CacheBehaviors", leaf("Quantity", "1"), el("Items", el("CacheBehavior", leaf("PathPattern", "/a/*"), leaf("TargetOriginId", "o"), leaf("ViewerProtocolPolicy", "allow-all")))),
    ),
  },
  { method: "POST", path: "/2020-05-31/cache-policy", root: cachePolicyConfig },
  { method: "PUT", path: "/2020-05-31/cache-policy/658327ea-f89d-4fab-a63d-7e88639e58f6", ifMatch: true, root: cachePolicyConfig },
  { method: "POST", path: "/2020-05-31/origin-request-policy", root: el("OriginRequestPolicyConfig", leaf("Comment", "c"), leaf("Name", "fuzz-origin"), ...valuesConfigs) },
  { method: "POST", path: "/2020-05-31/response-headers-policy", root: responseHeadersPolicyConfig },
];

const escapeXml = (value: string) => value.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
/** Character references for every character, legal in XML or not (`&#0;` is a well-formedness error the parser must refuse). */
const asReferences = (value: string) => [...value].map((c) => `&#x${c.codePointAt(0)!.toString(16)};`).join("");

type Mutation = "keep" | "drop" | "duplicate" | "rename" | "text" | "rawText" | "references" | "number";

const mutation = fc.constantFrom<Mutation>("keep", "keep", "keep", "keep", "keep", "drop", "duplicate", "rename", "text", "rawText", "references", "number");
const numberish = fc.oneof(fc.constantFrom("0", "-1", "1e9", "99999999999999999999", "NaN", "0x10", " 5", "", "abc"), fc.integer().map(String));

function render(node: Template, choices: Mutation[], values: string[], names: string[], next: { i: number }): string {
  const pick = choices[next.i % choices.length]!;
  const value = values[next.i % values.length]!;
  const renamed = names[next.i % names.length]!;
  next.i++;
  if (pick === "drop") return "";
  const tag = pick === "rename" ? renamed : node.name;
  const inner =
    "text" in node
      ? pick === "text"
        ? escapeXml(value)
        : pick === "rawText"
          ? value
          : pick === "references"
            ? asReferences(value)
            : pick === "number"
              ? escapeXml(value)
              : escapeXml(node.text)
      : node.children.map((child) => render(child, choices, values, names, next)).join("");
  const one = `<${tag}>${inner}</${tag}>`;
  return pick === "duplicate" ? one + one : one;
}

const elementName = fc.oneof(fc.constantFrom(...PROTOTYPE_NAMES), fc.stringMatching(/^[A-Za-z_][A-Za-z0-9_.-]{0,12}$/));

/** A request body: one of the templates with its elements dropped, doubled, renamed or filled with hostile text. */
export const xmlRequest = fc
  .record({
    template: fc.constantFrom(...TEMPLATES),
    choices: fc.array(mutation, { minLength: 1, maxLength: 30 }),
    values: fc.array(fc.oneof(text, numberish), { minLength: 1, maxLength: 10 }),
    names: fc.array(elementName, { minLength: 1, maxLength: 5 }),
    namespaced: fc.boolean(),
  })
  .map(({ template, choices, values, names, namespaced }) => {
    let body = render(template.root, choices, values, names, { i: 0 });
    if (namespaced) body = body.replace(/^<([^>]+)>/, '<$1 xmlns="http://cloudfront.amazonaws.com/doc/2020-05-31/">');
    return { method: template.method, path: template.path, ifMatch: template.ifMatch ?? false, body: `<?xml version="1.0" encoding="UTF-8"?>${body}` };
  });

/** Query parameters of the List operations and of paths that carry names, with hostile values. */
export const listRequest = fc
  .record({
    path: fc.constantFrom("/2020-05-31/function", "/2020-05-31/distribution", "/2020-05-31/key-value-store", "/2020-05-31/cache-policy", "/2020-05-31/origin-request-policy", "/2020-05-31/response-headers-policy", "/2020-05-31/tagging"),
    params: fc.array(fc.tuple(fc.constantFrom("MaxItems", "Marker", "Stage", "Type", "Resource", "__proto__", "constructor"), text), { maxLength: 4 }),
  })
  .map(({ path, params }) => `${path}?${params.map(([key, value]) => `${key}=${percentEncode(value, true)}`).join("&")}`);

/** A path naming a resource by a hostile name. */
export const namedResourcePath = fc
  .tuple(fc.constantFrom("/2020-05-31/function/", "/2020-05-31/key-value-store/", "/2020-05-31/distribution/", "/2020-05-31/cache-policy/", "/2020-05-31/origin-request-policy/", "/2020-05-31/response-headers-policy/"), text, fc.constantFrom("", "/describe", "/config", "/publish", "/test"))
  .map(([prefix, name, suffix]) => prefix + percentEncode(name, true) + suffix);

/** A data-plane call: a method, a key path and a JSON body built from hostile keys and values. */
export const dataPlaneRequest = fc.record({
  method: fc.constantFrom("GET", "PUT", "POST", "DELETE", "PATCH"),
  key: fc.oneof(text, fc.constantFrom(...PROTOTYPE_NAMES)),
  suffix: fc.constantFrom("/keys/", "/keys", "", "/nope/"),
  body: fc.oneof(
    fc.json(),
    fc.record({ Value: fc.oneof(text, fc.integer()) }).map((value) => JSON.stringify(value)),
    fc.record({ Puts: fc.array(fc.record({ Key: text, Value: text }), { maxLength: 3 }), Deletes: fc.array(fc.record({ Key: text }), { maxLength: 3 }) }).map((value) => JSON.stringify(value)),
    fc.constantFrom('{"__proto__":{"polluted":1}}', '{"constructor":{"prototype":{"polluted":1}}}', "{", "", "null", "[]"),
  ),
  ifMatch: fc.option(text),
});
