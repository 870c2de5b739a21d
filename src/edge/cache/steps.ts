import { Transform, pipeline, type Readable } from "node:stream";
import type { FunctionRequest } from "../../runtime/event.js";
import { emptyRecord } from "../../nullPrototype.js";
import type { Exchange } from "../exchange.js";
import { valuesOf } from "../events.js";
import { contentLengthOf } from "../writer.js";
import type { EdgeCache } from "./edgeCache.js";
import { DEFAULT_ERROR_CACHING_MIN_TTL_SECONDS } from "../../limits.js";
import { ttlOf, type ResponseCacheHeaders } from "./freshness.js";
import { cacheKeyOf } from "./key.js";
import { cacheSettingsOf } from "./policy.js";
import { upstreamFromCache } from "./serveCached.js";
import type { CachedObject } from "./store.js";

/**
 * Steps: the edge cache (CloudFront Developer Guide, "How CloudFront delivers content", "Understand the
 * cache key", "Manage how long content stays in the cache (expiration)"). lookupCache runs after the
 * viewer-request function and before the origin: a fresh object is a Hit; a stale one with validators is
 * revalidated (a 304 from the origin refreshes it: RefreshHit); a miss waits for an origin request already
 * made for the same key (request collapsing) or leads one. storeInCache keeps the origin's response as it
 * streams to the viewer, when it is cacheable. Viewer-response functions run after both, on a fresh copy.
 */

/** Header lines a cached object never keeps: another viewer's cookies, and what the cache sets itself. */
const NOT_STORED: ReadonlySet<string> = new Set(["set-cookie", "age", "connection", "keep-alive", "transfer-encoding"]);

/** The viewer's conditional headers: answered from the cache, not sent to the origin on a cacheable miss. */
const CONDITIONAL: readonly string[] = ["if-none-match", "if-modified-since", "if-match", "if-unmodified-since", "if-range"];

function header(request: FunctionRequest, name: string): string | undefined {
  const entry = request.headers[name];
  return entry ? valuesOf(entry).join(", ") : undefined;
}

/** The first value of a header among raw lines (name lower-case). */
function lineValue(lines: readonly string[], name: string): string | undefined {
  for (let i = 0; i + 1 < lines.length; i += 2) if (lines[i]!.toLowerCase() === name) return lines[i + 1];
  return undefined;
}

function cacheHeadersOf(lines: readonly string[]): ResponseCacheHeaders {
  const cacheControl = lineValue(lines, "cache-control");
  const expires = lineValue(lines, "expires");
  return { ...(cacheControl !== undefined ? { cacheControl } : {}), ...(expires !== undefined ? { expires } : {}) };
}

export async function lookupCache(x: Exchange): Promise<undefined> {
  const cache = x.settings.cache;
  if (!cache) return undefined;
  const method = x.req.method ?? "GET";
  const settings = cacheSettingsOf(x.behaviour, x.target.policies);
  if (!settings || !settings.cachedMethods.has(method)) return undefined;
  const { key, path } = cacheKeyOf(x, settings);
  const ranged = header(x.request, "range") !== undefined;
  x.cacheKey = key;
  x.cache = { settings, key, path, storable: method !== "HEAD" && !ranged, generation: cache.generationOf(x.target.view.id) };
  let object = cache.store.get(key);
  if (object && cache.isFresh(object)) return serveHit(x, cache, object, "Hit");
  if (await cache.follow(key)) {
    object = cache.store.get(key);
    if (object && cache.isFresh(object)) return serveHit(x, cache, object, "Hit");
  }
  if (!x.cache.storable) return undefined;
  const fill = cache.lead(key);
  if (fill) {
    x.cache.fill = fill;
    // Whatever ends this request (an error page, a viewer gone), the waiters are let go.
    x.res.once("close", fill.release);
  }
  // The origin is asked for the whole object, with the cache's own validators when revalidating a stale one.
  const headers = emptyRecord<FunctionRequest["headers"][string]>();
  for (const [name, entry] of Object.entries(x.request.headers)) if (!CONDITIONAL.includes(name)) headers[name] = entry;
  if (object?.etag !== undefined) headers["if-none-match"] = { value: object.etag };
  if (object?.lastModified !== undefined) headers["if-modified-since"] = { value: object.lastModified };
  if (object && (object.etag !== undefined || object.lastModified !== undefined)) x.cache.stale = object;
  x.cache.viewerRequest = x.request;
  x.request = { ...x.request, headers };
  return undefined;
}

/** The viewer's conditions and the object as the answer, with its result type and Age. */
function serveHit(x: Exchange, cache: EdgeCache, object: CachedObject, result: "Hit" | "RefreshHit"): undefined {
  const request = x.cache?.viewerRequest ?? x.request;
  x.upstream = upstreamFromCache(object, {
    method: x.req.method ?? "GET",
    ifNoneMatch: header(request, "if-none-match"),
    ifModifiedSince: header(request, "if-modified-since"),
    range: header(request, "range"),
    ifRange: header(request, "if-range"),
  });
  x.cacheResult = result;
  if (x.cache) x.cache.age = cache.ageOf(object);
  return undefined;
}

export function storeInCache(x: Exchange): undefined {
  const cache = x.settings.cache;
  const state = x.cache;
  if (!cache || !state || x.cacheResult) return undefined;
  if (state.viewerRequest) x.request = state.viewerRequest;
  const upstream = x.upstream;
  const release = (): undefined => {
    state.fill?.release();
    return undefined;
  };
  if (!upstream || !state.storable) return release();
  const { reply } = upstream;
  const now = cache.now();
  if (state.stale && reply.statusCode === 304) {
    reply.body.resume();
    const refreshed = refreshedObject(x, state.stale, reply.rawHeaders, now);
    if (refreshed && cache.generationOf(x.target.view.id) === state.generation) cache.store.set(state.key, refreshed);
    release();
    return serveHit(x, cache, refreshed ?? state.stale, "RefreshHit");
  }
  // A 5xx while revalidating: the stale object is served (CloudFront Developer Guide, "How CloudFront processes
  // HTTP 4xx and 5xx status codes from your origin": the requested object is in the edge cache).
  if (state.stale && reply.statusCode >= 500) {
    reply.body.resume();
    release();
    return serveHit(x, cache, state.stale, "Hit");
  }
  const lines = upstream.lines;
  const ttl = ttlOf(reply.statusCode, cacheHeadersOf(lines), state.settings, errorCachingMinTtl(x, reply.statusCode), now);
  const etag = lineValue(lines, "etag");
  const lastModified = lineValue(lines, "last-modified");
  if (ttl === undefined || (ttl === 0 && etag === undefined && lastModified === undefined)) return release();
  const declared = contentLengthOf(reply.rawHeaders);
  if (declared !== undefined && declared > cache.store.maxObjectBytes) return release();
  const kept: string[] = [];
  for (let i = 0; i + 1 < lines.length; i += 2) if (!NOT_STORED.has(lines[i]!.toLowerCase())) kept.push(lines[i]!, lines[i + 1]!);
  const initialAge = Number(lineValue(lines, "age") ?? "0");
  const base: Omit<CachedObject, "body"> = {
    distributionId: x.target.view.id,
    path: state.path,
    status: reply.statusCode,
    reason: upstream.response.statusDescription ?? "",
    lines: kept,
    storedAt: now,
    initialAge: Number.isSafeInteger(initialAge) && initialAge >= 0 ? initialAge : 0,
    ttlMs: ttl * 1000,
    ...(etag !== undefined ? { etag } : {}),
    ...(lastModified !== undefined ? { lastModified } : {}),
  };
  const stored = (body: Buffer | undefined) => {
    if (body && cache.generationOf(x.target.view.id) === state.generation) cache.store.set(state.key, { ...base, body });
    release();
  };
  x.upstream = { ...upstream, reply: { ...reply, body: collected(upstream.reply.body, cache, stored) } };
  return undefined;
}

/**
 * The origin's body passed on unchanged while its chunks are kept; `done` gets the whole body when it ended
 * within the per-object limit and the room for bodies in flight, undefined when it did not (too large, no
 * room, or cut off). The body is never held back: collecting stops, passing on goes on.
 */
function collected(body: Readable, cache: EdgeCache, done: (body: Buffer | undefined) => void): Transform {
  const chunks: Buffer[] = [];
  let size = 0;
  let kept = true;
  let finished = false;
  const finish = (whole: Buffer | undefined) => {
    if (finished) return;
    finished = true;
    cache.unreserve(size);
    chunks.length = 0;
    done(whole);
  };
  const tee = new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      if (kept) {
        if (size + chunk.byteLength > cache.store.maxObjectBytes || !cache.reserve(chunk.byteLength)) {
          kept = false;
          cache.unreserve(size);
          size = 0;
          chunks.length = 0;
        } else {
          size += chunk.byteLength;
          chunks.push(chunk);
        }
      }
      callback(null, chunk);
    },
    flush(callback) {
      finish(kept ? Buffer.concat(chunks, size) : undefined);
      callback();
    },
  });
  pipeline(body, tee, (error) => {
    if (error) finish(undefined);
  });
  return tee;
}

/** The object after a 304: its new freshness from the 304's headers (or its own), stored now. */
function refreshedObject(x: Exchange, stale: CachedObject, notModifiedLines: readonly string[], now: number): CachedObject | undefined {
  const fresh = cacheHeadersOf(notModifiedLines);
  const headers = fresh.cacheControl !== undefined || fresh.expires !== undefined ? fresh : cacheHeadersOf(stale.lines);
  const state = x.cache!;
  const ttl = ttlOf(stale.status, headers, state.settings, errorCachingMinTtl(x, stale.status), now);
  if (ttl === undefined) return undefined;
  return { ...stale, storedAt: now, initialAge: 0, ttlMs: ttl * 1000 };
}

/** ErrorCachingMinTTL of the CustomErrorResponse for this status, else CloudFront's 10 s. */
function errorCachingMinTtl(x: Exchange, status: number): number {
  if (status < 400) return 0;
  return x.config.customErrorResponses.find((c) => c.errorCode === status)?.errorCachingMinTtl ?? DEFAULT_ERROR_CACHING_MIN_TTL_SECONDS;
}
