import { managedCachePolicy, MANAGED_CACHE_POLICIES, type ManagedCachePolicy } from "../../service/managedPolicies.js";
import { managedPolicyOperations, valuesConfigXml } from "./managedPolicyOperations.js";
import { textElement } from "./xml.js";

/** GetCachePolicy, GetCachePolicyConfig, ListCachePolicies: AWS's managed cache policies. */
export const CACHE_POLICY_OPERATIONS = managedPolicyOperations<ManagedCachePolicy>({
  shape: "CachePolicy",
  path: "cache-policy",
  policies: MANAGED_CACHE_POLICIES,
  lookup: managedCachePolicy,
  configXml: (policy) =>
    textElement("Comment", policy.comment) +
    textElement("Name", policy.name) +
    `<DefaultTTL>${policy.defaultTtl}</DefaultTTL><MaxTTL>${policy.maxTtl}</MaxTTL><MinTTL>${policy.minTtl}</MinTTL>` +
    `<ParametersInCacheKeyAndForwardedToOrigin>` +
    `<EnableAcceptEncodingGzip>${policy.gzip}</EnableAcceptEncodingGzip><EnableAcceptEncodingBrotli>${policy.brotli}</EnableAcceptEncodingBrotli>` +
    valuesConfigXml(policy) +
    `</ParametersInCacheKeyAndForwardedToOrigin>`,
});
