import { createHash, randomBytes } from "node:crypto";
import type { Stats } from "node:fs";
import { realpath, type FileHandle } from "node:fs/promises";
import { extname, resolve } from "node:path";
import { Readable } from "node:stream";
import { isBeneath, openRegularFile } from "../service/localFiles.js";
import type { OriginReply } from "./originReply.js";
import { escapeXml } from "../xmlEscape.js";

/**
 * An S3 origin served from a local folder, answering as the S3 REST endpoint answers CloudFront: the key is
 * the decoded path, GET and HEAD only, ETag (MD5 of the body), Last-Modified, conditional requests (304)
 * and single byte ranges (206). A missing key is 403 AccessDenied, what a bucket behind origin access
 * control answers when CloudFront may not list it (the common setup); see docs/edge.md.
 */

const CONTENT_TYPES: Readonly<Record<string, string>> = {
  ".html": "text/html", ".htm": "text/html", ".css": "text/css", ".js": "application/javascript", ".mjs": "application/javascript",
  ".json": "application/json", ".map": "application/json", ".txt": "text/plain", ".xml": "application/xml", ".csv": "text/csv",
  ".svg": "image/svg+xml", ".png": "image/png", ".jpg": "image/jpeg", ".jpeg": "image/jpeg", ".gif": "image/gif", ".webp": "image/webp",
  ".avif": "image/avif", ".ico": "image/vnd.microsoft.icon", ".woff": "font/woff", ".woff2": "font/woff2", ".ttf": "font/ttf",
  ".otf": "font/otf", ".pdf": "application/pdf", ".wasm": "application/wasm", ".mp4": "video/mp4", ".webm": "video/webm",
  ".mp3": "audio/mpeg", ".m3u8": "application/vnd.apple.mpegurl", ".ts": "video/mp2t", ".zip": "application/zip", ".gz": "application/gzip",
};
/** S3's type for objects uploaded without one. */
const DEFAULT_CONTENT_TYPE = "binary/octet-stream";

/** S3's longest key, in UTF-8 bytes; a longer one names no object. */
const MAX_KEY_BYTES = 1024;
const HASH_CHUNK_BYTES = 64 * 1024;

const etags = new Map<string, { key: string; etag: string }>();

async function etagOf(path: string, handle: FileHandle, stats: Stats): Promise<string> {
  const key = `${stats.dev}:${stats.ino}:${stats.size}:${stats.mtimeMs}`;
  const known = etags.get(path);
  if (known?.key === key) return known.etag;
  const hash = createHash("md5");
  const chunk = Buffer.allocUnsafe(HASH_CHUNK_BYTES);
  for (let position = 0; position < stats.size; ) {
    const { bytesRead } = await handle.read(chunk, 0, Math.min(HASH_CHUNK_BYTES, stats.size - position), position);
    if (bytesRead === 0) break;
    hash.update(chunk.subarray(0, bytesRead));
    position += bytesRead;
  }
  const etag = `"${hash.digest("hex")}"`;
  etags.set(path, { key, etag });
  return etag;
}

/**
 * The object a key names: an open regular file inside the folder, or undefined for none. Keys are literal
 * on S3 ("a/../b" is not "b"), so dot segments (with either slash) never name a file here, nor do empty
 * keys, folder keys ("a/"), NUL characters or keys longer than S3 allows.
 */
async function openObject(root: string, key: string): Promise<{ path: string; handle: FileHandle; stats: Stats } | undefined> {
  if (key === "" || key.endsWith("/") || key.includes("\0") || Buffer.byteLength(key) > MAX_KEY_BYTES) return undefined;
  if (key.split(/[/\\]/).some((segment) => segment === "." || segment === "..")) return undefined;
  try {
    const base = await realpath(root);
    const path = await realpath(resolve(base, key));
    if (!isBeneath(base, path)) return undefined;
    const opened = await openRegularFile(path);
    return "other" in opened ? undefined : { path, ...opened };
  } catch {
    return undefined;
  }
}

function s3Error(status: number, code: string, message: string, method: string, extra = ""): OriginReply {
  const requestId = randomBytes(8).toString("hex").toUpperCase();
  const body = method === "HEAD" ? "" : `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${code}</Code><Message>${escapeXml(message)}</Message>${extra}<RequestId>${requestId}</RequestId><HostId>${randomBytes(48).toString("base64")}</HostId></Error>`;
  return {
    statusCode: status,
    statusMessage: "",
    rawHeaders: ["x-amz-request-id", requestId, "Content-Type", "application/xml", "Content-Length", String(Buffer.byteLength(body)), "Server", "AmazonS3"],
    body: Readable.from(body === "" ? [] : [Buffer.from(body)]),
  };
}

export async function serveFromFolder(root: string, path: string, method: string, header: (name: string) => string | undefined): Promise<OriginReply> {
  if (method !== "GET" && method !== "HEAD") {
    return s3Error(405, "MethodNotAllowed", "The specified method is not allowed against this resource.", method, `<Method>${method}</Method><ResourceType>OBJECT</ResourceType>`);
  }
  let key: string;
  try {
    key = decodeURIComponent(path.replace(/^\//, ""));
  } catch {
    return s3Error(400, "InvalidURI", "Couldn't parse the specified URI.", method);
  }
  const object = await openObject(root, key);
  if (!object) return s3Error(403, "AccessDenied", "Access Denied", method);
  const { path: file, handle, stats } = object;
  // The open file is read by the body stream (which closes it), or closed here.
  let streaming = false;
  const stream = (start: number, end: number) => {
    streaming = true;
    return handle.createReadStream({ start, end });
  };
  try {
    return await replyWith(file, handle, stats, method, header, stream);
  } finally {
    if (!streaming) await handle.close().catch(() => undefined);
  }
}

async function replyWith(
  file: string,
  handle: FileHandle,
  stats: Stats,
  method: string,
  header: (name: string) => string | undefined,
  stream: (start: number, end: number) => Readable,
): Promise<OriginReply> {
  const etag = await etagOf(file, handle, stats);
  const lastModified = new Date(Math.floor(stats.mtimeMs / 1000) * 1000);
  const headers = [
    "x-amz-request-id", randomBytes(8).toString("hex").toUpperCase(),
    "Last-Modified", lastModified.toUTCString(),
    "ETag", etag,
    "Accept-Ranges", "bytes",
    "Content-Type", CONTENT_TYPES[extname(file).toLowerCase()] ?? DEFAULT_CONTENT_TYPE,
    "Server", "AmazonS3",
  ];
  const ifNoneMatch = header("if-none-match");
  const ifModifiedSince = header("if-modified-since");
  const notModified = ifNoneMatch !== undefined ? ifNoneMatch.split(",").some((tag) => tag.trim() === etag || tag.trim() === "*") : ifModifiedSince !== undefined && Date.parse(ifModifiedSince) >= lastModified.getTime();
  if (notModified) return { statusCode: 304, statusMessage: "", rawHeaders: headers, body: Readable.from([]) };

  const range = parseRange(header("range"), stats.size);
  if (range === "unsatisfiable") {
    return s3Error(416, "InvalidRange", "The requested range is not satisfiable", method, `<RangeRequested>${escapeXml(header("range") ?? "")}</RangeRequested><ActualObjectSize>${stats.size}</ActualObjectSize>`);
  }
  const [start, end] = range ?? [0, stats.size - 1];
  const length = stats.size === 0 ? 0 : end - start + 1;
  headers.push("Content-Length", String(length));
  if (range) headers.push("Content-Range", `bytes ${start}-${end}/${stats.size}`);
  const body = method === "HEAD" || length === 0 ? Readable.from([]) : stream(start, end);
  return { statusCode: range ? 206 : 200, statusMessage: "", rawHeaders: headers, body };
}

/** One `bytes=` range; undefined for none or one S3 would ignore (several ranges, bad syntax). */
function parseRange(value: string | undefined, size: number): [number, number] | "unsatisfiable" | undefined {
  const match = value === undefined ? null : /^bytes=(\d*)-(\d*)$/.exec(value.trim());
  if (!match || (match[1] === "" && match[2] === "")) return undefined;
  if (match[1] === "") {
    const suffix = Number(match[2]);
    if (suffix === 0) return "unsatisfiable";
    return [Math.max(0, size - suffix), size - 1];
  }
  const start = Number(match[1]);
  const end = match[2] === "" ? size - 1 : Math.min(Number(match[2]), size - 1);
  if (start >= size || end < start) return "unsatisfiable";
  return [start, end];
}
