import { CloudFrontError } from "../../service/errors.js";
import type { Stage } from "../../store/types.js";
import { CONSTRAINTS, decodeBlob, functionNameFromPath, ifMatchHeader, leaf } from "./requestFields.js";
import { validateFields } from "./validate.js";
import { parseRequestXml } from "./xml.js";
import type { Operation } from "./operation.js";

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
    await functions.prepareTest(name, ifMatchHeader(request.headers), (stage as Stage | undefined) ?? "DEVELOPMENT");
    // Never a fabricated result: until the runtime lands, say so in CloudFront's own terms.
    throw new CloudFrontError(
      "UnsupportedOperation",
      "TestFunction is not available yet in this edgelite version: the CloudFront Functions runtime has not landed. The function, stage and If-Match were checked and are valid.",
    );
  },
};
