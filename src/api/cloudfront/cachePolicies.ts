import { managedCachePolicy, MANAGED_CACHE_POLICIES, type ManagedCachePolicy } from "../../service/managedPolicies.js";
import { el } from "../xmlWriter.js";
import { managedPolicyOperations, valuesConfig } from "./managedPolicyOperations.js";

/** GetCachePolicy, GetCachePolicyConfig, ListCachePolicies: AWS's managed cache policies. */
export const CACHE_POLICY_OPERATIONS = managedPolicyOperations<ManagedCachePolicy>({
  shape: "CachePolicy",
  path: "cache-policy",
  policies: MANAGED_CACHE_POLICIES,
  lookup: managedCachePolicy,
  config: (policy) => [
    el("Comment", policy.comment),
    el("Name", policy.name),
    el("DefaultTTL", policy.defaultTtl),
    el("MaxTTL", policy.maxTtl),
    el("MinTTL", policy.minTtl),
    el("ParametersInCacheKeyAndForwardedToOrigin", [el("EnableAcceptEncodingGzip", policy.gzip), el("EnableAcceptEncodingBrotli", policy.brotli), ...valuesConfig(policy)]),
  ],
});
