import { parseMaxItems } from "./requestFields.js";
import { keyValueStoreFields } from "./shapes.js";
import { textElement, xmlDocument } from "./xml.js";
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
    let inner = page.nextMarker ? textElement("NextMarker", page.nextMarker) : "";
    inner += `<MaxItems>${page.maxItems}</MaxItems><Quantity>${page.items.length}</Quantity>`;
    if (page.items.length > 0) inner += `<Items>${page.items.map((store) => `<KeyValueStore>${keyValueStoreFields(store)}</KeyValueStore>`).join("")}</Items>`;
    return xmlReply(200, xmlDocument("KeyValueStoreList", inner));
  },
};
