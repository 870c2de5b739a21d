import { CloudFrontError } from "../../service/errors.js";
import type { Stage } from "../../store/types.js";
import { CONSTRAINTS } from "./requestFields.js";
import { functionSummaryXml } from "./shapes.js";
import { validateFields } from "./validate.js";
import { textElement, xmlDocument } from "./xml.js";
import { xmlReply, type Operation } from "./operation.js";

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

function parseMaxItems(value: string | null): number | undefined {
  if (value === null || value === "") return undefined;
  if (!/^[0-9]+$/.test(value) || Number(value) < 1 || !Number.isSafeInteger(Number(value))) {
    throw new CloudFrontError("InvalidArgument", `MaxItems must be a whole number of at least 1; got "${value}".`);
  }
  return Number(value);
}
