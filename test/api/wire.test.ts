import { ListFunctionsCommand } from "@aws-sdk/client-cloudfront";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { MAX_PARSED_HEAD_BYTES } from "../../src/limits.js";
import { http, rawExchange, startTestServer, type TestServer } from "../helpers.js";

const HEALTH = "GET /_edgelite/health HTTP/1.1\r\nHost: localhost\r\n\r\n";
const LIST = "GET /2020-05-31/function HTTP/1.1\r\nHost: localhost\r\n\r\n";

/** The status lines of every response in a raw byte stream, in order. */
const statuses = (text: string) => [...text.matchAll(/HTTP\/1\.1 (\d{3}) /g)].map((m) => Number(m[1]));

describe("the server on the wire: parser errors, pipelining, sizes and timeouts", () => {
  let t: TestServer;
  beforeAll(async () => {
    // Short timeouts so trickles are closed within a test; the checks run every 50 ms.
    t = await startTestServer("memory", { clientTimeouts: { headersMs: 500, requestMs: 1_500, bodyIdleMs: 500, checkIntervalMs: 50 } });
  });
  afterAll(async () => {
    await t.close();
  });

  it("answers a pipelined request before the 400 for garbage that follows it in the same packet", async () => {
    const { text } = await rawExchange(t.url, [`${LIST}${HEALTH}NOT HTTP AT ALL\r\n\r\n`]);
    expect(statuses(text)).toEqual([200, 200, 400]);
    expect(text).toContain("<FunctionList");
    expect(text.indexOf('"status":"ok"')).toBeLessThan(text.lastIndexOf("HTTP/1.1 400"));
  });

  it("answers 431 (not a bare 400) for a request line or headers over Node's parse limit", async () => {
    const headers = await rawExchange(t.url, [`GET / HTTP/1.1\r\nHost: localhost\r\nX-Big: ${"a".repeat(MAX_PARSED_HEAD_BYTES)}\r\n\r\n`]);
    expect(statuses(headers.text)).toEqual([431]);
    const url = await rawExchange(t.url, [`GET /${"a".repeat(MAX_PARSED_HEAD_BYTES)} HTTP/1.1\r\nHost: localhost\r\n\r\n`]);
    expect(statuses(url.text)).toEqual([431]);
  });

  it("answers a 16 KB URL (within Node's parse limit, over CloudFront's) with 414", async () => {
    const { text } = await rawExchange(t.url, [`GET /2020-05-31/function?Marker=${"a".repeat(16_384)} HTTP/1.1\r\nHost: localhost\r\n\r\n`]);
    expect(statuses(text)).toEqual([414]);
  });

  it("answers the API's over-long URL with 414 and over-large headers with 431, as errors in CloudFront's format", async () => {
    const url = await http(t.url, "GET", `/2020-05-31/function?Marker=${"a".repeat(9_000)}`);
    expect(url.status).toBe(414);
    expect(url.body).toContain("<Code>RequestURITooLong</Code>");
    expect(url.headers.connection).toBe("close");
    const headers = await http(t.url, "GET", "/2020-05-31/function", { headers: { "x-big": "a".repeat(21_000) } });
    expect(headers.status).toBe(431);
    expect(headers.body).toContain("<Code>RequestHeaderSectionTooLarge</Code>");
    const within = await http(t.url, "GET", "/2020-05-31/function", { headers: { "x-big": "a".repeat(15_000) } });
    expect(within.status).toBe(200);
  });

  it("closes a connection whose headers trickle in (slow-loris) with 408, serving others meanwhile", async () => {
    const trickle = rawExchange(t.url, ["GET /2020-05-31/function HTTP/1.1\r\nHost: localhost\r\n", "X-Slow: 1\r\n"], { gapMs: 100, repeatLast: true });
    const others = await Promise.all([http(t.url, "GET", "/_edgelite/health"), t.client.send(new ListFunctionsCommand({}))]);
    expect(others[0].status).toBe(200);
    expect(others[1].FunctionList).toBeDefined();
    const { text, chunksSent } = await trickle;
    expect(statuses(text)).toEqual([408]);
    expect(chunksSent).toBeGreaterThan(2);
  });

  it("closes a request whose body trickles in with 408 once the whole request takes too long", async () => {
    const head = "POST /2020-05-31/function HTTP/1.1\r\nHost: localhost\r\nContent-Type: text/xml\r\nContent-Length: 100000\r\n\r\n";
    const trickle = rawExchange(t.url, [head, "<"], { gapMs: 100, repeatLast: true });
    expect((await http(t.url, "GET", "/_edgelite/health")).status).toBe(200);
    const { text, chunksSent } = await trickle;
    expect(statuses(text)).toEqual([408]);
    expect(chunksSent).toBeGreaterThan(5);
  });

  it("answers a stalled API body with 408 RequestTimeout and closes the connection", async () => {
    const head = "POST /2020-05-31/function HTTP/1.1\r\nHost: localhost\r\nContent-Type: text/xml\r\nContent-Length: 100\r\n\r\n";
    const { text } = await rawExchange(t.url, [head, "<CreateFunctionRequest>"]);
    expect(statuses(text)).toEqual([408]);
    expect(text).toContain("<Code>RequestTimeout</Code>");
  });
});
