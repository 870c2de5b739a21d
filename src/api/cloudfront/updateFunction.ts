import { ifMatchHeader } from "../ifMatch.js";
import { CONSTRAINTS, decodeBlob, functionNameFromPath, leaf, parseFunctionConfig } from "./requestFields.js";
import { functionSummaryFields } from "./shapes.js";
import { validateFields } from "./validate.js";
import { parseRequestXml } from "../xml.js";
import { xmlDocument } from "../xmlWriter.js";
import { xmlReply, type Operation } from "../operation.js";

export const updateFunction: Operation = {
  name: "UpdateFunction",
  method: "PUT",
  path: "/2020-05-31/function/{Name}",
  async handle(request, { functions }) {
    const name = functionNameFromPath(request.params);
    const root = parseRequestXml(request.body, "UpdateFunctionRequest");
    const codeText = leaf(root, "FunctionCode");
    const code = codeText === undefined ? undefined : decodeBlob(codeText, "FunctionCode");
    const { config, fields } = parseFunctionConfig(root);
    validateFields([...fields, { at: "functionCode", value: codeText, length: code?.byteLength, constraint: CONSTRAINTS.functionBlob }]);
    const summary = await functions.update(name, ifMatchHeader(request.headers), config!, code!);
    // The model names this header `ETtag` (a typo the SDKs read); `ETag` is sent too for everyone else.
    return xmlReply(200, xmlDocument("FunctionSummary", functionSummaryFields(summary)), { ETtag: summary.etag, ETag: summary.etag });
  },
};
