import { MANAGED_CACHE_POLICIES, MANAGED_ORIGIN_REQUEST_POLICIES, type ManagedCachePolicy, type ManagedOriginRequestPolicy } from "./managedPolicies.js";

/** A cache policy, managed or custom: its cache key values, TTLs and encodings. */
export type CachePolicy = ManagedCachePolicy;
/** An origin request policy, managed or custom: the values forwarded beyond the cache key. */
export type OriginRequestPolicy = ManagedOriginRequestPolicy;

/**
 * The policies a distribution's behaviours may name, by Id, as the edge sees them on a request: AWS's managed
 * ones and the account's custom ones. Lookups are synchronous: the edge asks on every request.
 */
export interface PolicySet {
  cachePolicy(id: string): CachePolicy | undefined;
  originRequestPolicy(id: string): OriginRequestPolicy | undefined;
  /** The response headers policy type is src/service/responseHeadersPolicy.ts's; unknown until that lands. */
  responseHeadersPolicy(id: string): unknown;
}

const MANAGED_CACHE = new Map(MANAGED_CACHE_POLICIES.map((policy) => [policy.id, policy]));
const MANAGED_ORIGIN_REQUEST = new Map(MANAGED_ORIGIN_REQUEST_POLICIES.map((policy) => [policy.id, policy]));

/** AWS's managed policies only. */
export const MANAGED_POLICY_SET: PolicySet = {
  cachePolicy: (id) => MANAGED_CACHE.get(id),
  originRequestPolicy: (id) => MANAGED_ORIGIN_REQUEST.get(id),
  responseHeadersPolicy: () => undefined,
};
