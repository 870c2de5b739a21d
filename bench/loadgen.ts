import { connect, type Socket } from "node:net";

/**
 * A minimal closed-loop HTTP/1.1 load generator over raw keep-alive sockets. It exists because
 * general-purpose generators spend more CPU per request than a do-nothing server does, and on a 2-core
 * machine that makes the generator, not the server, the thing being measured. Each connection sends
 * one request, waits for the whole response, then sends the next.
 */
export interface LoadOptions {
  url: string;
  connections: number;
  durationMs: number;
  /** The next request's bytes for a connection. */
  request(connection: number): Buffer;
  /** Sees each response's status and headers (lower-cased names). */
  onResponse?(connection: number, status: number, headers: Map<string, string>): void;
}

export interface LoadResult {
  requests: number;
  requestsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  statuses: Record<number, number>;
}

const HEADER_END = Buffer.from("\r\n\r\n");

export async function runLoad(options: LoadOptions): Promise<LoadResult> {
  const { hostname, port } = new URL(options.url);
  const latencies: number[] = [];
  const statuses: Record<number, number> = {};
  let stopAt = 0;
  const started: number[] = [];

  const sockets: Socket[] = await Promise.all(
    Array.from({ length: options.connections }, () => new Promise<Socket>((resolve, reject) => {
      const socket = connect({ host: hostname, port: Number(port), noDelay: true }, () => resolve(socket));
      socket.once("error", reject);
    })),
  );

  await new Promise<void>((done) => {
    let open = sockets.length;
    const begin = performance.now();
    stopAt = begin + options.durationMs;
    sockets.forEach((socket, connection) => {
      let buffer: Buffer = Buffer.alloc(0);
      const send = () => {
        if (performance.now() >= stopAt) {
          socket.end();
          if (--open === 0) done();
          return;
        }
        started[connection] = performance.now();
        socket.write(options.request(connection));
      };
      socket.on("data", (chunk: Buffer) => {
        buffer = buffer.length === 0 ? chunk : Buffer.concat([buffer, chunk]);
        for (;;) {
          const end = buffer.indexOf(HEADER_END);
          if (end === -1) return;
          const head = buffer.subarray(0, end).toString("latin1").split("\r\n");
          const status = Number(head[0]!.split(" ")[1]);
          const headers = new Map<string, string>();
          for (const line of head.slice(1)) {
            const colon = line.indexOf(":");
            headers.set(line.slice(0, colon).toLowerCase(), line.slice(colon + 1).trim());
          }
          const length = Number(headers.get("content-length") ?? 0);
          if (buffer.length < end + 4 + length) return;
          buffer = buffer.subarray(end + 4 + length);
          latencies.push(performance.now() - started[connection]!);
          statuses[status] = (statuses[status] ?? 0) + 1;
          options.onResponse?.(connection, status, headers);
          send();
        }
      });
      send();
    });
  });
  for (const socket of sockets) socket.destroy();

  latencies.sort((a, b) => a - b);
  const at = (q: number) => +(latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))] ?? 0).toFixed(3);
  return {
    requests: latencies.length,
    requestsPerSecond: Math.round(latencies.length / (options.durationMs / 1000)),
    p50Ms: at(0.5),
    p99Ms: at(0.99),
    statuses,
  };
}

/** Serialises an HTTP/1.1 request. */
export function httpRequest(method: string, path: string, host: string, headers: Record<string, string> = {}, body?: Buffer): Buffer {
  let head = `${method} ${path} HTTP/1.1\r\nHost: ${host}\r\n`;
  for (const [name, value] of Object.entries(headers)) head += `${name}: ${value}\r\n`;
  if (body) head += `Content-Length: ${body.byteLength}\r\n`;
  head += "\r\n";
  return body ? Buffer.concat([Buffer.from(head, "latin1"), body]) : Buffer.from(head, "latin1");
}
