import { KVS_LIST_KEYS_MAX } from "../../limits.js";
import { getOwn } from "../../nullPrototype.js";
import { KvsError } from "../../service/kvsErrors.js";
import { jsonReply, type Operation } from "../operation.js";
import { ifMatchHeader } from "../ifMatch.js";
import { epochSeconds, jsonBody, requiredString } from "./common.js";

/**
 * The cloudfront-keyvaluestore data plane (2022-07-26, REST-JSON) on the same port. The ARN arrives
 * percent-encoded as one path label (`arn%3Aaws%3A…%2F<id>`); the router splits the path first and
 * decodes each label after, so keys may contain `/`.
 */
/** Every data-plane path starts so; nothing else does. */
export const DATA_PLANE_PATH_PREFIX = "/key-value-stores/";
/** The SDK puts the account id in front of the data plane's endpoint host: `123456789012.<endpoint host>`. */
export const DATA_PLANE_ACCOUNT_LABEL = /^[0-9]{12}\./;

/** The data plane is addressed by the account-prefixed host or its path; the CloudFront API has neither. */
export function isDataPlaneRequest(host: string | undefined, path: string): boolean {
  return DATA_PLANE_ACCOUNT_LABEL.test(host ?? "") || path === DATA_PLANE_PATH_PREFIX.slice(0, -1) || path.startsWith(DATA_PLANE_PATH_PREFIX);
}
const STORE = `${DATA_PLANE_PATH_PREFIX}{KvsARN}`;

export const describeKeyValueStoreData: Operation = {
  name: "DescribeKeyValueStore (data plane)",
  method: "GET",
  path: STORE,
  protocol: "rest-json",
  async handle(request, { keyValueStores }) {
    const data = await keyValueStores.describeData(request.params.KvsARN!);
    return jsonReply(
      200,
      { ItemCount: data.itemCount, TotalSizeInBytes: data.totalSizeInBytes, KvsARN: data.kvsArn, Created: epochSeconds(data.created), LastModified: epochSeconds(data.lastModified), Status: data.status },
      { ETag: data.etag },
    );
  },
};

export const getKey: Operation = {
  name: "GetKey",
  method: "GET",
  path: `${STORE}/keys/{Key}`,
  protocol: "rest-json",
  async handle(request, { keyValueStores }) {
    const found = await keyValueStores.getKey(request.params.KvsARN!, request.params.Key!);
    return jsonReply(200, { Key: found.key, Value: found.value, ItemCount: found.itemCount, TotalSizeInBytes: found.totalSizeInBytes });
  },
};

export const listKeys: Operation = {
  name: "ListKeys",
  method: "GET",
  path: `${STORE}/keys`,
  protocol: "rest-json",
  async handle(request, { keyValueStores }) {
    const max = request.query.get("MaxResults");
    if (max !== null && !/^[0-9]+$/.test(max)) throw new KvsError("ValidationException", `MaxResults must be a whole number from 1 to ${KVS_LIST_KEYS_MAX}; got "${max}".`);
    const page = await keyValueStores.listKeys(request.params.KvsARN!, {
      nextToken: request.query.get("NextToken") || undefined,
      maxResults: max === null ? undefined : Number(max),
    });
    const items = page.items.map(([Key, Value]) => ({ Key, Value }));
    return jsonReply(200, page.nextToken ? { NextToken: page.nextToken, Items: items } : { Items: items });
  },
};

export const putKey: Operation = {
  name: "PutKey",
  method: "PUT",
  path: `${STORE}/keys/{Key}`,
  protocol: "rest-json",
  async handle(request, { keyValueStores }) {
    const value = requiredString(getOwn(jsonBody(request), "Value"), "value");
    const result = await keyValueStores.putKey(request.params.KvsARN!, request.params.Key!, value, ifMatchHeader(request.headers));
    return jsonReply(200, { ItemCount: result.itemCount, TotalSizeInBytes: result.totalSizeInBytes }, { ETag: result.etag });
  },
};

export const deleteKey: Operation = {
  name: "DeleteKey",
  method: "DELETE",
  path: `${STORE}/keys/{Key}`,
  protocol: "rest-json",
  async handle(request, { keyValueStores }) {
    const result = await keyValueStores.deleteKey(request.params.KvsARN!, request.params.Key!, ifMatchHeader(request.headers));
    // 200 with a JSON body (not 204): the SDKs expect the counts.
    return jsonReply(200, { ItemCount: result.itemCount, TotalSizeInBytes: result.totalSizeInBytes }, { ETag: result.etag });
  },
};

export const updateKeys: Operation = {
  name: "UpdateKeys",
  method: "POST",
  path: `${STORE}/keys`,
  protocol: "rest-json",
  async handle(request, { keyValueStores }) {
    const body = jsonBody(request);
    const list = (value: unknown, at: string): Array<Record<string, unknown>> => {
      if (value === undefined || value === null) return [];
      if (!Array.isArray(value)) throw new KvsError("ValidationException", `'${at}' must be a list.`);
      return value.map((item) => (typeof item === "object" && item !== null ? (item as Record<string, unknown>) : {}));
    };
    const puts = list(getOwn(body, "Puts"), "puts").map((item, i) => [requiredString(getOwn(item, "Key"), `puts.${i + 1}.member.key`), requiredString(getOwn(item, "Value"), `puts.${i + 1}.member.value`)] as [string, string]);
    const deletes = list(getOwn(body, "Deletes"), "deletes").map((item, i) => requiredString(getOwn(item, "Key"), `deletes.${i + 1}.member.key`));
    const result = await keyValueStores.updateKeys(request.params.KvsARN!, ifMatchHeader(request.headers), puts, deletes);
    return jsonReply(200, { ItemCount: result.itemCount, TotalSizeInBytes: result.totalSizeInBytes }, { ETag: result.etag });
  },
};

export const KVS_OPERATIONS: readonly Operation[] = [describeKeyValueStoreData, listKeys, updateKeys, getKey, putKey, deleteKey];
