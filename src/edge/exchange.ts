import type { IncomingMessage, ServerResponse } from "node:http";
import type { OriginCall } from "../runtime/engine.js";
import type { FunctionEvent, FunctionRequest } from "../runtime/event.js";
import type { RunResult } from "../runtime/function.js";
import type { BehaviourConfig, ParsedDistributionConfig } from "../service/distributionConfig.js";
import type { DistributionView } from "../service/distributions.js";
import type { PolicySet } from "../service/policySet.js";
import type { FunctionRunLog } from "../service/functionLogs.js";
import type { ForwardingRules } from "./forwarding.js";
import { newRequestId } from "./identity.js";
import type { Answer, FunctionErrorPageRenderer } from "./answers.js";
import type { S3Sources } from "./origin.js";
import type { OriginAgents } from "./originAgents.js";
import type { Upstream } from "./upstream.js";
import type { EdgeCache } from "./cache/edgeCache.js";
import type { CacheExchange } from "./cache/state.js";

/** A distribution a Host named: the name as the event shows it, the distribution, its parsed config. */
export interface EdgeTarget {
  /** The Host the event shows: lower-cased, without a port or a trailing dot. */
  host: string;
  view: DistributionView;
  config: ParsedDistributionConfig;
  /** The policies its behaviours may name (managed and custom), as of this request. */
  policies: PolicySet;
}

/** One function run at the edge: what the request log shows of it (and, through recordRun, CloudWatch Logs). */
export interface FunctionRun {
  functionName: string;
  /** The edge runs only LIVE stages. */
  stage: "LIVE";
  eventType: string;
  /** Its console.log lines, in order (cut at 10 KB by the runtime, as CloudFront does). */
  logs: string[];
  /** Why the run failed, when it did. */
  error?: string;
}

/** A console.log line of a run, as the request log entry carries it. */
export interface FunctionLogLine {
  function: string;
  stage: "LIVE";
  eventType: string;
  message: string;
}

export interface EdgeLogEntry {
  requestId: string;
  method: string;
  uri: string;
  status: number;
  /** x-edge-result-type: Miss, Error, FunctionGeneratedResponse, FunctionExecutionError, FunctionValidationError. */
  result: string;
  /** x-edge-detailed-result-type: the result, or for an Error its kind (OriginConnectError, OriginCommError). */
  detailedResult: string;
  functions: string[];
  /** Every console.log line of the request's function runs, in run order. */
  logs: FunctionLogLine[];
  computeUtilization?: number;
  durationMs: number;
  detail?: string;
  distributionId?: string;
}

/** What the steps need from the edge: how to run a function's LIVE stage, where S3 origins live, the local settings. */
export interface EdgeSettings {
  runLive(functionArn: string, event: FunctionEvent, options: { rawQueryString?: string | null }): Promise<RunResult | undefined>;
  log: ((entry: EdgeLogEntry) => void) | undefined;
  /** Hands each run to the function log store (CloudWatch Logs' view), when there is one. */
  recordRun?: ((run: FunctionRunLog) => void) | undefined;
  s3: S3Sources;
  /** Pooled keep-alive connections to origins, and the CAs trusted for HTTPS ones (originAgents.ts); the Edge always sets it. */
  originAgents?: OriginAgents;
  forwardAll: boolean;
  viewerCountry: string;
  /** Replaces CloudFront's 503 when a function fails (`edgelite dev`); CloudFront's page when absent. */
  functionErrorPage?: FunctionErrorPageRenderer;
  /** The edge cache (src/edge/cache/); absent with `--no-cache`. */
  cache?: EdgeCache;
}

/**
 * One viewer request on its way through the edge's steps (src/edge/edge.ts lists them). A step reads what
 * earlier steps set and adds its own; the fields below say which step sets them.
 */
export class Exchange {
  readonly requestId = newRequestId();
  readonly started = performance.now();
  /** `eventType:name` of each function run, for the log. */
  readonly functions: string[] = [];
  /** Each function run, in order: its name, stage, event type, console.log lines and failure. */
  readonly functionRuns: FunctionRun[] = [];
  /** The last function run's compute utilization, for the log. */
  compute: number | undefined;
  /** What edgelite noticed about the request that the log's detail should say (an ignored country header). */
  readonly notes: string[] = [];

  /**
   * The viewer's country (ISO 3166-1 alpha-2): the edge's `--viewer-country`, or the request's
   * X-Edgelite-Viewer-Country once takeViewerCountry (viewerCountry.ts) has read it.
   */
  viewerCountry: string;

  // Set by resolveBehaviour (behaviour.ts), the step every step after it relies on.
  behaviour!: BehaviourConfig;
  rules!: ForwardingRules;
  /** The viewer-request event as CloudFront builds it from the viewer's request. */
  event!: FunctionEvent;
  /** The query string exactly as the viewer sent it (null: no `?`). */
  rawQuery!: string | null;
  viewerIp!: string;
  /** The request the origin gets: the viewer's, as a viewer-request function returned it, with the default root object. */
  request!: FunctionRequest;
  /** Origin changes a viewer-request function asked for (cloudfront module, runtime 2.0). */
  readonly originCalls: OriginCall[] = [];

  /** Set by a response source (lookupCache or fetchOrigin); a viewer-response function may replace its response. */
  upstream: Upstream | undefined;
  /** Set by fetchOrigin: milliseconds from sending the origin request to its response's head (Server-Timing). */
  originWaitMs: number | undefined;

  // Set by lookupCache / storeInCache (cache/steps.ts) for a request whose method the behaviour caches.
  /** The request's cache key. */
  cacheKey: string | undefined;
  /** The response came from the cache: Hit, or RefreshHit after the origin said 304. */
  cacheResult: "Hit" | "RefreshHit" | undefined;
  /** The cache steps' working state. */
  cache: CacheExchange | undefined;

  constructor(
    readonly req: IncomingMessage,
    readonly res: ServerResponse,
    readonly target: EdgeTarget,
    readonly settings: EdgeSettings,
  ) {
    this.viewerCountry = settings.viewerCountry;
  }

  get config(): ParsedDistributionConfig {
    return this.target.config;
  }

  /** The response source's result; throws when a step that needs one runs before any source (a step-order bug). */
  fetched(): Upstream {
    if (!this.upstream) throw new Error("edge step order: a response step ran before any response source");
    return this.upstream;
  }

  /** Reports the request, answered, to the log. */
  log(status: number, result: string, detail?: string, detailedResult = result): void {
    this.settings.log?.({
      requestId: this.requestId,
      method: this.req.method ?? "GET",
      uri: this.req.url ?? "/",
      status,
      result,
      detailedResult,
      functions: this.functions,
      logs: this.functionRuns.flatMap((run) => run.logs.map((message) => ({ function: run.functionName, stage: run.stage, eventType: run.eventType, message }))),
      durationMs: performance.now() - this.started,
      ...(this.compute !== undefined ? { computeUtilization: this.compute } : {}),
      ...(detail || this.notes.length > 0 ? { detail: [detail, ...this.notes].filter(Boolean).join("; ") } : {}),
      distributionId: this.target.view.id,
    });
  }
}

/**
 * A step of the edge: it reads and extends the exchange, and either passes (undefined: the next step runs)
 * or answers (nothing after it runs; the answer is written).
 */
export type Step = (x: Exchange) => Answer | undefined | Promise<Answer | undefined>;
