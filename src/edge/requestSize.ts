import type { IncomingMessage } from "node:http";
import { MAX_REQUEST_HEAD_BYTES, MAX_REQUEST_URL_BYTES } from "../limits.js";

/**
 * The size of a request's line and headers as sent: Node hands them over as latin1 strings (one character per
 * byte) without the separators, which are added back here (`: ` and CRLF per header, the final empty line).
 */
export function requestHeadBytes(req: IncomingMessage): number {
  let bytes = (req.method ?? "").length + 1 + (req.url ?? "").length + " HTTP/1.1\r\n".length + 2;
  const raw = req.rawHeaders;
  for (let i = 0; i < raw.length; i++) bytes += raw[i]!.length + 2;
  return bytes;
}

/** What makes a request larger than CloudFront accepts, or undefined when it is within the limits. */
export function oversizeOf(req: IncomingMessage): { part: "url" | "head"; bytes: number; limit: number } | undefined {
  const url = (req.url ?? "").length;
  if (url > MAX_REQUEST_URL_BYTES) return { part: "url", bytes: url, limit: MAX_REQUEST_URL_BYTES };
  const head = requestHeadBytes(req);
  if (head > MAX_REQUEST_HEAD_BYTES) return { part: "head", bytes: head, limit: MAX_REQUEST_HEAD_BYTES };
  return undefined;
}
