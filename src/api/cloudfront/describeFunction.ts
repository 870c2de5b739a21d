import { functionNameFromPath, stageFromQuery } from "./requestFields.js";
import { functionSummaryFields } from "./shapes.js";
import { xmlDocument } from "../xmlWriter.js";
import { xmlReply, type Operation } from "../operation.js";

export const describeFunction: Operation = {
  name: "DescribeFunction",
  method: "GET",
  path: "/2020-05-31/function/{Name}/describe",
  async handle(request, { functions }) {
    const name = functionNameFromPath(request.params);
    const summary = await functions.describe(name, stageFromQuery(request.query));
    return xmlReply(200, xmlDocument("FunctionSummary", functionSummaryFields(summary)), { ETag: summary.etag });
  },
};
