import { STATUS_CODES, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { Socket } from "node:net";
import { MAX_PARSED_HEAD_BYTES } from "./limits.js";

/**
 * Guards on the connection itself, below any request handler: what to answer when Node's HTTP parser gives up
 * on a client (garbage, a head over Node's limit, a timeout), without losing answers already owed on that
 * connection; and closing requests whose body stalls.
 */

/** Emitted on a request whose body brought nothing for the body idle timeout. */
export const BODY_STALLED = "edgelite:bodyStalled";

/** How long a connection that was answered with an error may stay half-open before it is closed for good. */
const ERROR_LINGER_MS = 2_000;

/** A status line and short text body for a client Node could not parse; undefined when nothing can be said. */
export function clientErrorAnswer(error: Error & { code?: string }): { status: number; text: string } | undefined {
  switch (error.code) {
    case "ECONNRESET":
    case "EPIPE":
      return undefined;
    case "ERR_HTTP_REQUEST_TIMEOUT":
      return { status: 408, text: "The request was not received in time." };
    case "HPE_HEADER_OVERFLOW":
      // Node counts the request line and headers together and does not say where the limit was crossed.
      return { status: 431, text: `The request line and headers are too large: edgelite reads at most ${MAX_PARSED_HEAD_BYTES} bytes of them.` };
    default:
      // llhttp's reason ("Invalid header value char", "Data after `Connection: close`") tells a client author what to fix.
      return { status: 400, text: `The request is not valid HTTP/1.1${parserReason(error)}.` };
  }
}

function parserReason(error: Error & { reason?: unknown }): string {
  return typeof error.reason === "string" && /^[\x20-\x7e]{1,120}$/.test(error.reason) ? `: ${error.reason}` : "";
}

function rawAnswer(answer: { status: number; text: string }): string {
  const body = `${answer.text}\n`;
  return `HTTP/1.1 ${answer.status} ${STATUS_CODES[answer.status] ?? "Error"}\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`;
}

/**
 * Answers what Node's parser refuses. Responses still owed on the connection (pipelined requests before the bad
 * bytes) are written first; only then the error, and the connection closes. A timeout is answered at once: what
 * is owed is waiting on the client that timed out.
 */
export function guardConnections(server: Server, bodyIdleMs: number): void {
  const owed = new WeakMap<Socket, Set<ServerResponse>>();
  const answered = new WeakSet<Socket>();
  server.prependListener("request", (req: IncomingMessage, res: ServerResponse) => {
    // A stalled body is the reader's to answer (it listens for BODY_STALLED); with no such reader, the connection closes.
    if (hasBody(req)) watchBodyStall(req, bodyIdleMs, () => req.emit(BODY_STALLED) || req.socket.destroy());
    const socket = req.socket;
    let pending = owed.get(socket);
    if (!pending) owed.set(socket, (pending = new Set()));
    pending.add(res);
    res.once("close", () => pending.delete(res));
  });
  server.on("clientError", (error: Error & { code?: string }, socket: Socket) => {
    // After a parse error Node reports every further chunk on the connection again: answer once.
    if (answered.has(socket)) return;
    answered.add(socket);
    const answer = clientErrorAnswer(error);
    const timedOut = error.code === "ERR_HTTP_REQUEST_TIMEOUT";
    const pending = [...(owed.get(socket) ?? [])];
    // A response already under way cannot be followed by another status line: the connection just closes.
    if (!answer || !socket.writable || (timedOut && pending.some((res) => res.headersSent))) {
      socket.destroy();
      return;
    }
    if (timedOut || pending.length === 0) {
      answerAndClose(socket, answer, timedOut);
      return;
    }
    let left = pending.length;
    for (const res of pending) {
      res.once("close", () => {
        if (--left === 0) answerAndClose(socket, answer, false);
      });
    }
  });
}

/**
 * Writes the answer and closes. After a timeout the connection goes as soon as the answer is flushed (handlers
 * still waiting on that request find it gone); otherwise the client gets a moment to read the answer first.
 */
function answerAndClose(socket: Socket, answer: { status: number; text: string }, promptly: boolean): void {
  if (!socket.writable) return void socket.destroy();
  if (promptly) {
    socket.end(rawAnswer(answer), () => socket.destroy());
    return;
  }
  socket.end(rawAnswer(answer));
  const linger = setTimeout(() => socket.destroy(), ERROR_LINGER_MS);
  linger.unref();
  socket.once("close", () => clearTimeout(linger));
}

/**
 * Calls `onStall` when a request's body, while its reader wants data, brings none for `idleMs`. Time spent
 * with the body paused (a function running, an origin applying backpressure) does not count.
 */
export function watchBodyStall(req: IncomingMessage, idleMs: number, onStall: () => void): void {
  let timer: NodeJS.Timeout | undefined;
  const stop = () => {
    if (timer) clearTimeout(timer);
    timer = undefined;
  };
  const arm = () => {
    stop();
    if (req.complete || req.destroyed) return;
    timer = setTimeout(() => {
      if (req.complete || req.destroyed || req.isPaused()) return;
      finish();
      onStall();
    }, idleMs);
    timer.unref();
  };
  const onResume = () => {
    arm();
    // Data is listened to only once the body flows, so watching never starts the flow itself.
    if (!req.listeners("data").includes(arm)) req.on("data", arm);
  };
  const finish = () => {
    stop();
    req.off("resume", onResume);
    req.off("pause", stop);
    req.off("data", arm);
  };
  req.on("resume", onResume);
  req.on("pause", stop);
  req.once("end", finish);
  req.once("close", finish);
}

/** Whether the request announces a body (a length above zero, or chunked). */
export function hasBody(req: IncomingMessage): boolean {
  return req.headers["transfer-encoding"] !== undefined || (req.headers["content-length"] ?? "0") !== "0";
}
