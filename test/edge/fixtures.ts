import { IncomingMessage, ServerResponse } from "node:http";
import { Socket } from "node:net";
import { Readable } from "node:stream";
import { resolveBehaviour } from "../../src/edge/behaviour.js";
import { Exchange, type EdgeSettings } from "../../src/edge/exchange.js";
import type { OriginReply } from "../../src/edge/originReply.js";
import type { RunResult } from "../../src/runtime/function.js";
import { PARSED_CONFIG_FORMAT, type BehaviourConfig, type CustomErrorResponseConfig, type OriginConfig, type ParsedDistributionConfig } from "../../src/service/distributionConfig.js";
import type { DistributionView } from "../../src/service/distributions.js";
import { MANAGED_POLICY_SET } from "../../src/service/policySet.js";

/** Typed building blocks for the edge's unit tests (no server, no HTTP). */

export function origin(id: string, overrides: Partial<OriginConfig> = {}): OriginConfig {
  return {
    id,
    domainName: `${id}.example`,
    originPath: "",
    kind: "custom",
    httpPort: 80,
    httpsPort: 443,
    protocolPolicy: "http-only",
    customHeaders: [],
    readTimeoutSeconds: 30,
    keepaliveTimeoutSeconds: 5,
    connectionTimeoutSeconds: 10,
    connectionAttempts: 3,
    ...overrides,
  };
}

export function behaviour(pathPattern: string, targetOriginId: string, overrides: Partial<BehaviourConfig> = {}): BehaviourConfig {
  return { pathPattern, targetOriginId, functions: [], allowedMethods: ["GET", "HEAD"], cachedMethods: ["GET", "HEAD"], compress: false, viewerProtocolPolicy: "allow-all", lambdaFunctionAssociations: [], ...overrides };
}

export function config(overrides: Partial<ParsedDistributionConfig> = {}): ParsedDistributionConfig {
  return {
    format: PARSED_CONFIG_FORMAT,
    callerReference: "test",
    enabled: true,
    comment: "",
    aliases: [],
    defaultRootObject: "",
    origins: [origin("o")],
    originGroups: [],
    customErrorResponses: [],
    behaviours: [behaviour("*", "o")],
    geoRestriction: { type: "none", locations: [] },
    ...overrides,
  };
}

/** A CustomErrorResponse as parsed (ErrorCachingMinTTL at its default of 10 s unless given). */
export function errorResponse(response: Omit<CustomErrorResponseConfig, "errorCachingMinTtl"> & { errorCachingMinTtl?: number }): CustomErrorResponseConfig {
  return { errorCachingMinTtl: 10, ...response };
}

export function view(id = "EDFDVBD6EXAMPLE"): DistributionView {
  return { id, arn: `arn:aws:cloudfront::123456789012:distribution/${id}`, status: "Deployed", domainName: "d111111abcdef8.cloudfront.net", lastModifiedTime: new Date(0), etag: "E1", configAsSent: "", enabled: true };
}

/** A viewer request that never touches a socket: what the steps read of it. */
export function viewerRequest(method: string, url: string, headers: Array<[string, string]> = []): IncomingMessage {
  const req = new IncomingMessage(new Socket());
  req.method = method;
  req.url = url;
  req.httpVersion = "1.1";
  req.rawHeaders = headers.flat();
  for (const [name, value] of headers) req.headers[name.toLowerCase()] = value;
  return req;
}

/** A RunResult as the runner reports it, with what a test sets. */
export function runResult(overrides: Partial<RunResult>): RunResult {
  return { output: undefined, logs: [], error: undefined, errorMessage: "", computeUtilization: 7, validationErrors: [], originCalls: [], ...overrides };
}

export interface ExchangeSetup {
  method?: string;
  url?: string;
  headers?: Array<[string, string]>;
  config?: ParsedDistributionConfig;
  runLive?: EdgeSettings["runLive"];
  forwardAll?: boolean;
}

/** An Exchange as serve() starts it, not yet through any step. */
export function exchange(setup: ExchangeSetup = {}): Exchange {
  const req = viewerRequest(setup.method ?? "GET", setup.url ?? "/", setup.headers ?? [["Host", "d111111abcdef8.cloudfront.net"]]);
  const settings: EdgeSettings = { runLive: setup.runLive ?? (async () => undefined), log: undefined, s3: new Map(), forwardAll: setup.forwardAll ?? false, viewerCountry: "US" };
  return new Exchange(req, new ServerResponse(req), { host: "d111111abcdef8.cloudfront.net", view: view(), config: setup.config ?? config(), policies: MANAGED_POLICY_SET }, settings);
}

/** An Exchange through resolveBehaviour: behaviour, rules and event set. */
export function resolved(setup: ExchangeSetup = {}): Exchange {
  const x = exchange(setup);
  resolveBehaviour(x);
  return x;
}

/** An origin reply with a body that is never read unless a test reads it. */
export function reply(statusCode: number, rawHeaders: string[] = [], body = ""): OriginReply & { drained: () => boolean } {
  const stream = Readable.from(body === "" ? [] : [Buffer.from(body)]);
  return { statusCode, statusMessage: "", rawHeaders, body: stream, drained: () => stream.readableFlowing === true };
}
