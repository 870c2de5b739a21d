import type { CacheSettings } from "./policy.js";

/**
 * How long CloudFront keeps a response (CloudFront Developer Guide, "Manage how long content stays in the
 * cache (expiration)", its table of MinTTL/DefaultTTL/MaxTTL against the origin's headers, and "How
 * CloudFront processes HTTP 3xx / 4xx and 5xx status codes from your origin"):
 * - `Cache-Control: no-cache`, `no-store` or `private`: not cached when MinTTL is 0, else cached for MinTTL;
 * - `s-maxage`, else `max-age`, else `Expires` (max-age wins over Expires): that long, clamped to
 *   [MinTTL, MaxTTL];
 * - none of these: DefaultTTL (or MinTTL when it is larger);
 * - 307 and 308 only with a Cache-Control header;
 * - the error statuses CloudFront caches: the larger of the header's time (at most MaxTTL) and the
 *   ErrorCachingMinTTL (10 s unless a CustomErrorResponse says otherwise); other 4xx/5xx are not cached.
 * The result is in seconds; undefined means "not cached", 0 "stale at once" (revalidated before each use).
 */

/** The 4xx/5xx statuses CloudFront caches ("HTTP 4xx and 5xx status codes that CloudFront caches"; 416 is not cached). */
export const CACHED_ERROR_STATUSES: ReadonlySet<number> = new Set([400, 403, 404, 405, 414, 500, 501, 502, 503, 504]);

export interface ResponseCacheHeaders {
  cacheControl?: string;
  expires?: string;
}

/** The directives of a Cache-Control value, names lower-case ("max-age" → "60", "no-store" → ""). */
export function directivesOf(cacheControl: string): Map<string, string> {
  const directives = new Map<string, string>();
  for (const part of cacheControl.split(",")) {
    const at = part.indexOf("=");
    const name = (at === -1 ? part : part.slice(0, at)).trim().toLowerCase();
    if (name === "") continue;
    const value = at === -1 ? "" : part.slice(at + 1).trim().replace(/^"(.*)"$/, "$1");
    if (!directives.has(name)) directives.set(name, value);
  }
  return directives;
}

/** A delta-seconds value, or undefined when it is not one. */
function seconds(value: string | undefined): number | undefined {
  if (value === undefined || !/^\d{1,15}$/.test(value)) return undefined;
  return Number(value);
}

/** The origin's own time (s-maxage, max-age, Expires), or "uncacheable" for no-cache/no-store/private, or undefined. */
function originTtl(headers: ResponseCacheHeaders, nowMs: number): number | "uncacheable" | undefined {
  if (headers.cacheControl !== undefined) {
    const directives = directivesOf(headers.cacheControl);
    if (directives.has("no-cache") || directives.has("no-store") || directives.has("private")) return "uncacheable";
    const shared = seconds(directives.get("s-maxage"));
    if (shared !== undefined) return shared;
    const maxAge = seconds(directives.get("max-age"));
    if (maxAge !== undefined) return maxAge;
  }
  if (headers.expires !== undefined) {
    const at = Date.parse(headers.expires);
    // An invalid Expires (such as "0") means already expired (RFC 9111 §5.3).
    return Number.isNaN(at) ? 0 : Math.max(0, Math.floor((at - nowMs) / 1000));
  }
  return undefined;
}

/** Seconds to cache a response of this status and headers under these settings, or undefined. */
export function ttlOf(status: number, headers: ResponseCacheHeaders, settings: CacheSettings, errorCachingMinTtl: number, nowMs: number): number | undefined {
  const own = originTtl(headers, nowMs);
  if (status >= 400) {
    if (!CACHED_ERROR_STATUSES.has(status)) return undefined;
    const header = typeof own === "number" ? Math.min(own, settings.maxTtl) : 0;
    const ttl = Math.max(header, errorCachingMinTtl);
    return ttl > 0 ? ttl : undefined;
  }
  if ((status === 307 || status === 308) && headers.cacheControl === undefined) return undefined;
  // Partial content is passed on, not kept (a choice: docs/edge.md#caching); 304s are never objects.
  if (status === 206 || status === 304 || status < 200) return undefined;
  let ttl: number;
  if (own === "uncacheable") ttl = settings.minTtl;
  else if (own === undefined) ttl = Math.max(settings.defaultTtl, settings.minTtl);
  else ttl = Math.min(Math.max(own, settings.minTtl), settings.maxTtl);
  // 0 from the origin's own headers (max-age=0): kept, to be revalidated on every request, when it has validators.
  return ttl > 0 ? ttl : typeof own === "number" ? 0 : undefined;
}
