import type { Stage } from "../../service/functions.js";
import { CONSTRAINTS, parseMaxItems } from "./requestFields.js";
import { functionSummary, listPage } from "./shapes.js";
import { validateFields } from "./validate.js";
import { xmlDocument } from "../xmlWriter.js";
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
    return xmlReply(200, xmlDocument("FunctionList", listPage(page, functionSummary)));
  },
};
