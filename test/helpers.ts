import { CloudFrontClient, CreateFunctionCommand, PublishFunctionCommand, type CloudFrontServiceException, type FunctionRuntime } from "@aws-sdk/client-cloudfront";
import { mkdtempSync, rmSync } from "node:fs";
import { request } from "node:http";
import { connect } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startServer, type RunningServer, type ServerOptions } from "../src/server.js";
import { MemoryStore } from "../src/store/memory.js";
import { SqliteStore } from "../src/store/sqlite.js";
import type { Store } from "../src/store/types.js";

export type StoreKind = "sqlite" | "memory";

export function tempDir(prefix = "edgelite-test-"): { path: string; remove(): void } {
  const path = mkdtempSync(join(tmpdir(), prefix));
  return { path, remove: () => rmSync(path, { recursive: true, force: true }) };
}

export interface TestServer {
  server: RunningServer;
  url: string;
  client: CloudFrontClient;
  close(): Promise<void>;
}

export function makeStore(kind: StoreKind, dir: string): Store {
  return kind === "memory" ? new MemoryStore() : new SqliteStore(join(dir, "edgelite.sqlite"));
}

/** A real server on a free port with a real store, and the real SDK client pointed at it. */
export async function startTestServer(kind: StoreKind = "sqlite", options: Partial<ServerOptions> = {}): Promise<TestServer> {
  const dir = tempDir();
  const server = await startServer({ store: makeStore(kind, dir.path), port: 0, ...options });
  const client = cloudFrontClient(server.url);
  return {
    server,
    url: server.url,
    client,
    async close() {
      client.destroy();
      await server.close();
      dir.remove();
    },
  };
}

export function cloudFrontClient(endpoint: string, options: { credentials?: { accessKeyId: string; secretAccessKey: string }; systemClockOffset?: number } = {}): CloudFrontClient {
  return new CloudFrontClient({
    endpoint,
    region: "us-east-1",
    credentials: options.credentials ?? { accessKeyId: "AKIDEXAMPLE", secretAccessKey: "secret" },
    maxAttempts: 1,
    ...(options.systemClockOffset !== undefined ? { systemClockOffset: options.systemClockOffset } : {}),
  });
}

export interface RawResponse {
  status: number;
  statusMessage: string;
  headers: Record<string, string | string[] | undefined>;
  body: string;
  rawHeaders: string[];
}

/** Plain HTTP, for what the SDK hides (headers, error bodies, malformed input). */
export function http(
  url: string,
  method: string,
  path: string,
  options: { body?: string | Buffer; headers?: Record<string, string> } = {},
): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    // The path goes out exactly as given (no URL normalisation of "..", "%2e" and the like).
    const target = new URL(url);
    const req = request({ host: target.hostname, port: target.port, path, method, headers: options.headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (chunk: Buffer) => chunks.push(chunk));
      res.on("end", () =>
        resolve({ status: res.statusCode ?? 0, statusMessage: res.statusMessage ?? "", headers: res.headers, rawHeaders: res.rawHeaders, body: Buffer.concat(chunks).toString("utf8") }),
      );
    });
    req.on("error", reject);
    if (options.body !== undefined) req.end(options.body);
    else req.end();
  });
}

export const XMLNS = 'xmlns="http://cloudfront.amazonaws.com/doc/2020-05-31/"';

export function createFunctionXml(name: string, code: string, options: { runtime?: string; comment?: string; extra?: string } = {}): string {
  return (
    `<?xml version="1.0" encoding="UTF-8"?><CreateFunctionRequest ${XMLNS}><Name>${name}</Name>` +
    `<FunctionConfig><Comment>${options.comment ?? ""}</Comment><Runtime>${options.runtime ?? "cloudfront-js-2.0"}</Runtime></FunctionConfig>` +
    `<FunctionCode>${Buffer.from(code).toString("base64")}</FunctionCode>${options.extra ?? ""}</CreateFunctionRequest>`
  );
}

export const HANDLER = "function handler(event) { return event.request; }";
export const encode = (text: string) => new TextEncoder().encode(text);
export const decode = (bytes: Uint8Array | undefined) => new TextDecoder().decode(bytes);

/** Creates a function and publishes it, as a distribution needs it; returns its ARN. */
export async function createLiveFunction(client: CloudFrontClient, name: string, code: string, runtime: FunctionRuntime = "cloudfront-js-2.0"): Promise<string> {
  const created = await client.send(new CreateFunctionCommand({ Name: name, FunctionConfig: { Comment: "", Runtime: runtime }, FunctionCode: encode(code) }));
  await client.send(new PublishFunctionCommand({ Name: name, IfMatch: created.ETag }));
  return created.FunctionSummary!.FunctionMetadata!.FunctionARN!;
}

/**
 * Raw bytes over one TCP connection: writes each chunk in turn (`gapMs` apart, until the server closes when
 * `repeatLast` is set) and collects everything the server sends until it closes the connection.
 */
export function rawExchange(url: string, chunks: Array<string | Buffer>, options: { gapMs?: number; repeatLast?: boolean } = {}): Promise<{ text: string; chunksSent: number }> {
  const target = new URL(url);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(target.port), target.hostname);
    const received: Buffer[] = [];
    let sent = 0;
    let timer: NodeJS.Timeout | undefined;
    const next = () => {
      if (socket.destroyed || !socket.writable) return;
      const chunk = sent < chunks.length ? chunks[sent] : options.repeatLast ? chunks[chunks.length - 1] : undefined;
      if (chunk === undefined) return;
      socket.write(chunk);
      sent++;
      if (sent < chunks.length || options.repeatLast) timer = setTimeout(next, options.gapMs ?? 0);
    };
    socket.on("connect", next);
    socket.on("data", (data: Buffer) => received.push(data));
    socket.on("error", (error: NodeJS.ErrnoException) => {
      // A reset after the answer is still an answer.
      if (error.code !== "ECONNRESET" && error.code !== "EPIPE") reject(error);
    });
    socket.on("close", () => {
      clearTimeout(timer);
      resolve({ text: Buffer.concat(received).toString("latin1"), chunksSent: sent });
    });
  });
}

/**
 * Plain HTTP with header lines exactly as given, repeats and order kept: an object of headers could not
 * carry a header named `__proto__`.
 */
export function httpLines(url: string, method: string, path: string, lines: Array<[string, string]>, body?: string): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const target = new URL(url);
    const req = request({ host: target.hostname, port: target.port, path, method, headers: lines.flat() }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (chunk: Buffer) => chunks.push(chunk));
      res.on("end", () =>
        resolve({ status: res.statusCode ?? 0, statusMessage: res.statusMessage ?? "", headers: res.headers, rawHeaders: res.rawHeaders, body: Buffer.concat(chunks).toString("utf8") }),
      );
    });
    req.on("error", reject);
    if (body !== undefined) req.end(body);
    else req.end();
  });
}

/** The error a call failed with; fails the test if the call succeeded. */
export async function rejection<E extends Error = CloudFrontServiceException>(promise: Promise<unknown>): Promise<E> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof Error) return error as E;
    throw error;
  }
  throw new Error("expected the call to fail");
}
