import { functionNameFromPath, stageFromQuery } from "./requestFields.js";
import type { Operation } from "../operation.js";

/** The one operation whose body is not XML: FunctionCode is the payload, sent as the raw code bytes. */
export const getFunction: Operation = {
  name: "GetFunction",
  method: "GET",
  path: "/2020-05-31/function/{Name}",
  async handle(request, { functions }) {
    const name = functionNameFromPath(request.params);
    const { code, etag } = await functions.getCode(name, stageFromQuery(request.query));
    return { status: 200, body: code, contentType: "application/octet-stream", headers: { ETag: etag } };
  },
};
