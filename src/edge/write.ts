import type { FunctionResponse } from "../runtime/event.js";
import { invalidResult, originCommError, type Answer, type ErrorAnswer, type GeneratedAnswer, type PageAnswer, type UpstreamAnswer } from "./answers.js";
import { responseFromOrigin } from "./events.js";
import type { Exchange } from "./exchange.js";
import { cloudFrontResponseHeaders } from "./identity.js";
import { errorPage } from "./pages.js";
import { headerLinesOf, lengthOf, setCookieLinesOf, writableLines } from "./responseLines.js";
import { sendResponse, streamResponse, UnwritableResponseError, type HeaderLine } from "./writer.js";

/**
 * The pipeline's end: an answer written to the viewer (through writer.ts, which checks every part first),
 * with CloudFront's headers, and the request logged once it is complete. An origin body the answer does not
 * carry is drained, so its connection is freed.
 */
export function write(x: Exchange, answer: Answer): void {
  if (answer.kind !== "upstream") x.upstream?.reply.body.resume();
  if (answer.kind === "error") writeError(x, answer);
  else if (answer.kind === "generated") writeGenerated(x, answer);
  else if (answer.kind === "page") writePage(x, answer);
  else writeUpstream(x, answer);
}

/** CloudFront's error page; a response already started cannot take it, and is cut off instead. */
function writeError(x: Exchange, answer: ErrorAnswer): void {
  x.req.resume();
  if (x.res.headersSent) {
    x.res.destroy();
  } else if (answer.replacement) {
    const page = answer.replacement;
    const headers: HeaderLine[] = [["Server", "CloudFront"], ...page.headers, ...cloudFrontResponseHeaders(answer.result, x.requestId)];
    try {
      sendResponse(x.res, { status: page.status, headers }, page.body, { lengthAt: 1 + page.headers.length });
    } catch (error) {
      if (!(error instanceof UnwritableResponseError)) throw error;
      const { replacement: _unwritable, ...cloudFronts } = answer;
      return writeError(x, cloudFronts);
    }
  } else {
    const headers: HeaderLine[] = [["Server", "CloudFront"], ["Content-Type", "text/html"], ...cloudFrontResponseHeaders(answer.result, x.requestId)];
    sendResponse(x.res, { status: answer.status, headers }, errorPage(answer.status, x.requestId, answer.sentence), { lengthAt: 2, close: answer.close ?? false });
  }
  x.log(answer.status, answer.result, answer.detail, answer.detailedResult);
}

/**
 * A response a function made, with Content-Length from its body. The status line's reason is the
 * function's own, else the standard phrase; Server, Content-Length, then the function's headers and
 * CloudFront's (the order of the CloudFront Developer Guide's "Tutorial: Create a simple function with
 * CloudFront Functions" capture). A response the writer refuses is the function's validation error (its
 * result was validated already, so this is a rule the writer alone knows).
 */
function writeGenerated(x: Exchange, answer: GeneratedAnswer): void {
  const { response } = answer;
  const headers: HeaderLine[] = [["Server", "CloudFront"], ...headerLinesOf(response.headers), ...setCookieLinesOf(response), ...cloudFrontResponseHeaders(answer.cache, x.requestId)];
  try {
    sendResponse(x.res, { status: response.statusCode, reason: response.statusDescription ?? "", headers }, bodyOf(response), { lengthAt: 1 });
  } catch (error) {
    if (!(error instanceof UnwritableResponseError)) throw error;
    return writeError(x, invalidResult(error.message));
  }
  x.log(response.statusCode, answer.result);
}

/** A custom error page, streamed with the page's own headers as a function would see them (odd lines dropped). */
function writePage(x: Exchange, answer: PageAnswer): void {
  const { page, status } = answer;
  const lines = headerLinesOf(responseFromOrigin(page.statusCode, "", writableLines(page.rawHeaders)).headers);
  streamResponse(x.res, { status, headers: [...lines, ...cloudFrontResponseHeaders("Error", x.requestId)] }, page.body, { unsafe: "drop", lengthAt: lines.length, ...lengthOf(page.rawHeaders) });
  page.body.on("end", () => x.log(status, "Error", answer.detail));
}

/**
 * The source's response over the origin's body. Framing is the origin's: its own Content-Length (when
 * valid), whatever a function set. A body that fails before its first byte still gets CloudFront's 502.
 */
function writeUpstream(x: Exchange, answer: UpstreamAnswer): void {
  const { reply, lines, response, fromFunction } = answer.upstream;
  const status = response.statusCode;
  try {
    streamResponse(x.res, { status, reason: response.statusDescription ?? "", headers: [...answer.headers, ...cloudFrontResponseHeaders(answer.result, x.requestId)] }, reply.body, { lengthAt: answer.headers.length, ...lengthOf(lines) }, (error) =>
      writeError(x, originCommError(`the origin's body failed before its first byte (${error.message})`)),
    );
  } catch (error) {
    if (!(error instanceof UnwritableResponseError)) throw error;
    reply.body.resume();
    return writeError(x, fromFunction ? invalidResult(error.message) : originCommError(error.message));
  }
  reply.body.on("end", () => x.log(status, answer.result));
}

/** A generated response's body as bytes: text as UTF-8, or `{ encoding, data }`. */
function bodyOf(response: FunctionResponse): Buffer {
  const body = response.body;
  if (body === undefined) return Buffer.alloc(0);
  if (typeof body === "string") return Buffer.from(body);
  return Buffer.from(body.data, body.encoding === "base64" ? "base64" : "utf8");
}
