import { MAX_ORIGIN_ACCESS_CONTROL_NAME_LENGTH } from "../../limits.js";
import { getOwn } from "../../nullPrototype.js";
import {
  ORIGIN_ACCESS_CONTROL_ORIGIN_TYPES,
  SIGNING_BEHAVIORS,
  SIGNING_PROTOCOLS,
  type OriginAccessControlConfig,
  type OriginAccessControlView,
} from "../../service/originAccessControls.js";
import { ifMatchHeader } from "../ifMatch.js";
import { xmlReply, type ApiRequest, type Operation } from "../operation.js";
import { parseRequestXml } from "../xml.js";
import { el, xmlDocument, type XmlChild } from "../xmlWriter.js";
import { leaf, parseMaxItems } from "./requestFields.js";
import { markedListPage } from "./shapes.js";
import { validateFields } from "./validate.js";

/**
 * CreateOriginAccessControl, GetOriginAccessControl(Config), UpdateOriginAccessControl,
 * DeleteOriginAccessControl and ListOriginAccessControls (the 2020-05-31 model's shapes). The model lists
 * InvalidArgument (not MalformedXML) for a config that breaks its constraints, so that is the answer.
 */

const PATH = "/2020-05-31/origin-access-control";

/** An `<OriginAccessControlConfig>` body, checked against the model's required members and enums. */
function configOf(request: ApiRequest): OriginAccessControlConfig {
  const root = parseRequestXml(request.body, "OriginAccessControlConfig");
  const name = leaf(root, "Name");
  const description = leaf(root, "Description");
  const signingProtocol = leaf(root, "SigningProtocol");
  const signingBehavior = leaf(root, "SigningBehavior");
  const originType = leaf(root, "OriginAccessControlOriginType");
  validateFields(
    [
      { at: "originAccessControlConfig.name", value: name, constraint: { required: true, minLength: 1, maxLength: MAX_ORIGIN_ACCESS_CONTROL_NAME_LENGTH } },
      { at: "originAccessControlConfig.signingProtocol", value: signingProtocol, constraint: { required: true, enum: SIGNING_PROTOCOLS } },
      { at: "originAccessControlConfig.signingBehavior", value: signingBehavior, constraint: { required: true, enum: SIGNING_BEHAVIORS } },
      { at: "originAccessControlConfig.originAccessControlOriginType", value: originType, constraint: { required: true, enum: ORIGIN_ACCESS_CONTROL_ORIGIN_TYPES } },
    ],
    "InvalidArgument",
  );
  // validateFields has checked each against its enum.
  return {
    name: name!,
    description: description ?? "",
    signingProtocol: signingProtocol as OriginAccessControlConfig["signingProtocol"],
    signingBehavior: signingBehavior as OriginAccessControlConfig["signingBehavior"],
    originType: originType as OriginAccessControlConfig["originType"],
  };
}

function configFields(config: OriginAccessControlConfig): XmlChild[] {
  return [
    el("Name", config.name),
    el("Description", config.description),
    el("SigningProtocol", config.signingProtocol),
    el("SigningBehavior", config.signingBehavior),
    el("OriginAccessControlOriginType", config.originType),
  ];
}

function document(view: OriginAccessControlView): string {
  return xmlDocument("OriginAccessControl", [el("Id", view.id), el("OriginAccessControlConfig", configFields(view.config))]);
}

const idOf = (request: ApiRequest) => getOwn(request.params, "Id") ?? "";

export const ORIGIN_ACCESS_CONTROL_OPERATIONS: readonly Operation[] = [
  {
    name: "CreateOriginAccessControl",
    method: "POST",
    path: PATH,
    async handle(request, { originAccessControls }) {
      const view = await originAccessControls.create(configOf(request));
      return xmlReply(201, document(view), { ETag: view.etag, Location: `https://cloudfront.amazonaws.com${PATH}/${view.id}` });
    },
  },
  {
    name: "GetOriginAccessControl",
    method: "GET",
    path: `${PATH}/{Id}`,
    async handle(request, { originAccessControls }) {
      const view = await originAccessControls.get(idOf(request));
      return xmlReply(200, document(view), { ETag: view.etag });
    },
  },
  {
    name: "GetOriginAccessControlConfig",
    method: "GET",
    path: `${PATH}/{Id}/config`,
    async handle(request, { originAccessControls }) {
      const view = await originAccessControls.get(idOf(request));
      return xmlReply(200, xmlDocument("OriginAccessControlConfig", configFields(view.config)), { ETag: view.etag });
    },
  },
  {
    name: "UpdateOriginAccessControl",
    method: "PUT",
    path: `${PATH}/{Id}/config`,
    async handle(request, { originAccessControls }) {
      const view = await originAccessControls.update(idOf(request), ifMatchHeader(request.headers), configOf(request));
      return xmlReply(200, document(view), { ETag: view.etag });
    },
  },
  {
    name: "DeleteOriginAccessControl",
    method: "DELETE",
    path: `${PATH}/{Id}`,
    async handle(request, { originAccessControls }) {
      await originAccessControls.delete(idOf(request), ifMatchHeader(request.headers));
      return { status: 204 };
    },
  },
  {
    name: "ListOriginAccessControls",
    method: "GET",
    path: PATH,
    async handle(request, { originAccessControls }) {
      const marker = request.query.get("Marker") ?? "";
      const page = await originAccessControls.list({ ...(marker ? { marker } : {}), maxItems: parseMaxItems(request.query.get("MaxItems")) });
      // The summary's members are the Id and the config's (Description always present, as the summary requires).
      const summary = (view: OriginAccessControlView) => el("OriginAccessControlSummary", [el("Id", view.id), ...configFields(view.config)]);
      return xmlReply(200, xmlDocument("OriginAccessControlList", markedListPage(marker, page, summary)));
    },
  },
];
