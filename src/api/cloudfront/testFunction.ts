import type { Stage } from "../../service/functions.js";
import { ifMatchHeader } from "../ifMatch.js";
import { CONSTRAINTS, decodeBlob, functionNameFromPath, leaf } from "./requestFields.js";
import { functionSummary } from "./shapes.js";
import { validateFields } from "./validate.js";
import { parseRequestXml } from "../xml.js";
import { el, xmlDocument } from "../xmlWriter.js";
import { xmlReply, type Operation } from "../operation.js";

export const testFunction: Operation = {
  name: "TestFunction",
  method: "POST",
  path: "/2020-05-31/function/{Name}/test",
  async handle(request, { functions }) {
    const name = functionNameFromPath(request.params);
    const root = parseRequestXml(request.body, "TestFunctionRequest");
    const stage = leaf(root, "Stage");
    const eventText = leaf(root, "EventObject");
    const event = eventText === undefined ? undefined : decodeBlob(eventText, "EventObject");
    validateFields([
      { at: "stage", value: stage, constraint: CONSTRAINTS.stage },
      { at: "eventObject", value: eventText, length: event?.byteLength, constraint: CONSTRAINTS.eventObject },
    ]);
    const result = await functions.test(name, ifMatchHeader(request.headers), (stage as Stage | undefined) ?? "DEVELOPMENT", event!);
    return xmlReply(
      200,
      xmlDocument("TestResult", [
        functionSummary(result.summary),
        el("ComputeUtilization", result.computeUtilization),
        // FunctionExecutionLogs is a list without a member name in the model, so each entry is <member>.
        el("FunctionExecutionLogs", result.logs.map((line) => el("member", line))),
        el("FunctionErrorMessage", result.errorMessage),
        el("FunctionOutput", result.output),
      ]),
    );
  },
};
