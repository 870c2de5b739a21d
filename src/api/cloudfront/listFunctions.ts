import type { Stage } from "../../store/types.js";
import { CONSTRAINTS, parseMaxItems } from "./requestFields.js";
import { functionSummaryXml } from "./shapes.js";
import { validateFields } from "./validate.js";
import { textElement, xmlDocument } from "./xml.js";
import { xmlReply, type Operation } from "../operation.js";

export const listFunctions: Operation = {
  name: "ListFunctions",
  method: "GET",
  path: "/2020-05-31/function",
  async handle(request, { functions }) {
    const marker = request.query.get("Marker") || undefined;
    const stage = request.query.get("Stage") ?? undefined;
    validateFields([{ at: "stage", value: stage, constraint: CONSTRAINTS.stage }], "InvalidArgument");
    const page = await functions.list({ marker, maxItems: parseMaxItems(request.query.get("MaxItems")), stage: stage as Stage | undefined });
    let inner = page.nextMarker ? textElement("NextMarker", page.nextMarker) : "";
    inner += `<MaxItems>${page.maxItems}</MaxItems><Quantity>${page.items.length}</Quantity>`;
    if (page.items.length > 0) inner += `<Items>${page.items.map((item) => functionSummaryXml(item)).join("")}</Items>`;
    return xmlReply(200, xmlDocument("FunctionList", inner));
  },
};
