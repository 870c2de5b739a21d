import { DEFAULT_LIST_MAX_ITEMS } from "../../limits.js";
import { CloudFrontError } from "../../service/errors.js";
import { etagForVersion } from "../../service/etag.js";
import { MANAGED_POLICY_TIME, type NamedValues } from "../../service/managedPolicies.js";
import { xmlReply, type Operation } from "../operation.js";
import { parseMaxItems } from "./requestFields.js";
import { listPage } from "./shapes.js";
import { el, xmlDocument, type XmlChild } from "../xmlWriter.js";
import { validationMessage } from "../../service/validation.js";

/** `<Headers><Quantity>n</Quantity><Items><Name>…</Name></Items></Headers>` (omitted when there are no names). */
function names(wrapper: string, values: NamedValues<string>): XmlChild {
  if (values.names.length === 0) return undefined;
  return el(wrapper, [el("Quantity", values.names.length), el("Items", values.names.map((n) => el("Name", n)))]);
}

/** HeadersConfig, CookiesConfig and QueryStringsConfig, as both kinds of policy write them. */
export function valuesConfig(policy: { headers: NamedValues<string>; cookies: NamedValues<string>; queryStrings: NamedValues<string> }): XmlChild[] {
  return [
    el("HeadersConfig", [el("HeaderBehavior", policy.headers.behavior), names("Headers", policy.headers)]),
    el("CookiesConfig", [el("CookieBehavior", policy.cookies.behavior), names("Cookies", policy.cookies)]),
    el("QueryStringsConfig", [el("QueryStringBehavior", policy.queryStrings.behavior), names("QueryStrings", policy.queryStrings)]),
  ];
}

export interface ManagedPolicyKind<P extends { id: string }> {
  /** The shape name: CachePolicy or OriginRequestPolicy. */
  shape: "CachePolicy" | "OriginRequestPolicy";
  /** The URI segment: cache-policy or origin-request-policy. */
  path: string;
  policies: readonly P[];
  /** The policy with this Id, or the kind's NoSuch… error. */
  lookup(id: string): P;
  config(policy: P): XmlChild[];
}

const MANAGED_ETAG = etagForVersion(1);

/**
 * Get…, Get…Config and List… for one kind of AWS managed policy (read-only: edgelite has no custom
 * policies, so creating one answers NotImplemented). List's `Type` filters (managed, custom), its
 * `Marker` is the Id the previous page stopped before.
 */
export function managedPolicyOperations<P extends { id: string }>(kind: ManagedPolicyKind<P>): Operation[] {
  const { shape } = kind;
  const policyFields = (policy: P): XmlChild[] => [el("Id", policy.id), el("LastModifiedTime", MANAGED_POLICY_TIME), el(`${shape}Config`, kind.config(policy))];
  return [
    {
      name: `Get${shape}`,
      method: "GET",
      path: `/2020-05-31/${kind.path}/{Id}`,
      async handle(request) {
        return xmlReply(200, xmlDocument(shape, policyFields(kind.lookup(request.params.Id ?? ""))), { ETag: MANAGED_ETAG });
      },
    },
    {
      name: `Get${shape}Config`,
      method: "GET",
      path: `/2020-05-31/${kind.path}/{Id}/config`,
      async handle(request) {
        return xmlReply(200, xmlDocument(`${shape}Config`, kind.config(kind.lookup(request.params.Id ?? ""))), { ETag: MANAGED_ETAG });
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
        const summary = (p: P) => el(`${shape}Summary`, [el("Type", "managed"), el(shape, policyFields(p))]);
        return xmlReply(200, xmlDocument(`${shape}List`, listPage({ items: page, maxItems, nextMarker: next?.id }, summary)));
      },
    },
  ];
}
