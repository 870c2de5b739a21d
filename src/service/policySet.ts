import { MANAGED_CACHE_POLICIES, MANAGED_ORIGIN_REQUEST_POLICIES, type CachePolicy, type OriginRequestPolicy } from "./managedPolicies.js";
import type { ResourceType } from "../store/types.js";
import { MANAGED_RESPONSE_HEADERS_POLICIES, type ResponseHeadersPolicy } from "./responseHeadersPolicy.js";

/** A cache policy (its cache key values, TTLs and encodings), an origin request policy (the values forwarded beyond the cache key), a response headers policy: managed or custom. */
export type { CachePolicy, OriginRequestPolicy, ResponseHeadersPolicy };

/** The store's resource types that are policies. */
export type PolicyType = Extract<ResourceType, "cache-policy" | "origin-request-policy" | "response-headers-policy">;

/**
 * The policies a distribution's behaviours may name, by Id, as the edge sees them on a request: AWS's managed
 * ones and the account's custom ones (src/service/policies.ts keeps those in memory and hands out a new set
 * after each write). Lookups are synchronous: the edge asks on every request.
 */
export interface PolicySet {
  cachePolicy(id: string): CachePolicy | undefined;
  originRequestPolicy(id: string): OriginRequestPolicy | undefined;
  responseHeadersPolicy(id: string): ResponseHeadersPolicy | undefined;
}

const MANAGED_CACHE = new Map(MANAGED_CACHE_POLICIES.map((policy) => [policy.id, policy]));
const MANAGED_ORIGIN_REQUEST = new Map(MANAGED_ORIGIN_REQUEST_POLICIES.map((policy) => [policy.id, policy]));
const MANAGED_RESPONSE_HEADERS = new Map(MANAGED_RESPONSE_HEADERS_POLICIES.map((policy) => [policy.id, policy]));

/** Whether an Id names one of AWS's managed policies of a type. */
export function isManagedPolicy(type: PolicyType, id: string): boolean {
  const managed = type === "cache-policy" ? MANAGED_CACHE : type === "origin-request-policy" ? MANAGED_ORIGIN_REQUEST : MANAGED_RESPONSE_HEADERS;
  return managed.has(id);
}

/** AWS's managed policies only. */
export const MANAGED_POLICY_SET: PolicySet = {
  cachePolicy: (id) => MANAGED_CACHE.get(id),
  originRequestPolicy: (id) => MANAGED_ORIGIN_REQUEST.get(id),
  responseHeadersPolicy: (id) => MANAGED_RESPONSE_HEADERS.get(id),
};
