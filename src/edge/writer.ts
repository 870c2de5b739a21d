import { STATUS_CODES, type ServerResponse } from "node:http";
import { finished, type Readable } from "node:stream";
import { fieldTextProblem, headerNameProblem, statusProblem } from "../runtime/validate.js";

/**
 * The one way edgelite writes an HTTP response: edge answers (generated, passed through, error pages),
 * API and data-plane replies. Every part is checked before anything reaches the socket, with the same
 * rules CloudFront applies to function results (src/runtime/validate.ts): a final status 200-599, a reason
 * phrase and header values without CR, LF, NUL or other controls and nothing above U+00FF, header names
 * that are RFC 7230 tokens. Framing is the writer's alone: Content-Length comes from the body (or from an
 * origin's own, checked, length), Connection only from `close`; framing or hop-by-hop lines in the given
 * headers are never written. Node's writeHead would throw on most of these, and a throw there used to
 * end the process.
 */

export type HeaderLine = readonly [name: string, value: string];

export interface ResponseHead {
  status: number;
  /** The reason phrase; the standard one for the status when absent or empty. */
  reason?: string;
  headers: readonly HeaderLine[];
}

export interface WriteOptions {
  /** Ask the client to close the connection after this response. */
  close?: boolean;
  /**
   * What to do with a header line that cannot be written: "refuse" (the default) throws
   * UnwritableResponseError before anything is written; "drop" leaves the line out (origin pass-through:
   * an origin's odd line is not the viewer's problem). A bad reason phrase is replaced by the standard one
   * under "drop". A bad status is always refused.
   */
  unsafe?: "refuse" | "drop";
  /** Where Content-Length goes among the given header lines (its index; the end by default): CloudFront writes it early. */
  lengthAt?: number;
}

/** The response could not be written as given; nothing was sent. `problems` says why. */
export class UnwritableResponseError extends Error {
  constructor(readonly problems: string[]) {
    super(problems.join(" "));
    this.name = "UnwritableResponseError";
  }
}

/** Lines that describe the connection or the message's framing: the writer sets these itself, or not at all. */
const FRAMING = new Set(["content-length", "transfer-encoding", "connection", "keep-alive", "proxy-connection", "trailer", "upgrade", "te"]);

/** Whether a header name is one the writer owns (framing and hop-by-hop). */
export const isFramingHeader = (name: string) => FRAMING.has(name.toLowerCase());

/** Sends a whole response: head and body (string or bytes) in one go, with Content-Length from the body. */
export function sendResponse(res: ServerResponse, head: ResponseHead, body: string | Uint8Array | undefined, options: WriteOptions = {}): void {
  const bytes = body === undefined ? undefined : typeof body === "string" ? Buffer.from(body) : body;
  // 204 and 304 carry no body and no Content-Length of one (RFC 9110 §8.6).
  const bodiless = head.status === 204 || head.status === 304;
  const length = bodiless ? undefined : (bytes?.byteLength ?? 0);
  writeHead(res, head, { ...options, ...(length !== undefined ? { length } : {}) });
  if (bytes && !bodiless) res.end(bytes);
  else res.end();
}

/**
 * Streams a body (an origin's) under a checked head. `length` is the origin's own Content-Length when it
 * gave exactly one valid one (see contentLengthOf); otherwise Node frames the body (chunked). The head is
 * checked at once (UnwritableResponseError, nothing sent) but written only with the body's first bytes or
 * its end: a body that fails before either goes to `failedBeforeBody`, which can still answer with a whole
 * response, instead of the viewer getting nothing at all. A body that fails later cuts the connection.
 */
export function streamResponse(
  res: ServerResponse,
  head: ResponseHead,
  body: Readable,
  options: WriteOptions & { length?: number } = {},
  failedBeforeBody: (error: Error) => void = () => res.destroy(),
): void {
  const checked = checkedHead(head, options);
  let started = false;
  const begin = (): boolean => {
    started = true;
    try {
      writeChecked(res, checked);
      return true;
    } catch (error) {
      body.destroy();
      failedBeforeBody(error instanceof Error ? error : new Error(String(error)));
      return false;
    }
  };
  // finished() also reports a body already destroyed before this point (an origin that closed mid-reply
  // while a function ran): it ends before its end, as a premature close.
  finished(body, (error) => {
    if (!error) return;
    if (started) return void res.destroy();
    started = true;
    failedBeforeBody(error);
  });
  body.once("data", (chunk: Buffer) => {
    if (started) return;
    body.pause();
    if (!begin()) return;
    res.write(chunk);
    body.pipe(res);
  });
  body.once("end", () => {
    if (!started && begin()) res.end();
  });
}

/** An origin's Content-Length when its header lines give exactly one, as decimal digits, and no Transfer-Encoding; else undefined. */
export function contentLengthOf(rawHeaders: readonly string[]): number | undefined {
  let length: number | undefined;
  for (let i = 0; i + 1 < rawHeaders.length; i += 2) {
    const name = rawHeaders[i]!.toLowerCase();
    if (name === "transfer-encoding") return undefined;
    if (name !== "content-length") continue;
    const value = rawHeaders[i + 1]!.trim();
    if (length !== undefined || !/^\d{1,15}$/.test(value)) return undefined;
    length = Number(value);
  }
  return length;
}

/** The standard reason phrase of a status ("" for an unknown one). */
export const standardReason = (status: number) => STATUS_CODES[status] ?? "";

/**
 * The status line and header lines as they will be written, or UnwritableResponseError. Exported for the
 * fallback paths and tests; callers normally use sendResponse or streamResponse.
 */
export function checkedHead(head: ResponseHead, options: WriteOptions & { length?: number } = {}): { status: number; reason: string; lines: string[] } {
  const problems: string[] = [];
  const drop = options.unsafe === "drop";
  const status = statusProblem(head.status);
  if (status) problems.push(status);
  let reason = head.reason || standardReason(head.status);
  const reasonProblem = fieldTextProblem("The reason phrase", reason);
  if (reasonProblem) {
    if (drop) reason = standardReason(head.status);
    else problems.push(reasonProblem);
  }
  const lines: string[] = [];
  const length = options.length === undefined ? undefined : String(options.length);
  const lengthAt = Math.min(options.lengthAt ?? head.headers.length, head.headers.length);
  for (let i = 0; i <= head.headers.length; i++) {
    if (i === lengthAt && length !== undefined) lines.push("Content-Length", length);
    if (i === head.headers.length) break;
    const [name, value] = head.headers[i]!;
    if (isFramingHeader(name)) continue;
    const problem = headerNameProblem(name) ?? fieldTextProblem(`The value of header ${JSON.stringify(name)}`, value);
    if (problem) {
      if (!drop) problems.push(problem);
      continue;
    }
    lines.push(name, value);
  }
  if (problems.length > 0) throw new UnwritableResponseError(problems);
  if (options.close) lines.push("Connection", "close");
  return { status: head.status, reason, lines };
}

function writeHead(res: ServerResponse, head: ResponseHead, options: WriteOptions & { length?: number }): void {
  writeChecked(res, checkedHead(head, options));
}

/** Writes a head that checkedHead has passed. */
function writeChecked(res: ServerResponse, checked: ReturnType<typeof checkedHead>): void {
  if (res.headersSent) throw new UnwritableResponseError(["The response has already started."]);
  try {
    res.writeHead(checked.status, checked.reason, checked.lines);
  } catch (error) {
    // Node refused something these rules let through (its rules may differ by version): nothing was sent,
    // and nothing of this head may stay behind for a fallback to reuse.
    forgetHead(res);
    throw new UnwritableResponseError([error instanceof Error ? error.message : String(error)]);
  }
}

/** Clears what a failed writeHead may have left on the response (Node keeps statusMessage and headers). */
export function forgetHead(res: ServerResponse): void {
  if (res.headersSent) return;
  res.statusMessage = "";
  for (const name of res.getHeaderNames()) res.removeHeader(name);
}

/**
 * The last resort when a response could not be written: a fixed status, reason and body, none of it
 * taken from the failed attempt. Destroys the connection when the head was already sent (and the reply is
 * not complete).
 */
export function sendFallback(res: ServerResponse, fallback: { status: 500 | 502 | 503; headers: readonly HeaderLine[]; body: string }): void {
  // A reply already complete stands (the failure came after it); one cut short cannot be mended.
  if (res.writableEnded) return;
  if (res.headersSent) {
    res.destroy();
    return;
  }
  forgetHead(res);
  try {
    sendResponse(res, { status: fallback.status, headers: fallback.headers }, fallback.body, { close: true });
  } catch {
    res.destroy();
  }
}
