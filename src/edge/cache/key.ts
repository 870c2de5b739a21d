import { getOwn } from "../../nullPrototype.js";
import { queryStringOf, valuesOf } from "../events.js";
import type { Exchange } from "../exchange.js";
import { normalisedAcceptEncoding, selects } from "../forwarding.js";
import type { CacheSettings } from "./policy.js";

/**
 * The cache key of a request (CloudFront Developer Guide, "Understand the cache key"): the distribution and
 * its domain name, the URL path and the query strings, headers and cookies the cache policy names, and the
 * encoding the viewer will be sent — taken from the request as the viewer-request function left it, so a
 * function that normalises the request (AWS's normalize-query-string sample) changes the key. GET and HEAD
 * share objects; OPTIONS responses (cached when CachedMethods says so) are kept apart.
 */
export interface CacheKey {
  key: string;
  /** The uri, with `?query` when the key holds query strings: what invalidation paths are compared with. */
  path: string;
}

export function cacheKeyOf(x: Exchange, settings: CacheSettings): CacheKey {
  const request = x.request;
  const query = keyQuery(x, settings);
  const headers = settings.headers.map((name) => {
    const entry = getOwn(request.headers, name);
    return entry ? valuesOf(entry).join(",") : "";
  });
  const cookies: string[] = [];
  if (settings.cookies.kind !== "none") {
    for (const name of Object.keys(request.cookies).sort()) {
      if (selects(settings.cookies, name)) cookies.push(`${name}=${valuesOf(getOwn(request.cookies, name)!).join(",")}`);
    }
  }
  const methodClass = x.req.method === "OPTIONS" ? "OPTIONS" : "GET";
  const path = query ? `${request.uri}?${query}` : request.uri;
  const key = JSON.stringify([x.target.view.id, x.target.view.domainName, methodClass, path, headers, cookies, encodingForKey(x, settings)]);
  return { key, path };
}

/**
 * The encoding part of the key: the encodings the viewer accepts, normalised as CloudFront normalises
 * Accept-Encoding (only br and gzip count), among those the policy enables (legacy settings: both, as
 * forwarding.ts forwards the normalised header). It is the accepted set, not one chosen encoding, so that two
 * viewers share an object only when both can take whatever it is encoded with; it determines the encoding
 * compressResponse negotiates (compression.ts's negotiatedEncoding), so compressed objects never mix. An
 * HTTP/1.0 request has none (CloudFront removes its Accept-Encoding).
 */
export function encodingForKey(x: Exchange, settings: CacheSettings): string {
  if ((!settings.gzip && !settings.brotli) || x.req.httpVersion === "1.0") return "";
  const entry = getOwn(x.request.headers, "accept-encoding");
  const accepted = entry ? (normalisedAcceptEncoding(valuesOf(entry).join(",")) ?? "") : "";
  const br = settings.brotli && accepted.includes("br");
  const gzip = settings.gzip && accepted.includes("gzip");
  return br && gzip ? "br,gzip" : br ? "br" : gzip ? "gzip" : "";
}

/** The query strings the policy puts in the key, in the order the request has them (order matters to CloudFront). */
function keyQuery(x: Exchange, settings: CacheSettings): string {
  if (settings.query.kind === "none") return "";
  const request = x.request;
  const viewer = x.event.request;
  const changed = request !== viewer && queryStringOf(request) !== queryStringOf(viewer);
  const source = changed ? queryStringOf(request) : (x.rawQuery ?? "");
  if (settings.query.kind === "all") return source;
  return source
    .split("&")
    .filter((pair) => pair !== "" && selects(settings.query, pair.split("=")[0]!))
    .join("&");
}
