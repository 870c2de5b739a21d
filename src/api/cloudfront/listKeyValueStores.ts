import { parseMaxItems } from "./requestFields.js";
import { keyValueStoreFields, listPage } from "./shapes.js";
import { el, xmlDocument } from "../xmlWriter.js";
import { xmlReply, type Operation } from "../operation.js";

export const listKeyValueStores: Operation = {
  name: "ListKeyValueStores",
  method: "GET",
  path: "/2020-05-31/key-value-store",
  async handle(request, { keyValueStores }) {
    const page = await keyValueStores.list({
      marker: request.query.get("Marker") || undefined,
      maxItems: parseMaxItems(request.query.get("MaxItems")),
      status: request.query.get("Status") || undefined,
    });
    return xmlReply(200, xmlDocument("KeyValueStoreList", listPage(page, (store) => el("KeyValueStore", keyValueStoreFields(store)))));
  },
};
