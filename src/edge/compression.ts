import { pipeline } from "node:stream";
import { constants, createBrotliCompress, createGzip, type BrotliCompress, type Gzip } from "node:zlib";
import { getOwn, setOwn } from "../nullPrototype.js";
import { valuesOf } from "./events.js";
import type { Exchange } from "./exchange.js";
import { normalisedAcceptEncoding } from "./forwarding.js";
import { contentLengthOf } from "./writer.js";

/**
 * Compression as CloudFront does it (CloudFront Developer Guide, "Serve compressed files",
 * https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/ServingCompressedFiles.html): when the
 * cache behaviour has `Compress` and its cache policy caches the encoding (`EnableAcceptEncodingGzip` /
 * `EnableAcceptEncodingBrotli`; legacy cache settings: gzip only, "Brotli doesn't support legacy cache
 * settings"), the viewer's Accept-Encoding names it (Brotli preferred when both are), and the origin's
 * response is compressible, CloudFront compresses it on its way to the viewer.
 */

export type Encoding = "br" | "gzip";

/** The sizes CloudFront compresses, in bytes (Quotas: "File compression: range of file sizes that CloudFront compresses"). */
export const COMPRESSIBLE_BYTES = { min: 1_000, max: 10_000_000 } as const;

/** The Content-Types CloudFront compresses ("File types that CloudFront compresses"), compared without parameters and case. */
export const COMPRESSIBLE_TYPES: ReadonlySet<string> = new Set([
  "application/dash+xml", "application/eot", "application/font", "application/font-sfnt", "application/javascript",
  "application/json", "application/opentype", "application/otf", "application/pkcs7-mime", "application/protobuf",
  "application/rss+xml", "application/truetype", "application/ttf", "application/vnd.apple.mpegurl",
  "application/vnd.ms-fontobject", "application/xhtml+xml", "application/xml", "application/x-font-opentype",
  "application/x-font-truetype", "application/x-font-ttf", "application/x-httpd-cgi", "application/x-javascript",
  "application/x-mpegurl", "application/x-opentype", "application/x-otf", "application/x-perl", "application/x-ttf",
  "font/eot", "font/opentype", "font/otf", "font/ttf", "image/svg+xml", "text/css", "text/csv", "text/html",
  "text/javascript", "text/js", "text/plain", "text/richtext", "text/tab-separated-values", "text/xml",
  "text/x-component", "text/x-java-source", "text/x-script", "vnd.apple.mpegurl",
]);

/**
 * Brotli's quality on the fly. CloudFront does not publish its levels; 11 (zlib's default) costs seconds of
 * CPU on a large file, so edgelite uses 4, a usual level for compressing on the fly. Gzip keeps zlib's
 * default (6).
 */
const BROTLI_QUALITY = 4;

const NONE = { gzip: false, br: false } as const;

/** The encodings the behaviour lets CloudFront compress with. */
function enabledEncodings(x: Exchange): { gzip: boolean; br: boolean } {
  const { behaviour } = x;
  if (!behaviour.compress) return NONE;
  if (!behaviour.cachePolicyId) return { gzip: true, br: false };
  const policy = x.target.policies.cachePolicy(behaviour.cachePolicyId);
  return policy ? { gzip: policy.gzip, br: policy.brotli } : NONE;
}

/**
 * The encoding CloudFront would compress this request's response with, before the response is known:
 * br or gzip, or undefined (no compression). Part of the cache key (the cache keeps the compressed object
 * under it). The viewer's Accept-Encoding as the viewer-request function left it is read as CloudFront
 * normalises it (forwarding.ts: only gzip and br count); an HTTP/1.0 request is never compressed ("If a
 * request to CloudFront uses HTTP 1.0, CloudFront removes the Accept-Encoding header and serves uncompressed
 * content").
 */
export function negotiatedEncoding(x: Exchange): Encoding | undefined {
  const enabled = enabledEncodings(x);
  if (!enabled.gzip && !enabled.br) return undefined;
  if (x.req.httpVersion === "1.0") return undefined;
  const header = getOwn(x.request.headers, "accept-encoding");
  const accepted = header && normalisedAcceptEncoding(valuesOf(header).join(","));
  if (!accepted) return undefined;
  if (enabled.br && accepted.includes("br")) return "br";
  if (enabled.gzip && accepted.includes("gzip")) return "gzip";
  return undefined;
}

/** The media type of a Content-Type value: lower-case, without parameters. */
const mediaType = (value: string) => value.split(";")[0]!.trim().toLowerCase();

/** `"x"` → `W/"x"`; a weak one stays; anything else is no valid ETag (undefined: removed) ("ETag header conversion"). */
export function weakEtag(value: string): string | undefined {
  if (value.startsWith("W/")) return value;
  if (value.startsWith('"')) return `W/${value}`;
  return undefined;
}

/**
 * Why the origin's response is not compressed, or undefined when it is compressible: status 200 (edgelite's
 * choice: CloudFront's page names no statuses, and a partial or empty body cannot be), no Content-Encoding
 * ("CloudFront does not compress a file if the response includes a Content-Encoding header, regardless of the
 * header's value"), a type from the list, and a Content-Length within the range ("If the Content-Length header
 * is missing, CloudFront won't compress the file").
 */
export function notCompressible(status: number, lines: readonly string[]): string | undefined {
  if (status !== 200) return `status ${status}`;
  let type: string | undefined;
  for (let i = 0; i + 1 < lines.length; i += 2) {
    const name = lines[i]!.toLowerCase();
    if (name === "content-encoding") return "already encoded";
    if (name === "content-type") type ??= mediaType(lines[i + 1]!);
  }
  if (type === undefined || !COMPRESSIBLE_TYPES.has(type)) return "type";
  const length = contentLengthOf(lines);
  if (length === undefined) return "no Content-Length";
  if (length < COMPRESSIBLE_BYTES.min || length > COMPRESSIBLE_BYTES.max) return "size";
  return undefined;
}

function compressor(encoding: Encoding, length: number): Gzip | BrotliCompress {
  if (encoding === "gzip") return createGzip();
  return createBrotliCompress({ params: { [constants.BROTLI_PARAM_QUALITY]: BROTLI_QUALITY, [constants.BROTLI_PARAM_SIZE_HINT]: length } });
}

/**
 * Step (after fetchOrigin): the origin's response compressed when CloudFront would compress it. The body is
 * streamed through node:zlib (its work runs off the event loop); Content-Length goes (the body is sent
 * chunked), Content-Encoding and `Vary: Accept-Encoding` come, and a strong ETag turns weak. Skipped for a
 * response from the cache (it was stored compressed), for HEAD (no body) and when nothing was negotiated.
 */
export function compressResponse(x: Exchange): undefined {
  const upstream = x.upstream;
  if (!upstream || x.cacheResult === "Hit" || x.cacheResult === "RefreshHit" || x.req.method === "HEAD") return undefined;
  const encoding = negotiatedEncoding(x);
  if (!encoding || notCompressible(upstream.response.statusCode, upstream.lines) !== undefined) return undefined;
  const length = contentLengthOf(upstream.lines)!;
  const body = compressor(encoding, length);
  // An origin body that fails mid-way fails the compressed one too (the writer then cuts the response).
  pipeline(upstream.reply.body, body, () => {});

  const lines: string[] = [];
  for (let i = 0; i + 1 < upstream.lines.length; i += 2) {
    const name = upstream.lines[i]!.toLowerCase();
    if (name === "content-length") continue;
    if (name === "etag") {
      const etag = weakEtag(upstream.lines[i + 1]!.trim());
      if (etag !== undefined) lines.push(upstream.lines[i]!, etag);
      continue;
    }
    lines.push(upstream.lines[i]!, upstream.lines[i + 1]!);
  }
  lines.push("Content-Encoding", encoding);

  const { headers } = upstream.response;
  delete headers["content-length"];
  setOwn(headers, "content-encoding", { value: encoding });
  const etag = getOwn(headers, "etag");
  if (etag) {
    const weak = weakEtag(etag.value.trim());
    if (weak === undefined) delete headers.etag;
    else setOwn(headers, "etag", { value: weak });
  }
  const vary = getOwn(headers, "vary");
  const varies = vary ? valuesOf(vary).join(", ") : "";
  if (!varies.split(",").some((name) => ["accept-encoding", "*"].includes(name.trim().toLowerCase()))) {
    setOwn(headers, "vary", { value: varies ? `${varies}, Accept-Encoding` : "Accept-Encoding" });
    const at = lines.findIndex((name, i) => i % 2 === 0 && name.toLowerCase() === "vary");
    if (at === -1) lines.push("Vary", "Accept-Encoding");
    else lines[at + 1] = `${lines[at + 1]}, Accept-Encoding`;
  }
  x.upstream = { ...upstream, reply: { ...upstream.reply, body }, lines };
  return undefined;
}
