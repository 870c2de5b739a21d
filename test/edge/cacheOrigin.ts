import { createServer, type IncomingHttpHeaders, type OutgoingHttpHeaders, type Server } from "node:http";
import type { AddressInfo } from "node:net";

/** What a test origin answers for a path: status, headers, body, and how long it waits first. */
export interface Answer {
  status?: number;
  headers?: OutgoingHttpHeaders;
  body?: string | Buffer;
  delayMs?: number;
}

/**
 * A real HTTP origin for the cache tests: answers each path as `answers` says (200 "body of <path>" when it
 * says nothing), counts requests per path (query included, as received) and keeps what each request carried.
 * A request with If-None-Match equal to the answer's ETag gets a 304.
 */
export async function startCountingOrigin(answers: (path: string) => Answer | undefined): Promise<{
  port: number;
  count(path: string): number;
  seen: Array<{ method: string; url: string; headers: IncomingHttpHeaders }>;
  close(): Promise<void>;
}> {
  const counts = new Map<string, number>();
  const seen: Array<{ method: string; url: string; headers: IncomingHttpHeaders }> = [];
  const server: Server = createServer((req, res) => {
    const url = req.url ?? "/";
    counts.set(url, (counts.get(url) ?? 0) + 1);
    seen.push({ method: req.method ?? "", url, headers: req.headers });
    const answer = answers(url) ?? {};
    const send = () => {
      const headers = answer.headers ?? {};
      if (headers.etag !== undefined && req.headers["if-none-match"] === headers.etag) {
        res.writeHead(304, { etag: headers.etag, ...(headers["cache-control"] ? { "cache-control": headers["cache-control"] } : {}) }).end();
        return;
      }
      const body = Buffer.from(answer.body ?? `body of ${url}`);
      res.writeHead(answer.status ?? 200, { "content-type": "text/plain", "content-length": body.byteLength, ...headers });
      res.end(req.method === "HEAD" ? undefined : body);
    };
    if (answer.delayMs) setTimeout(send, answer.delayMs);
    else send();
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    port: (server.address() as AddressInfo).port,
    count: (path) => counts.get(path) ?? 0,
    seen,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
