import {
  MAX_COOKIES_PER_CACHE_POLICY,
  MAX_COOKIES_PER_ORIGIN_REQUEST_POLICY,
  MAX_CUSTOM_HEADERS_PER_RESPONSE_HEADERS_POLICY,
  MAX_HEADERS_PER_CACHE_POLICY,
  MAX_HEADERS_PER_ORIGIN_REQUEST_POLICY,
  MAX_POLICY_COMMENT_LENGTH,
  MAX_POLICY_NAME_LENGTH,
  MAX_POLICY_TTL_SECONDS,
  MAX_QUERY_STRINGS_PER_CACHE_POLICY,
  MAX_QUERY_STRINGS_PER_ORIGIN_REQUEST_POLICY,
  MAX_REMOVE_HEADERS_PER_RESPONSE_HEADERS_POLICY,
  POLICY_NAME_PATTERN,
} from "../limits.js";
import { CloudFrontError, type CloudFrontErrorCode } from "./errors.js";
import type { CachePolicy, NamedValues, OriginRequestPolicy } from "./managedPolicies.js";
import { isRemovableHeader, MAX_CONTENT_SECURITY_POLICY_LENGTH, type ResponseHeadersPolicy, type ResponseHeadersPolicySecurityHeaders } from "./responseHeadersPolicy.js";

/**
 * CloudFront's rules for the values of a custom cache policy and origin request policy, as data: each
 * rule says what must hold, the error code AWS answers when it does not, and a message that says what to
 * change. Sources: the CachePolicyConfig and OriginRequestPolicyConfig pages of the API reference (TTL
 * defaults and order), the quotas page (names per policy), "Understand cache policies" (what a policy
 * with caching disabled may hold). Where no source says which behaviours carry names, edgelite's choice is
 * written in docs/edge.md ("Policies through the API").
 */

/** A rule on one kind of policy. */
export interface PolicyRule<P> {
  readonly code: CloudFrontErrorCode;
  /** undefined when the policy keeps the rule; otherwise what is wrong and what to do. */
  broken(policy: P): string | undefined;
}

type Lists = { headers: NamedValues<string>; cookies: NamedValues<string>; queryStrings: NamedValues<string> };
type ListField = keyof Lists;

const LIST_ELEMENT: Record<ListField, string> = { headers: "Headers", cookies: "Cookies", queryStrings: "QueryStrings" };
const BEHAVIOR_ELEMENT: Record<ListField, string> = { headers: "HeaderBehavior", cookies: "CookieBehavior", queryStrings: "QueryStringBehavior" };

/** Behaviours that act on the names listed with them; every other behaviour takes none. */
const BEHAVIORS_WITH_NAMES: ReadonlySet<string> = new Set(["whitelist", "allExcept", "allViewerAndWhitelistCloudFront"]);

/** At most `max` names in one list, else `code` (TooManyHeadersInCachePolicy, …). */
function quota<P extends Lists>(field: ListField, max: number, code: CloudFrontErrorCode, kind: string): PolicyRule<P> {
  return {
    code,
    broken: (p) => (p[field].names.length > max ? `The ${kind} names ${p[field].names.length} ${LIST_ELEMENT[field]}; CloudFront allows at most ${max}. Remove some, or choose a behaviour that takes all of them.` : undefined),
  };
}

/** Names go with whitelist/allExcept/allViewerAndWhitelistCloudFront, and only with them. */
function namesMatchBehavior<P extends Lists>(field: ListField): PolicyRule<P> {
  return {
    code: "InvalidArgument",
    broken: (p) => {
      const { behavior, names } = p[field];
      if (BEHAVIORS_WITH_NAMES.has(behavior) && names.length === 0) return `${BEHAVIOR_ELEMENT[field]} ${behavior} needs at least one name in ${LIST_ELEMENT[field]}.`;
      if (!BEHAVIORS_WITH_NAMES.has(behavior) && names.length > 0) return `${BEHAVIOR_ELEMENT[field]} ${behavior} takes no names; remove ${LIST_ELEMENT[field]} or use whitelist.`;
      return undefined;
    },
  };
}

/** A name listed twice (header names compare case-insensitively). */
function noDuplicates<P extends Lists>(field: ListField): PolicyRule<P> {
  return {
    code: "InvalidArgument",
    broken: (p) => {
      const names = field === "headers" ? p[field].names.map((n) => n.toLowerCase()) : p[field].names;
      const seen = new Set<string>();
      const repeated = names.find((n) => (seen.has(n) ? true : (seen.add(n), false)));
      return repeated === undefined ? undefined : `${LIST_ELEMENT[field]} lists ${JSON.stringify(repeated)} more than once.`;
    },
  };
}

/** For each of the three lists: names go with the behaviours that take them, each name once. */
function listRules<P extends Lists>(): Array<PolicyRule<P>> {
  const fields: ListField[] = ["headers", "cookies", "queryStrings"];
  return [...fields.map((field) => namesMatchBehavior<P>(field)), ...fields.map((field) => noDuplicates<P>(field))];
}

function nameAndComment<P extends { name: string; comment: string }>(): Array<PolicyRule<P>> {
  return [
    {
      code: "InvalidArgument",
      broken: (p) => (POLICY_NAME_PATTERN.test(p.name) ? undefined : `The policy Name must be 1-${MAX_POLICY_NAME_LENGTH} letters, digits, hyphens or underscores.`),
    },
    {
      code: "InvalidArgument",
      broken: (p) => (p.comment.length > MAX_POLICY_COMMENT_LENGTH ? `The policy Comment is ${p.comment.length} characters; at most ${MAX_POLICY_COMMENT_LENGTH} are allowed.` : undefined),
    },
  ];
}

const ttlInRange = (name: string, value: number) =>
  Number.isSafeInteger(value) && value >= 0 && value <= MAX_POLICY_TTL_SECONDS ? undefined : `${name} must be a whole number of seconds from 0 to ${MAX_POLICY_TTL_SECONDS}; got ${value}.`;

export const CACHE_POLICY_RULES: ReadonlyArray<PolicyRule<CachePolicy>> = [
  ...nameAndComment<CachePolicy>(),
  { code: "InvalidArgument", broken: (p) => ttlInRange("MinTTL", p.minTtl) ?? ttlInRange("DefaultTTL", p.defaultTtl) ?? ttlInRange("MaxTTL", p.maxTtl) },
  { code: "InvalidArgument", broken: (p) => (p.minTtl <= p.defaultTtl ? undefined : `MinTTL (${p.minTtl}) must not be more than DefaultTTL (${p.defaultTtl}).`) },
  { code: "InvalidArgument", broken: (p) => (p.defaultTtl <= p.maxTtl ? undefined : `DefaultTTL (${p.defaultTtl}) must not be more than MaxTTL (${p.maxTtl}).`) },
  {
    // "Understand cache policies": with every TTL 0 nothing is cached, so nothing may be put in the cache key.
    code: "InvalidArgument",
    broken: (p) =>
      p.maxTtl === 0 && (p.headers.behavior !== "none" || p.cookies.behavior !== "none" || p.queryStrings.behavior !== "none" || p.gzip || p.brotli)
        ? "A cache policy with caching disabled (MaxTTL 0) cannot put headers, cookies, query strings or encodings in the cache key; set their behaviours to none and the encodings to false, or use an origin request policy."
        : undefined,
  },
  ...listRules<CachePolicy>(),
  quota("headers", MAX_HEADERS_PER_CACHE_POLICY, "TooManyHeadersInCachePolicy", "cache policy"),
  quota("cookies", MAX_COOKIES_PER_CACHE_POLICY, "TooManyCookiesInCachePolicy", "cache policy"),
  quota("queryStrings", MAX_QUERY_STRINGS_PER_CACHE_POLICY, "TooManyQueryStringsInCachePolicy", "cache policy"),
];

export const ORIGIN_REQUEST_POLICY_RULES: ReadonlyArray<PolicyRule<OriginRequestPolicy>> = [
  ...nameAndComment<OriginRequestPolicy>(),
  ...listRules<OriginRequestPolicy>(),
  {
    code: "InvalidArgument",
    broken: (p) =>
      p.headers.behavior === "allViewerAndWhitelistCloudFront" && p.headers.names.some((n) => !n.toLowerCase().startsWith("cloudfront-"))
        ? "HeaderBehavior allViewerAndWhitelistCloudFront lists CloudFront-* headers only; other viewer headers are already forwarded."
        : undefined,
  },
  quota("headers", MAX_HEADERS_PER_ORIGIN_REQUEST_POLICY, "TooManyHeadersInOriginRequestPolicy", "origin request policy"),
  quota("cookies", MAX_COOKIES_PER_ORIGIN_REQUEST_POLICY, "TooManyCookiesInOriginRequestPolicy", "origin request policy"),
  quota("queryStrings", MAX_QUERY_STRINGS_PER_ORIGIN_REQUEST_POLICY, "TooManyQueryStringsInOriginRequestPolicy", "origin request policy"),
];

/** Throws the first broken rule's error (rules are ordered: the general before the quotas). */
export function checkRules<P>(rules: ReadonlyArray<PolicyRule<P>>, policy: P): void {
  for (const rule of rules) {
    const message = rule.broken(policy);
    if (message !== undefined) throw new CloudFrontError(rule.code, message);
  }
}

/** The headers SecurityHeadersConfig sets, by the field that sets each. */
const SECURITY_HEADER_NAMES: ReadonlyArray<[keyof ResponseHeadersPolicySecurityHeaders, string]> = [
  ["xssProtection", "x-xss-protection"],
  ["frameOptions", "x-frame-options"],
  ["referrerPolicy", "referrer-policy"],
  ["contentSecurityPolicy", "content-security-policy"],
  ["contentTypeOptions", "x-content-type-options"],
  ["strictTransportSecurity", "strict-transport-security"],
];

/** An HTTP field name (RFC 9110 token). */
const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;
/** A field value CloudFront can send: visible characters, spaces and tabs, no line breaks. */
const HEADER_VALUE = /^[\t\x20-\x7e\x80-\uffff]*$/u;

function firstRepeated(values: readonly string[]): string | undefined {
  const seen = new Set<string>();
  for (const value of values) {
    const name = value.toLowerCase();
    if (seen.has(name)) return value;
    seen.add(name);
  }
  return undefined;
}

/**
 * A response headers policy's rules: the quotas (custom headers, headers to remove, the CSP's length),
 * the headers CloudFront will not remove ("Understand response headers policies"), CORS and XSS values
 * that contradict each other, and names a policy sets twice (a custom header that duplicates one its
 * security or CORS settings set: edgelite's reading, see docs/edge.md).
 */
export const RESPONSE_HEADERS_POLICY_RULES: ReadonlyArray<PolicyRule<ResponseHeadersPolicy>> = [
  ...nameAndComment<ResponseHeadersPolicy>(),
  {
    code: "TooManyCustomHeadersInResponseHeadersPolicy",
    broken: (p) => (p.customHeaders.length > MAX_CUSTOM_HEADERS_PER_RESPONSE_HEADERS_POLICY ? `The policy has ${p.customHeaders.length} custom headers; CloudFront allows at most ${MAX_CUSTOM_HEADERS_PER_RESPONSE_HEADERS_POLICY}.` : undefined),
  },
  {
    code: "TooManyRemoveHeadersInResponseHeadersPolicy",
    broken: (p) => (p.removeHeaders.length > MAX_REMOVE_HEADERS_PER_RESPONSE_HEADERS_POLICY ? `The policy removes ${p.removeHeaders.length} headers; CloudFront allows at most ${MAX_REMOVE_HEADERS_PER_RESPONSE_HEADERS_POLICY}.` : undefined),
  },
  {
    code: "TooLongCSPInResponseHeadersPolicy",
    broken: (p) => {
      const csp = p.securityHeaders?.contentSecurityPolicy?.contentSecurityPolicy;
      return csp !== undefined && csp.length > MAX_CONTENT_SECURITY_POLICY_LENGTH ? `The Content-Security-Policy value is ${csp.length} characters; CloudFront allows at most ${MAX_CONTENT_SECURITY_POLICY_LENGTH}.` : undefined;
    },
  },
  {
    code: "InvalidArgument",
    broken: (p) => {
      const bad = [...p.customHeaders.map((h) => h.header), ...p.removeHeaders].find((name) => !HEADER_NAME.test(name));
      return bad === undefined ? undefined : `${JSON.stringify(bad)} is not a valid HTTP header name.`;
    },
  },
  {
    code: "InvalidArgument",
    broken: (p) => {
      const bad = p.customHeaders.find((h) => !HEADER_VALUE.test(h.value));
      return bad === undefined ? undefined : `The value of the custom header ${bad.header} holds a line break or a control character.`;
    },
  },
  {
    code: "InvalidArgument",
    broken: (p) => {
      const repeated = firstRepeated(p.customHeaders.map((h) => h.header)) ?? firstRepeated(p.removeHeaders);
      return repeated === undefined ? undefined : `The header ${repeated} is listed more than once.`;
    },
  },
  {
    code: "InvalidArgument",
    broken: (p) => {
      const removed = new Set(p.removeHeaders.map((h) => h.toLowerCase()));
      const both = p.customHeaders.find((h) => removed.has(h.header.toLowerCase()));
      return both === undefined ? undefined : `The header ${both.header} is both added (CustomHeadersConfig) and removed (RemoveHeadersConfig); keep one.`;
    },
  },
  {
    code: "InvalidArgument",
    broken: (p) => {
      const unremovable = p.removeHeaders.find((h) => !isRemovableHeader(h));
      return unremovable === undefined ? undefined : `CloudFront does not remove the header ${unremovable}; take it out of RemoveHeadersConfig.`;
    },
  },
  {
    code: "InvalidArgument",
    broken: (p) => {
      const set = new Set(SECURITY_HEADER_NAMES.filter(([field]) => p.securityHeaders?.[field] !== undefined).map(([, name]) => name));
      const duplicate = p.customHeaders.find((h) => set.has(h.header.toLowerCase()) || (p.cors !== undefined && h.header.toLowerCase().startsWith("access-control-")));
      return duplicate === undefined ? undefined : `The custom header ${duplicate.header} duplicates one the policy's ${p.cors !== undefined && duplicate.header.toLowerCase().startsWith("access-control-") ? "CorsConfig" : "SecurityHeadersConfig"} sets; configure it there only.`;
    },
  },
  {
    code: "InvalidArgument",
    broken: (p) => {
      const cors = p.cors;
      if (!cors) return undefined;
      if (cors.accessControlAllowOrigins.length === 0) return "CorsConfig needs at least one origin in AccessControlAllowOrigins (\"*\" for any).";
      if (cors.accessControlAllowMethods.length === 0) return "CorsConfig needs at least one method in AccessControlAllowMethods (ALL for every one).";
      if (cors.accessControlAllowMethods.includes("ALL") && cors.accessControlAllowMethods.length > 1) return "AccessControlAllowMethods ALL stands for every method; list it alone.";
      if (cors.accessControlAllowCredentials && cors.accessControlAllowOrigins.includes("*")) return "AccessControlAllowCredentials true cannot go with the origin \"*\" (browsers refuse credentials for any origin); list the origins.";
      if (cors.accessControlMaxAgeSec !== undefined && !(Number.isSafeInteger(cors.accessControlMaxAgeSec) && cors.accessControlMaxAgeSec >= 0)) return `AccessControlMaxAgeSec must be a whole number of seconds from 0; got ${cors.accessControlMaxAgeSec}.`;
      return undefined;
    },
  },
  {
    code: "InvalidArgument",
    broken: (p) => {
      const xss = p.securityHeaders?.xssProtection;
      if (!xss) return undefined;
      if (xss.modeBlock && xss.reportUri !== undefined) return "X-XSS-Protection takes ModeBlock or ReportUri, not both.";
      if (!xss.protection && (xss.modeBlock || xss.reportUri !== undefined)) return "X-XSS-Protection with Protection false (0) takes neither ModeBlock nor ReportUri.";
      return undefined;
    },
  },
  {
    code: "InvalidArgument",
    broken: (p) => {
      const maxAge = p.securityHeaders?.strictTransportSecurity?.accessControlMaxAgeSec;
      return maxAge !== undefined && !(Number.isSafeInteger(maxAge) && maxAge >= 0) ? `Strict-Transport-Security's AccessControlMaxAgeSec must be a whole number of seconds from 0; got ${maxAge}.` : undefined;
    },
  },
  {
    code: "InvalidArgument",
    broken: (p) => {
      const timing = p.serverTiming;
      if (!timing) return undefined;
      if (timing.samplingRate !== undefined && !(timing.samplingRate >= 0 && timing.samplingRate <= 100)) return `Server-Timing's SamplingRate must be from 0 to 100 (a percentage); got ${timing.samplingRate}.`;
      if (timing.enabled && timing.samplingRate === undefined) return "Server-Timing with Enabled true needs a SamplingRate (0-100).";
      return undefined;
    },
  },
];
