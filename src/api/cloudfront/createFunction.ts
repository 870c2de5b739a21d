import { CONSTRAINTS, decodeBlob, leaf, parseFunctionConfig, parseTags } from "./requestFields.js";
import { functionSummaryFields } from "./shapes.js";
import { validateFields } from "./validate.js";
import { parseRequestXml } from "../xml.js";
import { xmlDocument } from "../xmlWriter.js";
import { xmlReply, type Operation } from "../operation.js";

/** Location is the public endpoint plus the ARN, as AWS returns it (the SDK's CreateFunctionCommand example and the Developer Guide's create-function example). */
const LOCATION_PREFIX = "https://cloudfront.amazonaws.com/2020-05-31/function/";

export const createFunction: Operation = {
  name: "CreateFunction",
  method: "POST",
  path: "/2020-05-31/function",
  async handle(request, { functions }) {
    const root = parseRequestXml(request.body, "CreateFunctionRequest");
    const name = leaf(root, "Name");
    const codeText = leaf(root, "FunctionCode");
    const code = codeText === undefined ? undefined : decodeBlob(codeText, "FunctionCode");
    const { config, fields } = parseFunctionConfig(root);
    validateFields([
      { at: "name", value: name, constraint: CONSTRAINTS.functionName },
      ...fields,
      { at: "functionCode", value: codeText, length: code?.byteLength, constraint: CONSTRAINTS.functionBlob },
    ]);
    const tags = parseTags(root);
    const summary = await functions.create({ name: name!, config: config!, code: code!, tags });
    return xmlReply(201, xmlDocument("FunctionSummary", functionSummaryFields(summary)), {
      ETag: summary.etag,
      Location: LOCATION_PREFIX + summary.arn,
    });
  },
};
