import type { OriginRequestPolicy } from "../../service/managedPolicies.js";
import type { PolicyConfig } from "../../service/policies.js";
import { el, type XmlChild } from "../xmlWriter.js";
import { policyOperations } from "./policyOperations.js";
import { ConfigReader, COOKIES, HEADERS, namedValues, QUERY_STRINGS, valuesConfig, type XmlObject } from "./policyXml.js";

const AT = "originRequestPolicyConfig";

export function originRequestPolicyConfig(policy: OriginRequestPolicy): XmlChild[] {
  return [el("Comment", policy.comment), el("Name", policy.name), ...valuesConfig(policy)];
}

/** An OriginRequestPolicyConfig as sent. */
export function readOriginRequestPolicyConfig(root: XmlObject): PolicyConfig<OriginRequestPolicy> {
  const reader = new ConfigReader();
  const name = reader.text(root, "Name", `${AT}.name`, { required: true });
  const comment = reader.text(root, "Comment", `${AT}.comment`, {});
  const headers = namedValues(reader, root, HEADERS, ["none", "whitelist", "allViewer", "allViewerAndWhitelistCloudFront", "allExcept"] as const, `${AT}.headersConfig`);
  const cookies = namedValues(reader, root, COOKIES, ["none", "whitelist", "all", "allExcept"] as const, `${AT}.cookiesConfig`);
  const queryStrings = namedValues(reader, root, QUERY_STRINGS, ["none", "whitelist", "all", "allExcept"] as const, `${AT}.queryStringsConfig`);
  reader.check();
  return { name: name ?? "", comment: comment ?? "", headers, cookies, queryStrings };
}

/** Create/Get/GetConfig/Update/Delete/ListOriginRequestPolicies: AWS's managed origin request policies and the account's custom ones. */
export const ORIGIN_REQUEST_POLICY_OPERATIONS = policyOperations<OriginRequestPolicy>({
  shape: "OriginRequestPolicy",
  path: "origin-request-policy",
  policies: (services) => services.policies.originRequest,
  writeConfig: originRequestPolicyConfig,
  readConfig: readOriginRequestPolicyConfig,
});
