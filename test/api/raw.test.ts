import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createFunctionXml, http, startTestServer, XMLNS, type TestServer } from "../helpers.js";

/** What the SDK hides: exact headers, error bodies and hostile input. */
describe("CloudFront REST-XML on the wire", () => {
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer("sqlite");
  });
  afterAll(async () => {
    await t.close();
  });

  const create = (name: string, code = "function handler(e) { return e.request; }") =>
    http(t.url, "POST", "/2020-05-31/function", { body: createFunctionXml(name, code), headers: { "content-type": "application/xml" } });

  it("answers CreateFunction with 201, ETag, Location, a request id and a namespaced compact FunctionSummary", async () => {
    const res = await create("wire");
    expect(res.status).toBe(201);
    expect(res.headers.etag).toBe("ETVPDKIKX0DER");
    expect(res.headers.location).toBe("https://cloudfront.amazonaws.com/2020-05-31/function/arn:aws:cloudfront::123456789012:function/wire");
    expect(res.headers["x-amzn-requestid"]).toMatch(/^[0-9a-f-]{36}$/);
    expect(res.headers["content-type"]).toBe("text/xml");
    expect(res.body).toMatch(/^<\?xml version="1.0" encoding="UTF-8"\?><FunctionSummary xmlns="http:\/\/cloudfront.amazonaws.com\/doc\/2020-05-31\/"><Name>wire<\/Name><Status>UNPUBLISHED<\/Status>/);
    expect(res.body).not.toMatch(/>\s+</);
    expect(res.body).toMatch(/<CreatedTime>\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z<\/CreatedTime>/);
  });

  it("sends both ETtag and ETag on UpdateFunction", async () => {
    await create("typo");
    const body = `<UpdateFunctionRequest ${XMLNS}><FunctionConfig><Comment/><Runtime>cloudfront-js-1.0</Runtime></FunctionConfig><FunctionCode>${Buffer.from("function handler(e){return e.request}").toString("base64")}</FunctionCode></UpdateFunctionRequest>`;
    const res = await http(t.url, "PUT", "/2020-05-31/function/typo", { body, headers: { "if-match": "ETVPDKIKX0DER" } });
    expect(res.status).toBe(200);
    expect(res.rawHeaders).toContain("ETtag");
    expect(res.headers.ettag).toBe("E3UN6WX5RRO2AG");
    expect(res.headers.etag).toBe("E3UN6WX5RRO2AG");
  });

  it("accepts children in any order, layout whitespace and an XML declaration", async () => {
    const body = `<?xml version="1.0" encoding="UTF-8"?>
<CreateFunctionRequest ${XMLNS}>
  <FunctionCode>${Buffer.from("function handler(e) { return e.request; }").toString("base64")}</FunctionCode>
  <FunctionConfig>
    <Runtime>cloudfront-js-2.0</Runtime>
    <Comment> spaced </Comment>
  </FunctionConfig>
  <Name>pretty</Name>
</CreateFunctionRequest>`;
    const res = await http(t.url, "POST", "/2020-05-31/function", { body });
    expect(res.status).toBe(201);
    expect(res.body).toContain("<Comment> spaced </Comment>");
  });

  it("returns GetFunction's code raw, not XML or base64", async () => {
    await create("raw", "function handler(e) { return e.request; } // <&>");
    const res = await http(t.url, "GET", "/2020-05-31/function/raw");
    expect(res.status).toBe(200);
    expect(res.headers["content-type"]).toBe("application/octet-stream");
    expect(res.body).toBe("function handler(e) { return e.request; } // <&>");
  });

  it("answers DeleteFunction with an empty 204", async () => {
    await create("gone");
    const res = await http(t.url, "DELETE", "/2020-05-31/function/gone", { headers: { "if-match": "ETVPDKIKX0DER" } });
    expect(res.status).toBe(204);
    expect(res.body).toBe("");
    expect(res.headers["x-amzn-requestid"]).toBeTruthy();
  });

  it("formats errors as CloudFront's ErrorResponse with the request id in header and body", async () => {
    const res = await http(t.url, "GET", "/2020-05-31/function/missing/describe");
    expect(res.status).toBe(404);
    expect(res.headers["content-type"]).toBe("text/xml");
    const requestId = res.headers["x-amzn-requestid"];
    expect(res.body).toBe(
      `<?xml version="1.0" encoding="UTF-8"?><ErrorResponse ${XMLNS}><Error><Type>Sender</Type><Code>NoSuchFunctionExists</Code><Message>The function does not exist.</Message></Error><RequestId>${requestId}</RequestId></ErrorResponse>`,
    );
  });

  it.each([
    ["not XML at all", "hello"],
    ["unclosed tags", `<CreateFunctionRequest ${XMLNS}><Name>x</CreateFunctionRequest>`],
    ["the wrong root", `<UpdateFunctionRequest ${XMLNS}><Name>x</Name></UpdateFunctionRequest>`],
    ["an empty body", ""],
    ["a DTD with entities", `<!DOCTYPE r [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;">]><CreateFunctionRequest><Name>&b;</Name></CreateFunctionRequest>`],
    ["text where a structure belongs", `<CreateFunctionRequest ${XMLNS}><Name>x</Name><FunctionConfig>oops</FunctionConfig><FunctionCode>eA==</FunctionCode></CreateFunctionRequest>`],
    ["a repeated member", `<CreateFunctionRequest ${XMLNS}><Name>x</Name><Name>y</Name></CreateFunctionRequest>`],
    ["code that is not base64", `<CreateFunctionRequest ${XMLNS}><Name>x</Name><FunctionConfig><Comment/><Runtime>cloudfront-js-2.0</Runtime></FunctionConfig><FunctionCode>not base64!</FunctionCode></CreateFunctionRequest>`],
  ])("answers malformed input (%s) with MalformedXML 400 and keeps serving", async (_label, body) => {
    const res = await http(t.url, "POST", "/2020-05-31/function", { body });
    expect(res.status).toBe(400);
    expect(res.body).toContain("<Code>MalformedXML</Code>");
    expect(res.body).toContain("<Type>Sender</Type>");
    const health = await http(t.url, "GET", "/_edgelite/health");
    expect(health.status).toBe(200);
  });

  it("lists every missing required member in one validation message", async () => {
    const res = await http(t.url, "POST", "/2020-05-31/function", { body: `<CreateFunctionRequest ${XMLNS}></CreateFunctionRequest>` });
    expect(res.status).toBe(400);
    expect(res.body).toContain(
      "3 validation errors detected: Value null at 'name' failed to satisfy constraint: Member must not be null; Value null at 'functionConfig' failed to satisfy constraint: Member must not be null; Value null at 'functionCode' failed to satisfy constraint: Member must not be null",
    );
  });

  it("refuses a mismatched KeyValueStoreAssociations Quantity", async () => {
    const body = `<CreateFunctionRequest ${XMLNS}><Name>q</Name><FunctionConfig><Comment/><Runtime>cloudfront-js-2.0</Runtime><KeyValueStoreAssociations><Quantity>2</Quantity><Items><KeyValueStoreAssociation><KeyValueStoreARN>arn:aws:cloudfront::123456789012:key-value-store/8aa76c93-3198-462c-aaf6-0123456789ab</KeyValueStoreARN></KeyValueStoreAssociation></Items></KeyValueStoreAssociations></FunctionConfig><FunctionCode>eA==</FunctionCode></CreateFunctionRequest>`;
    const res = await http(t.url, "POST", "/2020-05-31/function", { body });
    expect(res.status).toBe(400);
    expect(res.body).toContain("<Code>InvalidArgument</Code>");
  });

  it("answers an oversized body with 413 before reading it all, and keeps serving", async () => {
    const body = createFunctionXml("big", "x".repeat(2 * 1024 * 1024));
    const res = await http(t.url, "POST", "/2020-05-31/function", { body }).catch((error: NodeJS.ErrnoException) => ({ status: error.code, body: "" }));
    if (typeof res.status === "number") {
      expect(res.status).toBe(413);
      expect(res.body).toContain("<Code>FunctionSizeLimitExceeded</Code>");
    } else {
      // The server may close the connection while the client is still sending: also a refusal.
      expect(["ECONNRESET", "EPIPE"]).toContain(res.status);
    }
    expect((await http(t.url, "GET", "/_edgelite/health")).status).toBe(200);
    expect((await http(t.url, "GET", "/2020-05-31/function/big/describe")).status).toBe(404);
  });

  it("answers unknown routes and methods with 4xx ErrorResponses, and unimplemented CloudFront operations with NotImplemented", async () => {
    const unknown = await http(t.url, "GET", "/nothing/here");
    expect(unknown.status).toBe(404);
    expect(unknown.body).toContain("<Code>NotFound</Code>");
    const method = await http(t.url, "PATCH", "/2020-05-31/function/x");
    expect(method.status).toBe(405);
    expect(method.body).toContain("<Code>MethodNotAllowed</Code>");
    const distribution = await http(t.url, "GET", "/2020-05-31/origin-access-identity/cloudfront");
    expect(distribution.status).toBe(501);
    expect(distribution.body).toContain("<Code>NotImplemented</Code>");
    expect(distribution.headers["x-amzn-requestid"]).toBeTruthy();
  });

  it("treats a name that breaks the pattern in the URI as a function that does not exist", async () => {
    const res = await http(t.url, "GET", "/2020-05-31/function/bad%20name/describe");
    expect(res.status).toBe(404);
    expect(res.body).toContain("<Code>NoSuchFunctionExists</Code>");
  });

  it("refuses a bad Stage query with a validation message", async () => {
    await create("stage");
    const res = await http(t.url, "GET", "/2020-05-31/function/stage/describe?Stage=PROD");
    expect(res.status).toBe(400);
    expect(res.body).toContain("Value 'PROD' at 'stage' failed to satisfy constraint: Member must satisfy enum value set: [DEVELOPMENT, LIVE]");
  });

  it("serves the health check as JSON", async () => {
    const res = await http(t.url, "GET", "/_edgelite/health");
    expect(res.status).toBe(200);
    expect(JSON.parse(res.body)).toMatchObject({ status: "ok", service: "edgelite", storage: "sqlite" });
    expect(res.headers["x-amzn-requestid"]).toBeTruthy();
  });

  it("escapes markup in error messages", async () => {
    const res = await http(t.url, "POST", "/2020-05-31/function", { body: createFunctionXml("a<b", "x").replace("a<b", "a&lt;b") });
    expect(res.status).toBe(400);
    expect(res.body).toContain("Value 'a&lt;b' at 'name'");
  });
});

describe("TestFunction runs functions off the server's event loop", () => {
  it("keeps answering while a hostile function runs", async () => {
    const t = await startTestServer("memory");
    try {
      const code = "function handler(e) { /^(a+)+$/.test('aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa!'); return e.request; }";
      await http(t.url, "POST", "/2020-05-31/function", { body: createFunctionXml("slow", code) });
      const event = Buffer.from(JSON.stringify({ version: "1.0", context: { eventType: "viewer-request" }, viewer: { ip: "1.2.3.4" }, request: { method: "GET", uri: "/" } })).toString("base64");
      const order: string[] = [];
      const slow = http(t.url, "POST", "/2020-05-31/function/slow/test", {
        body: `<TestFunctionRequest ${XMLNS}><EventObject>${event}</EventObject></TestFunctionRequest>`,
        headers: { "if-match": "ETVPDKIKX0DER" },
      }).then((res) => {
        order.push("test");
        return res;
      });
      await new Promise((resolve) => setTimeout(resolve, 50));
      const health = await http(t.url, "GET", "/_edgelite/health");
      order.push("health");
      expect(health.status).toBe(200);
      const res = await slow;
      expect(order).toEqual(["health", "test"]);
      expect(res.status).toBe(200);
      expect(res.body).toContain("InternalError: execution time limit exceeded");
      expect(res.body).toContain("<ComputeUtilization>100</ComputeUtilization>");
    } finally {
      await t.close();
    }
  });
});

describe("the KeyValueStore data plane on the wire", () => {
  it("routes by path whatever the Host, decodes the ARN label after splitting, and answers JSON", async () => {
    const t = await startTestServer("memory");
    try {
      const created = await http(t.url, "POST", "/2020-05-31/key-value-store", { body: `<CreateKeyValueStoreRequest ${XMLNS}><Name>wire</Name></CreateKeyValueStoreRequest>` });
      expect(created.status).toBe(201);
      const arn = /<ARN>([^<]+)<\/ARN>/.exec(created.body)![1]!;
      const path = `/key-value-stores/${encodeURIComponent(arn)}`;
      // The label is split off first and decoded after: the same ARN with its "/" left raw is two path
      // segments, which name no store (a server that decoded first could not tell the two apart).
      const unsplit = await http(t.url, "GET", `/key-value-stores/${arn.replace(/:/g, "%3A")}`);
      expect(unsplit.status).not.toBe(200);
      expect(unsplit.body).not.toContain(arn);
      const signed = { host: "123456789012.localhost", authorization: "AWS4-ECDSA-P256-SHA256 Credential=AKID/20240806/cloudfront-keyvaluestore/aws4_request, SignedHeaders=host, Signature=00", "x-amz-region-set": "*" };
      const described = await http(t.url, "GET", path, { headers: signed });
      expect(described.status).toBe(200);
      expect(described.headers["content-type"]).toBe("application/json");
      expect(described.headers.etag).toBe("KVTVPDKIKX0DER");
      const body = JSON.parse(described.body);
      expect(body).toMatchObject({ ItemCount: 0, TotalSizeInBytes: 0, KvsARN: arn, Status: "READY" });
      expect(typeof body.Created).toBe("number");

      const key = encodeURIComponent("a/b c%d");
      const put = await http(t.url, "PUT", `${path}/keys/${key}`, { headers: { ...signed, "if-match": "KVTVPDKIKX0DER", "content-type": "application/json" }, body: JSON.stringify({ Value: "v" }) });
      expect(put.status).toBe(200);
      expect(JSON.parse(put.body)).toEqual({ ItemCount: 1, TotalSizeInBytes: Buffer.byteLength("a/b c%d") + 1 });
      const got = await http(t.url, "GET", `${path}/keys/${key}`);
      expect(JSON.parse(got.body)).toMatchObject({ Key: "a/b c%d", Value: "v" });

      const missing = await http(t.url, "GET", `${path}/keys/nope`);
      expect(missing.status).toBe(404);
      expect(missing.headers["x-amzn-errortype"]).toBe("ResourceNotFoundException");
      expect(JSON.parse(missing.body)).toMatchObject({ __type: "ResourceNotFoundException" });

      const deleted = await http(t.url, "DELETE", `${path}/keys/${key}`, { headers: { "if-match": put.headers.etag as string } });
      expect(deleted.status).toBe(200);
      expect(JSON.parse(deleted.body)).toEqual({ ItemCount: 0, TotalSizeInBytes: 0 });

      const badJson = await http(t.url, "POST", `${path}/keys`, { headers: { "if-match": deleted.headers.etag as string }, body: "{not json" });
      expect(badJson.status).toBe(400);
      expect(badJson.headers["x-amzn-errortype"]).toBe("ValidationException");
    } finally {
      await t.close();
    }
  });
});
