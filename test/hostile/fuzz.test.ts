import { CreateDistributionCommand, CreateFunctionCommand } from "@aws-sdk/client-cloudfront";
import fc from "fast-check";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { SaxesParser } from "saxes";
import type { EdgeLogEntry } from "../../src/edge/edge.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createLiveFunction, encode, startTestServer, type TestServer } from "../helpers.js";
import { dataPlaneRequest, listRequest, namedResourcePath, xmlRequest } from "./apiShapes.js";
import { FUNCTION_MODES, functionResult, headerValue, name, originReply, requestTarget, statusCode } from "./arbitraries.js";
import { percentEncode, rawRequest, requestBytes, startHostileOrigin, type RawReply } from "./rawHttp.js";

/**
 * The hostile-input fuzzer: random requests, function results, origin replies and API bodies against a real
 * server (SQLite store, real HTTP). Whatever arrives, edgelite answers with a well-formed reply that is not its
 * own 500, and afterwards it still serves an unrelated distribution and its prototypes are untouched.
 * EDGELITE_FUZZ_SECONDS sets each property's time budget (default 8 s); the counts are printed at the end.
 */
const SECONDS = Number(process.env.EDGELITE_FUZZ_SECONDS ?? 8);
const RUN_LIMITS = { numRuns: 100_000, interruptAfterTimeLimit: SECONDS * 1000, markInterruptAsFailure: false } as const;

const GENERATOR = `function handler(event) {
  var q = event.request.querystring;
  var mode = q.mode ? q.mode.value : '';
  if (mode === 'cycle') { var o = { statusCode: 200, headers: {} }; o.headers.self = { value: o }; o.self = o; return o; }
  if (mode === 'throwing-getter') return { statusCode: 200, get headers() { throw new Error('getter'); } };
  if (mode === 'toJSON-loop') return { statusCode: 200, toJSON: function () { while (true) {} } };
  if (mode === 'toJSON-throws') return { statusCode: 200, toJSON: function () { throw new Error('toJSON'); } };
  if (mode === 'undefined') return undefined;
  if (mode === 'empty') return {};
  if (mode === 'deep') { var d = {}; var c = d; for (var i = 0; i < 5000; i++) { c.a = {}; c = c.a; } return { statusCode: 200, headers: { x: { value: 'v' } }, cookies: {}, deep: d }; }
  if (q.spec) return JSON.parse(decodeURIComponent(q.spec.value));
  return event.request;
}`;
const RESPONDER = `function handler(event) {
  var q = event.request.querystring;
  if (q.rspec) return JSON.parse(decodeURIComponent(q.rspec.value));
  return event.response;
}`;

/** The last few edge log entries, to explain a failure. */
const recentEdgeLog: EdgeLogEntry[] = [];

/** Statuses seen, by source: the report the issue asks for. */
const counts = new Map<string, number>();
const count = (key: string) => counts.set(key, (counts.get(key) ?? 0) + 1);

function wellFormedXml(text: string): boolean {
  const parser = new SaxesParser();
  let ok = true;
  parser.on("error", () => {
    ok = false;
  });
  try {
    parser.write(text).close();
  } catch {
    ok = false;
  }
  return ok;
}

const header = (reply: RawReply, wanted: string) => reply.headers.find(([n]) => n === wanted)?.[1];

describe("hostile input: fuzzing every surface", () => {
  let t: TestServer;
  let hostile: Awaited<ReturnType<typeof startHostileOrigin>>;
  let saneOrigin: Server;
  let port: number;
  let probeHost: string;
  let saneHost: string;
  let dataStoreArn: string;
  let prototypeKeys: { object: string; array: string; func: string };

  const snapshot = () => ({
    object: Reflect.ownKeys(Object.prototype).map(String).sort().join(","),
    array: Reflect.ownKeys(Array.prototype).map(String).sort().join(","),
    func: Reflect.ownKeys(Function.prototype).map(String).sort().join(","),
  });

  /** After every property: still up, the other distribution still answers, no prototype changed. */
  async function expectUnharmed(): Promise<void> {
    const health = await rawRequest(port, requestBytes("GET", "/_edgelite/health", [["Host", `127.0.0.1:${port}`]]));
    expect(health.status).toBe(200);
    const sane = await rawRequest(port, requestBytes("GET", "/index.html?a=1", [["Host", saneHost]]));
    expect(sane.status, JSON.stringify(recentEdgeLog.at(-1))).toBe(200);
    expect(sane.body.toString()).toBe("sane GET /index.html?a=1");
    expect(snapshot()).toEqual(prototypeKeys);
    expect(({} as Record<string, unknown>).value).toBeUndefined();
  }

  beforeAll(async () => {
    prototypeKeys = snapshot();
    t = await startTestServer("sqlite", { onEdgeRequest: (entry) => void recentEdgeLog.splice(0, recentEdgeLog.push(entry) - 5) });
    port = Number(new URL(t.url).port);
    hostile = await startHostileOrigin();
    saneOrigin = createServer((req, res) => {
      const body = `sane ${req.method} ${req.url}`;
      res.writeHead(200, { "content-type": "text/plain", "content-length": Buffer.byteLength(body) }).end(body);
    });
    await new Promise<void>((resolve) => saneOrigin.listen(0, "127.0.0.1", resolve));
    const generator = await createLiveFunction(t.client, "fuzz-generator", GENERATOR);
    const responder = await createLiveFunction(t.client, "fuzz-responder", RESPONDER);
    await t.client.send(new CreateFunctionCommand({ Name: "fuzz-target", FunctionConfig: { Comment: "", Runtime: "cloudfront-js-2.0" }, FunctionCode: encode("function handler(e) { return e.request; }") }));
    const origin = (id: string, originPort: number) => ({ Id: id, DomainName: "127.0.0.1", CustomOriginConfig: { HTTPPort: originPort, HTTPSPort: 443, OriginProtocolPolicy: "http-only" as const, OriginReadTimeout: 5 } });
    const probe = await t.client.send(
      new CreateDistributionCommand({
        DistributionConfig: {
          CallerReference: "fuzz-probe",
          Comment: "",
          Enabled: true,
          Origins: { Quantity: 1, Items: [origin("hostile", hostile.port)] },
          DefaultCacheBehavior: {
            TargetOriginId: "hostile",
            ViewerProtocolPolicy: "allow-all",
            FunctionAssociations: { Quantity: 2, Items: [{ FunctionARN: generator, EventType: "viewer-request" }, { FunctionARN: responder, EventType: "viewer-response" }] },
          },
          CacheBehaviors: { Quantity: 1, Items: [{ PathPattern: "/x*y*z*q*w*e*r*t*!", TargetOriginId: "hostile", ViewerProtocolPolicy: "allow-all" }] },
        },
      }),
    );
    const sane = await t.client.send(
      new CreateDistributionCommand({
        DistributionConfig: {
          CallerReference: "fuzz-sane",
          Comment: "",
          Enabled: true,
          Origins: { Quantity: 1, Items: [origin("sane", (saneOrigin.address() as AddressInfo).port)] },
          DefaultCacheBehavior: { TargetOriginId: "sane", ViewerProtocolPolicy: "allow-all" },
        },
      }),
    );
    // Made before the XML fuzzing can fill the account's quota of stores.
    const created = await rawRequest(
      port,
      requestBytes("POST", "/2020-05-31/key-value-store", [["Host", `127.0.0.1:${port}`]], `<CreateKeyValueStoreRequest xmlns="http://cloudfront.amazonaws.com/doc/2020-05-31/"><Name>fuzz-data</Name></CreateKeyValueStoreRequest>`),
    );
    dataStoreArn = /<ARN>([^<]+)<\/ARN>/.exec(created.body.toString())?.[1] ?? "";
    expect(dataStoreArn, created.body.toString()).not.toBe("");
    probeHost = `${probe.Distribution!.DomainName!}:${port}`;
    saneHost = `${sane.Distribution!.DomainName!}:${port}`;
    await expectUnharmed();
  });

  afterAll(async () => {
    const total = [...counts.values()].reduce((a, b) => a + b, 0);
    const fiveHundreds = [...counts].filter(([key]) => / 5\d\d/.test(key));
    console.log(
      `hostile fuzz: ${total} requests in ${SECONDS} s per property\n` +
        [...counts].sort(([a], [b]) => a.localeCompare(b)).map(([key, n]) => `  ${key}: ${n}`).join("\n") +
        `\n  5xx: ${fiveHundreds.length === 0 ? "none" : fiveHundreds.map(([key, n]) => `${key} ×${n}`).join(", ")}`,
    );
    await t?.close();
    hostile?.server.close();
    saneOrigin?.close();
  });

  /** Edge replies: an answer always arrives; edgelite's own failures are CloudFront's 502/503/504, never 500. */
  /**
   * Edge replies: an answer always arrives; edgelite's own failures are CloudFront's 502/503/504 pages, never a
   * 500. `asked` is the status the function or origin itself gave, which then stands as it is.
   */
  function expectEdgeReply(reply: RawReply, source: string, asked?: unknown, headOnly = false): void {
    const cache = header(reply, "x-cache")?.replace(/ from cloudfront$/, "");
    // A status the function or origin gave itself is counted as a class: it says nothing of edgelite.
    if (reply.status === asked && reply.status >= 200) count(`${source} ${String(reply.status)[0]}xx as given`);
    else count(`${source} ${reply.status || reply.ended}${cache ? ` ${cache}` : ""}`);
    expect(reply.ended, reply.head).not.toBe("timeout");
    expect(reply.status, `no status line: ${reply.head}`).toBeGreaterThanOrEqual(100);
    if (reply.status === asked) return;
    expect(reply.status, reply.head).not.toBe(500);
    if ([502, 503, 504].includes(reply.status) && !headOnly) expect(reply.body.toString()).toContain("<TITLE>ERROR: The request could not be satisfied</TITLE>");
    const length = header(reply, "content-length");
    // A 204 or 304 carries no body whatever its Content-Length says (RFC 9110 §8.6).
    if (length !== undefined && !reply.head.includes("Transfer-Encoding") && !headOnly && reply.status !== 204 && reply.status !== 304) expect(reply.body.length).toBe(Number(length));
  }

  it("viewer requests: hostile paths, queries, header and cookie names", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom("GET", "HEAD", "POST", "PUT", "DELETE", "OPTIONS", "PATCH"),
        requestTarget,
        fc.array(fc.tuple(name, headerValue), { maxLength: 6 }),
        fc.array(fc.tuple(name, headerValue), { maxLength: 4 }),
        async (method, target, headers, cookies) => {
          const lines: Array<[string, string]> = [["Host", probeHost], ...headers];
          if (cookies.length > 0) lines.push(["Cookie", cookies.map(([n, v]) => `${n}=${v.replace(/;/g, "")}`).join("; ")]);
          const reply = await rawRequest(port, requestBytes(method, target, lines, method === "POST" ? "body" : undefined));
          expectEdgeReply(reply, "edge-request", undefined, method === "HEAD");
        },
      ),
      RUN_LIMITS,
    );
    await expectUnharmed();
  });

  it("function results: any value a viewer-request or viewer-response function returns", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          fc.record({ spec: functionResult }),
          fc.record({ mode: fc.constantFrom(...FUNCTION_MODES) }),
          fc.record({ rspec: fc.record({ statusCode, statusDescription: fc.string(), headers: fc.dictionary(name, fc.record({ value: fc.string() }), { maxKeys: 4 }), cookies: fc.constant({}) }) }),
        ),
        async (ask) => {
          const query = Object.entries(ask)
            .map(([key, value]) => `${key}=${percentEncode(typeof value === "string" ? value : JSON.stringify(value))}`)
            .join("&");
          const reply = await rawRequest(port, requestBytes("GET", `/fn?${query}`, [["Host", probeHost]]));
          const result = "spec" in ask ? ask.spec : "rspec" in ask ? ask.rspec : undefined;
          expectEdgeReply(reply, "function-result", typeof result === "object" && result !== null && "statusCode" in result ? result.statusCode : undefined);
        },
      ),
      RUN_LIMITS,
    );
    await expectUnharmed();
  });

  it("origin replies: broken status lines, header names, Set-Cookie names and framing", async () => {
    await fc.assert(
      fc.asyncProperty(originReply, async (bytes) => {
        const reply = await rawRequest(port, requestBytes("GET", "/origin", [["Host", probeHost], ["x-fuzz-reply", bytes.toString("base64")]]));
        const originStatus = /^HTTP\/1\.[01] (\d{3}) /.exec(bytes.toString("latin1"))?.[1];
        expectEdgeReply(reply, "origin-reply", originStatus === undefined ? undefined : Number(originStatus));
      }),
      RUN_LIMITS,
    );
    await expectUnharmed();
  });

  /** API replies: never a 5xx (but CloudFront's NotImplemented), always well-formed XML or JSON with a request id. */
  function expectApiReply(reply: RawReply, source: string, format: "xml" | "json", sent?: Buffer): void {
    const code = format === "xml" ? /<Code>([^<]*)<\/Code>/.exec(reply.body.toString())?.[1] : header(reply, "x-amzn-errortype");
    count(`${source} ${reply.status || reply.ended}${code ? ` ${code}` : ""}`);
    expect(reply.status, reply.head + reply.body.toString()).toBeGreaterThanOrEqual(200);
    if (!(reply.status === 501 && code === "NotImplemented")) expect(reply.status, reply.head + reply.body.toString()).toBeLessThan(500);
    if (reply.body.length === 0) return;
    // Bytes Node's HTTP parser refuses (a DEL in a header value) are answered before any protocol is known.
    if (header(reply, "content-type")?.startsWith("text/plain") && [400, 408, 413, 414, 431].includes(reply.status)) return;
    // GetFunction answers with the function's code as it was stored.
    if (header(reply, "content-type") === "application/octet-stream" && reply.status === 200) return;
    if (format === "xml") {
      expect(header(reply, "content-type")).toContain("xml");
      expect(wellFormedXml(reply.body.toString()), `${reply.body.toString()}\nsent: ${JSON.stringify(sent?.toString("latin1"))}`).toBe(true);
    } else {
      expect(header(reply, "content-type")).toContain("json");
      expect(() => JSON.parse(reply.body.toString())).not.toThrow();
    }
    expect(header(reply, "x-amzn-requestid")).toBeTruthy();
  }

  it("API bodies: mutated XML for every operation that takes a body", async () => {
    await fc.assert(
      fc.asyncProperty(xmlRequest, headerValue, async (request, ifMatch) => {
        const headers: Array<[string, string]> = [["Host", `127.0.0.1:${port}`], ["Content-Type", "application/xml"]];
        if (request.ifMatch) headers.push(["If-Match", ifMatch]);
        const bytes = requestBytes(request.method, request.path, headers, request.body);
        const reply = await rawRequest(port, bytes);
        expectApiReply(reply, "api-xml", "xml", bytes);
      }),
      RUN_LIMITS,
    );
    await expectUnharmed();
  });

  it("API paths and queries: hostile names, markers and page sizes", async () => {
    await fc.assert(
      fc.asyncProperty(fc.oneof(listRequest, namedResourcePath), fc.constantFrom("GET", "DELETE", "POST", "PUT"), async (path, method) => {
        const reply = await rawRequest(port, requestBytes(method, path, [["Host", `127.0.0.1:${port}`], ["If-Match", "E1"]], method === "POST" || method === "PUT" ? "" : undefined));
        expectApiReply(reply, "api-path", "xml");
      }),
      RUN_LIMITS,
    );
    await expectUnharmed();
  });

  it("KeyValueStore data plane: hostile keys and JSON bodies, always answered in JSON", async () => {
    const store = `/key-value-stores/${encodeURIComponent(dataStoreArn)}`;
    await fc.assert(
      fc.asyncProperty(dataPlaneRequest, async (request) => {
        const headers: Array<[string, string]> = [["Host", `123456789012.edgelite.localhost:${port}`], ["Content-Type", "application/json"]];
        if (request.ifMatch !== null) headers.push(["If-Match", request.ifMatch.replace(/[\r\n]/g, "")]);
        const path = `${store}${request.suffix}${request.suffix.endsWith("/") ? percentEncode(request.key, true) : ""}`;
        const hasBody = request.method === "PUT" || request.method === "POST" || request.method === "PATCH";
        const reply = await rawRequest(port, requestBytes(request.method, path, headers, hasBody ? request.body : undefined));
        expectApiReply(reply, "data-plane", "json");
      }),
      RUN_LIMITS,
    );
    await expectUnharmed();
  });
});
