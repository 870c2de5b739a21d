import { CreateDistributionCommand } from "@aws-sdk/client-cloudfront";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createLiveFunction, http, httpLines, startTestServer, type TestServer } from "../helpers.js";
import { PROTOTYPE_NAMES, prototypeGuard } from "../prototypeGuard.js";

/**
 * Untrusted names that are not ordinary keys of a plain object (`__proto__`, `constructor`, …) as query
 * keys, header names, cookie names, an origin's Set-Cookie and header names, and the names a function
 * returns: each behaves as any other name, through real HTTP against a real server (in this process, so
 * its Object.prototype is this test's), and afterwards another distribution still answers.
 */

interface Seen {
  url: string;
  rawHeaders: string[];
}

/** A real origin: records what reached it; `/set-cookie` answers with the prototype names as cookie and header names. */
async function startOrigin(): Promise<{ port: number; seen: Seen[]; server: Server }> {
  const seen: Seen[] = [];
  const server = createServer((req, res) => {
    seen.push({ url: req.url ?? "", rawHeaders: req.rawHeaders });
    const lines: Array<[string, string]> = [["Content-Type", "text/plain"]];
    if (req.url?.startsWith("/set-cookie")) {
      for (const name of PROTOTYPE_NAMES) lines.push(["Set-Cookie", `${name}=${name}-cookie; Path=/`], [name, `${name}-header`]);
    }
    res.writeHead(200, lines);
    res.end(`origin ${req.url}`);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return { port: (server.address() as AddressInfo).port, seen, server };
}

/** A GET to a distribution with header lines exactly as given. */
const get = (url: string, host: string, path: string, lines: Array<[string, string]> = []) => httpLines(url, "GET", path, [["Host", host], ...lines]);

/** Raw header lines as [name, value] pairs. */
const linesOf = (rawHeaders: string[]) => rawHeaders.flatMap((value, i) => (i % 2 === 0 ? [[value, rawHeaders[i + 1]!] as [string, string]] : []));

/**
 * The viewer-request function: `/echo` answers with what the function saw (each name, its value,
 * whether it is an own property, and its number of values; Object.prototype.hasOwnProperty.call, since
 * a query key named hasOwnProperty shadows the method, as it would on CloudFront);
 * `/generated` answers with the prototype names as header and cookie names; `/fn-headers` adds them to
 * the request it forwards; anything else is forwarded unchanged.
 */
const VIEWER_REQUEST = `
var NAMES = ${JSON.stringify(PROTOTYPE_NAMES)};
function seen(map) {
  return Object.keys(map).map(function (name) { return [name, map[name].value, Object.prototype.hasOwnProperty.call(map, name), (map[name].multiValue || []).length]; });
}
function named(suffix, lowerCase) {
  var map = {};
  NAMES.forEach(function (name) { Object.defineProperty(map, lowerCase ? name.toLowerCase() : name, { value: { value: name + suffix }, enumerable: true, writable: true, configurable: true }); });
  return map;
}
function handler(event) {
  var r = event.request;
  if (r.uri === '/echo') {
    var body = {
      query: seen(r.querystring), headers: seen(r.headers), cookies: seen(r.cookies),
      ordinary: Object.getPrototypeOf(r.headers) === Object.prototype && Object.getPrototypeOf(r.querystring) === Object.prototype && Object.getPrototypeOf(r.cookies) === Object.prototype,
      clean: ({}).value === undefined && ({}).multiValue === undefined
    };
    return { statusCode: 200, statusDescription: 'OK', headers: { 'content-type': { value: 'application/json' } }, body: JSON.stringify(body) };
  }
  if (r.uri === '/generated') {
    return { statusCode: 200, statusDescription: 'OK', headers: named('-header', true), cookies: named('-cookie'), body: 'generated' };
  }
  if (r.uri === '/fn-headers') {
    var headers = named('-fn', true);
    Object.keys(headers).forEach(function (name) { Object.defineProperty(r.headers, name, { value: headers[name], enumerable: true, writable: true, configurable: true }); });
    var cookies = named('-fncookie');
    Object.keys(cookies).forEach(function (name) { Object.defineProperty(r.cookies, name, { value: cookies[name], enumerable: true, writable: true, configurable: true }); });
    var query = named('-fnquery');
    Object.keys(query).forEach(function (name) { Object.defineProperty(r.querystring, name, { value: query[name], enumerable: true, writable: true, configurable: true }); });
  }
  return r;
}`;

/** The viewer-response function: reports the origin's cookie and header names it saw (own, with values). */
const VIEWER_RESPONSE = `
function handler(event) {
  var response = event.response;
  var list = function (map) { return Object.keys(map).filter(function (name) { return Object.prototype.hasOwnProperty.call(map, name); }).map(function (name) { return name + '=' + map[name].value; }).join(','); };
  response.headers['x-seen-cookies'] = { value: list(response.cookies) };
  response.headers['x-seen-headers'] = { value: list(response.headers) };
  return response;
}`;

describe("prototype names at the edge", () => {
  let t: TestServer;
  let origin: Awaited<ReturnType<typeof startOrigin>>;
  let domain: string;
  let other: string;
  let guard: ReturnType<typeof prototypeGuard>;

  const distribution = async (reference: string, functions: Array<{ FunctionARN: string; EventType: "viewer-request" | "viewer-response" }>) => {
    const created = await t.client.send(
      new CreateDistributionCommand({
        DistributionConfig: {
          CallerReference: reference,
          Comment: "",
          Enabled: true,
          Origins: { Quantity: 1, Items: [{ Id: "o", DomainName: "127.0.0.1", CustomOriginConfig: { HTTPPort: origin.port, HTTPSPort: 443, OriginProtocolPolicy: "http-only" } }] },
          DefaultCacheBehavior: { TargetOriginId: "o", ViewerProtocolPolicy: "allow-all", FunctionAssociations: { Quantity: functions.length, Items: functions } },
        },
      }),
    );
    return created.Distribution!.DomainName!;
  };

  beforeAll(async () => {
    t = await startTestServer("memory");
    origin = await startOrigin();
    const viewerRequest = await createLiveFunction(t.client, "proto-request", VIEWER_REQUEST);
    const viewerResponse = await createLiveFunction(t.client, "proto-response", VIEWER_RESPONSE);
    const plain = await createLiveFunction(t.client, "other-request", `function handler(event) { event.request.headers['x-other'] = { value: 'yes' }; return event.request; }`);
    domain = await distribution("proto", [
      { FunctionARN: viewerRequest, EventType: "viewer-request" },
      { FunctionARN: viewerResponse, EventType: "viewer-response" },
    ]);
    other = await distribution("other", [{ FunctionARN: plain, EventType: "viewer-request" }]);
  });
  afterAll(async () => {
    await t.close();
    origin.server.close();
  });
  beforeEach(() => {
    guard = prototypeGuard();
    origin.seen.length = 0;
  });

  /** (b) nothing reached Object.prototype, and (c) another distribution still answers as before. */
  async function stillHealthy(): Promise<void> {
    guard.check();
    origin.seen.length = 0;
    const reply = await http(t.url, "GET", "/after?a=1", { headers: { host: other, cookie: "a=b", "x-test": "1" } });
    expect(reply.status).toBe(200);
    expect(reply.body).toBe("origin /after?a=1");
    const seen = origin.seen.at(-1)!;
    expect(linesOf(seen.rawHeaders)).toEqual(expect.arrayContaining([["X-Other", "yes"], ["X-Test", "1"], ["Cookie", "a=b"]]));
    guard.check();
  }

  const echo = async (path: string, lines: Array<[string, string]> = []) => {
    const reply = await get(t.url, domain, path, lines);
    expect(reply.status, reply.body).toBe(200);
    return JSON.parse(reply.body) as { query: unknown[]; headers: unknown[]; cookies: unknown[]; ordinary: boolean; clean: boolean };
  };

  it("query keys: the function sees each as an own key with its value, and the origin gets the query as sent", async () => {
    const query = PROTOTYPE_NAMES.map((name, i) => `${name}=${i}`).join("&");
    const seen = await echo(`/echo?${query}&__proto__=again`);
    expect(seen.query).toEqual([["__proto__", "0", true, 2], ["constructor", "1", true, 0], ["prototype", "2", true, 0], ["hasOwnProperty", "3", true, 0], ["toString", "4", true, 0]]);
    expect(seen.ordinary).toBe(true);
    expect(seen.clean).toBe(true);

    const passed = await get(t.url, domain, `/pass?${query}`);
    expect(passed.status).toBe(200);
    expect(origin.seen.at(-1)!.url).toBe(`/pass?${query}`);
    await stillHealthy();
  });

  it("header names: the function sees them (lower-cased), and the origin gets them", async () => {
    const lines = PROTOTYPE_NAMES.map((name): [string, string] => [name, `${name}-value`]);
    const seen = await echo("/echo", [...lines, ["__proto__", "second"]]);
    for (const name of PROTOTYPE_NAMES) expect(seen.headers).toContainEqual([name.toLowerCase(), `${name}-value`, true, name === "__proto__" ? 2 : 0]);
    expect(seen.clean).toBe(true);

    await get(t.url, domain, "/pass", [...lines, ["__proto__", "second"]]);
    const received = linesOf(origin.seen.at(-1)!.rawHeaders);
    // CloudFront writes forwarded names Title-Case; `_` is not a word boundary.
    expect(received).toEqual(expect.arrayContaining([["__proto__", "__proto__-value"], ["__proto__", "second"], ["Constructor", "constructor-value"], ["Prototype", "prototype-value"], ["Hasownproperty", "hasOwnProperty-value"], ["Tostring", "toString-value"]]));
    await stillHealthy();
  });

  it("cookie names: the function sees them, and the origin gets them", async () => {
    const cookie = PROTOTYPE_NAMES.map((name) => `${name}=${name}-c`).join("; ");
    const seen = await echo("/echo", [["Cookie", `${cookie}; __proto__=again`]]);
    expect(seen.cookies).toEqual(PROTOTYPE_NAMES.map((name) => [name, `${name}-c`, true, name === "__proto__" ? 2 : 0]));
    expect(seen.clean).toBe(true);

    await get(t.url, domain, "/pass", [["Cookie", cookie]]);
    expect(linesOf(origin.seen.at(-1)!.rawHeaders)).toContainEqual(["Cookie", cookie]);
    await stillHealthy();
  });

  it("an origin's Set-Cookie and header names: the viewer-response function sees them, and the viewer gets them", async () => {
    const reply = await get(t.url, domain, "/set-cookie");
    expect(reply.status).toBe(200);
    expect(reply.body).toBe("origin /set-cookie");
    const lines = linesOf(reply.rawHeaders);
    for (const name of PROTOTYPE_NAMES) {
      expect(lines).toContainEqual(["Set-Cookie", `${name}=${name}-cookie; Path=/`]);
      expect(lines.some(([header, value]) => header.toLowerCase() === name.toLowerCase() && value === `${name}-header`), name).toBe(true);
    }
    const seenCookies = lines.find(([name]) => name === "X-Seen-Cookies")![1];
    expect(seenCookies).toBe(PROTOTYPE_NAMES.map((name) => `${name}=${name}-cookie`).join(","));
    const seenHeaders = lines.find(([name]) => name === "X-Seen-Headers")![1].split(",");
    for (const name of PROTOTYPE_NAMES) expect(seenHeaders).toContain(`${name.toLowerCase()}=${name}-header`);
    await stillHealthy();
  });

  it("names a function returns: in a generated response's headers and cookies", async () => {
    const reply = await get(t.url, domain, "/generated");
    expect(reply.status).toBe(200);
    expect(reply.body).toBe("generated");
    const lines = linesOf(reply.rawHeaders);
    for (const name of PROTOTYPE_NAMES) {
      expect(lines.some(([header, value]) => header.toLowerCase() === name.toLowerCase() && value === `${name}-header`), name).toBe(true);
      expect(lines).toContainEqual(["Set-Cookie", `${name}=${name}-cookie`]);
    }
    await stillHealthy();
  });

  it("names a function returns: in the request it forwards (headers, cookies, query)", async () => {
    const reply = await get(t.url, domain, "/fn-headers");
    expect(reply.status).toBe(200);
    const seen = origin.seen.at(-1)!;
    const lines = linesOf(seen.rawHeaders);
    for (const name of PROTOTYPE_NAMES) expect(lines.some(([header, value]) => header.toLowerCase() === name.toLowerCase() && value === `${name}-fn`), name).toBe(true);
    expect(lines).toContainEqual(["Cookie", PROTOTYPE_NAMES.map((name) => `${name}=${name}-fncookie`).join("; ")]);
    expect(seen.url).toBe(`/fn-headers?${PROTOTYPE_NAMES.map((name) => `${name}=${name}-fnquery`).join("&")}`);
    await stillHealthy();
  });
});
