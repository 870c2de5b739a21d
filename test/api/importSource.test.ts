import {
  CloudFrontServiceException,
  CreateKeyValueStoreCommand,
  EntitySizeLimitExceeded,
  InvalidArgument,
  ListKeyValueStoresCommand,
  type CreateKeyValueStoreCommandOutput,
} from "@aws-sdk/client-cloudfront";
import { DescribeKeyValueStoreCommand as DescribeDataCommand, GetKeyCommand, type CloudFrontKeyValueStoreClient } from "@aws-sdk/client-cloudfront-keyvaluestore";
import { execFileSync } from "node:child_process";
import { mkdirSync, symlinkSync, truncateSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { keyValueStoreClient } from "../../src/clients.js";
import { KVS_IMPORT_FILE_MAX_BYTES } from "../../src/limits.js";
import { http, startTestServer, tempDir, type TestServer, rejection } from "../helpers.js";

/** Text that must never come back in any reply: it lives only in files edgelite may not read. */
const SECRET = "edgelite-secret-marker-7f3a9c";
const importFile = (entries: Array<[string, string]>) => JSON.stringify({ data: entries.map(([key, value]) => ({ key, value })) });


describe("file:// import sources follow --import-dir", () => {
  const root = tempDir("edgelite-import-");
  const allowed = join(root.path, "allowed");
  const outside = join(root.path, "outside");
  let counter = 0;
  const inside = (name: string) => pathToFileURL(join(allowed, name)).href;

  beforeAll(() => {
    mkdirSync(allowed);
    mkdirSync(outside);
    writeFileSync(join(allowed, "data.json"), importFile([["a", "1"], ["b/c", "2"]]));
    writeFileSync(join(outside, "secret.json"), importFile([[SECRET, SECRET]]));
    writeFileSync(join(outside, "secret.txt"), `${SECRET}:x:0:0:root:/root:/bin/bash\n`);
    symlinkSync(join(outside, "secret.json"), join(allowed, "link-out.json"));
    symlinkSync(outside, join(allowed, "linked-dir"));
    symlinkSync(join(allowed, "data.json"), join(allowed, "link-in.json"));
    writeFileSync(join(allowed, "not-json.json"), `\n  ${SECRET}: not json`);
    writeFileSync(join(allowed, "bad-entry.json"), JSON.stringify({ data: [{ key: SECRET.repeat(40), value: "v" }] }));
    writeFileSync(join(allowed, "long-value.json"), importFile([["k", `${SECRET}${"x".repeat(2000)}`]]));
    writeFileSync(join(allowed, "null.json"), "null");
    mkdirSync(join(allowed, "folder.json"));
    execFileSync("mkfifo", [join(allowed, "pipe.json")]);
    const big = join(allowed, "big.json");
    writeFileSync(big, "");
    truncateSync(big, KVS_IMPORT_FILE_MAX_BYTES + 1);
  });
  afterAll(() => root.remove());

  describe("without --import-dir", () => {
    let t: TestServer;
    beforeAll(async () => {
      t = await startTestServer("memory");
    });
    afterAll(() => t.close());

    it("refuses every file:// source with InvalidArgument naming the flag, even one that would be fine", async () => {
      for (const source of [inside("data.json"), "file:///etc/passwd"]) {
        const error = await rejection(t.client.send(new CreateKeyValueStoreCommand({ Name: `s${counter++}`, ImportSource: { SourceType: "S3", SourceARN: source } })));
        expect(error).toBeInstanceOf(InvalidArgument);
        expect(error.$metadata.httpStatusCode).toBe(400);
        expect(error.message).toContain("--import-dir");
      }
      expect((await t.client.send(new ListKeyValueStoresCommand({}))).KeyValueStoreList?.Quantity).toBe(0);
    });
  });

  describe("with --import-dir", () => {
    let t: TestServer;
    let kvs: CloudFrontKeyValueStoreClient;
    beforeAll(async () => {
      t = await startTestServer("sqlite", { importDirs: [allowed] });
      kvs = await keyValueStoreClient({ endpoint: t.url });
    });
    afterAll(async () => {
      kvs.destroy();
      await t.close();
    });

    const create = (source: string): Promise<CreateKeyValueStoreCommandOutput> =>
      t.client.send(new CreateKeyValueStoreCommand({ Name: `store-${counter++}`, ImportSource: { SourceType: "S3", SourceARN: source } }));
    /** The refusal, checked to be quick to read and free of the secret (message and raw reply). */
    const refused = async (source: string): Promise<CloudFrontServiceException> => {
      const error = await rejection(create(source));
      expect(error.message).not.toContain(SECRET);
      expect(JSON.stringify(error)).not.toContain(SECRET);
      return error;
    };
    const itemCount = async (out: CreateKeyValueStoreCommandOutput) => (await kvs.send(new DescribeDataCommand({ KvsARN: out.KeyValueStore!.ARN }))).ItemCount;

    it("reads a regular file inside the folder", async () => {
      const out = await create(inside("data.json"));
      expect(await itemCount(out)).toBe(2);
      expect((await kvs.send(new GetKeyCommand({ KvsARN: out.KeyValueStore!.ARN, Key: "b/c" }))).Value).toBe("2");
    });

    it("follows a symlink that stays inside the folder", async () => {
      expect(await itemCount(await create(inside("link-in.json")))).toBe(2);
    });

    it("refuses files outside the folder, however they are named, without reading them", async () => {
      const sources = [
        "file:///etc/passwd",
        pathToFileURL(join(outside, "secret.json")).href,
        pathToFileURL(join(outside, "secret.txt")).href,
        `file://${allowed}/../outside/secret.json`,
        `file://${allowed}/%2e%2e/outside/secret.json`,
        `file://${allowed}/%2E%2E/%2e%2e/${outside.slice(root.path.length + 1)}/secret.txt`,
        `file://${allowed}/..%2Foutside%2Fsecret.json`,
        `file://${allowed}/x%00/../../outside/secret.json`,
        `file://localhost${outside}/secret.json`,
        "file:///dev/zero",
        "file:///dev/stdin",
        "file:///proc/self/environ",
        `file:${outside}/secret.json`,
        `file://${allowed}`,
      ];
      for (const source of sources) {
        const error = await refused(source);
        expect(error, source).toBeInstanceOf(InvalidArgument);
        expect(error.$metadata.httpStatusCode).toBe(400);
      }
    });

    it("refuses a symlink, or a linked folder, inside the folder that points outside it", async () => {
      for (const name of ["link-out.json", "linked-dir/secret.json", "linked-dir/secret.txt"]) {
        const error = await refused(inside(name));
        expect(error).toBeInstanceOf(InvalidArgument);
        expect(error.message).toContain("--import-dir");
      }
    });

    it("refuses a FIFO, a directory and a missing file inside the folder", async () => {
      const fifo = await refused(inside("pipe.json"));
      expect(fifo).toBeInstanceOf(InvalidArgument);
      expect(fifo.message).toContain("a FIFO, not a regular file");
      const folder = await refused(inside("folder.json"));
      expect(folder.message).toContain("a directory, not a regular file");
      const missing = await refused(inside("missing.json"));
      expect(missing).toBeInstanceOf(InvalidArgument);
      expect(missing.message).toContain("no such file");
    });

    it("refuses a file over the 5 MB cap from its size", async () => {
      const error = await refused(inside("big.json"));
      expect(error).toBeInstanceOf(EntitySizeLimitExceeded);
      expect(error.message).toContain(`${KVS_IMPORT_FILE_MAX_BYTES} bytes`);
    });

    it("names the line and column of a JSON error, and entries by number, never quoting the file", async () => {
      const notJson = await refused(inside("not-json.json"));
      expect(notJson).toBeInstanceOf(InvalidArgument);
      expect(notJson.message).toContain("line 2, column 3");
      const badEntry = await refused(inside("bad-entry.json"));
      expect(badEntry.message).toContain("Entry 1 of");
      const longValue = await refused(inside("long-value.json"));
      expect(longValue.message).toContain("Entry 1 of");
      expect((await refused(inside("null.json"))).message).toContain('{"data"');
    });

    it("keeps answering after FIFO imports: the thread pool is never blocked", async () => {
      const fifo = inside("pipe.json");
      // More attempts than libuv has threads (4): a blocking open would leave none for what follows.
      for (let round = 0; round < 3; round++) {
        const errors = await Promise.all(Array.from({ length: 6 }, () => refused(fifo)));
        for (const error of errors) expect(error).toBeInstanceOf(InvalidArgument);
      }
      for (let i = 0; i < 3; i++) expect(await itemCount(await create(inside("data.json")))).toBe(2);
      expect((await http(t.url, "GET", "/_edgelite/health")).status).toBe(200);
      expect((await t.client.send(new ListKeyValueStoresCommand({}))).KeyValueStoreList?.Quantity).toBeGreaterThan(0);
    });

    it("never echoes the secret in a raw XML reply", async () => {
      const body =
        `<?xml version="1.0" encoding="UTF-8"?><CreateKeyValueStoreRequest xmlns="http://cloudfront.amazonaws.com/doc/2020-05-31/">` +
        `<Name>raw-${counter++}</Name><ImportSource><SourceType>S3</SourceType><SourceARN>${inside("not-json.json")}</SourceARN></ImportSource></CreateKeyValueStoreRequest>`;
      const res = await http(t.url, "POST", "/2020-05-31/key-value-store", { body, headers: { "content-type": "application/xml" } });
      expect(res.status).toBe(400);
      expect(res.body).toContain("<Code>InvalidArgument</Code>");
      expect(res.body).not.toContain(SECRET);
    });
  });
});
