import { CreateDistributionCommand, CreateFunctionCommand, TestFunctionCommand, type CacheBehavior } from "@aws-sdk/client-cloudfront";
import { createServer, type Server } from "node:http";
import { createServer as createTcpServer, type Server as TcpServer, type Socket } from "node:net";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createLiveFunction, encode, http, startTestServer, type RawResponse, type TestServer } from "../helpers.js";

/**
 * A crash test per writer of the edge: hostile function results (generated responses, changed requests,
 * viewer-response results) and a hostile origin, over real HTTP against a real server. Every answer must
 * be CloudFront's (502 FunctionValidationError, 503 FunctionExecutionError, or the origin's own), never a
 * 500 or a dropped connection, TestFunction must report the same through the real SDK, and another
 * distribution must still answer 200 afterwards.
 */

const EXECUTION = "The CloudFront function associated with the CloudFront distribution is invalid or could not run.";
const VALIDATION = "The CloudFront function returned an invalid value:";

/** Viewer-request results, by the path that selects them: what the function returns. */
const REQUEST_VECTORS: Record<string, { code: string; expect: 200 | 502 | 503 }> = {
  "reason-crlf": { code: `return { statusCode: 200, statusDescription: "OK\\r\\nX-Injected: yes" };`, expect: 502 },
  "reason-lf": { code: `return { statusCode: 200, statusDescription: "OK\\nX: y" };`, expect: 502 },
  "reason-above-latin1": { code: `return { statusCode: 200, statusDescription: "\\u0100K" };`, expect: 502 },
  "reason-emoji": { code: `return { statusCode: 200, statusDescription: "ok \\ud83d\\ude00" };`, expect: 502 },
  "reason-number": { code: `return { statusCode: 200, statusDescription: 5 };`, expect: 502 },
  "status-100": { code: `return { statusCode: 100 };`, expect: 502 },
  "status-101": { code: `return { statusCode: 101, headers: { upgrade: { value: "websocket" } } };`, expect: 502 },
  "status-99": { code: `return { statusCode: 99 };`, expect: 502 },
  "status-600": { code: `return { statusCode: 600 };`, expect: 502 },
  "status-1e9": { code: `return { statusCode: 1e9 };`, expect: 502 },
  "status-string": { code: `return { statusCode: "200" };`, expect: 502 },
  "status-nan": { code: `return { statusCode: NaN };`, expect: 502 },
  "status-float": { code: `return { statusCode: 200.5 };`, expect: 502 },
  "status-negative": { code: `return { statusCode: -200 };`, expect: 502 },
  "header-name-space": { code: `return { statusCode: 200, headers: { "bad name": { value: "x" } } };`, expect: 502 },
  "header-name-colon": { code: `return { statusCode: 200, headers: { "bad:name": { value: "x" } } };`, expect: 502 },
  "header-name-crlf": { code: `return { statusCode: 200, headers: { "x\\r\\ny": { value: "x" } } };`, expect: 502 },
  "header-name-empty": { code: `return { statusCode: 200, headers: { "": { value: "x" } } };`, expect: 502 },
  "header-value-crlf": { code: `return { statusCode: 200, headers: { "x-a": { value: "a\\r\\nSet-Cookie: evil=1" } } };`, expect: 502 },
  "header-value-nul": { code: `return { statusCode: 200, headers: { "x-a": { value: "a\\u0000b" } } };`, expect: 502 },
  "header-value-above-latin1": { code: `return { statusCode: 200, headers: { "x-a": { value: "\\u20ac" } } };`, expect: 502 },
  "header-multivalue-crlf": { code: `return { statusCode: 200, headers: { "x-a": { value: "a", multiValue: [{ value: "a" }, { value: "b\\r\\nc" }] } } };`, expect: 502 },
  "header-value-number": { code: `return { statusCode: 200, headers: { "x-a": { value: 5 } } };`, expect: 502 },
  "transfer-encoding": { code: `return { statusCode: 200, headers: { "transfer-encoding": { value: "chunked" } }, body: "hello" };`, expect: 502 },
  connection: { code: `return { statusCode: 200, headers: { connection: { value: "close" } } };`, expect: 502 },
  "cookie-crlf": { code: `return { statusCode: 200, cookies: { a: { value: "1\\r\\nX-Injected: yes" } } };`, expect: 502 },
  "cookie-attributes-crlf": { code: `return { statusCode: 200, cookies: { a: { value: "1", attributes: "Path=/\\r\\nX: y" } } };`, expect: 502 },
  "body-bad": { code: `return { statusCode: 200, body: { data: 5, encoding: "gzip" } };`, expect: 502 },
  "return-empty": { code: `return {};`, expect: 502 },
  "return-undefined": { code: `return undefined;`, expect: 502 },
  "return-string": { code: `return "a";`, expect: 502 },
  "missing-uri": { code: `var r = event.request; delete r.uri; return r;`, expect: 502 },
  "uri-no-slash": { code: `var r = event.request; r.uri = "index.html"; return r;`, expect: 502 },
  "uri-crlf": { code: `var r = event.request; r.uri = "/a\\r\\nHost: evil"; return r;`, expect: 502 },
  "uri-above-latin1": { code: `var r = event.request; r.uri = "/\\u20ac"; return r;`, expect: 502 },
  "request-header-crlf": { code: `var r = event.request; r.headers["x-a"] = { value: "a\\r\\nX-Injected: yes" }; return r;`, expect: 502 },
  "request-header-name": { code: `var r = event.request; r.headers["a b"] = { value: "x" }; return r;`, expect: 502 },
  "request-header-number": { code: `var r = event.request; r.headers["x-a"] = { value: 5 }; return r;`, expect: 502 },
  "request-query-crlf": { code: `var r = event.request; r.querystring = { a: { value: "1\\r\\n2" } }; return r;`, expect: 502 },
  "request-cookie-crlf": { code: `var r = event.request; r.cookies = { a: { value: "1\\r\\nX: y" } }; return r;`, expect: 502 },
  "proto-header-name": { code: `var h = {}; Object.defineProperty(h, "__proto__", { value: { value: "x" }, enumerable: true }); h.constructor = { value: "y" }; return { statusCode: 200, headers: h };`, expect: 200 },
  cyclic: { code: `var r = { statusCode: 200 }; r.self = r; return r;`, expect: 503 },
  "cyclic-request": { code: `var r = event.request; r.headers.me = r; return r;`, expect: 503 },
  "throwing-getter": { code: `var r = { statusCode: 200 }; Object.defineProperty(r, "headers", { enumerable: true, get: function () { throw new Error("getter"); } }); return r;`, expect: 503 },
  "looping-getter": { code: `var r = { statusCode: 200 }; Object.defineProperty(r, "headers", { enumerable: true, get: function () { for (;;) {} } }); return r;`, expect: 503 },
  "endless-tojson": { code: `return { statusCode: 200, toJSON: function () { for (;;) {} } };`, expect: 503 },
  "throwing-tojson": { code: `return { statusCode: 200, toJSON: function () { throw new TypeError("nope"); } };`, expect: 503 },
  "huge-tojson": { code: `return { toJSON: function () { var s = "x"; while (s.length < 8000000) s = s + s; return { statusCode: 200, body: s }; } };`, expect: 503 },
  "throwing-then": { code: `var r = { statusCode: 200 }; Object.defineProperty(r, "then", { get: function () { throw new Error("then"); } }); return r;`, expect: 503 },
  "throw-unprintable": { code: `throw { toString: function () { throw new Error("again"); } };`, expect: 503 },
  "throw-looping-name": { code: `var e = {}; Object.defineProperty(e, "name", { get: function () { for (;;) {} } }); throw e;`, expect: 503 },
  "prototype-tojson": { code: `Object.prototype.toJSON = function () { return 1; }; return event.request;`, expect: 503 },
  "forged-origin-call": {
    code: `var cf = require("cloudfront"); Object.prototype.toJSON = function () { return this.kind === "selectRequestOriginById" ? { kind: "createRequestOriginGroup", params: 5 } : this; }; cf.selectRequestOriginById("good"); return event.request;`,
    expect: 503,
  },
  "array-prototype-tojson": { code: `Array.prototype.toJSON = function () { return "x"; }; return event.request;`, expect: 503 },
};

/** Viewer-response results (the origin answered 200 "origin body" with its own Content-Length). */
const RESPONSE_VECTORS: Record<string, { code: string; expect: number }> = {
  "reason-crlf": { code: `var r = event.response; r.statusDescription = "OK\\r\\nX-Injected: yes"; return r;`, expect: 502 },
  "reason-above-latin1": { code: `var r = event.response; r.statusDescription = "\\u0100"; return r;`, expect: 502 },
  "status-100": { code: `var r = event.response; r.statusCode = 100; return r;`, expect: 502 },
  "status-1e9": { code: `var r = event.response; r.statusCode = 1e9; return r;`, expect: 502 },
  "header-value-crlf": { code: `var r = event.response; r.headers["x-a"] = { value: "a\\r\\nb" }; return r;`, expect: 502 },
  "header-name-space": { code: `var r = event.response; r.headers["x a"] = { value: "b" }; return r;`, expect: 502 },
  "transfer-encoding": { code: `var r = event.response; r.headers["transfer-encoding"] = { value: "chunked" }; return r;`, expect: 502 },
  "cookie-crlf": { code: `var r = event.response; r.cookies.a = { value: "1\\r\\nb" }; return r;`, expect: 502 },
  cyclic: { code: `var r = event.response; r.headers.me = r; return r;`, expect: 503 },
  "throwing-getter": { code: `var r = event.response; Object.defineProperty(r, "cookies", { enumerable: true, get: function () { throw new Error("getter"); } }); return r;`, expect: 503 },
  "return-request": { code: `return event.request;`, expect: 502 },
  // Framing is CloudFront's (the origin's length), whatever a function sets: the body arrives whole.
  "content-length-lie": { code: `var r = event.response; r.headers["content-length"] = { value: "3" }; return r;`, expect: 200 },
  "content-length-garbage": { code: `var r = event.response; r.headers["content-length"] = { value: "abc" }; return r;`, expect: 200 },
  "status-changed": { code: `var r = event.response; r.statusCode = 418; r.statusDescription = "I'm a teapot"; return r;`, expect: 418 },
};

/** What a hostile origin sends, by the path that selects it (raw bytes, as an origin can). */
const ORIGIN_REPLIES: Record<string, { raw: string; expect: number }> = {
  "reason-control": { raw: "HTTP/1.1 200 O\x01K\r\nContent-Length: 2\r\n\r\nok", expect: 200 },
  "reason-latin1": { raw: "HTTP/1.1 200 \xe9t\xe9\r\nContent-Length: 2\r\n\r\nok", expect: 200 },
  "value-latin1": { raw: "HTTP/1.1 200 OK\r\nX-A: caf\xe9\r\nContent-Length: 2\r\n\r\nok", expect: 200 },
  "status-600": { raw: "HTTP/1.1 600 Weird\r\nContent-Length: 2\r\n\r\nok", expect: 502 },
  "status-999": { raw: "HTTP/1.1 999 Weird\r\nContent-Length: 2\r\n\r\nok", expect: 502 },
  "proto-header": { raw: "HTTP/1.1 200 OK\r\n__proto__: x\r\nConstructor: y\r\nContent-Length: 2\r\n\r\nok", expect: 200 },
  "framing-conflict": { raw: "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nContent-Length: 5\r\n\r\n2\r\nok\r\n0\r\n\r\n", expect: 502 },
  // The body fails before its first byte (a chunk size that is not hex, then the origin closes): CloudFront's 502, not an empty reply.
  "broken-chunked-body": { raw: "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\nbroken", expect: 502 },
  "truncated-before-body": { raw: "HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\n", expect: 502 },
  "interim-then-final": { raw: "HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok", expect: 200 },
};

const REQUEST_CODE = `function handler(event) {
  var which = event.request.uri.split("/").pop();
${Object.entries(REQUEST_VECTORS)
  .map(([name, vector]) => `  if (which === ${JSON.stringify(name)}) { ${vector.code} }`)
  .join("\n")}
  return event.request;
}`;

const RESPONSE_CODE = `function handler(event) {
  var which = event.request.uri.split("/").pop();
${Object.entries(RESPONSE_VECTORS)
  .map(([name, vector]) => `  if (which === ${JSON.stringify(name)}) { ${vector.code} }`)
  .join("\n")}
  return event.response;
}`;

const IDENTITY_RESPONSE = "function handler(event) { return event.response; }";

async function listen(server: Server | TcpServer): Promise<number> {
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return (server.address() as AddressInfo).port;
}

describe("no function result or origin reply ends the process or turns into a 500", () => {
  let t: TestServer;
  let origin: Server;
  let hostile: TcpServer;
  let domain: string;
  let healthy: string;
  const sockets = new Set<Socket>();

  const get = (host: string, path: string) => http(t.url, "GET", path, { headers: { host } });
  /** The answer must be a complete, well-formed HTTP response with CloudFront's headers; then another distribution must still answer. */
  const expectAnswer = async (res: RawResponse, status: number) => {
    expect(res.status).toBe(status);
    expect(res.headers["x-injected"]).toBeUndefined();
    expect(res.headers["x-amz-cf-id"]).toMatch(/==$/);
    if (status === 502 || status === 503) {
      expect(res.headers["content-type"]).toBe("text/html");
      expect(res.body).toContain(`<H1>${status} ERROR</H1>`);
      expect(res.body).toContain(`Request ID: ${String(res.headers["x-amz-cf-id"])}`);
    }
  };

  beforeAll(async () => {
    t = await startTestServer("memory");
    origin = createServer((req, res) => {
      res.writeHead(200, { "content-type": "text/plain", "content-length": "11", "x-origin": "yes" });
      res.end("origin body");
    });
    hostile = createTcpServer((socket) => {
      sockets.add(socket);
      socket.on("close", () => sockets.delete(socket));
      socket.once("data", (chunk: Buffer) => {
        const path = /^GET (\S+)/.exec(chunk.toString("latin1"))?.[1] ?? "/";
        const reply = ORIGIN_REPLIES[path.split("/").pop()!];
        socket.end(Buffer.from(reply?.raw ?? "HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n", "latin1"));
      });
      socket.on("error", () => socket.destroy());
    });
    const [originPort, hostilePort] = [await listen(origin), await listen(hostile)];
    const request = await createLiveFunction(t.client, "hostile-request", REQUEST_CODE);
    const response = await createLiveFunction(t.client, "hostile-response", RESPONSE_CODE);
    const identity = await createLiveFunction(t.client, "identity-response", IDENTITY_RESPONSE);
    const customOrigin = (id: string, port: number) => ({ Id: id, DomainName: "127.0.0.1", CustomOriginConfig: { HTTPPort: port, HTTPSPort: 443, OriginProtocolPolicy: "http-only" as const } });
    const behaviour = (pattern: string, originId: string, functions: Array<{ arn: string; type: "viewer-request" | "viewer-response" }>): CacheBehavior => ({
      PathPattern: pattern,
      TargetOriginId: originId,
      ViewerProtocolPolicy: "allow-all",
      FunctionAssociations: { Quantity: functions.length, Items: functions.map((f) => ({ FunctionARN: f.arn, EventType: f.type })) },
    });
    const created = await t.client.send(
      new CreateDistributionCommand({
        DistributionConfig: {
          CallerReference: "hostile",
          Comment: "",
          Enabled: true,
          Origins: { Quantity: 2, Items: [customOrigin("good", originPort), customOrigin("hostile", hostilePort)] },
          DefaultCacheBehavior: { TargetOriginId: "good", ViewerProtocolPolicy: "allow-all", FunctionAssociations: { Quantity: 1, Items: [{ FunctionARN: request, EventType: "viewer-request" }] } },
          CacheBehaviors: {
            Quantity: 3,
            Items: [
              behaviour("/vr/*", "good", [{ arn: response, type: "viewer-response" }]),
              behaviour("/odd/*", "hostile", []),
              behaviour("/oddvr/*", "hostile", [{ arn: identity, type: "viewer-response" }]),
            ],
          },
        },
      }),
    );
    domain = created.Distribution!.DomainName!;
    const other = await t.client.send(
      new CreateDistributionCommand({
        DistributionConfig: {
          CallerReference: "healthy",
          Comment: "",
          Enabled: true,
          Origins: { Quantity: 1, Items: [customOrigin("good", originPort)] },
          DefaultCacheBehavior: { TargetOriginId: "good", ViewerProtocolPolicy: "allow-all" },
        },
      }),
    );
    healthy = other.Distribution!.DomainName!;
  });
  afterAll(async () => {
    await t.close();
    origin.close();
    for (const socket of sockets) socket.destroy();
    hostile.close();
  });

  it.each(Object.keys(REQUEST_VECTORS))("viewer-request result %s: CloudFront's answer, then another distribution still answers", async (name) => {
    const vector = REQUEST_VECTORS[name]!;
    const res = await get(domain, `/vector/${name}`);
    await expectAnswer(res, vector.expect);
    if (vector.expect === 200) {
      // `__proto__` and `constructor` are header names like any other (a generated response).
      expect(res.headers["x-cache"]).toBe("FunctionGeneratedResponse from cloudfront");
      expect(res.rawHeaders).toEqual(expect.arrayContaining(["__proto__", "x", "Constructor", "y"]));
    } else if (vector.expect === 502) {
      expect(res.headers["x-cache"]).toBe("FunctionValidationError from cloudfront");
      expect(res.body).toContain(VALIDATION);
    } else {
      expect(res.headers["x-cache"]).toBe("FunctionExecutionError from cloudfront");
      expect(res.body).toContain(EXECUTION);
    }
    expect((await get(healthy, "/")).status).toBe(200);
  });

  it.each(Object.keys(RESPONSE_VECTORS))("viewer-response result %s", async (name) => {
    const vector = RESPONSE_VECTORS[name]!;
    const res = await get(domain, `/vr/${name}`);
    await expectAnswer(res, vector.expect);
    if (vector.expect === 502) expect(res.headers["x-cache"]).toBe("FunctionValidationError from cloudfront");
    if (vector.expect === 503) expect(res.headers["x-cache"]).toBe("FunctionExecutionError from cloudfront");
    if (vector.expect < 500) {
      expect(res.body).toBe("origin body");
      expect(res.headers["content-length"]).toBe(String("origin body".length));
      expect(res.headers["transfer-encoding"]).toBeUndefined();
    }
    expect((await get(healthy, "/")).status).toBe(200);
  });

  it.each(Object.keys(ORIGIN_REPLIES))("origin reply %s passes through or is CloudFront's 502, never a crash", async (name) => {
    const reply = ORIGIN_REPLIES[name]!;
    for (const prefix of ["/odd/", "/oddvr/"]) {
      const res = await get(domain, `${prefix}${name}`);
      await expectAnswer(res, reply.expect);
      if (reply.expect === 200) {
        expect(res.body).toBe("ok");
        // A reason phrase that cannot be written is replaced by the standard one.
        expect(res.statusMessage).toBe(name === "reason-latin1" ? Buffer.from("\xe9t\xe9", "latin1").toString("latin1") : "OK");
      }
      if (name === "value-latin1") expect(res.headers["x-a"]).toBe(Buffer.from("caf\xe9", "latin1").toString("latin1"));
      if (name === "proto-header") expect(res.rawHeaders).toEqual(expect.arrayContaining(["__proto__", "x", "Constructor", "y"]));
    }
    expect((await get(healthy, "/")).status).toBe(200);
  });

  it("TestFunction answers odd but valid test events with a result, never InternalError", async () => {
    const created = await t.client.send(new CreateFunctionCommand({ Name: "odd-events", FunctionConfig: { Comment: "", Runtime: "cloudfront-js-2.0" }, FunctionCode: encode("function handler(event) { return event.request; }") }));
    const odd = [
      { host: { value: "a", multiValue: "x" } },
      { host: { value: "a", multiValue: [null, 5, { value: 7 }] } },
      { "x-a": { value: "a\r\nb" } },
      { "bad name": { value: "x" } },
    ];
    for (const headers of odd) {
      const event = { version: "1.0", context: { eventType: "viewer-request" }, viewer: { ip: "1.2.3.4" }, request: { method: "GET", uri: "/", querystring: {}, headers, cookies: {} } };
      const out = await t.client.send(new TestFunctionCommand({ Name: "odd-events", IfMatch: created.ETag, EventObject: encode(JSON.stringify(event)) }));
      expect(out.$metadata.httpStatusCode).toBe(200);
      expect(out.TestResult?.FunctionErrorMessage ?? "").not.toContain("InternalError");
    }
  });

  it("TestFunction reports each viewer-request vector as AWS's result (200), never InternalError", async () => {
    const created = await t.client.send(new CreateFunctionCommand({ Name: "hostile-test", FunctionConfig: { Comment: "", Runtime: "cloudfront-js-2.0" }, FunctionCode: encode(REQUEST_CODE) }));
    for (const [name, vector] of Object.entries(REQUEST_VECTORS)) {
      const event = { version: "1.0", context: { eventType: "viewer-request" }, viewer: { ip: "1.2.3.4" }, request: { method: "GET", uri: `/vector/${name}`, querystring: {}, headers: {}, cookies: {} } };
      const out = await t.client.send(new TestFunctionCommand({ Name: "hostile-test", IfMatch: created.ETag, EventObject: encode(JSON.stringify(event)) }));
      expect(out.$metadata.httpStatusCode).toBe(200);
      const message = out.TestResult?.FunctionErrorMessage ?? "";
      if (vector.expect === 200) expect(message).toBe("");
      else expect(message.startsWith(vector.expect === 502 ? VALIDATION : EXECUTION), `${name}: ${message}`).toBe(true);
    }
  });
});
