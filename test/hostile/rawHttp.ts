import { connect, createServer, type Server } from "node:net";
import type { AddressInfo } from "node:net";

export interface RawReply {
  /** The status code of the first status line; 0 when the server closed without answering. */
  status: number;
  head: string;
  headers: Array<[string, string]>;
  body: Buffer;
  /** How the connection ended: "end" (closed after the reply), "reset", or "timeout". */
  ended: "end" | "reset" | "timeout";
}

const REPLY_TIMEOUT_MS = 15_000;

/** Sends bytes exactly as given on a fresh connection and reads until the server closes it. */
export function rawRequest(port: number, bytes: Buffer | string): Promise<RawReply> {
  return new Promise((resolve) => {
    const socket = connect(port, "127.0.0.1");
    const chunks: Buffer[] = [];
    let settled = false;
    const finish = (ended: RawReply["ended"]) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      socket.destroy();
      resolve(parseReply(Buffer.concat(chunks), ended));
    };
    const timer = setTimeout(() => finish("timeout"), REPLY_TIMEOUT_MS);
    socket.on("data", (chunk: Buffer) => chunks.push(chunk));
    socket.on("end", () => finish("end"));
    socket.on("close", () => finish("end"));
    socket.on("error", () => finish("reset"));
    socket.write(bytes);
  });
}

function parseReply(bytes: Buffer, ended: RawReply["ended"]): RawReply {
  const split = bytes.indexOf("\r\n\r\n");
  const head = (split === -1 ? bytes : bytes.subarray(0, split)).toString("latin1");
  const lines = head.split("\r\n");
  const match = /^HTTP\/1\.[01] (\d{3})(?: .*)?$/.exec(lines[0] ?? "");
  const headers: Array<[string, string]> = [];
  for (const line of lines.slice(1)) {
    const colon = line.indexOf(":");
    if (colon > 0) headers.push([line.slice(0, colon).toLowerCase(), line.slice(colon + 1).trim()]);
  }
  return { status: match ? Number(match[1]) : 0, head, headers, body: split === -1 ? Buffer.alloc(0) : bytes.subarray(split + 4), ended };
}

/** A request head (and body) as bytes, with Connection: close so the reply ends with the connection. */
export function requestBytes(method: string, target: string, headers: Array<[string, string]>, body?: Buffer | string): Buffer {
  const lines = [`${method} ${target} HTTP/1.1`, ...headers.map(([name, value]) => `${name}: ${value}`)];
  if (body !== undefined) lines.push(`Content-Length: ${Buffer.byteLength(body)}`);
  lines.push("Connection: close", "", "");
  const head = Buffer.from(lines.join("\r\n"), "latin1");
  return body === undefined ? head : Buffer.concat([head, Buffer.from(body)]);
}

/**
 * An origin that answers whatever bytes the viewer asked for: the request's `x-fuzz-reply` header carries
 * the raw reply, base64-encoded; without it, a plain 200. It closes each connection after answering.
 */
export async function startHostileOrigin(): Promise<{ port: number; server: Server }> {
  const server = createServer((socket) => {
    let received = Buffer.alloc(0);
    socket.on("error", () => socket.destroy());
    socket.on("data", (chunk: Buffer) => {
      received = Buffer.concat([received, chunk]);
      const end = received.indexOf("\r\n\r\n");
      if (end === -1) return;
      const head = received.subarray(0, end).toString("latin1");
      const asked = /\r\nx-fuzz-reply: *([A-Za-z0-9+/=]*)/i.exec(head);
      const reply = asked ? Buffer.from(asked[1]!, "base64") : Buffer.from("HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 2\r\n\r\nok");
      socket.end(reply);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return { port: (server.address() as AddressInfo).port, server };
}

/**
 * Percent-encodes a string's UTF-8 bytes (lone surrogates become U+FFFD, as a browser sends them); with
 * `keepPercent`, a `%` stays raw so that broken escapes such as `%zz` reach the server as they are.
 */
export function percentEncode(value: string, keepPercent = false): string {
  let out = "";
  for (const byte of Buffer.from(value, "utf8")) {
    const c = String.fromCharCode(byte);
    out += /[A-Za-z0-9\-_.~]/.test(c) || (keepPercent && c === "%") ? c : `%${byte.toString(16).toUpperCase().padStart(2, "0")}`;
  }
  return out;
}
