import {
  CannotDeleteEntityWhileInUse,
  CloudFrontServiceException,
  CreateFunctionCommand,
  CreateKeyValueStoreCommand,
  TestFunctionCommand,
  DeleteFunctionCommand,
  DeleteKeyValueStoreCommand,
  DescribeKeyValueStoreCommand,
  EntityAlreadyExists,
  EntityLimitExceeded,
  EntityNotFound,
  InvalidArgument,
  InvalidIfMatchVersion,
  ListKeyValueStoresCommand,
  PreconditionFailed,
  UpdateKeyValueStoreCommand,
} from "@aws-sdk/client-cloudfront";
import {
  CloudFrontKeyValueStoreServiceException,
  DeleteKeyCommand,
  DescribeKeyValueStoreCommand as DescribeDataCommand,
  GetKeyCommand,
  ListKeysCommand,
  PutKeyCommand,
  ResourceNotFoundException,
  ServiceQuotaExceededException,
  UpdateKeysCommand,
  ValidationException,
  type CloudFrontKeyValueStoreClient,
} from "@aws-sdk/client-cloudfront-keyvaluestore";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, afterEach, beforeEach, describe, expect, it } from "vitest";
import { keyValueStoreClient } from "../../src/clients.js";
import { encode, HANDLER, startTestServer, tempDir, type StoreKind, type TestServer, rejection } from "../helpers.js";


describe.each<StoreKind>(["sqlite", "memory"])("KeyValueStore through the official clients (%s store)", (kind) => {
  let t: TestServer;
  let kvs: CloudFrontKeyValueStoreClient;
  const imports = tempDir();
  afterAll(() => imports.remove());
  beforeEach(async () => {
    t = await startTestServer(kind, { maxKeyValueStores: 4, importDirs: [imports.path] });
    kvs = await keyValueStoreClient({ endpoint: t.url });
  });
  afterEach(async () => {
    kvs.destroy();
    await t.close();
  });

  const createStore = (name: string, extra: Record<string, unknown> = {}) => t.client.send(new CreateKeyValueStoreCommand({ Name: name, Comment: "c", ...extra }));

  describe("control plane", () => {
    it("creates a store with a UUID id, an ARN of the account, ETag, Location and PROVISIONING; then READY", async () => {
      const out = await createStore("flags");
      expect(out.$metadata.httpStatusCode).toBe(201);
      const store = out.KeyValueStore!;
      expect(store.Id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
      expect(store.ARN).toBe(`arn:aws:cloudfront::123456789012:key-value-store/${store.Id}`);
      expect(store.Status).toBe("PROVISIONING");
      expect(store.Comment).toBe("c");
      expect(out.ETag).toBe("ETVPDKIKX0DER");
      expect(out.Location).toBe(`https://cloudfront.amazonaws.com/2020-05-31/key-value-store/${store.ARN}`);
      const described = await t.client.send(new DescribeKeyValueStoreCommand({ Name: "flags" }));
      expect(described.KeyValueStore?.Status).toBe("READY");
      expect(described.ETag).toBe("ETVPDKIKX0DER");
    });

    it("refuses duplicates, bad names, long comments, S3 imports, and the account's limit", async () => {
      await createStore("one");
      expect(await rejection(createStore("one"))).toBeInstanceOf(EntityAlreadyExists);
      expect((await rejection<CloudFrontServiceException>(createStore("bad name"))).name).toBe("MalformedXML");
      expect((await rejection<CloudFrontServiceException>(createStore("long", { Comment: "x".repeat(129) }))).name).toBe("MalformedXML");
      const s3 = await rejection<CloudFrontServiceException>(createStore("s3", { ImportSource: { SourceType: "S3", SourceARN: "arn:aws:s3:::bucket/data.json" } }));
      expect(s3).toBeInstanceOf(InvalidArgument);
      expect(s3.message).toContain("file://");
      for (const name of ["two", "three", "four"]) await createStore(name);
      expect(await rejection(createStore("five"))).toBeInstanceOf(EntityLimitExceeded);
    });

    it("imports keys from a local file in CloudFront's import format (from an --import-dir folder)", async () => {
      const file = join(imports.path, "data.json");
      writeFileSync(file, JSON.stringify({ data: [{ key: "a", value: "1" }, { key: "b/c", value: "2" }] }));
      const out = await createStore("imported", { ImportSource: { SourceType: "S3", SourceARN: `file://${file}` } });
      const data = await kvs.send(new DescribeDataCommand({ KvsARN: out.KeyValueStore!.ARN }));
      expect(data.ItemCount).toBe(2);
      expect((await kvs.send(new GetKeyCommand({ KvsARN: out.KeyValueStore!.ARN, Key: "b/c" }))).Value).toBe("2");
    });

    it("updates the comment with If-Match, lists with pagination and status, and deletes", async () => {
      for (const name of ["c1", "a1", "b1"]) await createStore(name);
      expect(await rejection(t.client.send(new UpdateKeyValueStoreCommand({ Name: "a1", Comment: "new", IfMatch: "" })))).toBeInstanceOf(InvalidIfMatchVersion);
      expect(await rejection(t.client.send(new UpdateKeyValueStoreCommand({ Name: "a1", Comment: "new", IfMatch: "E3UN6WX5RRO2AG" })))).toBeInstanceOf(PreconditionFailed);
      const updated = await t.client.send(new UpdateKeyValueStoreCommand({ Name: "a1", Comment: "new", IfMatch: "ETVPDKIKX0DER" }));
      expect(updated.ETag).toBe("E3UN6WX5RRO2AG");
      expect(updated.KeyValueStore?.Comment).toBe("new");
      const page1 = await t.client.send(new ListKeyValueStoresCommand({ MaxItems: 2 }));
      expect(page1.KeyValueStoreList?.Items?.map((s) => s.Name)).toEqual(["a1", "b1"]);
      const page2 = await t.client.send(new ListKeyValueStoresCommand({ MaxItems: 2, Marker: page1.KeyValueStoreList?.NextMarker }));
      expect(page2.KeyValueStoreList?.Items?.map((s) => s.Name)).toEqual(["c1"]);
      expect(page2.KeyValueStoreList?.NextMarker).toBeUndefined();
      expect((await t.client.send(new ListKeyValueStoresCommand({ Status: "PROVISIONING" }))).KeyValueStoreList?.Quantity).toBe(0);
      expect(await rejection(t.client.send(new DeleteKeyValueStoreCommand({ Name: "a1", IfMatch: "ETVPDKIKX0DER" })))).toBeInstanceOf(PreconditionFailed);
      const deleted = await t.client.send(new DeleteKeyValueStoreCommand({ Name: "a1", IfMatch: "E3UN6WX5RRO2AG" }));
      expect(deleted.$metadata.httpStatusCode).toBe(204);
      expect(await rejection(t.client.send(new DescribeKeyValueStoreCommand({ Name: "a1" })))).toBeInstanceOf(EntityNotFound);
    });

    it("associates a 2.0 function with a READY store and refuses to delete the store while in use", async () => {
      const store = (await createStore("assoc")).KeyValueStore!;
      const config = (arn: string, runtime: "cloudfront-js-1.0" | "cloudfront-js-2.0" = "cloudfront-js-2.0") => ({
        Comment: "",
        Runtime: runtime,
        KeyValueStoreAssociations: { Quantity: 1, Items: [{ KeyValueStoreARN: arn }] },
      });
      await t.client.send(new CreateFunctionCommand({ Name: "uses-kvs", FunctionConfig: config(store.ARN!), FunctionCode: encode(HANDLER) }));
      const missing = store.ARN!.replace(/[0-9a-f]{12}$/, "000000000000");
      expect(await rejection(t.client.send(new CreateFunctionCommand({ Name: "ghost-kvs", FunctionConfig: config(missing), FunctionCode: encode(HANDLER) })))).toBeInstanceOf(InvalidArgument);
      expect(await rejection(t.client.send(new CreateFunctionCommand({ Name: "old-rt", FunctionConfig: config(store.ARN!, "cloudfront-js-1.0"), FunctionCode: encode(HANDLER) })))).toBeInstanceOf(InvalidArgument);
      const inUse = await rejection<CloudFrontServiceException>(t.client.send(new DeleteKeyValueStoreCommand({ Name: "assoc", IfMatch: "ETVPDKIKX0DER" })));
      expect(inUse).toBeInstanceOf(CannotDeleteEntityWhileInUse);
      expect(inUse.$metadata.httpStatusCode).toBe(409);
      expect(inUse.message).toContain("uses-kvs");
      await t.client.send(new DeleteFunctionCommand({ Name: "uses-kvs", IfMatch: "ETVPDKIKX0DER" }));
      await t.client.send(new DeleteKeyValueStoreCommand({ Name: "assoc", IfMatch: "ETVPDKIKX0DER" }));
    });
  });

  describe("cf.kvs() in TestFunction", () => {
    it("reads the associated store: string, json, bytes, exists, meta, a missing key; and sees writes on the next test", async () => {
      const store = (await createStore("runtime")).KeyValueStore!;
      const data = await kvs.send(new DescribeDataCommand({ KvsARN: store.ARN }));
      const put = await kvs.send(new UpdateKeysCommand({ KvsARN: store.ARN, IfMatch: data.ETag, Puts: [{ Key: "greeting", Value: "hello" }, { Key: "config", Value: '{"flags":["a","b"]}' }] }));
      const code = `import cf from 'cloudfront';
const kvsHandle = cf.kvs('${store.Id}');
async function handler(event) {
  // njs (and so CloudFront) refuses \`await\` inside a call's arguments: each value is awaited first.
  const greeting = await kvsHandle.get('greeting');
  console.log(greeting);
  const config = await kvsHandle.get('config', { format: 'json' });
  console.log(JSON.stringify(config));
  const bytes = await kvsHandle.get('greeting', { format: 'bytes' });
  console.log(String(bytes.length));
  const present = await kvsHandle.exists('greeting');
  const absent = await kvsHandle.exists('absent');
  console.log(String(present) + ' ' + String(absent));
  const meta = await kvsHandle.meta();
  console.log(String(meta.keyCount));
  try { await kvsHandle.get('absent'); } catch (err) { console.log(\`\${err}\`); }
  return event.request;
}`;
      await t.client.send(
        new CreateFunctionCommand({
          Name: "reads-kvs",
          FunctionConfig: { Comment: "", Runtime: "cloudfront-js-2.0", KeyValueStoreAssociations: { Quantity: 1, Items: [{ KeyValueStoreARN: store.ARN }] } },
          FunctionCode: encode(code),
        }),
      );
      const event = encode(JSON.stringify({ version: "1.0", context: { eventType: "viewer-request" }, viewer: { ip: "1.2.3.4" }, request: { method: "GET", uri: "/" } }));
      const first = await t.client.send(new TestFunctionCommand({ Name: "reads-kvs", IfMatch: "ETVPDKIKX0DER", EventObject: event }));
      expect(first.TestResult?.FunctionErrorMessage).toBe("");
      expect(first.TestResult?.FunctionExecutionLogs).toEqual(["hello", '{"flags":["a","b"]}', "5", "true false", "2", "Error: KeyNotFound"]);
      await kvs.send(new PutKeyCommand({ KvsARN: store.ARN, Key: "greeting", Value: "bonjour", IfMatch: put.ETag }));
      const second = await t.client.send(new TestFunctionCommand({ Name: "reads-kvs", IfMatch: "ETVPDKIKX0DER", EventObject: event }));
      expect(second.TestResult?.FunctionExecutionLogs?.[0]).toBe("bonjour");
    });
  });

  describe("data plane", () => {
    let arn: string;
    beforeEach(async () => {
      arn = (await createStore("data")).KeyValueStore!.ARN!;
    });
    const etag = async () => (await kvs.send(new DescribeDataCommand({ KvsARN: arn }))).ETag!;

    it("describes the store with KV ETags and epoch timestamps", async () => {
      const out = await kvs.send(new DescribeDataCommand({ KvsARN: arn }));
      expect(out).toMatchObject({ ItemCount: 0, TotalSizeInBytes: 0, KvsARN: arn, Status: "READY", ETag: "KVTVPDKIKX0DER" });
      expect(out.Created).toBeInstanceOf(Date);
    });

    it("puts, gets, lists and deletes keys with /, %, spaces and non-ASCII; every write moves the ETag", async () => {
      const keys = ["plain", "with/slash", "per%cent", "sp ace", "ünïcødé ✓", "a?b#c&d=e"];
      let current = await etag();
      for (const [i, key] of keys.entries()) {
        const out = await kvs.send(new PutKeyCommand({ KvsARN: arn, Key: key, Value: `value ${i} ✓`, IfMatch: current }));
        expect(out.ETag).not.toBe(current);
        expect(out.ItemCount).toBe(i + 1);
        current = out.ETag!;
      }
      for (const [i, key] of keys.entries()) {
        const got = await kvs.send(new GetKeyCommand({ KvsARN: arn, Key: key }));
        expect(got).toMatchObject({ Key: key, Value: `value ${i} ✓`, ItemCount: keys.length });
      }
      const listed: string[] = [];
      let token: string | undefined;
      do {
        const page = await kvs.send(new ListKeysCommand({ KvsARN: arn, MaxResults: 4, NextToken: token }));
        listed.push(...(page.Items ?? []).map((item) => item.Key!));
        token = page.NextToken;
      } while (token);
      expect(listed).toEqual([...keys].sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b))));
      const size = keys.reduce((n, key, i) => n + Buffer.byteLength(key) + Buffer.byteLength(`value ${i} ✓`), 0);
      expect((await kvs.send(new DescribeDataCommand({ KvsARN: arn }))).TotalSizeInBytes).toBe(size);
      const deleted = await kvs.send(new DeleteKeyCommand({ KvsARN: arn, Key: "with/slash", IfMatch: current }));
      expect(deleted.$metadata.httpStatusCode).toBe(200);
      expect(deleted.ItemCount).toBe(keys.length - 1);
      expect(await rejection(kvs.send(new GetKeyCommand({ KvsARN: arn, Key: "with/slash" })))).toBeInstanceOf(ResourceNotFoundException);
    });

    it("refuses a stale or missing If-Match with ValidationException and changes nothing", async () => {
      const first = await etag();
      await kvs.send(new PutKeyCommand({ KvsARN: arn, Key: "k", Value: "1", IfMatch: first }));
      const stale = await rejection<CloudFrontKeyValueStoreServiceException>(kvs.send(new PutKeyCommand({ KvsARN: arn, Key: "k", Value: "2", IfMatch: first })));
      expect(stale).toBeInstanceOf(ValidationException);
      expect(stale.message).toBe("Pre-Condition failed during update of Key-Value-Store");
      expect(stale.$metadata.httpStatusCode).toBe(400);
      expect((await kvs.send(new GetKeyCommand({ KvsARN: arn, Key: "k" }))).Value).toBe("1");
    });

    it("applies UpdateKeys atomically and ignores deletes of missing keys", async () => {
      const out = await kvs.send(new UpdateKeysCommand({ KvsARN: arn, IfMatch: await etag(), Puts: [{ Key: "a", Value: "1" }, { Key: "b", Value: "2" }], Deletes: [{ Key: "nope" }] }));
      expect(out.ItemCount).toBe(2);
      const tooMany = Array.from({ length: 51 }, (_, i) => ({ Key: `k${i}`, Value: "v" }));
      expect(await rejection(kvs.send(new UpdateKeysCommand({ KvsARN: arn, IfMatch: out.ETag, Puts: tooMany })))).toBeInstanceOf(ServiceQuotaExceededException);
      const badValue = await rejection(kvs.send(new UpdateKeysCommand({ KvsARN: arn, IfMatch: out.ETag, Puts: [{ Key: "c", Value: "3" }, { Key: "d", Value: "x".repeat(1025) }] })));
      expect(badValue).toBeInstanceOf(ValidationException);
      // Nothing of a refused batch was applied.
      expect(await rejection(kvs.send(new GetKeyCommand({ KvsARN: arn, Key: "c" })))).toBeInstanceOf(ResourceNotFoundException);
      expect((await kvs.send(new DescribeDataCommand({ KvsARN: arn }))).ETag).toBe(out.ETag);
    });

    it("enforces key ≤ 512 bytes, value ≤ 1 KB and store ≤ 5 MB", async () => {
      const LIMIT = 5 * 1024 * 1024;
      let current = await etag();
      expect(await rejection(kvs.send(new PutKeyCommand({ KvsARN: arn, Key: "k".repeat(513), Value: "v", IfMatch: current })))).toBeInstanceOf(ValidationException);
      expect(await rejection(kvs.send(new PutKeyCommand({ KvsARN: arn, Key: "k", Value: "v".repeat(1025), IfMatch: current })))).toBeInstanceOf(ValidationException);
      current = (await kvs.send(new PutKeyCommand({ KvsARN: arn, Key: "k".repeat(512), Value: "v".repeat(1024), IfMatch: current }))).ETag!;
      let total = 512 + 1024;
      const refused = async (puts: Array<{ Key: string; Value: string }>) => {
        const error = await rejection<CloudFrontKeyValueStoreServiceException>(kvs.send(new UpdateKeysCommand({ KvsARN: arn, IfMatch: current, Puts: puts })));
        expect(error).toBeInstanceOf(ServiceQuotaExceededException);
        expect(error.$metadata.httpStatusCode).toBe(402);
      };
      const accepted = async (puts: Array<{ Key: string; Value: string }>) => {
        const result = await kvs.send(new UpdateKeysCommand({ KvsARN: arn, IfMatch: current, Puts: puts }));
        total += puts.reduce((n, put) => n + Buffer.byteLength(put.Key) + Buffer.byteLength(put.Value), 0);
        expect(result.TotalSizeInBytes).toBe(total);
        current = result.ETag!;
      };
      // Fill with 50-key batches of 1.5 KB entries while a whole batch fits: every one of them is accepted.
      const value = "v".repeat(1024);
      const batch = (n: number) => Array.from({ length: 50 }, (_, i) => ({ Key: `fill-${String(n).padStart(3, "0")}-${String(i).padStart(2, "0")}-${"p".repeat(500)}`, Value: value }));
      const batchBytes = 50 * (512 + 1024);
      let n = 0;
      for (; total + batchBytes <= LIMIT; n++) await accepted(batch(n));
      // The next whole batch would pass 5 MB: refused, and nothing of it applied.
      await refused(batch(n));
      expect((await kvs.send(new DescribeDataCommand({ KvsARN: arn }))).TotalSizeInBytes).toBe(total);
      // What room is left takes entries up to exactly 5 MB; then two bytes more are refused.
      const rest: Array<{ Key: string; Value: string }> = [];
      for (let room = LIMIT - total, i = 0; room > 0; i++) {
        const key = `rest-${String(i).padStart(3, "0")}`;
        const size = Math.min(1024, room - key.length);
        rest.push({ Key: key, Value: "r".repeat(size) });
        room -= key.length + size;
      }
      expect(rest.length).toBeLessThanOrEqual(50);
      await accepted(rest);
      expect(total).toBe(LIMIT);
      await refused([{ Key: "z", Value: "z" }]);
    });

    it("answers an unknown store with ResourceNotFoundException", async () => {
      const ghost = arn.replace(/[0-9a-f]{12}$/, "000000000000");
      expect(await rejection(kvs.send(new DescribeDataCommand({ KvsARN: ghost })))).toBeInstanceOf(ResourceNotFoundException);
    });

    it("lets exactly one of 20 concurrent PutKey with one ETag succeed", async () => {
      const current = await etag();
      const results = await Promise.allSettled(Array.from({ length: 20 }, (_, i) => kvs.send(new PutKeyCommand({ KvsARN: arn, Key: "race", Value: String(i), IfMatch: current }))));
      const winners = results.flatMap((r, i) => (r.status === "fulfilled" ? [i] : []));
      expect(winners).toHaveLength(1);
      for (const r of results) if (r.status === "rejected") expect(r.reason).toBeInstanceOf(ValidationException);
      expect((await kvs.send(new GetKeyCommand({ KvsARN: arn, Key: "race" }))).Value).toBe(String(winners[0]));
    });
  });
});
