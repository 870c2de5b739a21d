import {
  MAX_COOKIES_PER_CACHE_POLICY,
  MAX_COOKIES_PER_ORIGIN_REQUEST_POLICY,
  MAX_HEADERS_PER_CACHE_POLICY,
  MAX_HEADERS_PER_ORIGIN_REQUEST_POLICY,
  MAX_POLICY_COMMENT_LENGTH,
  MAX_POLICY_NAME_LENGTH,
  MAX_POLICY_TTL_SECONDS,
  MAX_QUERY_STRINGS_PER_CACHE_POLICY,
  MAX_QUERY_STRINGS_PER_ORIGIN_REQUEST_POLICY,
  POLICY_NAME_PATTERN,
} from "../limits.js";
import { CloudFrontError, type CloudFrontErrorCode } from "./errors.js";
import type { CachePolicy, NamedValues, OriginRequestPolicy } from "./managedPolicies.js";

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
  namesMatchBehavior("headers"),
  namesMatchBehavior("cookies"),
  namesMatchBehavior("queryStrings"),
  noDuplicates("headers"),
  noDuplicates("cookies"),
  noDuplicates("queryStrings"),
  quota("headers", MAX_HEADERS_PER_CACHE_POLICY, "TooManyHeadersInCachePolicy", "cache policy"),
  quota("cookies", MAX_COOKIES_PER_CACHE_POLICY, "TooManyCookiesInCachePolicy", "cache policy"),
  quota("queryStrings", MAX_QUERY_STRINGS_PER_CACHE_POLICY, "TooManyQueryStringsInCachePolicy", "cache policy"),
];

export const ORIGIN_REQUEST_POLICY_RULES: ReadonlyArray<PolicyRule<OriginRequestPolicy>> = [
  ...nameAndComment<OriginRequestPolicy>(),
  namesMatchBehavior("headers"),
  namesMatchBehavior("cookies"),
  namesMatchBehavior("queryStrings"),
  noDuplicates("headers"),
  noDuplicates("cookies"),
  noDuplicates("queryStrings"),
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
