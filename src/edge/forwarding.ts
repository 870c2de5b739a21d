import type { BehaviourConfig } from "../service/distributionConfig.js";
import { MANAGED_ORIGIN_REQUEST_POLICIES, type NamedValues } from "../service/managedPolicies.js";
import type { CachePolicy, OriginRequestPolicy, PolicySet } from "../service/policySet.js";

/**
 * Which viewer values reach the origin (CloudFront Developer Guide, "Control origin requests with a
 * policy"): a behaviour's cache policy and origin request policy together name the headers, cookies and
 * query strings to forward; everything else is left out, and CloudFront sets Host to the origin's domain
 * and User-Agent to "Amazon CloudFront" unless those are forwarded. Behaviours on the legacy cache settings
 * (`ForwardedValues`) follow the older table of "Request and response behavior for custom origins": other
 * headers pass, a known set is removed unless whitelisted.
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
  /**
   * The CloudFront-* headers the policies name (lower-case): CloudFront adds them to the request, where the
   * viewer-request function sees them and the origin gets them.
   */
  cloudFrontHeaders: ReadonlySet<string>;
}

const ALL: Selection = { kind: "all" };
const NONE: Selection = { kind: "none" };

interface Policy {
  headers: Selection;
  cookies: Selection;
  query: Selection;
  compression: boolean;
  cloudFrontHeaders: readonly string[];
}

/** The CloudFront-* names among a policy's headers (a whitelist, or AllViewerAndCloudFrontHeaders' list). */
const cloudFrontNames = (values: NamedValues<string>) =>
  values.behavior === "whitelist" || values.behavior === "allViewerAndWhitelistCloudFront" ? values.names.map((n) => n.toLowerCase()).filter((n) => n.startsWith("cloudfront-")) : [];

/** A managed policy's named values as a Selection (header names lower-case). */
export function selection(values: NamedValues<string>, lowerCase = false): Selection {
  const names = new Set(lowerCase ? values.names.map((n) => n.toLowerCase()) : values.names);
  switch (values.behavior) {
    case "none":
      return NONE;
    case "whitelist":
      return { kind: "only", names };
    case "allExcept":
      return { kind: "allExcept", names };
    default:
      // all, allViewer, allViewerAndWhitelistCloudFront (its CloudFront-* names travel in cloudFrontHeaders).
      return ALL;
  }
}

/** A cache policy's values as Selections (its cache-key values are forwarded too), once per policy object. */
const cachePolicies = new WeakMap<CachePolicy, Policy>();
function cachePolicyRules(p: CachePolicy): Policy {
  let policy = cachePolicies.get(p);
  if (!policy) {
    policy = { headers: selection(p.headers, true), cookies: selection(p.cookies), query: selection(p.queryStrings), compression: p.gzip || p.brotli, cloudFrontHeaders: cloudFrontNames(p.headers) };
    cachePolicies.set(p, policy);
  }
  return policy;
}

/** An origin request policy's values as Selections, once per policy object. */
const originRequestPolicies = new WeakMap<OriginRequestPolicy, Policy>();
function originRequestPolicyRules(p: OriginRequestPolicy): Policy {
  let policy = originRequestPolicies.get(p);
  if (!policy) {
    policy = { headers: selection(p.headers, true), cookies: selection(p.cookies), query: selection(p.queryStrings), compression: false, cloudFrontHeaders: cloudFrontNames(p.headers) };
    originRequestPolicies.set(p, policy);
  }
  return policy;
}

const NO_ORIGIN_REQUEST_POLICY: Policy = { headers: NONE, cookies: NONE, query: NONE, compression: false, cloudFrontHeaders: [] };

/**
 * Forward everything, the viewer's Host included, and add CloudFront's own headers: what
 * Managed-AllViewerAndCloudFrontHeaders-2022-06 does (used by `edgelite dev` and `--forward-all`, so that a
 * function reading CloudFront-Viewer-Country can be tried there).
 */
export const FORWARD_ALL: ForwardingRules = {
  headers: ALL,
  cookies: ALL,
  query: ALL,
  legacy: false,
  normaliseAcceptEncoding: false,
  cloudFrontHeaders: new Set(cloudFrontNames(MANAGED_ORIGIN_REQUEST_POLICIES.find((p) => p.name === "Managed-AllViewerAndCloudFrontHeaders-2022-06")!.headers)),
};

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

/** A behaviour's rules, kept while the policies it names are the same objects (an update makes new ones). */
interface CachedRules {
  cachePolicy: CachePolicy | undefined;
  originRequestPolicy: OriginRequestPolicy | undefined;
  rules: ForwardingRules;
}

const cache = new WeakMap<BehaviourConfig, CachedRules>();

/**
 * The rules of a behaviour, from the managed or custom policies it names (`policies`: what the edge
 * resolved for this request, so an UpdateCachePolicy counts from the next request on). A behaviour with
 * neither a policy nor legacy settings forwards everything, and so does one naming a policy Id that
 * `policies` does not hold (only a distribution stored before edgelite refused unknown Ids can).
 */
export function forwardingRules(behaviour: BehaviourConfig, policies: PolicySet): ForwardingRules {
  const cachePolicy = behaviour.cachePolicyId === undefined ? undefined : policies.cachePolicy(behaviour.cachePolicyId);
  const originRequestPolicy = behaviour.originRequestPolicyId === undefined ? undefined : policies.originRequestPolicy(behaviour.originRequestPolicyId);
  const cached = cache.get(behaviour);
  if (cached && cached.cachePolicy === cachePolicy && cached.originRequestPolicy === originRequestPolicy) return cached.rules;
  const rules = computeRules(behaviour, cachePolicy, originRequestPolicy);
  cache.set(behaviour, { cachePolicy, originRequestPolicy, rules });
  return rules;
}

function computeRules(behaviour: BehaviourConfig, cachePolicy: CachePolicy | undefined, originRequestPolicy: OriginRequestPolicy | undefined): ForwardingRules {
  if (behaviour.cachePolicyId) {
    if (!cachePolicy || (behaviour.originRequestPolicyId && !originRequestPolicy)) return FORWARD_ALL;
    const cacheRules = cachePolicyRules(cachePolicy);
    const requestRules = originRequestPolicy ? originRequestPolicyRules(originRequestPolicy) : NO_ORIGIN_REQUEST_POLICY;
    return {
      headers: union(cacheRules.headers, requestRules.headers),
      cookies: union(cacheRules.cookies, requestRules.cookies),
      query: union(cacheRules.query, requestRules.query),
      legacy: false,
      normaliseAcceptEncoding: cacheRules.compression,
      cloudFrontHeaders: new Set([...cacheRules.cloudFrontHeaders, ...requestRules.cloudFrontHeaders]),
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
    cloudFrontHeaders: new Set(legacy.headers.filter((n) => n.startsWith("cloudfront-"))),
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

/**
 * CloudFront's normalised Accept-Encoding: `br,gzip`, `gzip` or `br`; undefined when neither is accepted. A
 * coding with `q=0` is one the viewer refuses (RFC 9110 §12.5.3), so it does not count (AWS's pages do not say).
 */
export function normalisedAcceptEncoding(value: string): string | undefined {
  const accepted = value
    .toLowerCase()
    .split(",")
    .filter((part) => !/;\s*q\s*=\s*0(?:\.0{0,3})?\s*$/.test(part))
    .map((part) => part.split(";")[0]!.trim());
  const br = accepted.includes("br");
  const gzip = accepted.includes("gzip");
  return br && gzip ? "br,gzip" : br ? "br" : gzip ? "gzip" : undefined;
}
