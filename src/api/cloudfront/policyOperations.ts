import { getOwn } from "../../nullPrototype.js";
import { CloudFrontError } from "../../service/errors.js";
import type { Policies, PolicyBase, PolicyConfig, PolicyView } from "../../service/policies.js";
import { validationMessage } from "../../service/validation.js";
import { ifMatchHeader } from "../ifMatch.js";
import { xmlReply, type ApiServices, type Operation } from "../operation.js";
import { parseRequestXml } from "../xml.js";
import { el, xmlDocument, type XmlChild } from "../xmlWriter.js";
import type { XmlObject } from "./policyXml.js";
import { parseMaxItems } from "./requestFields.js";
import { listPage } from "./shapes.js";

/** What the API needs of one kind of policy: its shape name, URI segment, service and XML config. */
export interface PolicyApiKind<P extends PolicyBase> {
  /** The shape name: CachePolicy, OriginRequestPolicy or ResponseHeadersPolicy. */
  shape: "CachePolicy" | "OriginRequestPolicy" | "ResponseHeadersPolicy";
  /** The URI segment: cache-policy, origin-request-policy, response-headers-policy. */
  path: string;
  policies(services: ApiServices): Policies<P>;
  /** The members of `<…PolicyConfig>`. */
  writeConfig(policy: P): XmlChild[];
  /** The `<…PolicyConfig>` root of a Create/Update body (schema violations are MalformedXML, counts InconsistentQuantities). */
  readConfig(root: XmlObject): PolicyConfig<P>;
}

const LIST_TYPES = ["managed", "custom"] as const;

/**
 * Create…, Get…, Get…Config, Update…, Delete… and List… for one kind of policy, managed and custom
 * (2020-05-31 model: Create answers 201 with Location and ETag, Update and Delete need If-Match, Delete
 * answers 204). List's `Type` filters (managed, custom), its `Marker` is the Id the page starts at.
 */
export function policyOperations<P extends PolicyBase>(kind: PolicyApiKind<P>): Operation[] {
  const { shape } = kind;
  const configShape = `${shape}Config`;
  const base = `/2020-05-31/${kind.path}`;
  const policyFields = (view: PolicyView<P>): XmlChild[] => [el("Id", view.policy.id), el("LastModifiedTime", view.lastModifiedTime), el(configShape, kind.writeConfig(view.policy))];
  const policyReply = (status: number, view: PolicyView<P>, headers: Record<string, string> = {}) => xmlReply(status, xmlDocument(shape, policyFields(view)), { ETag: view.etag, ...headers });
  const idOf = (params: Record<string, string>) => getOwn(params, "Id") ?? "";
  const configOf = (body: Buffer) => kind.readConfig(parseRequestXml(body, configShape));
  return [
    {
      name: `Create${shape}`,
      method: "POST",
      path: base,
      async handle(request, services) {
        const view = await kind.policies(services).create(configOf(request.body));
        return policyReply(201, view, { Location: `https://cloudfront.amazonaws.com${base}/${view.policy.id}` });
      },
    },
    {
      name: `Get${shape}`,
      method: "GET",
      path: `${base}/{Id}`,
      async handle(request, services) {
        return policyReply(200, await kind.policies(services).get(idOf(request.params)));
      },
    },
    {
      name: `Get${configShape}`,
      method: "GET",
      path: `${base}/{Id}/config`,
      async handle(request, services) {
        const view = await kind.policies(services).get(idOf(request.params));
        return xmlReply(200, xmlDocument(configShape, kind.writeConfig(view.policy)), { ETag: view.etag });
      },
    },
    {
      name: `Update${shape}`,
      method: "PUT",
      path: `${base}/{Id}`,
      async handle(request, services) {
        return policyReply(200, await kind.policies(services).update(idOf(request.params), ifMatchHeader(request.headers), () => configOf(request.body)));
      },
    },
    {
      name: `Delete${shape}`,
      method: "DELETE",
      path: `${base}/{Id}`,
      async handle(request, services) {
        await kind.policies(services).delete(idOf(request.params), ifMatchHeader(request.headers));
        return { status: 204 };
      },
    },
    {
      name: `List${shape.replace(/Policy$/, "Policies")}`,
      method: "GET",
      path: base,
      async handle(request, services) {
        const type = request.query.get("Type") ?? undefined;
        if (type !== undefined && type !== "managed" && type !== "custom") {
          throw new CloudFrontError("InvalidArgument", validationMessage([{ at: "type", value: type, constraint: { kind: "enum", values: LIST_TYPES } }]));
        }
        const maxItems = parseMaxItems(request.query.get("MaxItems"));
        const marker = request.query.get("Marker") || undefined;
        const page = await kind.policies(services).list({ ...(type ? { type } : {}), ...(marker ? { marker } : {}), ...(maxItems ? { maxItems } : {}) });
        const summary = (view: PolicyView<P>) => el(`${shape}Summary`, [el("Type", view.type), el(shape, policyFields(view))]);
        return xmlReply(200, xmlDocument(`${shape}List`, listPage(page, summary)));
      },
    },
  ];
}
