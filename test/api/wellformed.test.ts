import { CreateFunctionCommand, CreateKeyValueStoreCommand } from "@aws-sdk/client-cloudfront";
import { SaxesParser } from "saxes";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { escapeXml } from "../../src/xmlEscape.js";
import { encode, http, startTestServer, XMLNS, type RawResponse, type TestServer } from "../helpers.js";

/** Parses with a strict XML 1.0 parser (saxes): throws on anything not well-formed, control characters included. */
function parseStrictly(xml: string): void {
  const parser = new SaxesParser();
  parser.write(xml).close();
}

/** Every reply must be well-formed in the format it claims. */
function expectWellFormed(reply: RawResponse): void {
  const type = String(reply.headers["content-type"] ?? "");
  if (type.includes("xml")) expect(() => parseStrictly(reply.body), reply.body).not.toThrow();
  else if (type.includes("json")) expect(() => JSON.parse(reply.body), reply.body).not.toThrow();
  else expect(reply.body).toBe("");
  expect(reply.status).not.toBe(500);
}

/** Characters XML 1.0 cannot carry, even as references, and their neighbours that it can. */
const HOSTILE = ["\u0000", "\u0001", "\u0008", "\u000b", "\u000c", "\u001b[31m", "\u001f", "\ufffe", "\uffff", "\ud800", "x\udc00", "\udbff\udfff", "\t\n\r", "<&>\"'", "]]>"];

describe("XML and JSON replies are always well-formed", () => {
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer();
  });
  afterAll(async () => {
    await t.close();
  });

  it("escapeXml writes only characters XML 1.0 allows: forbidden ones become U+FFFD, the rest survive a strict parse unchanged", () => {
    for (const text of HOSTILE) {
      const escaped = escapeXml(`a${text}b`);
      let parsed = "";
      const parser = new SaxesParser();
      parser.on("text", (chunk) => (parsed += chunk));
      expect(() => parser.write(`<r>${escaped}</r>`).close()).not.toThrow();
      expect(parsed).toBe(`a${text}b`.replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, "\ufffd"));
    }
    expect(escapeXml("\udbff\udfff")).toBe("\udbff\udfff");
    expect(escapeXml("tab\there")).toBe("tab\there");
  });

  it("echoes hostile query values, names and ARNs in error messages as well-formed XML", async () => {
    for (const text of HOSTILE) {
      const q = encodeURIComponent(text.replace(/[\ud800-\udfff]/g, "\ufffd"));
      const paths = [
        `/2020-05-31/function?MaxItems=${q}`,
        `/2020-05-31/function?Marker=${q}&MaxItems=1`,
        `/2020-05-31/function/${q}`,
        `/2020-05-31/function/${q}/describe?Stage=${q}`,
        `/2020-05-31/tagging?Resource=${q}`,
        `/2020-05-31/key-value-store?MaxItems=${q}`,
        `/2020-05-31/distribution?MaxItems=${q}`,
        `/2020-05-31/no-such-thing/${q}`,
      ];
      for (const path of paths) expectWellFormed(await http(t.url, "GET", path));
    }
    // Raw bytes that are not UTF-8 at all.
    expectWellFormed(await http(t.url, "GET", "/2020-05-31/function?MaxItems=%ff%fe%00"));
    const reply = await http(t.url, "GET", "/2020-05-31/function?MaxItems=%00");
    expect(reply.status).toBe(400);
    expect(reply.body).toContain("\ufffd");
  });

  it("writes a function's hostile logs, error and output into TestFunction's result as well-formed XML", async () => {
    const hostile = HOSTILE.map((text) => JSON.stringify(text)).join(", ");
    const code = `function handler(event) { [${hostile}].forEach(function (t) { console.log("log " + t + " end"); }); throw new Error("bad " + [${hostile}].join("|")); }`;
    const created = await t.client.send(new CreateFunctionCommand({ Name: "noisy", FunctionConfig: { Comment: "", Runtime: "cloudfront-js-2.0" }, FunctionCode: encode(code) }));
    const event = Buffer.from(JSON.stringify({ version: "1.0", context: { eventType: "viewer-request" }, viewer: { ip: "1.2.3.4" }, request: { method: "GET", uri: "/", querystring: {}, headers: {}, cookies: {} } }));
    const reply = await http(t.url, "POST", "/2020-05-31/function/noisy/test", {
      headers: { "if-match": created.ETag!, "content-type": "text/xml" },
      body: `<TestFunctionRequest ${XMLNS}><Stage>DEVELOPMENT</Stage><EventObject>${event.toString("base64")}</EventObject></TestFunctionRequest>`,
    });
    expect(reply.status).toBe(200);
    expectWellFormed(reply);
    expect(reply.body).toContain("<FunctionExecutionLogs><member>log \ufffd end</member>");
    expect(reply.body).toMatch(/<FunctionErrorMessage>[^<]*bad \ufffd\|/);

    const echo = `function handler(event) { event.request.uri = "/" + [${hostile}].join(""); return event.request; }`;
    const echoing = await t.client.send(new CreateFunctionCommand({ Name: "echo", FunctionConfig: { Comment: "", Runtime: "cloudfront-js-2.0" }, FunctionCode: encode(echo) }));
    const output = await http(t.url, "POST", "/2020-05-31/function/echo/test", {
      headers: { "if-match": echoing.ETag!, "content-type": "text/xml" },
      body: `<TestFunctionRequest ${XMLNS}><EventObject>${event.toString("base64")}</EventObject></TestFunctionRequest>`,
    });
    expectWellFormed(output);
  });

  it("refuses XML requests carrying forbidden characters with a well-formed MalformedXML", async () => {
    for (const reference of ["&#0;", "&#x1;", "&#xFFFE;", "&#xD800;", "\u0001"]) {
      const reply = await http(t.url, "POST", "/2020-05-31/function", {
        body: `<CreateFunctionRequest ${XMLNS}><Name>a</Name><FunctionConfig><Comment>${reference}</Comment><Runtime>cloudfront-js-2.0</Runtime></FunctionConfig><FunctionCode>eA==</FunctionCode></CreateFunctionRequest>`,
      });
      expect(reply.status).toBe(400);
      expectWellFormed(reply);
    }
  });
});

describe("the KeyValueStore data plane answers in JSON, also to requests that name no operation", () => {
  let t: TestServer;
  let arn: string;
  beforeAll(async () => {
    t = await startTestServer();
    arn = (await t.client.send(new CreateKeyValueStoreCommand({ Name: "plane" }))).KeyValueStore!.ARN!;
  });
  afterAll(async () => {
    await t.close();
  });

  const dataPlaneHost = (url: string) => `123456789012.edgelite.localhost:${new URL(url).port}`;

  it("answers unknown paths and methods on the data-plane host with UnknownOperationException (404) in JSON", async () => {
    const store = `/key-value-stores/${encodeURIComponent(arn)}`;
    const cases: Array<[string, string, string | undefined]> = [
      ["GET", "/", dataPlaneHost(t.url)],
      ["GET", "/no/such/path", dataPlaneHost(t.url)],
      ["POST", `${store}/keys/k`, dataPlaneHost(t.url)],
      ["DELETE", store, dataPlaneHost(t.url)],
      ["GET", `${store}/keys/k/extra/%00`, dataPlaneHost(t.url)],
      ["GET", "/key-value-stores", undefined],
      ["PATCH", `${store}/keys`, undefined],
    ];
    for (const [method, path, host] of cases) {
      const reply = await http(t.url, method, path, host ? { headers: { host } } : {});
      expect(reply.status, `${method} ${path}`).toBe(404);
      expect(reply.headers["content-type"]).toBe("application/json");
      expect(reply.headers["x-amzn-errortype"]).toBe("UnknownOperationException");
      const body = JSON.parse(reply.body) as { __type: string; Message: string };
      expect(body.__type).toBe("UnknownOperationException");
      expect(body.Message).toContain(method);
    }
  });

  it("answers hostile data-plane input in well-formed JSON", async () => {
    const store = `/key-value-stores/${encodeURIComponent(arn)}`;
    for (const text of HOSTILE) {
      const q = encodeURIComponent(text.replace(/[\ud800-\udfff]/g, "\ufffd"));
      for (const path of [`${store}/keys?MaxResults=${q}`, `${store}/keys/${q}`, `/key-value-stores/${q}`]) {
        const reply = await http(t.url, "GET", path, { headers: { host: dataPlaneHost(t.url) } });
        expect(reply.headers["content-type"]).toBe("application/json");
        expectWellFormed(reply);
      }
    }
  });

  it("still answers the CloudFront API in XML", async () => {
    const reply = await http(t.url, "GET", "/2020-05-31/no-such-thing");
    expect(reply.headers["content-type"]).toBe("text/xml");
    expectWellFormed(reply);
  });
});
