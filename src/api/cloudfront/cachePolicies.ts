import { POLICY_DEFAULT_TTL_SECONDS, POLICY_MAX_TTL_SECONDS } from "../../limits.js";
import type { CachePolicy } from "../../service/managedPolicies.js";
import type { PolicyConfig } from "../../service/policies.js";
import { el, type XmlChild } from "../xmlWriter.js";
import { policyOperations } from "./policyOperations.js";
import { ConfigReader, COOKIES, HEADERS, namedValues, QUERY_STRINGS, valuesConfig, type XmlObject } from "./policyXml.js";

const AT = "cachePolicyConfig";
const PARAMETERS = "ParametersInCacheKeyAndForwardedToOrigin";
const PARAMETERS_AT = `${AT}.parametersInCacheKeyAndForwardedToOrigin`;

/** CachePolicyConfig's members, in the model's order. */
export function cachePolicyConfig(policy: CachePolicy): XmlChild[] {
  return [
    el("Comment", policy.comment),
    el("Name", policy.name),
    el("DefaultTTL", policy.defaultTtl),
    el("MaxTTL", policy.maxTtl),
    el("MinTTL", policy.minTtl),
    el(PARAMETERS, [el("EnableAcceptEncodingGzip", policy.gzip), el("EnableAcceptEncodingBrotli", policy.brotli), ...valuesConfig(policy)]),
  ];
}

/**
 * A CachePolicyConfig as sent. DefaultTTL defaults to 86,400 s (or MinTTL when that is more), MaxTTL to
 * 31,536,000 s (or DefaultTTL when that is more): the CachePolicyConfig page of the API reference.
 */
export function readCachePolicyConfig(root: XmlObject): PolicyConfig<CachePolicy> {
  const reader = new ConfigReader();
  const name = reader.text(root, "Name", `${AT}.name`, { required: true });
  const comment = reader.text(root, "Comment", `${AT}.comment`, {});
  const minTtl = reader.wholeNumber(root, "MinTTL", `${AT}.minTTL`, true) ?? 0;
  const sentDefault = reader.wholeNumber(root, "DefaultTTL", `${AT}.defaultTTL`);
  const defaultTtl = sentDefault ?? Math.max(POLICY_DEFAULT_TTL_SECONDS, minTtl);
  const maxTtl = reader.wholeNumber(root, "MaxTTL", `${AT}.maxTTL`) ?? Math.max(POLICY_MAX_TTL_SECONDS, defaultTtl);
  const parameters = reader.struct(root, PARAMETERS, PARAMETERS_AT);
  const gzip = reader.boolean(parameters, "EnableAcceptEncodingGzip", `${PARAMETERS_AT}.enableAcceptEncodingGzip`);
  const brotli = reader.boolean(parameters, "EnableAcceptEncodingBrotli", `${PARAMETERS_AT}.enableAcceptEncodingBrotli`, false);
  const headers = namedValues(reader, parameters, HEADERS, ["none", "whitelist"] as const, `${PARAMETERS_AT}.headersConfig`);
  const cookies = namedValues(reader, parameters, COOKIES, ["none", "whitelist", "allExcept", "all"] as const, `${PARAMETERS_AT}.cookiesConfig`);
  const queryStrings = namedValues(reader, parameters, QUERY_STRINGS, ["none", "whitelist", "allExcept", "all"] as const, `${PARAMETERS_AT}.queryStringsConfig`);
  reader.check();
  return { name: name ?? "", comment: comment ?? "", minTtl, defaultTtl, maxTtl, gzip, brotli, headers, cookies, queryStrings };
}

/** Create/Get/GetConfig/Update/Delete/ListCachePolicies: AWS's managed cache policies and the account's custom ones. */
export const CACHE_POLICY_OPERATIONS = policyOperations<CachePolicy>({
  shape: "CachePolicy",
  path: "cache-policy",
  policies: (services) => services.policies.cache,
  writeConfig: cachePolicyConfig,
  readConfig: readCachePolicyConfig,
});
