import { getOwn } from "../../nullPrototype.js";
import { CloudFrontError } from "../../service/errors.js";
import type { InvalidationBatch, InvalidationView } from "../../service/invalidations.js";
import { xmlReply, type ApiRequest, type Operation } from "../operation.js";
import { parseRequestXml, type XmlNode } from "../xml.js";
import { el, xmlDocument, type XmlChild } from "../xmlWriter.js";
import { CONSTRAINTS, leaf, parseMaxItems, struct } from "./requestFields.js";
import { markedListPage } from "./shapes.js";
import { validateFields } from "./validate.js";

/** CreateInvalidation, GetInvalidation and ListInvalidations (the 2020-05-31 model's shapes). */

const PATH = "/2020-05-31/distribution/{DistributionId}/invalidation";

const distributionIdOf = (request: ApiRequest) => getOwn(request.params, "DistributionId") ?? "";

function malformed(detail: string): CloudFrontError {
  return new CloudFrontError("MalformedXML", `The XML document you provided did not validate against our published schema: ${detail}`);
}

/** `<Items><Path>…</Path>…</Items>`: a list of text members. */
function pathItems(paths: Record<string, XmlNode | XmlNode[]>): string[] {
  const items = struct(paths, "Items");
  if (!items) return [];
  const unexpected = Object.keys(items).find((key) => key !== "Path");
  if (unexpected !== undefined) throw malformed(`<Items> may only contain <Path> elements, found <${unexpected.slice(0, 64)}>.`);
  const members = getOwn(items, "Path");
  if (members === undefined) return [];
  return (Array.isArray(members) ? members : [members]).map((member) => {
    if (typeof member !== "string") throw malformed("<Path> must contain text, not elements.");
    return member;
  });
}

/** An `<InvalidationBatch>` body: CallerReference and Paths, their Quantity matching their Items. */
function batchOf(request: ApiRequest): InvalidationBatch {
  if (request.body.length === 0) throw new CloudFrontError("MissingBody", "This operation requires a body: an <InvalidationBatch> with a CallerReference and Paths.");
  const root = parseRequestXml(request.body, "InvalidationBatch");
  const callerReference = leaf(root, "CallerReference");
  const paths = struct(root, "Paths");
  const quantity = paths && leaf(paths, "Quantity");
  validateFields([
    { at: "invalidationBatch.callerReference", value: callerReference, constraint: { required: true } },
    { at: "invalidationBatch.paths", value: paths && "", constraint: { required: true } },
    ...(paths ? [{ at: "invalidationBatch.paths.quantity", value: quantity, constraint: CONSTRAINTS.quantity }] : []),
  ]);
  const items = pathItems(paths!);
  if (Number(quantity) !== items.length) {
    throw new CloudFrontError("InconsistentQuantities", `The specified quantity of Paths (${quantity}) does not match the actual quantity supplied (${items.length}).`);
  }
  return { callerReference: callerReference!, paths: items };
}

function invalidationFields(view: InvalidationView): XmlChild[] {
  const { paths, callerReference } = view.batch;
  return [
    el("Id", view.id),
    el("Status", view.status),
    el("CreateTime", view.createTime),
    el("InvalidationBatch", [
      el("Paths", [el("Quantity", paths.length), paths.length > 0 && el("Items", paths.map((path) => el("Path", path)))]),
      el("CallerReference", callerReference),
    ]),
  ];
}

export const INVALIDATION_OPERATIONS: readonly Operation[] = [
  {
    name: "CreateInvalidation",
    method: "POST",
    path: PATH,
    async handle(request, { invalidations }) {
      const distributionId = distributionIdOf(request);
      const { invalidation } = await invalidations.create(distributionId, batchOf(request));
      return xmlReply(201, xmlDocument("Invalidation", invalidationFields(invalidation)), {
        Location: `https://cloudfront.amazonaws.com/2020-05-31/distribution/${distributionId}/invalidation/${invalidation.id}`,
      });
    },
  },
  {
    name: "GetInvalidation",
    method: "GET",
    path: `${PATH}/{Id}`,
    async handle(request, { invalidations }) {
      const view = await invalidations.get(distributionIdOf(request), getOwn(request.params, "Id") ?? "");
      return xmlReply(200, xmlDocument("Invalidation", invalidationFields(view)));
    },
  },
  {
    name: "ListInvalidations",
    method: "GET",
    path: PATH,
    async handle(request, { invalidations }) {
      const marker = request.query.get("Marker") ?? "";
      const page = await invalidations.list(distributionIdOf(request), { ...(marker ? { marker } : {}), maxItems: parseMaxItems(request.query.get("MaxItems")) });
      const summary = (view: InvalidationView) => el("InvalidationSummary", [el("Id", view.id), el("CreateTime", view.createTime), el("Status", view.status)]);
      return xmlReply(200, xmlDocument("InvalidationList", markedListPage(marker, page, summary)));
    },
  },
];
