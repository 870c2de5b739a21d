import { signRequest, type AwsCredentials, type SignedRequestInit } from "../../awsSigning.js";
import { KVS_LIST_KEYS_MAX, KVS_MAX_BATCH_BYTES, KVS_MAX_BATCH_KEYS, KVS_MAX_STORE_BYTES } from "../../limits.js";
import { IacError, type KeyValueData } from "../types.js";

/** How long one data-plane request may take. */
const DATA_PLANE_TIMEOUT_MS = 30_000;
/** ListKeys pages read at most: a store of KVS_MAX_STORE_BYTES holds fewer keys than this many pages carry. */
const MAX_LIST_PAGES = Math.ceil(KVS_MAX_STORE_BYTES / KVS_LIST_KEYS_MAX) + 1;

interface DataPlaneError {
  readonly status: number;
  readonly code: string;
  readonly message: string;
}

/**
 * The KeyValueStore data plane of the server at `endpoint` (`/key-value-stores/<ARN>/…`, JSON), as
 * @aws-sdk/client-cloudfront-keyvaluestore calls it, SigV4A-signed with `credentials`: a store's keys are
 * made to match a list with UpdateKeys (50 keys a call, If-Match the store's ETag), only what differs.
 */
export function keyValueDataAt(endpoint: string, credentials: AwsCredentials | undefined): KeyValueData {
  const base = endpoint.replace(/\/+$/, "");
  const send = async (url: string, init: SignedRequestInit = {}): Promise<{ etag: string; body: Record<string, unknown> } | DataPlaneError> => {
    const signed = credentials === undefined ? init : await signRequest("cloudfront-keyvaluestore", url, init, credentials);
    const response = await fetch(url, { ...signed, signal: AbortSignal.timeout(DATA_PLANE_TIMEOUT_MS) });
    const text = await response.text();
    let body: Record<string, unknown> = {};
    try {
      const parsed: unknown = text === "" ? {} : JSON.parse(text);
      if (typeof parsed === "object" && parsed !== null && !Array.isArray(parsed)) body = parsed as Record<string, unknown>;
    } catch {
      // Not JSON: the status says enough.
    }
    if (!response.ok) {
      const message = typeof body.Message === "string" ? body.Message : typeof body.message === "string" ? body.message : response.statusText;
      const code = (response.headers.get("x-amzn-errortype") ?? "").split(":")[0] || `HTTP ${response.status}`;
      return { status: response.status, code, message };
    }
    return { etag: response.headers.get("etag") ?? "", body };
  };
  const refused = (arn: string, what: string, error: DataPlaneError) =>
    new IacError(`the key value store ${arn} refused ${what}: ${error.code}: ${error.message}`, undefined, error.code);

  return {
    async replaceKeys(arn, entries) {
      const store = `${base}/key-value-stores/${encodeURIComponent(arn)}`;
      const wanted = new Map(entries);
      const held = new Map<string, string>();
      let token: string | undefined;
      for (let page = 0; page < MAX_LIST_PAGES; page++) {
        const listed = await send(`${store}/keys?MaxResults=${KVS_LIST_KEYS_MAX}${token ? `&NextToken=${encodeURIComponent(token)}` : ""}`);
        if ("status" in listed) throw refused(arn, "ListKeys", listed);
        for (const item of Array.isArray(listed.body.Items) ? (listed.body.Items as unknown[]) : []) {
          const { Key, Value } = (item ?? {}) as { Key?: unknown; Value?: unknown };
          if (typeof Key === "string" && typeof Value === "string") held.set(Key, Value);
        }
        const next = listed.body.NextToken;
        if (typeof next !== "string" || next === "" || next === token) break;
        token = next;
      }
      const puts = [...wanted].filter(([key, value]) => held.get(key) !== value);
      const deletes = [...held.keys()].filter((key) => !wanted.has(key));
      if (puts.length === 0 && deletes.length === 0) return held.size;
      const described = await send(store);
      if ("status" in described) throw refused(arn, "DescribeKeyValueStore", described);
      let etag = described.etag;
      let itemCount = held.size;
      for (const batch of batches(puts, deletes)) {
        const updated = await send(`${store}/keys`, {
          method: "POST",
          headers: { "content-type": "application/json", "if-match": etag },
          body: JSON.stringify({ Puts: batch.puts.map(([Key, Value]) => ({ Key, Value })), Deletes: batch.deletes.map((Key) => ({ Key })) }),
        });
        if ("status" in updated) throw refused(arn, "UpdateKeys", updated);
        etag = updated.etag;
        if (typeof updated.body.ItemCount === "number") itemCount = updated.body.ItemCount;
      }
      return itemCount;
    },
  };
}

interface Batch {
  puts: Array<[string, string]>;
  deletes: string[];
}

/** UpdateKeys calls of at most KVS_MAX_BATCH_KEYS keys and KVS_MAX_BATCH_BYTES of keys and values, deletes first (room for the puts). */
function batches(puts: ReadonlyArray<[string, string]>, deletes: readonly string[]): Batch[] {
  const all: Batch[] = [];
  let current: Batch = { puts: [], deletes: [] };
  let bytes = 0;
  const room = (size: number) => {
    const count = current.puts.length + current.deletes.length;
    if (count === 0 || (count < KVS_MAX_BATCH_KEYS && bytes + size <= KVS_MAX_BATCH_BYTES)) return;
    all.push(current);
    current = { puts: [], deletes: [] };
    bytes = 0;
  };
  for (const key of deletes) {
    const size = Buffer.byteLength(key);
    room(size);
    current.deletes.push(key);
    bytes += size;
  }
  for (const [key, value] of puts) {
    const size = Buffer.byteLength(key) + Buffer.byteLength(value);
    room(size);
    current.puts.push([key, value]);
    bytes += size;
  }
  if (current.puts.length + current.deletes.length > 0) all.push(current);
  return all;
}
