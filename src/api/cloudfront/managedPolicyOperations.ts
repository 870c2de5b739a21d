import { DEFAULT_LIST_MAX_ITEMS } from "../../limits.js";
import { CloudFrontError } from "../../service/errors.js";
import { etagForVersion } from "../../service/etag.js";
import { MANAGED_POLICY_TIME, type NamedValues } from "../../service/managedPolicies.js";
import { xmlReply, type Operation } from "../operation.js";
import { parseMaxItems } from "./requestFields.js";
import { textElement, xmlDocument } from "./xml.js";
import { validationMessage } from "../../service/validation.js";

/** `<Headers><Quantity>n</Quantity><Items><Name>…</Name></Items></Headers>` (omitted when there are no names). */
function namesXml(wrapper: string, values: NamedValues<string>): string {
  if (values.names.length === 0) return "";
  return `<${wrapper}><Quantity>${values.names.length}</Quantity><Items>${values.names.map((n) => textElement("Name", n)).join("")}</Items></${wrapper}>`;
}

/** HeadersConfig, CookiesConfig and QueryStringsConfig, as both kinds of policy write them. */
export function valuesConfigXml(policy: { headers: NamedValues<string>; cookies: NamedValues<string>; queryStrings: NamedValues<string> }): string {
  return (
    `<HeadersConfig><HeaderBehavior>${policy.headers.behavior}</HeaderBehavior>${namesXml("Headers", policy.headers)}</HeadersConfig>` +
    `<CookiesConfig><CookieBehavior>${policy.cookies.behavior}</CookieBehavior>${namesXml("Cookies", policy.cookies)}</CookiesConfig>` +
    `<QueryStringsConfig><QueryStringBehavior>${policy.queryStrings.behavior}</QueryStringBehavior>${namesXml("QueryStrings", policy.queryStrings)}</QueryStringsConfig>`
  );
}

export interface ManagedPolicyKind<P extends { id: string }> {
  /** The shape name: CachePolicy or OriginRequestPolicy. */
  shape: "CachePolicy" | "OriginRequestPolicy";
  /** The URI segment: cache-policy or origin-request-policy. */
  path: string;
  policies: readonly P[];
  /** The policy with this Id, or the kind's NoSuch… error. */
  lookup(id: string): P;
  configXml(policy: P): string;
}

const MANAGED_ETAG = etagForVersion(1);

/**
 * Get…, Get…Config and List… for one kind of AWS managed policy (read-only: edgelite has no custom
 * policies, so creating one answers NotImplemented). List's `Type` filters (managed, custom), its
 * `Marker` is the Id the previous page stopped before.
 */
export function managedPolicyOperations<P extends { id: string }>(kind: ManagedPolicyKind<P>): Operation[] {
  const { shape } = kind;
  const policyXml = (policy: P) =>
    `${textElement("Id", policy.id)}<LastModifiedTime>${MANAGED_POLICY_TIME.toISOString()}</LastModifiedTime><${shape}Config>${kind.configXml(policy)}</${shape}Config>`;
  return [
    {
      name: `Get${shape}`,
      method: "GET",
      path: `/2020-05-31/${kind.path}/{Id}`,
      async handle(request) {
        return xmlReply(200, xmlDocument(shape, policyXml(kind.lookup(request.params.Id ?? ""))), { ETag: MANAGED_ETAG });
      },
    },
    {
      name: `Get${shape}Config`,
      method: "GET",
      path: `/2020-05-31/${kind.path}/{Id}/config`,
      async handle(request) {
        return xmlReply(200, xmlDocument(`${shape}Config`, kind.configXml(kind.lookup(request.params.Id ?? ""))), { ETag: MANAGED_ETAG });
      },
    },
    {
      name: `List${shape.replace(/Policy$/, "Policies")}`,
      method: "GET",
      path: `/2020-05-31/${kind.path}`,
      async handle(request) {
        const type = request.query.get("Type");
        if (type !== null && type !== "managed" && type !== "custom") {
          throw new CloudFrontError("InvalidArgument", validationMessage([{ at: "type", value: type, constraint: { kind: "enum", values: ["managed", "custom"] } }]));
        }
        const maxItems = parseMaxItems(request.query.get("MaxItems")) ?? DEFAULT_LIST_MAX_ITEMS;
        const all = type === "custom" ? [] : kind.policies;
        const marker = request.query.get("Marker") ?? "";
        const start = marker ? Math.max(0, all.findIndex((p) => p.id === marker)) : 0;
        const page = all.slice(start, start + maxItems);
        const next = all[start + maxItems];
        const inner =
          (next ? textElement("NextMarker", next.id) : "") +
          `<MaxItems>${maxItems}</MaxItems><Quantity>${page.length}</Quantity>` +
          (page.length > 0 ? `<Items>${page.map((p) => `<${shape}Summary><Type>managed</Type><${shape}>${policyXml(p)}</${shape}></${shape}Summary>`).join("")}</Items>` : "");
        return xmlReply(200, xmlDocument(`${shape}List`, inner));
      },
    },
  ];
}
