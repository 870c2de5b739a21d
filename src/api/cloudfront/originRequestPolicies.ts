import { managedOriginRequestPolicy, MANAGED_ORIGIN_REQUEST_POLICIES, type ManagedOriginRequestPolicy } from "../../service/managedPolicies.js";
import { el } from "../xmlWriter.js";
import { managedPolicyOperations, valuesConfig } from "./managedPolicyOperations.js";

/** GetOriginRequestPolicy, GetOriginRequestPolicyConfig, ListOriginRequestPolicies: AWS's managed origin request policies. */
export const ORIGIN_REQUEST_POLICY_OPERATIONS = managedPolicyOperations<ManagedOriginRequestPolicy>({
  shape: "OriginRequestPolicy",
  path: "origin-request-policy",
  policies: MANAGED_ORIGIN_REQUEST_POLICIES,
  lookup: managedOriginRequestPolicy,
  config: (policy) => [el("Comment", policy.comment), el("Name", policy.name), ...valuesConfig(policy)],
});
