import { ifMatchHeader } from "../ifMatch.js";
import { CONSTRAINTS, keyValueStoreNameFromPath, leaf } from "./requestFields.js";
import { keyValueStoreFields } from "./shapes.js";
import { validateFields } from "./validate.js";
import { parseRequestXml } from "../xml.js";
import { xmlDocument } from "../xmlWriter.js";
import { xmlReply, type Operation } from "../operation.js";

export const updateKeyValueStore: Operation = {
  name: "UpdateKeyValueStore",
  method: "PUT",
  path: "/2020-05-31/key-value-store/{Name}",
  async handle(request, { keyValueStores }) {
    const name = keyValueStoreNameFromPath(request.params);
    const root = parseRequestXml(request.body, "UpdateKeyValueStoreRequest");
    const comment = leaf(root, "Comment");
    validateFields([{ at: "comment", value: comment, constraint: { ...CONSTRAINTS.keyValueStoreComment, required: true } }]);
    const store = await keyValueStores.update(name, ifMatchHeader(request.headers), comment!);
    return xmlReply(200, xmlDocument("KeyValueStore", keyValueStoreFields(store)), { ETag: store.etag });
  },
};
