import { CONSTRAINTS, leaf, parseTags, struct } from "./requestFields.js";
import { keyValueStoreFields } from "./shapes.js";
import { validateFields } from "./validate.js";
import { parseRequestXml } from "../xml.js";
import { xmlDocument } from "../xmlWriter.js";
import { xmlReply, type Operation } from "../operation.js";

const LOCATION_PREFIX = "https://cloudfront.amazonaws.com/2020-05-31/key-value-store/";

export const createKeyValueStore: Operation = {
  name: "CreateKeyValueStore",
  method: "POST",
  path: "/2020-05-31/key-value-store",
  async handle(request, { keyValueStores }) {
    const root = parseRequestXml(request.body, "CreateKeyValueStoreRequest");
    const name = leaf(root, "Name");
    const comment = leaf(root, "Comment");
    const source = struct(root, "ImportSource");
    const sourceType = source ? leaf(source, "SourceType") : undefined;
    const sourceArn = source ? leaf(source, "SourceARN") : undefined;
    validateFields([
      { at: "name", value: name, constraint: CONSTRAINTS.keyValueStoreName },
      { at: "comment", value: comment, constraint: CONSTRAINTS.keyValueStoreComment },
      ...(source
        ? [
            { at: "importSource.sourceType", value: sourceType, constraint: CONSTRAINTS.importSourceType },
            { at: "importSource.sourceARN", value: sourceArn, constraint: CONSTRAINTS.importSourceArn },
          ]
        : []),
    ]);
    const store = await keyValueStores.create({
      name: name!,
      comment: comment ?? "",
      ...(source ? { importSource: { sourceType: sourceType!, sourceArn: sourceArn! } } : {}),
      tags: parseTags(root),
    });
    return xmlReply(201, xmlDocument("KeyValueStore", keyValueStoreFields(store)), { ETag: store.etag, Location: LOCATION_PREFIX + store.arn });
  },
};
