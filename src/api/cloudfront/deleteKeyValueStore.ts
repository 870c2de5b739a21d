import { ifMatchHeader } from "../ifMatch.js";
import { keyValueStoreNameFromPath } from "./requestFields.js";
import type { Operation } from "../operation.js";

export const deleteKeyValueStore: Operation = {
  name: "DeleteKeyValueStore",
  method: "DELETE",
  path: "/2020-05-31/key-value-store/{Name}",
  async handle(request, { keyValueStores }) {
    await keyValueStores.delete(keyValueStoreNameFromPath(request.params), ifMatchHeader(request.headers));
    return { status: 204 };
  },
};
