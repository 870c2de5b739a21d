import type { Stage } from "../../store/types.js";
import { ifMatchHeader } from "../ifMatch.js";
import { CONSTRAINTS, decodeBlob, functionNameFromPath, leaf } from "./requestFields.js";
import { functionSummaryXml } from "./shapes.js";
import { validateFields } from "./validate.js";
import { parseRequestXml, textElement, xmlDocument } from "./xml.js";
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
    // FunctionExecutionLogs is a list without a member name in the model, so each entry is <member>.
    const logs = result.logs.map((line) => textElement("member", line)).join("");
    return xmlReply(
      200,
      xmlDocument(
        "TestResult",
        functionSummaryXml(result.summary) +
          textElement("ComputeUtilization", result.computeUtilization) +
          `<FunctionExecutionLogs>${logs}</FunctionExecutionLogs>` +
          textElement("FunctionErrorMessage", result.errorMessage) +
          textElement("FunctionOutput", result.output),
      ),
    );
  },
};
