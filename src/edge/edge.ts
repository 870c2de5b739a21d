import { randomBytes } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import type { Readable } from "node:stream";
import { emptyRecord, setOwn } from "../nullPrototype.js";
import type { OriginCall } from "../runtime/engine.js";
import type { FunctionEvent, FunctionRequest, FunctionResponse } from "../runtime/event.js";
import type { RunResult } from "../runtime/function.js";
import { fieldTextProblem, headerNameProblem, statusProblem } from "../runtime/validate.js";
import type { BehaviourConfig, FunctionAssociationConfig, ParsedDistributionConfig } from "../service/distributionConfig.js";
import type { DistributionView } from "../service/distributions.js";
import { responseFromOrigin, titleCase, valuesOf, viewerRequestEvent } from "./events.js";
import { FORWARD_ALL, forwardingRules, type ForwardingRules } from "./forwarding.js";
import { cloudFrontHeaderValue } from "./viewerHeaders.js";
import { fetchFromOrigin, OriginTimeoutError, type OriginReply, type OriginRequest, type S3Sources } from "./origin.js";
import { originRequestOf, routeOf, type OriginRoute } from "./originRequest.js";
import { EDGE_FAILURE, errorPage, escapeHtml, INVALID_VALUE, ORIGIN_TIMEOUT, ORIGIN_UNREACHABLE, REQUEST_TOO_LARGE } from "./pages.js";
import { pickBehaviour } from "./pathPattern.js";
import { oversizeOf } from "./requestSize.js";
import { contentLengthOf, sendFallback, sendResponse, streamResponse, UnwritableResponseError, type HeaderLine } from "./writer.js";

/** What the edge needs from the rest of edgelite. */
export interface EdgeServices {
  forHost(host: string): Promise<{ view: DistributionView; config: ParsedDistributionConfig } | undefined>;
  runLive(functionArn: string, event: FunctionEvent, options: { rawQueryString?: string | null }): Promise<RunResult | undefined>;
}

/** A distribution a Host named: the name as the event shows it, the distribution, its parsed config. */
export interface EdgeTarget {
  /** The Host the event shows: lower-cased, without a port or a trailing dot. */
  host: string;
  view: DistributionView;
  config: ParsedDistributionConfig;
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
  computeUtilization?: number;
  durationMs: number;
  detail?: string;
  distributionId?: string;
}

/** The POP id edgelite reports (`X-Amz-Cf-Pop`): CloudFront's shape, a local code. */
const POP = "LCL50-C1";
/** Via's id: the same 32 hex digits toward the origin and back to the viewer, per process. */
const VIA_ID = randomBytes(16).toString("hex");
const VIA = `1.1 ${VIA_ID}.cloudfront.net (CloudFront)`;

/** Random bytes drawn a block at a time: one crypto call per 100 request ids instead of one each. */
let idPool = Buffer.alloc(0);
let idOffset = 0;
const ID_BYTES = 40;

/** CloudFront's request id shape: 40 random bytes, base64url with the `==` padding kept (spec §1.1). */
function newRequestId(): string {
  if (idOffset + ID_BYTES > idPool.length) {
    idPool = randomBytes(ID_BYTES * 100);
    idOffset = 0;
  }
  const id = idPool.toString("base64url", idOffset, idOffset + ID_BYTES);
  idOffset += ID_BYTES;
  return `${id}==`;
}

/**
 * The edge: serves a distribution's traffic as CloudFront does (shared/spec/edge.md). The behaviour is
 * picked from the viewer's path before any function runs; the LIVE viewer-request function may answer
 * itself (no origin) or change the request; the origin is reached over real HTTP; the viewer-response
 * function runs unless the origin answered 400 or above; CloudFront's headers are added. Nothing is
 * cached: every request reaches the origin (X-Cache: Miss from cloudfront).
 */
export interface EdgeOptions {
  log?: (entry: EdgeLogEntry) => void;
  /** Local sources of S3 origins, by bucket name. */
  s3?: S3Sources;
  /** Forward every header, cookie and query string whatever the behaviour's policies (Managed-AllViewer). */
  forwardAll?: boolean;
  /** The viewer's country for CloudFront-Viewer-Country (ISO 3166-1 alpha-2); US by default. */
  viewerCountry?: string;
}

export class Edge {
  private readonly log: ((entry: EdgeLogEntry) => void) | undefined;
  private readonly s3: S3Sources;
  private readonly forwardAll: boolean;
  private readonly viewerCountry: string;

  constructor(
    private readonly services: EdgeServices,
    options: EdgeOptions = {},
  ) {
    this.log = options.log;
    this.s3 = options.s3 ?? new Map();
    this.forwardAll = options.forwardAll ?? false;
    this.viewerCountry = options.viewerCountry ?? "US";
  }

  /**
   * The distribution a Host header names (its DomainName or an alias; the port, a trailing dot and the case
   * make no difference), or undefined when it names none and the request is the API's.
   */
  async resolve(host: string): Promise<EdgeTarget | undefined> {
    const name = host.toLowerCase().replace(/:\d+$/, "").replace(/\.$/, "");
    const found = await this.services.forHost(name);
    return found && { host: name, view: found.view, config: found.config };
  }

  /** Handles the request if its Host names a distribution; false otherwise (the API serves it). */
  async handle(req: IncomingMessage, res: ServerResponse): Promise<boolean> {
    const target = await this.resolve(req.headers.host ?? "");
    if (!target) return false;
    await this.serve(req, res, target);
    return true;
  }

  /** Serves one viewer request for the distribution `resolve` found. */
  async serve(req: IncomingMessage, res: ServerResponse, target: EdgeTarget): Promise<void> {
    const { host, view, config } = target;
    const started = performance.now();
    const requestId = newRequestId();
    const functions: string[] = [];
    let compute: number | undefined;
    const done = (status: number, result: string, detail?: string, detailedResult = result) =>
      this.log?.({ requestId, method: req.method ?? "GET", uri: req.url ?? "/", status, result, detailedResult, functions, durationMs: performance.now() - started, ...(compute !== undefined ? { computeUtilization: compute } : {}), ...(detail ? { detail } : {}), distributionId: view.id });
    const cloudFrontHeaders = (cache: string): Array<[string, string]> => [["X-Cache", `${cache} from cloudfront`], ["Via", VIA], ["X-Amz-Cf-Pop", POP], ["X-Amz-Cf-Id", requestId]];
    const fail = (status: 413 | 502 | 503 | 504, result: string, detail: string, sentence?: string, detailedResult = result, close = false) => {
      req.resume();
      if (res.headersSent) {
        res.destroy();
        done(status, result, detail, detailedResult);
        return;
      }
      sendResponse(res, { status, headers: [["Server", "CloudFront"], ["Content-Type", "text/html"], ...cloudFrontHeaders(result)] }, errorPage(status, requestId, sentence), { lengthAt: 2, close });
      done(status, result, detail, detailedResult);
    };

    // CloudFront's page names the problem: "The CloudFront function returned an invalid value: <detail>" (spec §4.3).
    const invalid = (detail: string) => fail(502, "FunctionValidationError", detail, `${INVALID_VALUE} ${escapeHtml(detail)}`);
    /** Runs an associated function's LIVE stage; undefined once an execution error has been answered (503). */
    const run = async (association: FunctionAssociationConfig, runEvent: FunctionEvent, options: { rawQueryString?: string | null }, pending?: Readable) => {
      const result = await this.services.runLive(association.functionArn, runEvent, options);
      functions.push(`${association.eventType}:${association.functionArn.split("/").pop()}`);
      if (!result || result.error) {
        pending?.resume();
        fail(503, "FunctionExecutionError", result?.errorMessage ?? "the function has no LIVE stage");
        return undefined;
      }
      compute = result.computeUtilization;
      return result;
    };

    // Too long a URL or head: CloudFront answers 413 and closes the connection (nothing runs, nothing is fetched).
    const oversize = oversizeOf(req);
    if (oversize) {
      const detail = `the request's ${oversize.part === "url" ? "URL" : "line and headers"} take ${oversize.bytes} bytes; CloudFront accepts at most ${oversize.limit}`;
      return fail(413, "Error", detail, REQUEST_TOO_LARGE, "Error", true);
    }

    const path = (req.url ?? "/").split("?")[0]!;
    const behaviour = pickBehaviour(config.behaviours, path);
    const viewerIp = (req.socket.remoteAddress ?? "").replace(/^::ffff:/, "");
    const { event, rawQuery } = viewerRequestEvent(req, { distributionId: view.id, distributionDomainName: view.domainName, requestId, viewerIp, host });
    const rules = this.rulesFor(behaviour);
    if (rules.cloudFrontHeaders.size > 0) {
      const viewer = { ip: viewerIp, port: req.socket.remotePort ?? 0, httpVersion: req.httpVersion, userAgent: req.headers["user-agent"] ?? "", country: this.viewerCountry };
      for (const name of rules.cloudFrontHeaders) {
        const value = cloudFrontHeaderValue(name, viewer);
        if (value !== undefined) setOwn(event.request.headers, name, { value });
      }
    }

    let request: FunctionRequest = event.request;
    const originCalls: OriginCall[] = [];
    const viewerRequestFn = behaviour.functions.find((f) => f.eventType === "viewer-request");
    if (viewerRequestFn) {
      const result = await run(viewerRequestFn, event, { rawQueryString: rawQuery });
      if (!result) return;
      if (result.validationErrors.length > 0 || !result.output) return invalid(result.validationErrors.join(" ") || "The function returned neither a request nor a response.");
      if ("response" in result.output) {
        req.resume();
        const generated = result.output.response;
        if (!this.sendGenerated(res, generated, cloudFrontHeaders("FunctionGeneratedResponse"), invalid)) return;
        return done(generated.statusCode, "FunctionGeneratedResponse");
      }
      request = { ...result.output.request, method: event.request.method };
      originCalls.push(...result.originCalls);
    }
    // The default root object applies to a request for exactly "/", after the function (spec §1.2 leaves
    // open which the function sees; moving this line above the function would flip it).
    if (config.defaultRootObject && request.uri === "/") request = { ...request, uri: `/${config.defaultRootObject}` };

    const route = routeOf(config, behaviour.targetOriginId, originCalls);
    if (typeof route === "string") return invalid(route);
    const outgoing = originRequestOf(request, event, rawQuery, rules, { via: VIA, requestId });
    const canFailOver = req.method === "GET" || req.method === "HEAD" || req.method === "OPTIONS";

    const { reply, error } = await this.fetchRoute(route, { ...outgoing, body: req }, canFailOver);
    const errorStatus = reply ? reply.statusCode : error instanceof OriginTimeoutError ? 504 : 502;
    const customError = errorStatus >= 400 ? config.customErrorResponses.find((c) => c.errorCode === errorStatus && c.responsePagePath) : undefined;
    if (customError) {
      reply?.body.resume();
      const page = await this.errorPageFromOrigin(config, customError.responsePagePath!, request, event, requestId);
      if (page) {
        const status = customError.responseCode ?? errorStatus;
        const lines = headerLinesOf(responseFromOrigin(page.statusCode, "", writableLines(page.rawHeaders)).headers);
        streamResponse(res, { status, headers: [...lines, ...cloudFrontHeaders("Error")] }, page.body, { unsafe: "drop", lengthAt: lines.length, ...lengthOf(page.rawHeaders) });
        page.body.on("end", () => done(status, "Error", `custom error response for ${errorStatus}: ${customError.responsePagePath}`));
        return;
      }
    }
    if (!reply) {
      return error instanceof OriginTimeoutError
        ? fail(504, "Error", `OriginReadTimeout: ${error.message}`, ORIGIN_TIMEOUT, "OriginCommError")
        : fail(502, "Error", `OriginConnectError: ${error?.message ?? "no origin answered"}`, ORIGIN_UNREACHABLE, "OriginConnectError");
    }
    const originReply = reply;
    // An origin's status must be one a viewer can be sent; its odd reason phrase or header lines are left out
    // before the viewer-response function sees them (nothing an origin sends may end up unwritable).
    if (statusProblem(originReply.statusCode)) {
      originReply.body.resume();
      return fail(502, "Error", `OriginCommError: the origin answered with status ${originReply.statusCode}`, ORIGIN_TIMEOUT, "OriginCommError");
    }
    const originLines = writableLines(originReply.rawHeaders);
    const originReason = fieldTextProblem("reason", originReply.statusMessage) ? "" : originReply.statusMessage;
    let response = responseFromOrigin(originReply.statusCode, originReason, originLines);
    let fromFunction = false;
    const viewerResponseFn = behaviour.functions.find((f) => f.eventType === "viewer-response");
    // Viewer-response does not run when the origin answered 400 or above.
    if (viewerResponseFn && response.statusCode < 400) {
      const result = await run(viewerResponseFn, { ...event, context: { ...event.context, eventType: "viewer-response" }, request, response }, {}, originReply.body);
      if (!result) return;
      if (result.validationErrors.length > 0 || !result.output || !("response" in result.output)) {
        originReply.body.resume();
        return invalid(result.validationErrors.join(" ") || "A viewer-response function must return the response object.");
      }
      response = result.output.response;
      fromFunction = true;
      if (response.body !== undefined) {
        originReply.body.resume();
        const generated = response;
        if (!this.sendGenerated(res, generated, cloudFrontHeaders(generated.statusCode >= 400 ? "Error" : "Miss"), invalid)) return;
        return done(generated.statusCode, "Miss");
      }
    }
    const lines = [...headerLinesOf(response.headers), ...setCookieLinesOf(response)];
    const result = response.statusCode >= 400 ? "Error" : "Miss";
    const status = response.statusCode;
    try {
      // Framing is the origin's: its own Content-Length (when valid), whatever a function set.
      streamResponse(res, { status, reason: response.statusDescription ?? "", headers: [...lines, ...cloudFrontHeaders(result)] }, originReply.body, { lengthAt: lines.length, ...lengthOf(originLines) }, (error) =>
        fail(502, "Error", `OriginCommError: the origin's body failed before its first byte (${error.message})`, ORIGIN_TIMEOUT, "OriginCommError"),
      );
    } catch (error) {
      if (!(error instanceof UnwritableResponseError)) throw error;
      originReply.body.resume();
      return fromFunction ? invalid(error.message) : fail(502, "Error", `OriginCommError: ${error.message}`, ORIGIN_TIMEOUT, "OriginCommError");
    }
    originReply.body.on("end", () => done(status, result));
  }

  private rulesFor(behaviour: BehaviourConfig): ForwardingRules {
    return this.forwardAll ? FORWARD_ALL : forwardingRules(behaviour);
  }

  /** Tries the route's origins in order; the next one only after a listed status or a failure, and only when failover is allowed. */
  private async fetchRoute(route: OriginRoute, outgoing: OriginRequest, canFailOver: boolean): Promise<{ reply?: OriginReply; error?: Error }> {
    let error: Error | undefined;
    for (let i = 0; i < route.origins.length; i++) {
      const origin = route.origins[i]!;
      const last = i === route.origins.length - 1 || !canFailOver;
      const headers = [...outgoing.headers];
      for (const [name, value] of origin.customHeaders) headers.push([name, value]);
      // The viewer's body goes to the first origin only (failover is for methods without one).
      const { body, ...rest } = outgoing;
      let reply: OriginReply;
      try {
        reply = await fetchFromOrigin(origin, { ...rest, headers, ...(i === 0 && body ? { body } : {}) }, this.s3);
      } catch (caught) {
        error = caught instanceof Error ? caught : new Error(String(caught));
        if (last) break;
        continue;
      }
      if (last || !route.failoverStatusCodes.includes(reply.statusCode)) return { reply };
      reply.body.resume();
    }
    return error ? { error } : {};
  }

  /**
   * A CustomErrorResponse's page, fetched from whichever behaviour its path matches (without that
   * behaviour's functions); undefined when it cannot be had, so the original error stands.
   */
  private async errorPageFromOrigin(config: ParsedDistributionConfig, pagePath: string, request: FunctionRequest, event: FunctionEvent, requestId: string): Promise<OriginReply | undefined> {
    const behaviour = pickBehaviour(config.behaviours, pagePath);
    const route = routeOf(config, behaviour.targetOriginId, []);
    if (typeof route === "string") return undefined;
    const rules = this.rulesFor(behaviour);
    const pageRequest: FunctionRequest = { ...request, method: "GET", uri: pagePath, querystring: emptyRecord() };
    const outgoing = originRequestOf(pageRequest, { ...event, request: { ...event.request, method: "GET" } }, null, rules, { via: VIA, requestId });
    const { reply } = await this.fetchRoute(route, outgoing, true);
    if (reply && reply.statusCode < 400) return reply;
    reply?.body.resume();
    return undefined;
  }

  /**
   * A response the function made (with its body), Content-Length from that body (spec §4.2). False, with
   * the validation error answered, when the writer refused it (the function's result was validated
   * already, so this is a rule the writer alone knows).
   */
  private sendGenerated(res: ServerResponse, response: FunctionResponse, cloudFrontHeaders: Array<[string, string]>, invalid: (detail: string) => void): boolean {
    const body = response.body === undefined ? Buffer.alloc(0) : typeof response.body === "string" ? Buffer.from(response.body) : Buffer.from(response.body.data, response.body.encoding === "base64" ? "base64" : "utf8");
    const headers: HeaderLine[] = [["Server", "CloudFront"], ...headerLinesOf(response.headers), ...setCookieLinesOf(response), ...cloudFrontHeaders];
    try {
      // The status line's reason: the function's own, else the standard phrase (spec §4.2).
      // Server, Content-Length, then the function's headers and CloudFront's (spec §4.2's order).
      sendResponse(res, { status: response.statusCode, reason: response.statusDescription ?? "", headers }, body, { lengthAt: 1 });
      return true;
    } catch (error) {
      if (!(error instanceof UnwritableResponseError)) throw error;
      invalid(error.message);
      return false;
    }
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
    headers: [["Server", "CloudFront"], ["Content-Type", "text/html"], ["X-Cache", "Error from cloudfront"], ["Via", VIA], ["X-Amz-Cf-Pop", POP], ["X-Amz-Cf-Id", requestId]],
    body: errorPage(502, requestId, EDGE_FAILURE),
  });
}

/** An origin's header lines without those that could not be written on (bad name or value characters). */
function writableLines(rawHeaders: readonly string[]): string[] {
  const lines: string[] = [];
  for (let i = 0; i + 1 < rawHeaders.length; i += 2) {
    const name = rawHeaders[i]!;
    const value = rawHeaders[i + 1]!;
    if (headerNameProblem(name) || fieldTextProblem("value", value)) continue;
    lines.push(name, value);
  }
  return lines;
}

/** `{ length }` when an origin gave one valid Content-Length, for streamResponse. */
function lengthOf(rawHeaders: readonly string[]): { length?: number } {
  const length = contentLengthOf(rawHeaders);
  return length === undefined ? {} : { length };
}

/** Header lines to write, Title-Case as CloudFront writes headers a function could have set. */
function headerLinesOf(headers: FunctionRequest["headers"]): Array<[string, string]> {
  const lines: Array<[string, string]> = [];
  for (const [name, entry] of Object.entries(headers)) {
    for (const value of valuesOf(entry)) lines.push([titleCase(name), value]);
  }
  return lines;
}

function setCookieLinesOf(response: FunctionResponse): Array<[string, string]> {
  return Object.entries(response.cookies).flatMap(([name, entry]) =>
    (entry.multiValue ?? [entry]).map((cookie): [string, string] => ["Set-Cookie", `${name}=${cookie.value}${cookie.attributes ? `; ${cookie.attributes}` : ""}`]),
  );
}
