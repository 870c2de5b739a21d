import { keyValueStoreNameFromPath } from "./requestFields.js";
import { keyValueStoreFields } from "./shapes.js";
import { xmlDocument } from "../xmlWriter.js";
import { xmlReply, type Operation } from "../operation.js";

export const describeKeyValueStore: Operation = {
  name: "DescribeKeyValueStore",
  method: "GET",
  path: "/2020-05-31/key-value-store/{Name}",
  async handle(request, { keyValueStores }) {
    const store = await keyValueStores.describe(keyValueStoreNameFromPath(request.params));
    return xmlReply(200, xmlDocument("KeyValueStore", keyValueStoreFields(store)), { ETag: store.etag });
  },
};
