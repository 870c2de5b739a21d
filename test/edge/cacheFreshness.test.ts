import { describe, expect, it } from "vitest";
import { ttlOf } from "../../src/edge/cache/freshness.js";
import type { CacheSettings } from "../../src/edge/cache/policy.js";
import { byteRange } from "../../src/edge/cache/serveCached.js";
import { CacheStore, type CachedObject } from "../../src/edge/cache/store.js";

const settings = (minTtl: number, defaultTtl: number, maxTtl: number): CacheSettings => ({
  minTtl, defaultTtl, maxTtl, headers: [], cookies: { kind: "none" }, query: { kind: "none" }, gzip: false, brotli: false, cachedMethods: new Set(["GET", "HEAD"]),
});
const NOW = Date.parse("2024-06-01T00:00:00Z");

describe("cache TTLs (CloudFront's expiration table)", () => {
  const ttl = (status: number, headers: { cacheControl?: string; expires?: string }, s = settings(0, 86_400, 31_536_000), errorMin = 10) => ttlOf(status, headers, s, errorMin, NOW);

  it("clamps the origin's time to [MinTTL, MaxTTL]; s-maxage over max-age over Expires", () => {
    expect(ttl(200, { cacheControl: "max-age=60" })).toBe(60);
    expect(ttl(200, { cacheControl: "max-age=3600" }, settings(0, 10, 100))).toBe(100);
    expect(ttl(200, { cacheControl: "max-age=1" }, settings(5, 10, 100))).toBe(5);
    expect(ttl(200, { cacheControl: "public, s-maxage=300, max-age=10" })).toBe(300);
    expect(ttl(200, { cacheControl: "max-age=30", expires: new Date(NOW + 600_000).toUTCString() })).toBe(30);
    expect(ttl(200, { expires: new Date(NOW + 600_000).toUTCString() })).toBe(600);
    expect(ttl(200, { cacheControl: "MAX-AGE=\"45\"" })).toBe(45);
  });

  it("DefaultTTL (or a larger MinTTL) without headers; no-cache/no-store/private: MinTTL or not at all", () => {
    expect(ttl(200, {}, settings(0, 20, 100))).toBe(20);
    expect(ttl(200, {}, settings(50, 20, 100))).toBe(50);
    expect(ttl(200, {}, settings(0, 0, 100))).toBeUndefined();
    for (const directive of ["no-cache", "no-store", "private", "private, max-age=60"]) {
      expect(ttl(200, { cacheControl: directive })).toBeUndefined();
      expect(ttl(200, { cacheControl: directive }, settings(3, 20, 100))).toBe(3);
    }
  });

  it("max-age=0 or a past Expires is 0 (kept only to be revalidated); an invalid Expires is already expired", () => {
    expect(ttl(200, { cacheControl: "max-age=0" })).toBe(0);
    expect(ttl(200, { expires: "0" })).toBe(0);
    expect(ttl(200, { cacheControl: "max-age=soon" })).toBe(86_400);
  });

  it("errors: the listed statuses for max(header ≤ MaxTTL, ErrorCachingMinTTL); others, 206, 304 and bare 307/308 not at all", () => {
    expect(ttl(404, {})).toBe(10);
    expect(ttl(503, { cacheControl: "max-age=120" })).toBe(120);
    expect(ttl(503, { cacheControl: "max-age=120" }, settings(0, 10, 60))).toBe(60);
    expect(ttl(500, { cacheControl: "no-store" }, undefined, 30)).toBe(30);
    expect(ttl(404, {}, undefined, 0)).toBeUndefined();
    for (const status of [401, 409, 416, 418, 429, 505]) expect(ttl(status, {})).toBeUndefined();
    expect(ttl(206, {})).toBeUndefined();
    expect(ttl(304, {})).toBeUndefined();
    expect(ttl(307, {})).toBeUndefined();
    expect(ttl(308, { cacheControl: "max-age=5" })).toBe(5);
    expect(ttl(301, {})).toBe(86_400);
  });
});

describe("byte ranges of a cached object", () => {
  it("reads one bytes= range, open-ended and suffix forms included", () => {
    expect(byteRange("bytes=0-3", 10)).toEqual({ start: 0, end: 3 });
    expect(byteRange("bytes=4-", 10)).toEqual({ start: 4, end: 9 });
    expect(byteRange("bytes=-4", 10)).toEqual({ start: 6, end: 9 });
    expect(byteRange("bytes=-40", 10)).toEqual({ start: 0, end: 9 });
    expect(byteRange("bytes=5-100", 10)).toEqual({ start: 5, end: 9 });
  });

  it("is unsatisfiable past the end; several ranges, reversed ones and other units get the whole object", () => {
    expect(byteRange("bytes=10-", 10)).toBe("unsatisfiable");
    expect(byteRange("bytes=-0", 10)).toBe("unsatisfiable");
    expect(byteRange("bytes=0-1,3-4", 10)).toBeUndefined();
    expect(byteRange("bytes=5-2", 10)).toBeUndefined();
    expect(byteRange("items=0-1", 10)).toBeUndefined();
    expect(byteRange("bytes=-", 10)).toBeUndefined();
  });
});

describe("the LRU store", () => {
  const object = (path: string, bytes: number): CachedObject => ({ distributionId: "E1", path, status: 200, reason: "", lines: [], body: Buffer.alloc(bytes), storedAt: 0, initialAge: 0, ttlMs: 1000 });

  it("counts bytes, evicts the least recently used, refuses what exceeds the per-object limit", () => {
    const store = new CacheStore(8 * 1024);
    expect(store.maxObjectBytes).toBe(2 * 1024);
    expect(store.set("a", object("/a", 1024))).toBe(true);
    expect(store.set("b", object("/b", 1024))).toBe(true);
    expect(store.set("c", object("/c", 1024))).toBe(true);
    store.get("a");
    expect(store.set("d", object("/d", 2048))).toBe(true);
    expect(store.set("e", object("/e", 2048))).toBe(true);
    expect(store.bytes).toBeLessThanOrEqual(8 * 1024);
    expect(store.get("b")).toBeUndefined();
    expect(store.get("a")).toBeDefined();
    expect(store.set("huge", object("/huge", 2049))).toBe(false);
    const held = store.size;
    expect(store.deleteWhere("E2", () => true)).toBe(0);
    expect(store.deleteWhere("E1", () => true)).toBe(held);
    expect(store.bytes).toBe(0);
  });
});
