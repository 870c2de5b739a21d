import { randomUUID } from "node:crypto";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { AccessGuard, type AccessOptions } from "./api/access/guard.js";
import { isDataPlaneRequest } from "./api/kvs/operations.js";
import { errorResponseXml } from "./api/cloudfront/errorResponse.js";
import type { ApiReply, ApiServices, Operation } from "./api/operation.js";
import { route, type RouteMatch } from "./api/router.js";
import { systemClock, type Clock } from "./clock.js";
import { BODY_STALLED, guardConnections } from "./clientGuards.js";
import { oversizeOf } from "./edge/requestSize.js";
import { CLIENT_TIMEOUTS, MAX_PARSED_HEAD_BYTES, DEFAULT_KVS_PROVISIONING_MS, DEFAULT_MAX_FUNCTIONS_PER_ACCOUNT, DEFAULT_MAX_KEY_VALUE_STORES_PER_ACCOUNT, MAX_REQUEST_BODY_BYTES } from "./limits.js";
import { CloudFrontError } from "./service/errors.js";
import { FunctionService } from "./service/functions.js";
import { KeyValueStoreService } from "./service/keyValueStores.js";
import { KvsError } from "./service/kvsErrors.js";
import { TaggingService } from "./service/tagging.js";
import { DistributionService } from "./service/distributions.js";
import { readDistributionConfigAsSent } from "./api/cloudfront/distributionRequest.js";
import { Edge, sendEdgeFallback, type EdgeLogEntry } from "./edge/edge.js";
import { sendFallback, sendResponse, type HeaderLine } from "./edge/writer.js";
import type { S3Sources } from "./edge/origin.js";
import type { Store } from "./store/types.js";
import { StorageError } from "./store/storageErrors.js";

export const HEALTH_PATH = "/_edgelite/health";
export const DEFAULT_ACCOUNT_ID = "123456789012";
export const VERSION = "0.1.0";
/** `*.localhost` resolves to loopback in browsers, so a distribution's DomainName opens as it is. */
export const DEFAULT_DISTRIBUTION_DOMAIN_SUFFIX = "cloudfront.localhost";

export interface RequestLogEntry {
  requestId: string;
  method: string;
  path: string;
  operation?: string;
  status: number;
  errorCode?: string;
  durationMs: number;
}

export interface ServerOptions {
  store: Store;
  maxKeyValueStores?: number;
  /** How long a new key value store stays PROVISIONING (AWS: ~35 s). */
  kvsProvisioningMs?: number;
  /** Distribution DomainNames are `d<13 characters>.<suffix>`. */
  distributionDomainSuffix?: string;
  host?: string;
  port?: number;
  accountId?: string;
  maxFunctions?: number;
  clock?: Clock;
  onRequest?: (entry: RequestLogEntry) => void;
  onEdgeRequest?: (entry: EdgeLogEntry) => void;
  /** Told of each new distribution, with the URL that serves it. */
  onDistributionCreated?: (distribution: { id: string; domainName: string; url: string }) => void;
  /** Folders CreateKeyValueStore may read `file://` import sources from (`--import-dir`); none by default. */
  importDirs?: readonly string[];
  /** Local sources of S3 origins by bucket name: a folder, or the URL of an S3-compatible server. */
  s3Sources?: S3Sources;
  /** The edge forwards every header, cookie and query string to origins, whatever the policies say. */
  forwardAll?: boolean;
  /** CloudFront-Viewer-Country at the edge (when a policy asks for it); US by default. */
  viewerCountry?: string;
  /** Serve every request (but the health check) as edge traffic of this host's distribution (`edgelite dev`). */
  edgeHost?: string;
  /** Who may call the API and the data plane: extra Hosts, --cors origins, --auth credentials (src/api/access). */
  access?: AccessOptions;
  /** How long clients may take over a request (defaults: CLIENT_TIMEOUTS in src/limits.ts; tests shorten them). */
  clientTimeouts?: Partial<ClientTimeouts>;
}

export interface ClientTimeouts {
  /** The request line and headers must arrive within this (Node's headersTimeout). */
  headersMs: number;
  /** The whole request must arrive within this (Node's requestTimeout). */
  requestMs: number;
  /** A body may bring nothing for at most this long while it is being read. */
  bodyIdleMs: number;
  /** How often Node checks the first two. */
  checkIntervalMs: number;
}

export interface RunningServer {
  url: string;
  port: number;
  host: string;
  server: Server;
  services: ApiServices;
  /** Where a distribution is served: `http://<DomainName>:<port>/`. */
  distributionUrl(domainName: string): string;
  /** Stops accepting, lets in-flight requests finish, then closes the store. */
  close(): Promise<void>;
}

/** Operations whose request body is a function's code: an oversized body is that function being too large. */
const CODE_CARRYING = new Set(["CreateFunction", "UpdateFunction"]);
const SHUTDOWN_GRACE_MS = 10_000;

export async function startServer(options: ServerOptions): Promise<RunningServer> {
  const accountId = options.accountId ?? DEFAULT_ACCOUNT_ID;
  // Known once the server listens; distributions are created only after that.
  let listeningPort = 0;
  const distributionUrl = (domainName: string) => `http://${domainName}:${listeningPort}/`;
  const clock = options.clock ?? systemClock;
  const keyValueStores: KeyValueStoreService = new KeyValueStoreService({
    store: options.store,
    clock,
    accountId,
    maxStores: options.maxKeyValueStores ?? DEFAULT_MAX_KEY_VALUE_STORES_PER_ACCOUNT,
    provisioningMs: options.kvsProvisioningMs ?? DEFAULT_KVS_PROVISIONING_MS,
    importDirs: options.importDirs ?? [],
    functionsUsing: (arn) => functions.functionsUsingStore(arn),
  });
  const distributions: DistributionService = new DistributionService({
    store: options.store,
    clock,
    accountId,
    domainSuffix: options.distributionDomainSuffix ?? DEFAULT_DISTRIBUTION_DOMAIN_SUFFIX,
    isPublishedFunction: async (arn) => functions.isPublished(arn),
    readAsSent: readDistributionConfigAsSent,
    onCreated: (view) => options.onDistributionCreated?.({ id: view.id, domainName: view.domainName, url: distributionUrl(view.domainName) }),
  });
  const functions: FunctionService = new FunctionService({
    store: options.store,
    clock,
    accountId,
    maxFunctions: options.maxFunctions ?? DEFAULT_MAX_FUNCTIONS_PER_ACCOUNT,
    usage: { distributionsUsing: (arn) => distributions.distributionsUsing(arn) },
    keyValueStores: {
      statusOfArn: async (arn) => {
        const record = await keyValueStores.findByArn(arn);
        return record && keyValueStores.statusOf(record);
      },
      forRun: (arn) => keyValueStores.forRun(arn),
    },
  });
  const services: ApiServices = { functions, keyValueStores, tagging: new TaggingService(functions, keyValueStores), distributions };
  const health = JSON.stringify({ status: "ok", service: "edgelite", version: VERSION, storage: options.store.kind });

  const edge = new Edge(
    {
      forHost: (host) => distributions.forHost(options.edgeHost ?? host),
      runLive: (arn, event, runOptions) => functions.runLive(arn, event, runOptions),
    },
    { ...(options.onEdgeRequest ? { log: options.onEdgeRequest } : {}), ...(options.s3Sources ? { s3: options.s3Sources } : {}), forwardAll: options.forwardAll ?? false, ...(options.viewerCountry ? { viewerCountry: options.viewerCountry } : {}) },
  );
  const access = new AccessGuard({ ...options.access, allowedHosts: [...(options.host ? [options.host] : []), ...(options.access?.allowedHosts ?? [])] }, clock);
  let stopping = false;
  const timeouts: ClientTimeouts = { ...CLIENT_TIMEOUTS, ...options.clientTimeouts };
  const server = createServer({ maxHeaderSize: MAX_PARSED_HEAD_BYTES, headersTimeout: timeouts.headersMs, requestTimeout: timeouts.requestMs, connectionsCheckingInterval: timeouts.checkIntervalMs }, (req, res) => {
    const devRefusal = options.edgeHost !== undefined && req.url !== HEALTH_PATH ? access.devHostRefusal(req) : undefined;
    if (devRefusal !== undefined) {
      req.resume();
      sendResponse(res, { status: 403, headers: [["Content-Type", "text/plain; charset=utf-8"]] }, `${devRefusal}\n`);
      return;
    }
    // A Host that names a distribution (its DomainName or an alias) is edge traffic; anything else is the API.
    const host = req.headers.host ?? "";
    const edgeTraffic = options.edgeHost ? req.url !== HEALTH_PATH : /[a-z]/i.test(host) && !/^localhost(:\d+)?$/i.test(host);
    if (edgeTraffic) {
      edge.handle(req, res).then(
        (handled) => {
          if (!handled) serveApi(req, res);
        },
        (error: unknown) => {
          console.error("edgelite: edge error", error);
          sendEdgeFallback(res);
        },
      ).catch((error: unknown) => lastResort(res, randomUUID(), undefined, error));
      return;
    }
    try {
      serveApi(req, res);
    } catch (error) {
      lastResort(res, randomUUID(), undefined, error);
    }
  });

  const serveApi = (req: IncomingMessage, res: ServerResponse) => {
    const requestId = randomUUID();
    const started = performance.now();
    const rawUrl = req.url ?? "/";
    const queryAt = rawUrl.indexOf("?");
    const path = queryAt === -1 ? rawUrl : rawUrl.slice(0, queryAt);
    const method = req.method ?? "GET";
    let operation: Operation | undefined;
    let closeAfterReply = false;

    const finish = (reply: ApiReply, errorCode?: string) => {
      // While stopping, each connection closes after its in-flight response instead of idling on.
      send(res, reply, requestId, stopping || closeAfterReply, operation?.protocol);
      options.onRequest?.({
        requestId,
        method,
        path,
        operation: operation?.name,
        status: reply.status,
        errorCode,
        durationMs: performance.now() - started,
      });
    };
    // The KeyValueStore data plane answers in JSON, even to a request that names none of its operations.
    const dataPlane = isDataPlaneRequest(req.headers.host, path);
    const fail = (error: unknown) => {
      if ((operation ? operation.protocol === "rest-json" : dataPlane) || error instanceof KvsError) {
        const { code, status, message } = error instanceof KvsError || error instanceof CloudFrontError ? error : asCloudFrontError(error);
        // The data plane's errors: the type in x-amzn-ErrorType and __type, the text in Message.
        finish({ status, body: JSON.stringify({ __type: code, Message: message }), contentType: "application/json", headers: { "x-amzn-ErrorType": code } }, code);
        return;
      }
      const cloudFrontError = asCloudFrontError(error);
      finish(
        { status: cloudFrontError.status, body: errorResponseXml(cloudFrontError, requestId), contentType: "text/xml" },
        cloudFrontError.code,
      );
    };

    if (path === HEALTH_PATH && method === "GET") {
      finish({ status: 200, body: health, contentType: "application/json" });
      return;
    }
    let match: RouteMatch | undefined;
    let routeError: unknown;
    try {
      match = route(method, path);
    } catch (error) {
      // A path that names no operation; on the data plane in its words (a bad label there is already its ValidationException).
      routeError = dataPlane && !(error instanceof KvsError) ? new KvsError("UnknownOperationException", `No KeyValueStore data-plane operation matches ${method} ${path}.`) : error;
    }
    operation = match?.operation;
    // Who may call (src/api/access): the Host, a browser's Origin, CORS preflights; the signature once the body is read.
    const admission = access.admit(req, res, operation?.protocol ?? (dataPlane ? "rest-json" : "rest-xml"));
    if (admission && "reply" in admission) {
      finish(admission.reply);
      return;
    }
    if (admission || match === undefined) {
      fail(admission ? admission.error : routeError);
      return;
    }
    const routed = match;
    const oversize = oversizeOf(req);
    if (oversize) {
      closeAfterReply = true;
      fail(
        oversize.part === "url"
          ? new CloudFrontError("RequestURITooLong", `The request URL is ${oversize.bytes} bytes long; at most ${oversize.limit} are accepted.`)
          : new CloudFrontError("RequestHeaderSectionTooLarge", `The request line and headers take ${oversize.bytes} bytes; at most ${oversize.limit} are accepted.`),
      );
      return;
    }
    const query = new URLSearchParams(queryAt === -1 ? "" : rawUrl.slice(queryAt + 1));
    const dispatch = async () => {
      try {
        const body = await readBody(req, MAX_REQUEST_BODY_BYTES);
        await access.authenticate(req, body, routed.operation);
        finish(await routed.operation.handle({ method, path, query, headers: req.headers, body, params: routed.params }, services));
      } catch (error) {
        if (error instanceof BodyTooLargeError) {
          closeAfterReply = true;
          fail(
            CODE_CARRYING.has(routed.operation.name)
              ? new CloudFrontError("FunctionSizeLimitExceeded", `The request body is larger than ${MAX_REQUEST_BODY_BYTES} bytes; function code may be at most 10 KB.`)
              : new CloudFrontError("EntitySizeLimitExceeded", `The request body is larger than ${MAX_REQUEST_BODY_BYTES} bytes.`),
          );
        } else {
          if (error instanceof BodyIncompleteError) closeAfterReply = true;
          fail(error instanceof BodyIncompleteError ? new CloudFrontError("RequestTimeout", error.message) : error);
        }
      }
    };
    // Whatever still escapes (a throwing onRequest hook, say) ends in the fixed fallback, not an unhandled rejection.
    dispatch().catch((error: unknown) => lastResort(res, requestId, operation?.protocol, error));
  };
  // What Node's parser refuses (garbage, heads over MAX_PARSED_HEAD_BYTES, timeouts) and stalled bodies.
  guardConnections(server, timeouts.bodyIdleMs);

  await distributions.upgradeStored();
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 4599, options.host ?? "127.0.0.1", () => {
      server.off("error", reject);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  listeningPort = address.port;
  const host = address.family === "IPv6" ? `[${address.address}]` : address.address;

  let closing: Promise<void> | undefined;
  return {
    url: `http://${host}:${address.port}`,
    port: address.port,
    host: address.address,
    server,
    services,
    distributionUrl,
    close() {
      closing ??= (async () => {
        stopping = true;
        const closed = new Promise<void>((resolve) => server.close(() => resolve()));
        server.closeIdleConnections();
        const force = setTimeout(() => server.closeAllConnections(), SHUTDOWN_GRACE_MS);
        force.unref();
        await closed;
        clearTimeout(force);
        await services.functions.dispose();
        await options.store.close();
      })();
      return closing;
    },
  };
}

/**
 * Writes an API or data-plane reply through the response writer (one writeHead, head and body together).
 * A reply that cannot be written (a header value with a control character, say) is edgelite's bug: the
 * caller gets a fixed InternalError in the protocol's shape instead, and the process goes on.
 */
function send(res: ServerResponse, reply: ApiReply, requestId: string, closeConnection: boolean, protocol: Operation["protocol"]): void {
  if (res.headersSent) return;
  const headers: HeaderLine[] = [["x-amzn-RequestId", requestId]];
  if (reply.headers) for (const [name, value] of Object.entries(reply.headers)) headers.push([name, value]);
  const bodiless = reply.body === undefined || reply.status === 204;
  if (!bodiless) headers.push(["Content-Type", reply.contentType ?? "application/octet-stream"]);
  try {
    sendResponse(res, { status: reply.status, headers }, bodiless ? undefined : reply.body, { close: closeConnection });
  } catch (error) {
    console.error("edgelite: a reply could not be written", error);
    sendFallback(res, apiFallback(requestId, protocol));
  }
}

/** Logs an error that escaped a request's own handling and answers with the fixed fallback (or closes a started reply). */
function lastResort(res: ServerResponse, requestId: string, protocol: Operation["protocol"], error: unknown): void {
  console.error("edgelite: unexpected error", error);
  sendFallback(res, apiFallback(requestId, protocol));
}

/** The fixed InternalError reply of the last resort: nothing in it comes from the reply that failed. */
function apiFallback(requestId: string, protocol: Operation["protocol"]): { status: 500; headers: HeaderLine[]; body: string } {
  const error = new CloudFrontError("InternalError", "edgelite could not write its reply to this request; the reason has been logged.");
  const safeId = /^[0-9a-f-]{36}$/.test(requestId) ? requestId : randomUUID();
  return protocol === "rest-json"
    ? { status: 500, headers: [["x-amzn-RequestId", safeId], ["x-amzn-ErrorType", error.code], ["Content-Type", "application/json"]], body: JSON.stringify({ __type: error.code, Message: error.message }) }
    : { status: 500, headers: [["x-amzn-RequestId", safeId], ["Content-Type", "text/xml"]], body: errorResponseXml(error, safeId) };
}

function asCloudFrontError(error: unknown): CloudFrontError {
  if (error instanceof CloudFrontError) return error;
  if (error instanceof StorageError) {
    // The disk's fault, not the caller's nor ours: the file in the log, the reason in the reply; nothing was changed.
    console.error(`edgelite: ${error.message}; answered 503 ServiceUnavailable`);
    return new CloudFrontError("ServiceUnavailable", `edgelite could not save this change: ${error.reason}. Nothing was changed; retry once the disk is fixed (the server's log names the file).`);
  }
  // A bug of ours, not the caller's: say so plainly rather than blame the request.
  console.error("edgelite: unexpected error", error);
  return new CloudFrontError("InternalError", "edgelite hit an internal error handling this request; it has been logged.");
}

class BodyTooLargeError extends Error {}
/** The body stalled (nothing for the body idle timeout) or its connection closed before it was complete. */
class BodyIncompleteError extends Error {}

const EMPTY_BODY = Buffer.alloc(0);

function readBody(req: IncomingMessage, limit: number): Promise<Buffer> | Buffer {
  // Most calls (GET, DELETE, Publish) carry no body: skip the stream machinery entirely.
  if (req.headers["transfer-encoding"] === undefined && (req.headers["content-length"] ?? "0") === "0") return EMPTY_BODY;
  return new Promise((resolve, reject) => {
    const declared = Number(req.headers["content-length"] ?? 0);
    if (declared > limit) {
      req.resume();
      reject(new BodyTooLargeError());
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    req.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        req.removeAllListeners("data");
        req.resume();
        reject(new BodyTooLargeError());
        return;
      }
      chunks.push(chunk);
    });
    req.on("end", () => resolve(chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks)));
    req.on("error", () => reject(new BodyIncompleteError("The connection closed before the request body was complete.")));
    req.once(BODY_STALLED, () => reject(new BodyIncompleteError("The request body stopped arriving before it was complete.")));
    req.once("close", () => reject(new BodyIncompleteError("The connection closed before the request body was complete.")));
  });
}
