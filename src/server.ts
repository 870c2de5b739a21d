import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { AccessGuard, type AccessOptions } from "./api/access/guard.js";
import { ApiDispatcher, type RequestLogEntry } from "./api/dispatch.js";
import type { ApiReply } from "./api/operation.js";
import { guardConnections } from "./clientGuards.js";
import { composeApp, type App, type AppOptions } from "./compose.js";
import { DistributionPorts, type PortRange } from "./distributionPorts.js";
import { sendEdgeFallback, type EdgeTarget } from "./edge/edge.js";
import { sendResponse } from "./edge/writer.js";
import { CLIENT_TIMEOUTS, MAX_PARSED_HEAD_BYTES } from "./limits.js";

export const HEALTH_PATH = "/_edgelite/health";
export const VERSION = "0.1.0";

export interface ServerOptions extends Omit<AppOptions, "onDistributionCreated" | "edgePorts"> {
  host?: string;
  port?: number;
  onRequest?: (entry: RequestLogEntry) => void;
  /** Told of each new distribution, with the URLs that serve it (`plainUrl`: its own port, when it has one). */
  onDistributionCreated?: (distribution: { id: string; domainName: string; url: string; plainUrl?: string }) => void;
  /** Serve each distribution on a port of its own from this range too (src/distributionPorts.ts); none by default. */
  distributionPorts?: PortRange;
  /** Told when a distribution's port moved or none was free. */
  onDistributionPortNotice?: (message: string) => void;
  /**
   * Serve every request (but the health check and AWS API calls, see isAwsApiCall) as edge traffic of this
   * host's distribution (`edgelite dev`).
   */
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
  /** The services, the edge and what the CLI does in-process (src/compose.ts). */
  app: App;
  /** Where a distribution is served: `http://<DomainName>:<port>/`. */
  distributionUrl(domainName: string): string;
  /** Where a distribution is served on its own port (`http://<host>:<its port>/`), when it has one. */
  plainUrl(distributionId: string): string | undefined;
  /** Stops accepting, lets in-flight requests finish, then closes the store. */
  close(): Promise<void>;
}

const SHUTDOWN_GRACE_MS = 10_000;

/**
 * Starts edgelite on one port: builds the app (src/compose.ts), then routes each request once by its Host —
 * a distribution's traffic to the edge, the health check to its reply, everything else to the API.
 */
export async function startServer(options: ServerOptions): Promise<RunningServer> {
  const timeouts: ClientTimeouts = { ...CLIENT_TIMEOUTS, ...options.clientTimeouts };
  const newServer = () => {
    const created = createServer({ maxHeaderSize: MAX_PARSED_HEAD_BYTES, headersTimeout: timeouts.headersMs, requestTimeout: timeouts.requestMs, connectionsCheckingInterval: timeouts.checkIntervalMs });
    // What Node's parser refuses (garbage, heads over MAX_PARSED_HEAD_BYTES, timeouts) and stalled bodies.
    guardConnections(created, timeouts.bodyIdleMs);
    return created;
  };
  const server = newServer();
  // Distributions are created only once the server listens, so the port is known by then.
  const distributionUrl = (domainName: string) => `http://${domainName}:${(server.address() as AddressInfo).port}/`;
  let urlHost = "";
  const ports = options.distributionPorts && edgePortsFor(options.distributionPorts);
  const plainUrl = (id: string) => {
    const port = ports?.portOf(id);
    return port === undefined ? undefined : `http://${urlHost}:${port}/`;
  };
  const { onDistributionCreated, distributionPorts: _range, onDistributionPortNotice: _notice, ...appOptions } = options;
  const app = composeApp({
    ...appOptions,
    ...(ports ? { edgePorts: ports } : {}),
    ...(onDistributionCreated
      ? { onDistributionCreated: (view) => onDistributionCreated({ id: view.id, domainName: view.domainName, url: distributionUrl(view.domainName), ...withPlainUrl(plainUrl(view.id)) }) }
      : {}),
  });
  const access = new AccessGuard({ ...options.access, allowedHosts: [...(options.host ? [options.host] : []), ...(options.access?.allowedHosts ?? [])] }, app.clock);
  const api = new ApiDispatcher({ services: app.services, access, ...(options.onRequest ? { onRequest: options.onRequest } : {}) });
  const health: ApiReply = { status: 200, body: JSON.stringify({ status: "ok", service: "edgelite", version: VERSION, storage: app.store.kind }), contentType: "application/json" };
  const toApi = (req: IncomingMessage, res: ServerResponse) => (isHealthCheck(req) ? api.answer(req, res, health) : api.serve(req, res));
  const edgeFailed = (res: ServerResponse) => (error: unknown) => {
    console.error("edgelite: edge error", error);
    sendEdgeFallback(res);
  };
  const toEdge = (req: IncomingMessage, res: ServerResponse, target: EdgeTarget) => app.edge.serve(req, res, target).catch(edgeFailed(res));

  server.on("request", (req: IncomingMessage, res: ServerResponse) => {
    // Under `edgelite dev` the port is the edge's, but AWS clients reach the API on it too (with its own access rules).
    if (options.edgeHost !== undefined && isAwsApiCall(req)) {
      toApi(req, res);
      return;
    }
    const devRefusal = options.edgeHost !== undefined && req.url !== HEALTH_PATH ? access.devHostRefusal(req) : undefined;
    if (devRefusal !== undefined) {
      req.resume();
      sendResponse(res, { status: 403, headers: [["Content-Type", "text/plain; charset=utf-8"]] }, `${devRefusal}\n`);
      return;
    }
    const host = req.headers.host ?? "";
    if (!mayNameDistribution(host, req, options.edgeHost !== undefined)) {
      toApi(req, res);
      return;
    }
    app.edge
      .resolve(host)
      .then((target) => (target ? toEdge(req, res, target) : toApi(req, res)), edgeFailed(res))
      .catch((error: unknown) => api.lastResort(res, error));
  });

  /**
   * A distribution's own port: every request is its edge traffic whatever the Host (the event shows its
   * DomainName, as CloudFront's would), but the health check; a disabled distribution answers CloudFront's 403.
   */
  function edgePortsFor(range: PortRange): DistributionPorts {
    return new DistributionPorts({
      host: options.host ?? "127.0.0.1",
      range,
      notice: (message) => options.onDistributionPortNotice?.(message),
      createServer: ({ id, domainName }) =>
        newServer().on("request", (req: IncomingMessage, res: ServerResponse) => {
          if (isHealthCheck(req)) return toApi(req, res);
          app.edge
            .resolve(domainName)
            .then((target) => (target ? toEdge(req, res, target) : app.edge.refuseUnserved(req, res, id)), edgeFailed(res))
            .catch((error: unknown) => api.lastResort(res, error));
        }),
    });
  }

  await app.upgradeStored();
  // Stored distributions take their ports before the API can create one that would take a port of theirs.
  await app.openEdgePorts();
  try {
    await new Promise<void>((resolve, reject) => {
      server.once("error", reject);
      server.listen(options.port ?? 4599, options.host ?? "127.0.0.1", () => {
        server.off("error", reject);
        resolve();
      });
    });
  } catch (error) {
    ports?.closeAll();
    throw error;
  }
  const address = server.address() as AddressInfo;
  const host = address.family === "IPv6" ? `[${address.address}]` : address.address;
  urlHost = host;

  let closing: Promise<void> | undefined;
  return {
    url: `http://${host}:${address.port}`,
    port: address.port,
    host: address.address,
    server,
    app,
    distributionUrl,
    plainUrl,
    close() {
      closing ??= (async () => {
        api.stop();
        const closed = new Promise<void>((resolve) => server.close(() => resolve()));
        server.closeIdleConnections();
        const own = ports?.closeAll();
        const force = setTimeout(() => {
          server.closeAllConnections();
          own?.force();
        }, SHUTDOWN_GRACE_MS);
        force.unref();
        await Promise.all([closed, own?.closed]);
        clearTimeout(force);
        await app.close();
      })();
      return closing;
    },
  };
}

const withPlainUrl = (plainUrl: string | undefined) => (plainUrl === undefined ? {} : { plainUrl });

/**
 * Whether a request may be a distribution's: under `edgelite dev` every request but the health check is;
 * otherwise a Host with a letter (an IP address or `localhost` names none) asks the edge.
 */
function mayNameDistribution(host: string, req: IncomingMessage, dev: boolean): boolean {
  return dev ? req.url !== HEALTH_PATH : /[a-z]/i.test(host) && !/^localhost(:\d+)?$/i.test(host);
}

function isHealthCheck(req: IncomingMessage): boolean {
  const url = req.url ?? "/";
  const queryAt = url.indexOf("?");
  return (queryAt === -1 ? url : url.slice(0, queryAt)) === HEALTH_PATH && (req.method ?? "GET") === "GET";
}

/**
 * Whether a request is an AWS client's API call rather than a browser's or curl's: signed with Signature
 * Version 4 or 4A (in the Authorization header, or presigned in the query) or naming a JSON-protocol
 * operation in X-Amz-Target. Browsers send none of these on their own.
 */
export function isAwsApiCall(req: IncomingMessage): boolean {
  const authorization = req.headers.authorization ?? "";
  if (/^AWS4-(HMAC-SHA256|ECDSA-P256-SHA256) /.test(authorization)) return true;
  if (req.headers["x-amz-target"] !== undefined) return true;
  const url = req.url ?? "/";
  const queryAt = url.indexOf("?");
  return queryAt !== -1 && /(?:^|&)X-Amz-Algorithm=AWS4-(HMAC-SHA256|ECDSA-P256-SHA256)(?:&|$)/.test(url.slice(queryAt + 1)) && /(?:^|&)X-Amz-Signature=/.test(url.slice(queryAt + 1));
}
