import { CreateDistributionCommand, type CacheBehavior } from "@aws-sdk/client-cloudfront";
import { request } from "node:http";
import { gunzipSync } from "node:zlib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FixedClock } from "../../src/clock.js";
import { createLiveFunction, http, startTestServer, type RawResponse, type TestServer } from "../helpers.js";
import { startCountingOrigin } from "./cacheOrigin.js";

const CACHING_OPTIMIZED = "658327ea-f89d-4fab-a63d-7e88639e58f6"; // MinTTL 1, DefaultTTL 1 day, no query/cookies/headers
const USE_ORIGIN_HEADERS_QS = "4cc15a8a-d715-48a4-82b8-cc0b614638fe"; // MinTTL 0, DefaultTTL 0; all query strings and cookies, Host/Origin/… headers
const CACHING_DISABLED = "4135ea2d-6df8-44a3-9df3-4b5a84be39ad";

/** AWS's normalize-query-string idea: the same parameters in any order make one cache key. */
const VIEWER_REQUEST = `function handler(event) {
  var r = event.request;
  if (r.uri === '/gen') return { statusCode: 200, statusDescription: 'OK', body: 'generated' };
  var keys = Object.keys(r.querystring).sort();
  var sorted = {};
  keys.forEach(function (k) { sorted[k] = r.querystring[k]; });
  r.querystring = sorted;
  return r;
}`;
/** Appends to a header: were its changes to reach the cache, each hit would show one more `v`. */
const VIEWER_RESPONSE = `function handler(event) {
  var h = event.response.headers;
  h['x-viewer-response'] = { value: (h['x-viewer-response'] ? h['x-viewer-response'].value : '') + 'v' };
  return event.response;
}`;

const xCache = (res: RawResponse) => res.headers["x-cache"];

describe("the edge cache", () => {
  let t: TestServer;
  let domain: string;
  let distributionId: string;
  const clock = new FixedClock(new Date());
  let flakyDown = false;
  const origin = startCountingOrigin((url) => {
    const path = url.split("?")[0]!;
    if (path === "/h/flaky") return flakyDown ? { status: 503, body: "down" } : { headers: { "cache-control": "max-age=10", etag: '"f1"' } };
    if (path.startsWith("/gz/")) return { body: "compress me ".repeat(200) };
    if (path === "/h/maxage") return { headers: { "cache-control": "max-age=60", etag: '"m1"' } };
    if (path === "/h/smaxage") return { headers: { "cache-control": "s-maxage=100, max-age=10" } };
    if (path === "/h/nostore") return { headers: { "cache-control": "no-store" } };
    if (path === "/h/private") return { headers: { "cache-control": "private, max-age=60" } };
    if (path === "/h/expires") return { headers: { expires: new Date(clock.now().getTime() + 30_000).toUTCString() } };
    if (path === "/h/none") return {};
    if (path === "/h/slow-nostore") return { delayMs: 150, headers: { "cache-control": "no-store" } };
    if (path.startsWith("/q/")) return { headers: { "cache-control": "max-age=60" } };
    if (path === "/nostore") return { headers: { "cache-control": "no-store" } };
    if (path === "/err") return { status: 503, body: "down" };
    if (path === "/teapot") return { status: 418, body: "teapot" };
    if (path === "/cookie") return { headers: { "set-cookie": "session=abc; Path=/" } };
    if (path === "/slow" || path === "/slow-inv") return { delayMs: 150 };
    if (path === "/legacy2/long") return { headers: { "cache-control": "max-age=3600" } };
    if (path === "/legacy2/short") return { headers: { "cache-control": "max-age=1" } };
    if (path === "/missing") return { status: 404, body: "not here" };
    if (path === "/range") return { body: "0123456789", headers: { etag: '"r1"' } };
    return { headers: { etag: `"${path}"`, "last-modified": "Mon, 01 Jan 2024 00:00:00 GMT" } };
  });
  let o: Awaited<typeof origin>;
  const get = (path: string, headers: Record<string, string> = {}, method = "GET") => http(t.url, method, path, { headers: { host: domain, ...headers } });

  beforeAll(async () => {
    o = await origin;
    t = await startTestServer("memory", { clock });
    const request = await createLiveFunction(t.client, "normalise", VIEWER_REQUEST);
    const response = await createLiveFunction(t.client, "mark", VIEWER_RESPONSE);
    const functions = { Quantity: 2, Items: [{ FunctionARN: request, EventType: "viewer-request" as const }, { FunctionARN: response, EventType: "viewer-response" as const }] };
    const behaviour = (PathPattern: string, rest: Partial<CacheBehavior>): CacheBehavior => ({ PathPattern, TargetOriginId: "o", ViewerProtocolPolicy: "allow-all", FunctionAssociations: functions, ...rest });
    const created = await t.client.send(
      new CreateDistributionCommand({
        DistributionConfig: {
          CallerReference: "cache-test",
          Comment: "",
          Enabled: true,
          Origins: { Quantity: 1, Items: [{ Id: "o", DomainName: "127.0.0.1", CustomOriginConfig: { HTTPPort: o.port, HTTPSPort: 443, OriginProtocolPolicy: "http-only" } }] },
          DefaultCacheBehavior: { TargetOriginId: "o", ViewerProtocolPolicy: "allow-all", CachePolicyId: CACHING_OPTIMIZED, FunctionAssociations: functions },
          CustomErrorResponses: { Quantity: 1, Items: [{ ErrorCode: 404, ErrorCachingMinTTL: 30 }] },
          CacheBehaviors: {
            Quantity: 8,
            Items: [
              behaviour("/gz/*", { CachePolicyId: CACHING_OPTIMIZED, Compress: true }),
              behaviour("/legacy2/*", { ForwardedValues: { QueryString: false, Cookies: { Forward: "none" } }, MinTTL: 5, DefaultTTL: 20, MaxTTL: 30 }),
              behaviour("/opt/*", {
                CachePolicyId: CACHING_OPTIMIZED,
                AllowedMethods: { Quantity: 3, Items: ["GET", "HEAD", "OPTIONS"], CachedMethods: { Quantity: 3, Items: ["GET", "HEAD", "OPTIONS"] } },
              }),
              behaviour("/q/*", { CachePolicyId: USE_ORIGIN_HEADERS_QS }),
              behaviour("/h/*", { CachePolicyId: USE_ORIGIN_HEADERS_QS }),
              behaviour("/disabled/*", { CachePolicyId: CACHING_DISABLED }),
              behaviour("/legacy/*", { ForwardedValues: { QueryString: false, Cookies: { Forward: "none" }, Headers: { Quantity: 1, Items: ["X-Variant"] } }, MinTTL: 0 }),
              behaviour("/none/*", {}),
            ],
          },
        },
      }),
    );
    domain = created.Distribution!.DomainName!;
    distributionId = created.Distribution!.Id!;
  });
  afterAll(async () => {
    await t.close();
    await o.close();
  });

  it("misses once, then hits without the origin: Age grows with the clock, viewer-response runs on every hit", async () => {
    const first = await get("/a");
    expect(first.status).toBe(200);
    expect(xCache(first)).toBe("Miss from cloudfront");
    expect(first.headers.age).toBeUndefined();
    const second = await get("/a");
    expect(xCache(second)).toBe("Hit from cloudfront");
    expect(second.body).toBe("body of /a");
    expect(second.headers.age).toBe("0");
    expect(second.headers["x-viewer-response"]).toBe("v");
    clock.advance(5_000);
    const third = await get("/a");
    expect(third.headers.age).toBe("5");
    expect(third.headers["x-viewer-response"]).toBe("v");
    expect(third.headers["content-length"]).toBe(String("body of /a".length));
    expect(o.count("/a")).toBe(1);
  });

  it("answers HEAD from the GET object, and a viewer's matching If-None-Match or If-Modified-Since with 304", async () => {
    await get("/b");
    const head = await get("/b", {}, "HEAD");
    expect(xCache(head)).toBe("Hit from cloudfront");
    expect(head.body).toBe("");
    expect(head.headers["content-length"]).toBe(String("body of /b".length));
    const etag = await get("/b", { "if-none-match": '"/b"' });
    expect(etag.status).toBe(304);
    expect(etag.body).toBe("");
    expect(etag.headers.etag).toBe('"/b"');
    const since = await get("/b", { "if-modified-since": "Tue, 02 Jan 2024 00:00:00 GMT" });
    expect(since.status).toBe(304);
    const changed = await get("/b", { "if-none-match": '"other"' });
    expect(changed.status).toBe(200);
    expect(o.count("/b")).toBe(1);
  });

  it("serves one byte range from the cached object (206, Content-Range), 416 past its end", async () => {
    await get("/range");
    const part = await get("/range", { range: "bytes=2-5" });
    expect(part.status).toBe(206);
    expect(part.body).toBe("2345");
    expect(part.headers["content-range"]).toBe("bytes 2-5/10");
    expect(xCache(part)).toBe("Hit from cloudfront");
    const suffix = await get("/range", { range: "bytes=-3" });
    expect(suffix.body).toBe("789");
    const beyond = await get("/range", { range: "bytes=20-" });
    expect(beyond.status).toBe(416);
    expect(beyond.headers["content-range"]).toBe("bytes */10");
    expect(o.count("/range")).toBe(1);
  });

  it("leaves query strings out of the key when the policy does (CachingOptimized)", async () => {
    await get("/c?x=1");
    const other = await get("/c?x=2");
    expect(xCache(other)).toBe("Hit from cloudfront");
    expect(o.count("/c")).toBe(1);
  });

  it("keys on query strings after the viewer-request function: a function sorting them turns reordered URLs into hits", async () => {
    expect(xCache(await get("/q/p?b=2&a=1"))).toBe("Miss from cloudfront");
    expect(xCache(await get("/q/p?a=1&b=2"))).toBe("Hit from cloudfront");
    expect(xCache(await get("/q/p?a=1&b=3"))).toBe("Miss from cloudfront");
    expect(o.count("/q/p?a=1&b=2")).toBe(1);
    expect(o.count("/q/p?a=1&b=3")).toBe(1);
  });

  it("keys on the cookies and headers the policy names", async () => {
    expect(xCache(await get("/q/c", { cookie: "lang=fr" }))).toBe("Miss from cloudfront");
    expect(xCache(await get("/q/c", { cookie: "lang=de" }))).toBe("Miss from cloudfront");
    expect(xCache(await get("/q/c", { cookie: "lang=fr" }))).toBe("Hit from cloudfront");
    expect(xCache(await get("/q/o", { origin: "http://one.example" }))).toBe("Miss from cloudfront");
    expect(xCache(await get("/q/o", { origin: "http://two.example" }))).toBe("Miss from cloudfront");
    expect(xCache(await get("/q/o", { origin: "http://one.example" }))).toBe("Hit from cloudfront");
    // A header the policy does not name is not in the key.
    expect(xCache(await get("/q/o", { origin: "http://one.example", "x-other": "1" }))).toBe("Hit from cloudfront");
  });

  it("keys on the normalised Accept-Encoding the policy enables: only viewers accepting the same of br/gzip share an object", async () => {
    expect(xCache(await get("/enc", { "accept-encoding": "gzip" }))).toBe("Miss from cloudfront");
    expect(xCache(await get("/enc", { "accept-encoding": "gzip;q=1.0, deflate" }))).toBe("Hit from cloudfront");
    expect(xCache(await get("/enc", { "accept-encoding": "br, gzip" }))).toBe("Miss from cloudfront");
    expect(xCache(await get("/enc", { "accept-encoding": "br" }))).toBe("Miss from cloudfront");
    expect(xCache(await get("/enc", {}))).toBe("Miss from cloudfront");
    expect(xCache(await get("/enc", { "accept-encoding": "deflate" }))).toBe("Hit from cloudfront");
    expect(o.count("/enc")).toBe(4);
  });

  it("keeps the compressed object (Compress): a gzip viewer gets it again from the cache, a viewer without gzip its own", async () => {
    const bytes = (headers: Record<string, string>) =>
      new Promise<{ headers: Record<string, string | string[] | undefined>; body: Buffer }>((resolve, reject) => {
        const target = new URL(t.url);
        request({ host: target.hostname, port: target.port, path: "/gz/a", headers: { host: domain, ...headers } }, (res) => {
          const chunks: Buffer[] = [];
          res.on("data", (chunk: Buffer) => chunks.push(chunk));
          res.on("end", () => resolve({ headers: res.headers, body: Buffer.concat(chunks) }));
        })
          .on("error", reject)
          .end();
      });
    const first = await bytes({ "accept-encoding": "gzip" });
    expect(first.headers["content-encoding"]).toBe("gzip");
    const hit = await bytes({ "accept-encoding": "gzip" });
    expect(hit.headers["x-cache"]).toBe("Hit from cloudfront");
    expect(hit.headers["content-encoding"]).toBe("gzip");
    expect(gunzipSync(hit.body).toString()).toBe("compress me ".repeat(200));
    const plain = await bytes({});
    expect(plain.headers["x-cache"]).toBe("Miss from cloudfront");
    expect(plain.headers["content-encoding"]).toBeUndefined();
    expect(plain.body.toString()).toBe("compress me ".repeat(200));
    expect(o.count("/gz/a")).toBe(2);
  });

  it("legacy ForwardedValues: the whitelisted header is in the key, DefaultTTL (a day) applies without Cache-Control", async () => {
    expect(xCache(await get("/legacy/x", { "x-variant": "a" }))).toBe("Miss from cloudfront");
    expect(xCache(await get("/legacy/x", { "x-variant": "b" }))).toBe("Miss from cloudfront");
    expect(xCache(await get("/legacy/x", { "x-variant": "a" }))).toBe("Hit from cloudfront");
  });

  it("revalidates a stale object with its ETag: the origin's 304 refreshes it (RefreshHit), then it is fresh again", async () => {
    await get("/h/maxage");
    expect(xCache(await get("/h/maxage"))).toBe("Hit from cloudfront");
    clock.advance(61_000);
    const refreshed = await get("/h/maxage");
    expect(xCache(refreshed)).toBe("RefreshHit from cloudfront");
    expect(refreshed.status).toBe(200);
    expect(refreshed.body).toBe("body of /h/maxage");
    expect(refreshed.headers.age).toBe("0");
    const revalidation = o.seen.filter((s) => s.url === "/h/maxage").at(-1)!;
    expect(revalidation.headers["if-none-match"]).toBe('"m1"');
    expect(xCache(await get("/h/maxage"))).toBe("Hit from cloudfront");
    expect(o.count("/h/maxage")).toBe(2);
  });

  it("serves the stale object when the origin answers 5xx to its revalidation", async () => {
    await get("/h/flaky");
    flakyDown = true;
    clock.advance(11_000);
    const stale = await get("/h/flaky");
    expect(stale.status).toBe(200);
    expect(stale.body).toBe("body of /h/flaky");
    expect(xCache(stale)).toBe("Hit from cloudfront");
    expect(o.count("/h/flaky")).toBe(2);
    flakyDown = false;
    expect(xCache(await get("/h/flaky"))).toBe("RefreshHit from cloudfront");
  });

  it("TTLs: s-maxage over max-age; Expires; no-store and private not cached at MinTTL 0; DefaultTTL 0 without headers", async () => {
    await get("/h/smaxage");
    clock.advance(50_000);
    expect(xCache(await get("/h/smaxage"))).toBe("Hit from cloudfront");
    await get("/h/expires");
    clock.advance(20_000);
    expect(xCache(await get("/h/expires"))).toBe("Hit from cloudfront");
    clock.advance(11_000);
    expect(xCache(await get("/h/expires"))).toBe("Miss from cloudfront");
    for (const path of ["/h/nostore", "/h/private", "/h/none"]) {
      await get(path);
      expect(xCache(await get(path))).toBe("Miss from cloudfront");
      expect(o.count(path)).toBe(2);
    }
  });

  it("legacy MinTTL/DefaultTTL/MaxTTL clamp the origin's max-age (1 h → MaxTTL 30 s, 1 s → MinTTL 5 s) and stand in for it (DefaultTTL 20 s)", async () => {
    for (const path of ["/legacy2/long", "/legacy2/short", "/legacy2/none"]) await get(path);
    clock.advance(4_000);
    for (const path of ["/legacy2/long", "/legacy2/short", "/legacy2/none"]) expect(xCache(await get(path))).toBe("Hit from cloudfront");
    clock.advance(15_000);
    expect(xCache(await get("/legacy2/short"))).toBe("Miss from cloudfront");
    expect(xCache(await get("/legacy2/none"))).toBe("Hit from cloudfront");
    clock.advance(2_000);
    // Stale after DefaultTTL; it has an ETag, so the origin is asked whether it changed (it did not).
    expect(xCache(await get("/legacy2/none"))).toBe("RefreshHit from cloudfront");
    expect(xCache(await get("/legacy2/long"))).toBe("Hit from cloudfront");
    clock.advance(10_000);
    expect(xCache(await get("/legacy2/long"))).toBe("Miss from cloudfront");
  });

  it("caches a 404 for its CustomErrorResponse's ErrorCachingMinTTL (30 s)", async () => {
    await get("/missing");
    clock.advance(20_000);
    const cached = await get("/missing");
    expect(cached.status).toBe(404);
    expect(o.count("/missing")).toBe(1);
    clock.advance(11_000);
    await get("/missing");
    expect(o.count("/missing")).toBe(2);
  });

  it("caches OPTIONS apart from GET when CachedMethods include it", async () => {
    await get("/opt/x", {}, "OPTIONS");
    expect(xCache(await get("/opt/x", {}, "OPTIONS"))).toBe("Hit from cloudfront");
    expect(xCache(await get("/opt/x"))).toBe("Miss from cloudfront");
    expect(o.seen.filter((s) => s.url === "/opt/x").map((s) => s.method)).toEqual(["OPTIONS", "GET"]);
  });

  it("no-store under a MinTTL of 1 s is cached for that second (the cache policy's MinTTL wins)", async () => {
    await get("/nostore");
    expect(xCache(await get("/nostore"))).toBe("Hit from cloudfront");
    clock.advance(1_500);
    expect(xCache(await get("/nostore"))).toBe("Miss from cloudfront");
  });

  it("caches nothing under CachingDisabled, nor for a behaviour with no cache settings at all", async () => {
    for (const path of ["/disabled/x", "/none/x"]) {
      await get(path);
      expect(xCache(await get(path))).toBe("Miss from cloudfront");
      expect(o.count(path)).toBe(2);
    }
  });

  it("caches a 503 for the ErrorCachingMinTTL (10 s by default), not a 418", async () => {
    const first = await get("/err");
    expect(first.status).toBe(503);
    expect(xCache(first)).toBe("Error from cloudfront");
    const second = await get("/err");
    expect(second.status).toBe(503);
    expect(second.body).toBe("down");
    expect(o.count("/err")).toBe(1);
    clock.advance(11_000);
    await get("/err");
    expect(o.count("/err")).toBe(2);
    await get("/teapot");
    await get("/teapot");
    expect(o.count("/teapot")).toBe(2);
  });

  it("keeps no Set-Cookie in the cache: the viewer who caused the miss gets it, hits do not", async () => {
    const miss = await get("/cookie");
    expect(miss.headers["set-cookie"]).toEqual(["session=abc; Path=/"]);
    const hit = await get("/cookie");
    expect(xCache(hit)).toBe("Hit from cloudfront");
    expect(hit.headers["set-cookie"]).toBeUndefined();
  });

  it("never caches a response a function generated", async () => {
    for (let i = 0; i < 2; i++) {
      const res = await get("/gen");
      expect(res.body).toBe("generated");
      expect(xCache(res)).toBe("FunctionGeneratedResponse from cloudfront");
    }
  });

  it("collapses concurrent misses for one key into one origin request", async () => {
    const answers = await Promise.all(Array.from({ length: 20 }, () => get("/slow")));
    expect(o.count("/slow")).toBe(1);
    expect(answers.every((a) => a.status === 200 && a.body === "body of /slow")).toBe(true);
    expect(answers.filter((a) => xCache(a) === "Miss from cloudfront")).toHaveLength(1);
    expect(answers.filter((a) => xCache(a) === "Hit from cloudfront")).toHaveLength(19);
  });

  it("lets waiters go to the origin themselves when the response they waited for cannot be cached", async () => {
    const answers = await Promise.all(Array.from({ length: 5 }, () => get("/h/slow-nostore")));
    expect(answers.every((a) => a.status === 200 && xCache(a) === "Miss from cloudfront")).toBe(true);
    expect(o.count("/h/slow-nostore")).toBe(5);
  });

  it("invalidates exact paths (case-sensitive, query strings part of the path) and prefixes ending in *", async () => {
    await get("/inv/one");
    await get("/inv/two");
    await get("/q/inv?v=1");
    expect(t.server.app.edge.invalidate(distributionId, ["/INV/one"])).toBe(0);
    expect(t.server.app.edge.invalidate(distributionId, ["/q/inv"])).toBe(0);
    expect(t.server.app.edge.invalidate(distributionId, ["/inv/one"])).toBe(1);
    expect(xCache(await get("/inv/one"))).toBe("Miss from cloudfront");
    expect(xCache(await get("/inv/two"))).toBe("Hit from cloudfront");
    expect(t.server.app.edge.invalidate(distributionId, ["/inv/*", "/q/inv*"])).toBe(3);
    expect(xCache(await get("/inv/two"))).toBe("Miss from cloudfront");
    expect(xCache(await get("/q/inv?v=1"))).toBe("Miss from cloudfront");
    expect(t.server.app.edge.invalidate("EOTHERDISTRIBUTION", ["/*"])).toBe(0);
  });

  it("does not store a response fetched before an invalidation that came while it streamed", async () => {
    const pending = get("/slow-inv");
    while (o.count("/slow-inv") === 0) await new Promise((resolve) => setTimeout(resolve, 5));
    t.server.app.edge.invalidate(distributionId, ["/slow-inv"]);
    expect((await pending).status).toBe(200);
    expect(xCache(await get("/slow-inv"))).toBe("Miss from cloudfront");
    expect(xCache(await get("/slow-inv"))).toBe("Hit from cloudfront");
  });
});
