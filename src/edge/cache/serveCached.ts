import { Readable } from "node:stream";
import { responseFromOrigin } from "../events.js";
import type { Upstream } from "../upstream.js";
import type { CachedObject } from "./store.js";

/**
 * A cached object as the response to one viewer request: a fresh response object each time (a function's
 * changes never reach the cache) over the stored body, which is shared, not copied. The viewer's
 * conditional request is answered 304 when the object's validators match (RFC 9110 §13.1), and a single
 * byte range 206 from the whole object (CloudFront Developer Guide, "How CloudFront processes partial
 * requests for an object (range GETs)"); several ranges get the whole object (a choice: docs/edge.md#caching).
 */

/** Header lines a 304 carries from the object (RFC 9110 §15.4.5). */
const NOT_MODIFIED_LINES: ReadonlySet<string> = new Set(["cache-control", "content-location", "date", "etag", "expires", "vary", "last-modified"]);

export interface ViewerConditions {
  method: string;
  ifNoneMatch?: string | undefined;
  ifModifiedSince?: string | undefined;
  range?: string | undefined;
  ifRange?: string | undefined;
}

export function upstreamFromCache(object: CachedObject, viewer: ViewerConditions): Upstream {
  if (object.status === 200 && notModified(object, viewer)) {
    const lines: string[] = [];
    for (let i = 0; i + 1 < object.lines.length; i += 2) if (NOT_MODIFIED_LINES.has(object.lines[i]!.toLowerCase())) lines.push(object.lines[i]!, object.lines[i + 1]!);
    return upstream(304, "Not Modified", lines, undefined);
  }
  const range = object.status === 200 && viewer.method === "GET" && viewer.range !== undefined && rangeApplies(object, viewer.ifRange) ? byteRange(viewer.range, object.body.byteLength) : undefined;
  if (range === "unsatisfiable") {
    return upstream(416, "Range Not Satisfiable", [...withoutLength(object.lines, ["content-type"]), "Content-Range", `bytes */${object.body.byteLength}`, "Content-Length", "0"], undefined);
  }
  if (range) {
    const body = object.body.subarray(range.start, range.end + 1);
    const lines = [...withoutLength(object.lines), "Content-Range", `bytes ${range.start}-${range.end}/${object.body.byteLength}`, "Content-Length", String(body.byteLength)];
    return upstream(206, "Partial Content", lines, body);
  }
  const lines = [...withoutLength(object.lines), "Content-Length", String(object.body.byteLength)];
  return upstream(object.status, object.reason, lines, viewer.method === "HEAD" ? undefined : object.body);
}

function upstream(status: number, reason: string, lines: string[], body: Buffer | undefined): Upstream {
  return {
    reply: { statusCode: status, statusMessage: reason, rawHeaders: lines, body: bufferStream(body) },
    lines,
    response: responseFromOrigin(status, reason, lines),
    fromFunction: false,
  };
}

/** A readable of one buffer (or none): no copy of the bytes. */
function bufferStream(body: Buffer | undefined): Readable {
  const stream = new Readable({ read() {} });
  if (body && body.byteLength > 0) stream.push(body);
  stream.push(null);
  return stream;
}

/** The lines without framing (Content-Length, Transfer-Encoding) and the named others. */
function withoutLength(lines: readonly string[], also: readonly string[] = []): string[] {
  const kept: string[] = [];
  for (let i = 0; i + 1 < lines.length; i += 2) {
    const name = lines[i]!.toLowerCase();
    if (name === "content-length" || name === "transfer-encoding" || also.includes(name)) continue;
    kept.push(lines[i]!, lines[i + 1]!);
  }
  return kept;
}

/** If-None-Match (weak comparison, `*`) wins over If-Modified-Since (RFC 9110 §13.2.2). */
function notModified(object: CachedObject, viewer: ViewerConditions): boolean {
  if (viewer.method !== "GET" && viewer.method !== "HEAD") return false;
  if (viewer.ifNoneMatch !== undefined) {
    if (object.etag === undefined) return false;
    const tags = viewer.ifNoneMatch.split(",").map((tag) => tag.trim());
    const own = object.etag.replace(/^W\//, "");
    return tags.some((tag) => tag === "*" || tag.replace(/^W\//, "") === own);
  }
  if (viewer.ifModifiedSince !== undefined && object.lastModified !== undefined) {
    const since = Date.parse(viewer.ifModifiedSince);
    const modified = Date.parse(object.lastModified);
    return !Number.isNaN(since) && !Number.isNaN(modified) && modified <= since;
  }
  return false;
}

/** If-Range: the range applies only when the validator still names the object (strong ETag or the date). */
function rangeApplies(object: CachedObject, ifRange: string | undefined): boolean {
  if (ifRange === undefined) return true;
  if (ifRange.startsWith('"') || ifRange.startsWith("W/")) return object.etag !== undefined && !object.etag.startsWith("W/") && ifRange === object.etag;
  return object.lastModified !== undefined && ifRange === object.lastModified;
}

/** One `bytes=` range of a body this long; undefined when the header is not a single byte range (the whole body is sent). */
export function byteRange(header: string, length: number): { start: number; end: number } | "unsatisfiable" | undefined {
  const match = /^\s*bytes\s*=\s*(\d*)\s*-\s*(\d*)\s*$/i.exec(header);
  if (!match || (match[1] === "" && match[2] === "")) return undefined;
  if (match[1] === "") {
    const suffix = Number(match[2]);
    if (suffix === 0 || length === 0) return "unsatisfiable";
    return { start: Math.max(0, length - suffix), end: length - 1 };
  }
  const start = Number(match[1]);
  const end = match[2] === "" ? length - 1 : Math.min(Number(match[2]), length - 1);
  if (match[2] !== "" && Number(match[2]) < start) return undefined;
  if (start >= length) return "unsatisfiable";
  return { start, end };
}
