import { ifMatchHeader } from "../ifMatch.js";
import { functionNameFromPath } from "./requestFields.js";
import type { Operation } from "../operation.js";

export const deleteFunction: Operation = {
  name: "DeleteFunction",
  method: "DELETE",
  path: "/2020-05-31/function/{Name}",
  async handle(request, { functions }) {
    await functions.delete(functionNameFromPath(request.params), ifMatchHeader(request.headers));
    return { status: 204 };
  },
};
