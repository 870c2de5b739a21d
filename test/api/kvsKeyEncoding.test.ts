import { CreateKeyValueStoreCommand } from "@aws-sdk/client-cloudfront";
import { DescribeKeyValueStoreCommand as DescribeDataCommand, ListKeysCommand, PutKeyCommand, type CloudFrontKeyValueStoreClient } from "@aws-sdk/client-cloudfront-keyvaluestore";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { keyValueStoreClient } from "../../src/clients.js";
import { http, startTestServer, type TestServer } from "../helpers.js";

describe("data-plane keys in the path must be valid percent-encoded UTF-8", () => {
  let t: TestServer;
  let kvs: CloudFrontKeyValueStoreClient;
  let arn: string;
  let base: string;
  beforeAll(async () => {
    t = await startTestServer("memory");
    kvs = await keyValueStoreClient({ endpoint: t.url });
    arn = (await t.client.send(new CreateKeyValueStoreCommand({ Name: "encoding" }))).KeyValueStore!.ARN!;
    base = `/key-value-stores/${encodeURIComponent(arn)}`;
  });
  afterAll(async () => {
    kvs.destroy();
    await t.close();
  });

  const etag = async () => (await kvs.send(new DescribeDataCommand({ KvsARN: arn }))).ETag!;

  it("answers ValidationException (JSON) for %zz, truncated UTF-8 and a lone %, and stores nothing", async () => {
    for (const key of ["%zz", "%E0%A4", "a%", "%C3", "%ED%A0%80", "%FF"]) {
      for (const method of ["PUT", "GET", "DELETE"]) {
        const res = await http(t.url, method, `${base}/keys/${key}`, {
          headers: { "content-type": "application/json", "if-match": await etag() },
          ...(method === "PUT" ? { body: JSON.stringify({ Value: "v" }) } : {}),
        });
        expect(res.status, `${method} ${key}`).toBe(400);
        expect(res.headers["content-type"]).toBe("application/json");
        expect(res.headers["x-amzn-errortype"]).toBe("ValidationException");
        expect(JSON.parse(res.body)).toMatchObject({ __type: "ValidationException", Message: expect.stringContaining("percent-encoded") });
      }
    }
    expect((await kvs.send(new ListKeysCommand({ KvsARN: arn }))).Items).toEqual([]);
  });

  it("answers ValidationException for a store ARN that is not valid percent-encoding", async () => {
    const res = await http(t.url, "GET", `/key-value-stores/arn%3Aaws%zz/keys`);
    expect(res.status).toBe(400);
    expect(JSON.parse(res.body).__type).toBe("ValidationException");
  });

  it("still takes well-formed escapes: a literal %, a slash, non-ASCII", async () => {
    for (const key of ["100%", "a/b", "é%zz"]) await kvs.send(new PutKeyCommand({ KvsARN: arn, Key: key, Value: "v", IfMatch: await etag() }));
    expect((await kvs.send(new ListKeysCommand({ KvsARN: arn }))).Items?.map((item) => item.Key).sort()).toEqual(["100%", "a/b", "é%zz"]);
  });
});
