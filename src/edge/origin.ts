import { request as httpRequest, type IncomingMessage } from "node:http";
import { request as httpsRequest } from "node:https";
import type { Readable } from "node:stream";
import type { OriginConfig } from "../service/distributionConfig.js";
import { isUntrustedCertificate, type OriginAgents } from "./originAgents.js";
import type { OriginReply, OriginRequest } from "./originReply.js";
import { serveFromFolder } from "./s3Folder.js";
import { isInvalidDomain, placeholderKey } from "../placeholderDomains.js";

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

/**
 * The scheme edgelite uses to reach a custom origin, from its OriginProtocolPolicy: http-only → HTTP,
 * https-only → HTTPS, match-viewer → the viewer's, which is always HTTP at edgelite's edge (it has no HTTPS
 * listener), so HTTP (CloudFront Developer Guide, "Values that you specify when you create or update a
 * distribution", Protocol (custom origins only)).
 */
export const originUsesHttps = (origin: OriginConfig): boolean => origin.protocolPolicy === "https-only";

/** Sends a request to one origin over real HTTP(S) (through its pooled connections), or reads it from a local S3 folder. */
export async function fetchFromOrigin(origin: OriginConfig, request: OriginRequest, s3: S3Sources, agents: OriginAgents): Promise<OriginReply> {
  if (isInvalidDomain(origin.domainName)) throw new OriginUnavailableError(unmappedOriginMessage(origin));
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
    return send({ ...at, hostHeader: url.host }, request, agents);
  }
  return send(origin, request, agents);
}

/**
 * Why an origin under `.invalid` (RFC 6761: never resolves) is not asked: `edgelite up` gave it that domain
 * because nothing local stands for it. The key to map it with is what its placeholder domain spells (the
 * logical id of the resource it stands for, or the domain the template gave it; src/placeholderDomains.ts),
 * else the origin's Id.
 */
function unmappedOriginMessage(origin: OriginConfig): string {
  const key = placeholderKey(origin.domainName);
  const what = key === undefined ? "" : "logicalId" in key ? ` standing for ${key.logicalId}, a resource edgelite does not emulate` : ` standing for ${key.domain}`;
  const flag = key === undefined ? origin.id : "logicalId" in key ? key.logicalId : key.domain;
  return `origin ${origin.id} has no local source (its domain ${origin.domainName} is a placeholder${what}); map it with edgelite up --origin ${flag}=<url|folder>`;
}

/** No connection could be made (refused, unreachable, unresolvable, or not within ConnectionTimeout). */
class OriginConnectError extends OriginUnavailableError {}
/** A pooled connection the origin had closed while idle failed before anything was sent or answered. */
class StaleConnectionError extends OriginUnavailableError {}

/** Times a request meets a stale pooled connection before it gives up (each one is dropped from the pool). */
const MAX_STALE_RETRIES = 3;

/**
 * Sends the request, trying to connect up to ConnectionAttempts times, each within ConnectionTimeout. The
 * body starts flowing only once connected, so a failed connection leaves it untouched for the next attempt.
 */
async function send(origin: OriginConfig, request: OriginRequest, agents: OriginAgents): Promise<OriginReply> {
  let stale = 0;
  for (let attempt = 1; ; attempt++) {
    try {
      return await sendOnce(origin, request, agents);
    } catch (error) {
      // Not an attempt: the origin closed an idle connection as it was reused; the next request opens a fresh one.
      if (error instanceof StaleConnectionError && stale++ < MAX_STALE_RETRIES) {
        attempt--;
        continue;
      }
      if (!(error instanceof OriginConnectError) || attempt >= origin.connectionAttempts) {
        if (error instanceof OriginConnectError) throw new OriginConnectError(`${error.message} (${attempt} attempt${attempt === 1 ? "" : "s"})`);
        throw error;
      }
    }
  }
}

function sendOnce(origin: OriginConfig, request: OriginRequest, agents: OriginAgents): Promise<OriginReply> {
  const secure = originUsesHttps(origin);
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
      agent: agents.agentFor(secure, origin.domainName, port, origin.keepaliveTimeoutSeconds),
    });
    let connected = false;
    const body = request.body;
    const bodiless = !body || isBodiless(body);
    const startBody = () => {
      connected = true;
      if (!body || bodiless) {
        body?.resume();
        return void upstream.end();
      }
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
    upstream.on("error", (error: Error & { code?: string }) => {
      if (error instanceof OriginConnectError) return reject(error);
      if (upstream.reusedSocket && bodiless && (error.code === "ECONNRESET" || error.code === "EPIPE")) return reject(new StaleConnectionError(`${where}: ${error.message}`));
      if (isUntrustedCertificate(error)) {
        return reject(
          new OriginUnavailableError(
            `${where}: its TLS certificate is not trusted (${error.code}: ${error.message}); to trust a local CA, start edgelite with --origin-ca <ca.pem> (or set NODE_EXTRA_CA_CERTS)`,
          ),
        );
      }
      reject(connected ? new OriginUnavailableError(`${where}: ${error.message}`) : new OriginConnectError(`${where}: ${error.message}`));
    });
    upstream.on("response", (response: IncomingMessage) =>
      resolve({ statusCode: response.statusCode ?? 502, statusMessage: response.statusMessage ?? "", rawHeaders: response.rawHeaders, body: response }),
    );
  });
}

/** Whether a viewer's request carries no body (no Content-Length above 0, no Transfer-Encoding): it can be sent again. */
function isBodiless(body: Readable): boolean {
  const headers = (body as Partial<IncomingMessage>).headers;
  if (headers === undefined) return false;
  const length = headers["content-length"];
  return headers["transfer-encoding"] === undefined && (length === undefined || length === "0");
}
