import { request } from "node:http";
import { brotliDecompressSync, gunzipSync, gzipSync } from "node:zlib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { COMPRESSIBLE_BYTES, notCompressible, weakEtag } from "../../src/edge/compression.js";
import { rawExchange, startTestServer, type TestServer } from "../helpers.js";
import { CACHING_OPTIMIZED, createDistribution, startOrigin, type TestOrigin } from "./viewerRulesSetup.js";

/**
 * Compress over real HTTP, distributions created through the SDK: bodies that decompress to the origin's
 * bytes, and every documented reason not to compress. The origin picks its reply from the path's first
 * segment; every request uses a path of its own, so a cache in front of the origin changes nothing here.
 */

const TEXT = Buffer.from("edgelite compresses this line as CloudFront would. ".repeat(100));
const PNG = Buffer.alloc(5_000, 7);

interface Raw {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
}

/** A request whose body comes back as bytes, not decoded. */
function fetchRaw(url: string, host: string, path: string, headers: Record<string, string> = {}, method = "GET"): Promise<Raw> {
  const target = new URL(url);
  return new Promise((resolve, reject) => {
    const req = request({ host: target.hostname, port: target.port, path, method, headers: { host, ...headers } }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (chunk: Buffer) => chunks.push(chunk));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
    });
    req.on("error", reject);
    req.end();
  });
}

describe("Compress (compressResponse)", () => {
  let t: TestServer;
  let origin: TestOrigin;
  const hosts = { policy: "", legacy: "", off: "" };
  let unique = 0;

  beforeAll(async () => {
    origin = await startOrigin((req, res) => {
      const kind = (req.url ?? "").split("/")[1];
      if (kind === "png") {
        res.writeHead(200, { "content-type": "image/png", "content-length": PNG.length });
        return void res.end(PNG);
      }
      if (kind === "small") {
        const small = TEXT.subarray(0, COMPRESSIBLE_BYTES.min - 1);
        res.writeHead(200, { "content-type": "text/plain", "content-length": small.length });
        return void res.end(small);
      }
      if (kind === "encoded") {
        const gz = gzipSync(TEXT);
        res.writeHead(200, { "content-type": "text/plain", "content-encoding": "gzip", "content-length": gz.length });
        return void res.end(gz);
      }
      if (kind === "chunked") {
        res.writeHead(200, { "content-type": "text/plain" });
        res.write(TEXT.subarray(0, 2_000));
        return void res.end(TEXT.subarray(2_000));
      }
      if (kind === "missing") {
        res.writeHead(404, { "content-type": "text/html", "content-length": TEXT.length });
        return void res.end(TEXT);
      }
      const etag = kind === "weak" ? 'W/"v1"' : kind === "bad-etag" ? "v1" : '"v1"';
      res.writeHead(200, { "content-type": "text/html; charset=utf-8", "content-length": TEXT.length, etag, vary: "Origin" });
      res.end(TEXT);
    });
    t = await startTestServer("memory");
    const behaviour = { TargetOriginId: "o", ViewerProtocolPolicy: "allow-all" as const };
    hosts.policy = (await createDistribution(t.client, origin.port, { DefaultCacheBehavior: { ...behaviour, Compress: true, CachePolicyId: CACHING_OPTIMIZED } })).host;
    hosts.legacy = (
      await createDistribution(t.client, origin.port, {
        DefaultCacheBehavior: { ...behaviour, Compress: true, ForwardedValues: { QueryString: false, Cookies: { Forward: "none" } }, MinTTL: 0 },
      })
    ).host;
    hosts.off = (await createDistribution(t.client, origin.port, { DefaultCacheBehavior: { ...behaviour, Compress: false, CachePolicyId: CACHING_OPTIMIZED } })).host;
  });
  afterAll(async () => {
    await t.close();
    await origin.close();
  });

  const get = (host: string, kind: string, acceptEncoding?: string, method = "GET") => fetchRaw(t.url, host, `/${kind}/${++unique}`, acceptEncoding === undefined ? {} : { "accept-encoding": acceptEncoding }, method);

  it("answers br when the viewer accepts br and gzip and the cache policy enables both; the body decompresses to the origin's bytes", async () => {
    const res = await get(hosts.policy, "html", "gzip, deflate, br");
    expect(res.status).toBe(200);
    expect(res.headers["content-encoding"]).toBe("br");
    expect(res.headers["content-length"]).toBeUndefined();
    expect(res.body.length).toBeLessThan(TEXT.length);
    expect(brotliDecompressSync(res.body).equals(TEXT)).toBe(true);
  });

  it("answers gzip when the viewer accepts only gzip", async () => {
    const res = await get(hosts.policy, "html", "gzip");
    expect(res.headers["content-encoding"]).toBe("gzip");
    expect(gunzipSync(res.body).equals(TEXT)).toBe(true);
  });

  it("adds Accept-Encoding to the origin's Vary and turns a strong ETag weak", async () => {
    const res = await get(hosts.policy, "html", "br");
    expect(res.headers.vary).toBe("Origin, Accept-Encoding");
    expect(res.headers.etag).toBe('W/"v1"');
    expect((await get(hosts.policy, "weak", "br")).headers.etag).toBe('W/"v1"');
    expect((await get(hosts.policy, "bad-etag", "br")).headers.etag).toBeUndefined();
  });

  it("compresses with gzip only under legacy cache settings (Brotli needs a cache policy)", async () => {
    const res = await get(hosts.legacy, "html", "br, gzip");
    expect(res.headers["content-encoding"]).toBe("gzip");
    expect(gunzipSync(res.body).equals(TEXT)).toBe(true);
    const brOnly = await get(hosts.legacy, "html", "br");
    expect(brOnly.headers["content-encoding"]).toBeUndefined();
    expect(brOnly.body.equals(TEXT)).toBe(true);
  });

  const untouched = async (host: string, kind: string, acceptEncoding: string | undefined) => {
    const res = await get(host, kind, acceptEncoding);
    expect(res.headers["content-encoding"], kind).toBeUndefined();
    expect(res.headers.vary ?? "", kind).not.toContain("Accept-Encoding");
    return res;
  };

  it("leaves bodies below 1,000 bytes, image/png, a 404 and a body without Content-Length uncompressed", async () => {
    expect((await untouched(hosts.policy, "small", "gzip, br")).body.length).toBe(COMPRESSIBLE_BYTES.min - 1);
    expect((await untouched(hosts.policy, "png", "gzip, br")).body.equals(PNG)).toBe(true);
    expect((await untouched(hosts.policy, "missing", "gzip, br")).status).toBe(404);
    expect((await untouched(hosts.policy, "chunked", "gzip, br")).body.equals(TEXT)).toBe(true);
  });

  it("leaves the body alone without Accept-Encoding, or with only encodings CloudFront does not use", async () => {
    const res = await untouched(hosts.policy, "html", undefined);
    expect(res.headers["content-length"]).toBe(String(TEXT.length));
    expect(res.headers.etag).toBe('"v1"');
    await untouched(hosts.policy, "html", "deflate, identity");
  });

  it("takes an encoding with q=0 as refused", async () => {
    await untouched(hosts.policy, "html", "gzip;q=0, br; q=0.000");
    const res = await get(hosts.policy, "html", "br;q=0, gzip;q=0.5");
    expect(res.headers["content-encoding"]).toBe("gzip");
    expect(gunzipSync(res.body).equals(TEXT)).toBe(true);
  });

  it("passes an origin's own encoding through untouched", async () => {
    const res = await get(hosts.policy, "encoded", "br");
    expect(res.headers["content-encoding"]).toBe("gzip");
    expect(gunzipSync(res.body).equals(TEXT)).toBe(true);
  });

  it("does not compress when the behaviour's Compress is false", async () => {
    expect((await untouched(hosts.off, "html", "gzip, br")).body.equals(TEXT)).toBe(true);
  });

  it("serves an HTTP/1.0 request uncompressed, whatever its Accept-Encoding", async () => {
    const { text } = await rawExchange(t.url, [`GET /html/${++unique} HTTP/1.0\r\nHost: ${hosts.policy}\r\nAccept-Encoding: gzip, br\r\n\r\n`]);
    expect(text).toMatch(/^HTTP\/1\.1 200 /);
    expect(text.toLowerCase()).not.toContain("content-encoding");
    expect(text).toContain(TEXT.toString("latin1").slice(0, 200));
  });

  it("answers HEAD with the origin's headers, uncompressed", async () => {
    const res = await get(hosts.policy, "html", "gzip, br", "HEAD");
    expect(res.status).toBe(200);
    expect(res.headers["content-encoding"]).toBeUndefined();
  });
});

describe("what is compressible", () => {
  const lines = (type: string, length: number, extra: string[] = []) => ["Content-Type", type, "Content-Length", String(length), ...extra];

  it("takes CloudFront's types, parameters and case aside, within 1,000-10,000,000 bytes", () => {
    expect(notCompressible(200, lines("Application/JSON; charset=utf-8", 1_000))).toBeUndefined();
    expect(notCompressible(200, lines("image/svg+xml", 10_000_000))).toBeUndefined();
    expect(notCompressible(200, lines("text/plain", 10_000_001))).toBe("size");
    expect(notCompressible(200, lines("text/plain", 999))).toBe("size");
    expect(notCompressible(200, lines("application/octet-stream", 5_000))).toBe("type");
    expect(notCompressible(200, ["Content-Length", "5000"])).toBe("type");
    expect(notCompressible(200, lines("text/plain", 5_000, ["Content-Encoding", "identity"]))).toBe("already encoded");
    expect(notCompressible(206, lines("text/plain", 5_000))).toBe("status 206");
  });

  it("converts ETags as CloudFront documents", () => {
    expect(weakEtag('"abc"')).toBe('W/"abc"');
    expect(weakEtag('W/"abc"')).toBe('W/"abc"');
    expect(weakEtag("abc")).toBeUndefined();
  });
});
