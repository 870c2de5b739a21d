import { managedOriginRequestPolicy, MANAGED_ORIGIN_REQUEST_POLICIES, type ManagedOriginRequestPolicy } from "../../service/managedPolicies.js";
import { managedPolicyOperations, valuesConfigXml } from "./managedPolicyOperations.js";
import { textElement } from "./xml.js";

/** GetOriginRequestPolicy, GetOriginRequestPolicyConfig, ListOriginRequestPolicies: AWS's managed origin request policies. */
export const ORIGIN_REQUEST_POLICY_OPERATIONS = managedPolicyOperations<ManagedOriginRequestPolicy>({
  shape: "OriginRequestPolicy",
  path: "origin-request-policy",
  policies: MANAGED_ORIGIN_REQUEST_POLICIES,
  lookup: managedOriginRequestPolicy,
  configXml: (policy) =>
    textElement("Comment", policy.comment) +
    textElement("Name", policy.name) +
    valuesConfigXml(policy),
});
