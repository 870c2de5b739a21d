import { ifMatchHeader } from "../ifMatch.js";
import { functionNameFromPath } from "./requestFields.js";
import { functionSummaryFields } from "./shapes.js";
import { xmlDocument } from "../xmlWriter.js";
import { xmlReply, type Operation } from "../operation.js";

/** No ETag header in the reply: the model defines none and real output has none. */
export const publishFunction: Operation = {
  name: "PublishFunction",
  method: "POST",
  path: "/2020-05-31/function/{Name}/publish",
  async handle(request, { functions }) {
    const name = functionNameFromPath(request.params);
    const summary = await functions.publish(name, ifMatchHeader(request.headers));
    return xmlReply(200, xmlDocument("FunctionSummary", functionSummaryFields(summary)));
  },
};
