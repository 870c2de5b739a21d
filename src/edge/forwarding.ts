import type { BehaviourConfig } from "../service/distributionConfig.js";

/**
 * Which viewer values reach the origin (shared/spec/edge.md §2.2): a behaviour's cache policy and origin
 * request policy together name the headers, cookies and query strings to forward; everything else is left
 * out, and CloudFront sets Host to the origin's domain and User-Agent to "Amazon CloudFront" unless those
 * are forwarded. Behaviours on the legacy cache settings (`ForwardedValues`) follow the older table of
 * RequestAndResponseBehaviorCustomOrigin: other headers pass, a known set is removed unless whitelisted.
 */

export type Selection = { kind: "all" } | { kind: "none" } | { kind: "only"; names: ReadonlySet<string> } | { kind: "allExcept"; names: ReadonlySet<string> };

export interface ForwardingRules {
  headers: Selection;
  cookies: Selection;
  query: Selection;
  /** Legacy cache settings: headers nobody named still pass, except LEGACY_REMOVED. */
  legacy: boolean;
  /** Accept-Encoding is sent normalised to gzip/br (a cache policy caching compressed objects, or legacy settings). */
  normaliseAcceptEncoding: boolean;
}

const ALL: Selection = { kind: "all" };
const NONE: Selection = { kind: "none" };
const only = (...names: string[]): Selection => ({ kind: "only", names: new Set(names) });

interface Policy {
  name: string;
  headers: Selection;
  cookies: Selection;
  query: Selection;
  compression?: boolean;
}

/** AWS's managed cache policies, by Id (using-managed-cache-policies). Their cache-key values are forwarded too. */
export const MANAGED_CACHE_POLICIES: Readonly<Record<string, Policy>> = {
  "658327ea-f89d-4fab-a63d-7e88639e58f6": { name: "Managed-CachingOptimized", headers: NONE, cookies: NONE, query: NONE, compression: true },
  "b2884449-e4de-46a7-ac36-70bc7f1ddd6d": { name: "Managed-CachingOptimizedForUncompressedObjects", headers: NONE, cookies: NONE, query: NONE },
  "4135ea2d-6df8-44a3-9df3-4b5a84be39ad": { name: "Managed-CachingDisabled", headers: NONE, cookies: NONE, query: NONE },
  "08627262-05a9-4f76-9ded-b50ca2e3a84f": { name: "Managed-Elemental-MediaPackage", headers: only("origin"), cookies: NONE, query: only("aws.manifestfilter", "start", "end", "m"), compression: true },
  "2e54312d-136d-493c-8eb9-b001f22f67d2": { name: "Managed-Amplify", headers: only("authorization", "cloudfront-viewer-country", "host"), cookies: ALL, query: ALL, compression: true },
  "83da9c7e-98b4-4e11-a168-04f0df8e2c65": { name: "Managed-UseOriginCacheControlHeaders", headers: only("host", "origin", "x-http-method-override", "x-http-method", "x-method-override"), cookies: ALL, query: NONE, compression: true },
  "4cc15a8a-d715-48a4-82b8-cc0b614638fe": { name: "Managed-UseOriginCacheControlHeaders-QueryStrings", headers: only("host", "origin", "x-http-method-override", "x-http-method", "x-method-override"), cookies: ALL, query: ALL, compression: true },
};

/** AWS's managed origin request policies, by Id (using-managed-origin-request-policies). */
export const MANAGED_ORIGIN_REQUEST_POLICIES: Readonly<Record<string, Policy>> = {
  "216adef6-5c7f-47e4-b989-5492eafa07d3": { name: "Managed-AllViewer", headers: ALL, cookies: ALL, query: ALL },
  "33f36d7e-f396-46d9-90e0-52428a34d9dc": { name: "Managed-AllViewerAndCloudFrontHeaders-2022-06", headers: ALL, cookies: ALL, query: ALL },
  "b689b0a8-53d0-40ab-baf2-68738e2966ac": { name: "Managed-AllViewerExceptHostHeader", headers: { kind: "allExcept", names: new Set(["host"]) }, cookies: ALL, query: ALL },
  "59781a5b-3903-41f3-afcb-af62929ccde1": { name: "Managed-CORS-CustomOrigin", headers: only("origin"), cookies: NONE, query: NONE },
  "88a5eaf4-2fd4-4709-b370-b4c650ea3fcf": { name: "Managed-CORS-S3Origin", headers: only("origin", "access-control-request-headers", "access-control-request-method"), cookies: NONE, query: NONE },
  "775133bc-15f2-49f9-abea-afb2e0bf67d2": { name: "Managed-Elemental-MediaTailor-PersonalizedManifests", headers: only("origin", "access-control-request-headers", "access-control-request-method", "user-agent", "x-forwarded-for"), cookies: NONE, query: ALL },
  "acba4595-bd28-49b8-b9fe-13317c0390fa": { name: "Managed-UserAgentRefererHeaders", headers: only("user-agent", "referer"), cookies: NONE, query: ALL },
};

/** Forward everything, the viewer's Host included: Managed-AllViewer (what `edgelite dev` and `--forward-all` use). */
export const FORWARD_ALL: ForwardingRules = { headers: ALL, cookies: ALL, query: ALL, legacy: false, normaliseAcceptEncoding: false };

/**
 * Headers that reach the origin whatever the policies say: message framing and the request's own
 * validators. CloudFront documents only "the URL path, the body, and the headers CloudFront adds"; the
 * body needs its framing and type, so edgelite keeps these (a choice; see docs/edge.md).
 */
export const ALWAYS_FORWARDED: ReadonlySet<string> = new Set([
  "content-length", "transfer-encoding", "content-type", "content-md5", "cache-control", "pragma", "max-forwards",
  "range", "request-range", "if-match", "if-none-match", "if-modified-since", "if-unmodified-since", "if-range",
]);

/** Removed by the legacy cache settings unless whitelisted (RequestAndResponseBehaviorCustomOrigin's table). */
const LEGACY_REMOVED: ReadonlySet<string> = new Set(["accept", "accept-charset", "accept-language", "referer", "expect", "x-http-method-override", "authorization"]);

export function union(a: Selection, b: Selection): Selection {
  if (a.kind === "all" || b.kind === "all") return ALL;
  if (a.kind === "none") return b;
  if (b.kind === "none") return a;
  if (a.kind === "only" && b.kind === "only") return { kind: "only", names: new Set([...a.names, ...b.names]) };
  const except = a.kind === "allExcept" ? a : (b as Extract<Selection, { kind: "allExcept" }>);
  const other = except === a ? b : a;
  if (other.kind === "allExcept") return { kind: "allExcept", names: new Set([...except.names].filter((n) => other.names.has(n))) };
  const named = (other as Extract<Selection, { kind: "only" }>).names;
  return { kind: "allExcept", names: new Set([...except.names].filter((n) => !named.has(n))) };
}

export function selects(selection: Selection, name: string): boolean {
  switch (selection.kind) {
    case "all":
      return true;
    case "none":
      return false;
    case "only":
      return selection.names.has(name);
    case "allExcept":
      return !selection.names.has(name);
  }
}

const cache = new WeakMap<BehaviourConfig, ForwardingRules>();

/**
 * The rules of a behaviour. A policy Id edgelite does not know (a custom policy, which edgelite's API does
 * not create) and a behaviour with neither a policy nor legacy settings forward everything.
 */
export function forwardingRules(behaviour: BehaviourConfig): ForwardingRules {
  let rules = cache.get(behaviour);
  if (rules) return rules;
  rules = computeRules(behaviour);
  cache.set(behaviour, rules);
  return rules;
}

function computeRules(behaviour: BehaviourConfig): ForwardingRules {
  if (behaviour.cachePolicyId) {
    const cachePolicy = MANAGED_CACHE_POLICIES[behaviour.cachePolicyId];
    const requestPolicy = behaviour.originRequestPolicyId ? MANAGED_ORIGIN_REQUEST_POLICIES[behaviour.originRequestPolicyId] : { name: "", headers: NONE, cookies: NONE, query: NONE };
    if (!cachePolicy || !requestPolicy) return FORWARD_ALL;
    return {
      headers: union(cachePolicy.headers, requestPolicy.headers),
      cookies: union(cachePolicy.cookies, requestPolicy.cookies),
      query: union(cachePolicy.query, requestPolicy.query),
      legacy: false,
      normaliseAcceptEncoding: cachePolicy.compression === true,
    };
  }
  const legacy = behaviour.forwardedValues;
  if (!legacy) return FORWARD_ALL;
  return {
    headers: legacy.headers.includes("*") ? ALL : { kind: "only", names: new Set(legacy.headers) },
    cookies: legacy.cookies === "all" ? ALL : legacy.cookies === "whitelist" ? { kind: "only", names: new Set(legacy.cookieNames) } : NONE,
    query: legacy.queryString ? ALL : NONE,
    legacy: true,
    normaliseAcceptEncoding: true,
  };
}

/** Whether a header other than Host/User-Agent/Cookie/Accept-Encoding reaches the origin under these rules. */
export function forwardsHeader(rules: ForwardingRules, name: string, method: string): boolean {
  if (selects(rules.headers, name) || ALWAYS_FORWARDED.has(name)) return true;
  if (!rules.legacy) return false;
  // Authorization passes on methods other than GET and HEAD under the legacy settings.
  if (name === "authorization") return method !== "GET" && method !== "HEAD";
  return !LEGACY_REMOVED.has(name) && !name.startsWith("cloudfront-");
}

/** CloudFront's normalised Accept-Encoding: `br,gzip`, `gzip` or `br`; undefined when neither is accepted. */
export function normalisedAcceptEncoding(value: string): string | undefined {
  const accepted = value.toLowerCase().split(",").map((part) => part.split(";")[0]!.trim());
  const br = accepted.includes("br");
  const gzip = accepted.includes("gzip");
  return br && gzip ? "br,gzip" : br ? "br" : gzip ? "gzip" : undefined;
}
