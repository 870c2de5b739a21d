import type { Method } from "@aws-sdk/client-cloudfront";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { EdgeLogEntry } from "../../src/edge/edge.js";
import { createLiveFunction, http, startTestServer, type TestServer } from "../helpers.js";
import { ALL_SEVEN, CACHING_DISABLED, createDistribution, GET_HEAD, GET_HEAD_OPTIONS, methodsOf, startOrigin, type TestOrigin } from "./viewerRulesSetup.js";

/**
 * AllowedMethods over real HTTP, distributions created through the SDK: a method the cache behaviour does
 * not allow is answered 403 with CloudFront's page and sentence before any function runs or the origin is
 * asked; GET/HEAD, GET/HEAD/OPTIONS and all seven behave as CloudFront documents them.
 */

const SENTENCE = "This distribution is not configured to allow the HTTP request method that was used for this request. The distribution supports only cachable requests.";

describe("AllowedMethods (refuseMethod)", () => {
  let t: TestServer;
  let origin: TestOrigin;
  let host: string;
  const log: EdgeLogEntry[] = [];

  beforeAll(async () => {
    origin = await startOrigin((req, res) => void res.end(`origin saw ${req.method}`));
    t = await startTestServer("memory", { onEdgeRequest: (entry) => log.push(entry) });
    // A viewer-request function that answers by itself under /fn/: a refused method must never reach it.
    const fn = await createLiveFunction(t.client, "answers", `function handler(event) { if (event.request.uri.indexOf("/fn/") === 0) return { statusCode: 200, statusDescription: "OK", body: "function ran" }; return event.request; }`);
    const behaviour = (pattern: string, methods: Method[]) => ({
      PathPattern: pattern,
      TargetOriginId: "o",
      ViewerProtocolPolicy: "allow-all" as const,
      CachePolicyId: CACHING_DISABLED,
      AllowedMethods: methodsOf(methods),
      FunctionAssociations: { Quantity: 1, Items: [{ FunctionARN: fn, EventType: "viewer-request" as const }] },
    });
    const { PathPattern: _default, ...defaultBehaviour } = behaviour("*", GET_HEAD);
    ({ host } = await createDistribution(t.client, origin.port, {
      DefaultCacheBehavior: defaultBehaviour,
      CacheBehaviors: { Quantity: 3, Items: [behaviour("/three/*", GET_HEAD_OPTIONS), behaviour("/all/*", ALL_SEVEN), behaviour("/fn/*", GET_HEAD)] },
    }));
  });
  afterAll(async () => {
    await t.close();
    await origin.close();
  });

  const send = (method: string, path: string, options: { body?: string; headers?: Record<string, string> } = {}) => http(t.url, method, path, { ...options, headers: { host, ...options.headers } });

  it("answers POST on a GET/HEAD behaviour with 403, CloudFront's page and sentence, X-Cache Error; the origin is not asked", async () => {
    const before = origin.seen.length;
    const res = await send("POST", "/form", { body: "a=1", headers: { "content-type": "application/x-www-form-urlencoded" } });
    expect(res.status).toBe(403);
    expect(res.headers["content-type"]).toBe("text/html");
    expect(res.headers["x-cache"]).toBe("Error from cloudfront");
    expect(res.headers.server).toBe("CloudFront");
    expect(res.body).toContain("<H1>403 ERROR</H1>");
    expect(res.body).toContain(`${SENTENCE}\n`);
    expect(res.body).toContain(`Request ID: ${res.headers["x-amz-cf-id"]}`);
    expect(origin.seen.length).toBe(before);
    const entry = log.find((e) => e.requestId === res.headers["x-amz-cf-id"]);
    expect(entry).toMatchObject({ status: 403, result: "Error", functions: [] });
    expect(entry?.detail).toContain("POST is not among the cache behaviour's AllowedMethods (GET, HEAD)");
  });

  it("refuses before the viewer-request function runs: the function would have answered 200", async () => {
    expect((await send("GET", "/fn/x")).body).toBe("function ran");
    const res = await send("DELETE", "/fn/x");
    expect(res.status).toBe(403);
    expect(res.body).toContain(SENTENCE);
  });

  it("serves GET and HEAD on a GET/HEAD behaviour, and refuses OPTIONS, PUT, PATCH, POST and DELETE there", async () => {
    expect((await send("GET", "/page")).body).toBe("origin saw GET");
    expect((await send("HEAD", "/page")).status).toBe(200);
    for (const method of ["OPTIONS", "PUT", "PATCH", "POST", "DELETE"]) expect((await send(method, "/page")).status, method).toBe(403);
  });

  it("serves OPTIONS on a GET/HEAD/OPTIONS behaviour, and still refuses the others", async () => {
    const res = await send("OPTIONS", "/three/x");
    expect(res.status).toBe(200);
    expect(res.body).toBe("origin saw OPTIONS");
    for (const method of ["PUT", "PATCH", "POST", "DELETE"]) expect((await send(method, "/three/x")).status, method).toBe(403);
  });

  it("passes all seven methods to the origin on a behaviour that allows them", async () => {
    for (const method of ALL_SEVEN) {
      const res = await send(method, "/all/x", method === "GET" || method === "HEAD" || method === "OPTIONS" ? {} : { body: "payload" });
      expect(res.status, method).toBe(200);
      if (method !== "HEAD") expect(res.body, method).toBe(`origin saw ${method}`);
    }
  });

  it("refuses methods no behaviour can allow (TRACE) with the same page", async () => {
    const res = await send("TRACE", "/all/x");
    expect(res.status).toBe(403);
    expect(res.body).toContain(SENTENCE);
  });

  it("answers a GET with a body 403 (CloudFront refuses those), and serves one with Content-Length 0", async () => {
    const refused = await send("GET", "/all/x", { body: "{}", headers: { "content-length": "2" } });
    expect(refused.status).toBe(403);
    expect(refused.body).toContain("Bad request.");
    expect(refused.headers["x-cache"]).toBe("Error from cloudfront");
    expect((await send("GET", "/all/x", { headers: { "content-length": "0" } })).status).toBe(200);
  });
});
