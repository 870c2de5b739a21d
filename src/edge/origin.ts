import { request as httpRequest, type IncomingMessage } from "node:http";
import { request as httpsRequest } from "node:https";
import type { OriginConfig } from "../service/distributionConfig.js";
import type { OriginReply, OriginRequest } from "./originReply.js";
import { serveFromFolder } from "./s3Folder.js";

/**
 * Where S3 origins' content comes from locally, by bucket name: a folder, or the URL of an S3-compatible
 * server (`http://localhost:4566/my-bucket`).
 */
export type S3Sources = ReadonlyMap<string, string>;

export class OriginUnavailableError extends Error {}
/** The origin did not answer within its read timeout (OriginReadTimeout, 30 s by default). */
export class OriginTimeoutError extends Error {}

/** `my-bucket.s3.amazonaws.com`, `my-bucket.s3.eu-west-1.amazonaws.com`, `my-bucket.s3-eu-west-1.amazonaws.com` → `my-bucket`. */
export function bucketOf(domainName: string): string {
  return /^(.+?)\.s3[.-]/.exec(domainName)?.[1] ?? domainName;
}

/** Sends a request to one origin over real HTTP(S), or reads it from a local S3 folder. */
export async function fetchFromOrigin(origin: OriginConfig, request: OriginRequest, s3: S3Sources): Promise<OriginReply> {
  if (origin.kind === "s3") {
    const bucket = bucketOf(origin.domainName);
    const source = s3.get(bucket);
    if (source === undefined) {
      throw new OriginUnavailableError(`S3 origin ${origin.id} (bucket ${bucket}) has no local source; start edgelite with --s3 ${bucket}=<folder or URL>`);
    }
    if (!/^https?:\/\//.test(source)) {
      request.body?.resume();
      const lookup = (name: string) => request.headers.find(([header]) => header.toLowerCase() === name)?.[1];
      return serveFromFolder(source, `${origin.originPath}${request.path.split("?")[0]}`, request.method, lookup);
    }
    const url = new URL(source);
    const secure = url.protocol === "https:";
    const port = Number(url.port || (secure ? 443 : 80));
    const at: OriginConfig = { ...origin, kind: "custom", domainName: url.hostname, originPath: `${url.pathname.replace(/\/$/, "")}${origin.originPath}`, httpPort: port, httpsPort: port, protocolPolicy: secure ? "https-only" : "http-only" };
    return send({ ...at, hostHeader: url.host }, request);
  }
  return send(origin, request);
}

/** No connection could be made (refused, unreachable, unresolvable, or not within ConnectionTimeout). */
class OriginConnectError extends OriginUnavailableError {}

/**
 * Sends the request, trying to connect up to ConnectionAttempts times, each within ConnectionTimeout. The
 * body starts flowing only once connected, so a failed connection leaves it untouched for the next attempt.
 */
async function send(origin: OriginConfig, request: OriginRequest): Promise<OriginReply> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await sendOnce(origin, request);
    } catch (error) {
      if (!(error instanceof OriginConnectError) || attempt >= origin.connectionAttempts) {
        if (error instanceof OriginConnectError) throw new OriginConnectError(`${error.message} (${attempt} attempt${attempt === 1 ? "" : "s"})`);
        throw error;
      }
    }
  }
}

function sendOnce(origin: OriginConfig, request: OriginRequest): Promise<OriginReply> {
  const secure = origin.protocolPolicy === "https-only";
  const port = secure ? origin.httpsPort : origin.httpPort;
  const headers: string[] = ["Host", origin.hostHeader ?? request.viewerHost ?? origin.domainName];
  for (const [name, value] of request.headers) headers.push(name, value);
  const where = `origin ${origin.id} (${origin.domainName}:${port})`;
  return new Promise((resolve, reject) => {
    const upstream = (secure ? httpsRequest : httpRequest)({
      host: origin.domainName,
      port,
      method: request.method,
      path: `${origin.originPath}${request.path}`,
      headers: headers as unknown as Record<string, string>,
      setHost: false,
    });
    let connected = false;
    const startBody = () => {
      connected = true;
      const body = request.body;
      if (!body) return void upstream.end();
      body.pipe(upstream);
      // A viewer body that ends early (its connection closed or stalled) abandons the origin request too.
      body.once("close", () => {
        if (!body.readableEnded) upstream.destroy(new Error("the viewer's request body ended early"));
      });
    };
    upstream.once("socket", (socket) => {
      if (!socket.connecting) return startBody();
      const timer = setTimeout(() => upstream.destroy(new OriginConnectError(`${where}: no connection within ${origin.connectionTimeoutSeconds} s`)), origin.connectionTimeoutSeconds * 1000);
      socket.once("connect", () => {
        clearTimeout(timer);
        startBody();
      });
      socket.once("close", () => clearTimeout(timer));
    });
    upstream.setTimeout(origin.readTimeoutSeconds * 1000, () => {
      reject(new OriginTimeoutError(`${where} sent nothing for ${origin.readTimeoutSeconds} s`));
      upstream.destroy();
    });
    upstream.on("error", (error) =>
      reject(error instanceof OriginConnectError ? error : connected ? new OriginUnavailableError(`${where}: ${error.message}`) : new OriginConnectError(`${where}: ${error.message}`)),
    );
    upstream.on("response", (response: IncomingMessage) =>
      resolve({ statusCode: response.statusCode ?? 502, statusMessage: response.statusMessage ?? "", rawHeaders: response.rawHeaders, body: response }),
    );
  });
}
