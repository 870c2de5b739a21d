import type { IncomingMessage, ServerResponse } from "node:http";
import type { FunctionEvent } from "../runtime/event.js";
import type { RunResult } from "../runtime/function.js";
import type { ParsedDistributionConfig } from "../service/distributionConfig.js";
import type { FunctionRunLog } from "../service/functionLogs.js";
import type { DistributionView } from "../service/distributions.js";
import { MANAGED_POLICY_SET, type PolicySet } from "../service/policySet.js";
import { systemClock, type Clock } from "../clock.js";
import { resolveBehaviour } from "./behaviour.js";
import { EdgeCache } from "./cache/edgeCache.js";
import { lookupCache, storeInCache } from "./cache/steps.js";
import { applyDefaultRootObject } from "./defaultRootObject.js";
import type { FunctionErrorPageRenderer } from "./answers.js";
import { Exchange, type EdgeSettings, type EdgeTarget, type Step } from "./exchange.js";
import { cloudFrontResponseHeaders, newRequestId } from "./identity.js";
import type { S3Sources } from "./origin.js";
import { OriginAgents } from "./originAgents.js";
import { fetchOrigin } from "./originFetch.js";
import { EDGE_FAILURE, errorPage } from "./pages.js";
import { applyResponseHeadersPolicy } from "./responseHeaders.js";
import { applyResponsePolicies } from "./responsePolicies.js";
import { addViewerHeaders } from "./viewerHeaders.js";
import { compressResponse } from "./compression.js";
import { Notices, type EdgeNotice } from "./notices.js";
import { takeViewerCountry } from "./viewerCountry.js";
import { refuseGeo, refuseMethod, refuseOversize } from "./viewerPolicies.js";
import { runViewerRequest } from "./viewerRequest.js";
import { runViewerResponse } from "./viewerResponse.js";
import { refuseUnserved } from "./unserved.js";
import { write } from "./write.js";
import { sendFallback } from "./writer.js";

export type { FunctionErrorPage, FunctionErrorPageRenderer, FunctionFailure } from "./answers.js";
export type { EdgeLogEntry, EdgeTarget, FunctionLogLine } from "./exchange.js";
export type { EdgeNotice } from "./notices.js";

/** What the edge needs from the rest of edgelite. */
export interface EdgeServices {
  forHost(host: string): Promise<{ view: DistributionView; config: ParsedDistributionConfig; policies?: PolicySet } | undefined>;
  runLive(functionArn: string, event: FunctionEvent, options: { rawQueryString?: string | null }): Promise<RunResult | undefined>;
  /** Keeps a LIVE run's logs as CloudWatch Logs would (the function log store); optional. */
  recordRun?(run: FunctionRunLog): void;
}

export interface EdgeOptions {
  log?: EdgeSettings["log"];
  /** Local sources of S3 origins, by bucket name. */
  s3?: S3Sources;
  /** Forward every header, cookie and query string whatever the behaviour's policies (Managed-AllViewer). */
  forwardAll?: boolean;
  /** The viewer's country for CloudFront-Viewer-Country (ISO 3166-1 alpha-2); US by default. */
  viewerCountry?: string;
  /** A page instead of CloudFront's 503 when a function fails (`edgelite dev`'s development error page). */
  functionErrorPage?: FunctionErrorPageRenderer;
  /** Told once per distribution (and config version) of what the edge accepts but does not do (notices.ts). */
  notice?: (notice: EdgeNotice) => void;
  /** Certificates (PEM) of local CAs trusted for HTTPS origins besides Node's own (`--origin-ca`). */
  originCa?: readonly string[];
  /** The edge cache: its size in bytes (DEFAULT_CACHE_BYTES, 256 MB, by default), or false for none (`--no-cache`). */
  cache?: { maxBytes?: number } | false;
  /** What the cache takes the time from (objects' freshness and Age). */
  clock?: Clock;
}

/**
 * The steps of a viewer request, in order. Each is a function of one Exchange (exchange.ts) in its own
 * module: it passes, or answers and ends the request there; the answer is written by write.ts. Adding a
 * step is adding its module and its line here.
 */
const STEPS: readonly Step[] = [
  refuseOversize, // viewerPolicies.ts: 413 for a URL or head over CloudFront's limits
  takeViewerCountry, // viewerCountry.ts: X-Edgelite-Viewer-Country taken off the request, the viewer's country set
  resolveBehaviour, // behaviour.ts: the behaviour the path picks, its forwarding rules, the viewer-request event
  refuseGeo, // viewerPolicies.ts: 403 for a country the geographic restriction refuses (or its custom error page)
  refuseMethod, // viewerPolicies.ts: 403 for a method the behaviour does not allow, or a GET with a body
  addViewerHeaders, // viewerHeaders.ts: the CloudFront-* headers the policies name
  runViewerRequest, // viewerRequest.ts: the viewer-request function (a generated response answers here)
  applyDefaultRootObject, // defaultRootObject.ts: "/" → "/<DefaultRootObject>"
  lookupCache, // cache/steps.ts: a fresh object sets x.upstream (Hit), and fetchOrigin then passes; collapsing, revalidation
  fetchOrigin, // originFetch.ts: the origin or origin group (failover.ts), custom error pages (errorPages.ts)
  compressResponse, // compression.ts: gzip or br as the behaviour, its cache policy and the viewer allow
  storeInCache, // cache/steps.ts: a cacheable response is kept as it streams on (RefreshHit after a 304)
  runViewerResponse, // viewerResponse.ts: the viewer-response function, below 400 only
  applyResponseHeadersPolicy, // responseHeaders.ts: the behaviour's response headers policy (CORS, security, custom, remove, Server-Timing)
  applyResponsePolicies, // responsePolicies.ts: the response's lines and result type; always answers
];

/**
 * The edge: serves a distribution's traffic as CloudFront does (CloudFront Developer Guide, "CloudFront
 * Functions event structure" and "Request and response behavior for custom origins"). `resolve` finds the
 * distribution a Host names; `serve` takes one request through STEPS above: the behaviour is picked from the
 * viewer's path before any function runs; the LIVE viewer-request function may answer itself (no origin) or
 * change the request; the origin is reached over real HTTP (or a local S3 folder); the viewer-response
 * function runs unless the origin answered 400 or above; CloudFront's headers are added. Responses are
 * cached as the behaviour's cache policy (or legacy settings) says (src/edge/cache/).
 */
export class Edge {
  private readonly settings: EdgeSettings;
  private readonly notices: Notices;

  constructor(
    private readonly services: EdgeServices,
    options: EdgeOptions = {},
  ) {
    this.settings = {
      runLive: (arn, event, runOptions) => services.runLive(arn, event, runOptions),
      log: options.log,
      recordRun: services.recordRun ? (run) => services.recordRun?.(run) : undefined,
      s3: options.s3 ?? new Map(),
      originAgents: new OriginAgents(options.originCa ? { extraCa: options.originCa } : {}),
      forwardAll: options.forwardAll ?? false,
      viewerCountry: options.viewerCountry ?? "US",
      ...(options.functionErrorPage ? { functionErrorPage: options.functionErrorPage } : {}),
      ...(options.cache === false ? {} : { cache: new EdgeCache(options.cache?.maxBytes, options.clock ?? systemClock) }),
    };
    this.notices = new Notices(options.notice);
  }

  /**
   * Removes a distribution's cached objects that invalidation paths name (`*` at the end: a prefix);
   * returns how many were removed. CreateInvalidation calls it, through AppOptions.onInvalidation.
   */
  invalidate(distributionId: string, paths: readonly string[]): number {
    return this.settings.cache?.invalidate(distributionId, paths) ?? 0;
  }

  /**
   * The distribution a Host header names (its DomainName or an alias; the port, a trailing dot and the case
   * make no difference), or undefined when it names none and the request is the API's.
   */
  async resolve(host: string): Promise<EdgeTarget | undefined> {
    const name = host.toLowerCase().replace(/:\d+$/, "").replace(/\.$/, "");
    const found = await this.services.forHost(name);
    return found && { host: name, view: found.view, config: found.config, policies: found.policies ?? MANAGED_POLICY_SET };
  }

  /** Serves one viewer request for the distribution `resolve` found. */
  async serve(req: IncomingMessage, res: ServerResponse, target: EdgeTarget): Promise<void> {
    this.notices.check(target);
    const x = new Exchange(req, res, target, this.settings);
    for (const step of STEPS) {
      const answer = await step(x);
      if (answer) return write(x, answer);
    }
    throw new Error("edge: no step answered the request");
  }

  /** Closes the pooled connections to origins (the server is stopping). */
  close(): void {
    this.settings.originAgents?.close();
  }

  /** Answers a request on the own port of a distribution that serves nothing now (disabled): CloudFront's 403. */
  refuseUnserved(req: IncomingMessage, res: ServerResponse, distributionId: string): void {
    refuseUnserved(req, res, distributionId, this.settings.log);
  }
}

/**
 * The edge's last resort when serving a request failed unexpectedly (a bug of edgelite's): CloudFront's 502
 * page with a fresh request id, nothing taken from the failed attempt.
 */
export function sendEdgeFallback(res: ServerResponse): void {
  const requestId = newRequestId();
  sendFallback(res, {
    status: 502,
    headers: [["Server", "CloudFront"], ["Content-Type", "text/html"], ...cloudFrontResponseHeaders("Error", requestId)],
    body: errorPage(502, requestId, EDGE_FAILURE),
  });
}
