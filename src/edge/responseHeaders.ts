import { emptyRecord, getOwn, hasOwn, recordOf, setOwn } from "../nullPrototype.js";
import type { FunctionResponse, ValueEntry } from "../runtime/event.js";
import { fieldTextProblem, headerNameProblem } from "../runtime/validate.js";
import { isRemovableHeader, type ResponseHeadersPolicy } from "../service/responseHeadersPolicy.js";
import { corsHeaders, type CorsRequest } from "./responseHeadersCors.js";
import { securityHeaders, type PolicyHeader } from "./responseHeadersSecurity.js";
import { serverTimingSampled, serverTimingValue, type ServerTimingFacts } from "./responseHeadersServerTiming.js";
import { valuesOf } from "./events.js";
import type { Exchange } from "./exchange.js";
import { POP } from "./identity.js";

/**
 * Response headers policies at the edge (CloudFront Developer Guide, "Add or remove HTTP headers in
 * CloudFront responses with a policy" and "Understand response headers policies"): the behaviour's policy
 * changes the headers of every response it serves from the origin or the cache.
 */

/** What a policy needs besides the response: the viewer's request and, lazily, the Server-Timing facts. */
export interface PolicyContext {
  cors: CorsRequest;
  /** The request's Pragma values (`Pragma: server-timing` asks for Server-Timing). */
  pragma: readonly string[];
  serverTiming(): Omit<ServerTimingFacts, "originValue">;
  random?: () => number;
}

/**
 * The response with the policy applied; the response given is not changed (a cached one is served again).
 * In the guide's order: the headers RemoveHeadersConfig names go first ("CloudFront removes the headers
 * first and then adds any headers that are specified in other sections"); then CORS, security and custom
 * headers, each kept when the response has it already and its Override is false; then Server-Timing.
 * A removed Server comes back as CloudFront's own (`Server: CloudFront`); a removed Date is the edge's own
 * (the writer adds one). A header whose name or value could not be written, or that no policy may remove,
 * is left out (see put).
 */
export function withResponseHeadersPolicy(policy: ResponseHeadersPolicy, response: FunctionResponse, context: PolicyContext): FunctionResponse {
  const headers = recordOf(response.headers);
  let cookies = response.cookies;
  let serverRemoved = false;
  for (const header of policy.removeHeaders) {
    const name = header.toLowerCase();
    if (name === "set-cookie") cookies = emptyRecord();
    if (name === "server") serverRemoved = true;
    delete headers[name];
  }
  const added: PolicyHeader[] = [];
  if (policy.cors) {
    const override = policy.cors.originOverride;
    for (const [name, value] of corsHeaders(policy.cors, context.cors)) added.push({ name, value, override });
  }
  if (policy.securityHeaders) added.push(...securityHeaders(policy.securityHeaders));
  for (const custom of policy.customHeaders) added.push({ name: custom.header.toLowerCase(), value: custom.value, override: custom.override });
  for (const header of added) put(headers, header);
  if (serverRemoved && !hasOwn(headers, "server")) setOwn(headers, "server", { value: "CloudFront" });
  const timing = policy.serverTiming;
  if (timing?.enabled && serverTimingSampled(timing.samplingRate ?? 0, context.pragma, context.random)) {
    const origin = getOwn(headers, "server-timing");
    put(headers, { name: "server-timing", value: serverTimingValue({ ...context.serverTiming(), originValue: origin && valuesOf(origin).join(",") }), override: true });
  }
  return { ...response, headers, cookies };
}

/**
 * Sets a policy's header unless the response has it and Override is false. Headers the API lets no policy
 * remove (framing, hop-by-hop, CloudFront's own: Content-Length, Via, X-Cache, …) are not set either, so a
 * policy can never break the response's framing or CloudFront's headers.
 */
function put(headers: Record<string, ValueEntry>, header: PolicyHeader): void {
  if (!header.override && hasOwn(headers, header.name)) return;
  if (!isRemovableHeader(header.name) || headerNameProblem(header.name) || fieldTextProblem("value", header.value)) return;
  setOwn(headers, header.name, { value: header.value });
}

/**
 * Step: the behaviour's response headers policy on the response as the viewer-response function left it.
 * It runs after that function (which therefore sees the origin's headers, not the policy's: the guide
 * does not say which comes first; edgelite's choice, docs/edge.md) on every response served from the
 * origin or the cache, hits and misses, origin errors included. Responses CloudFront makes itself (its
 * error pages), custom error pages and responses a function generates answer before this step and are
 * left as they are.
 */
export function applyResponseHeadersPolicy(x: Exchange): undefined {
  const policy = responseHeadersPolicyOf(x);
  if (!policy) return undefined;
  const upstream = x.fetched();
  const context: PolicyContext = {
    cors: { method: x.request.method, origin: firstValue(x, "origin"), accessControlRequestMethod: firstValue(x, "access-control-request-method") },
    pragma: allValues(x, "pragma"),
    serverTiming: () => ({ cache: cacheResultOf(x), originWaitMs: x.originWaitMs, downstreamMs: performance.now() - x.started, requestId: x.requestId, pop: POP }),
  };
  x.upstream = { ...upstream, response: withResponseHeadersPolicy(policy, upstream.response, context) };
  return undefined;
}

/** The behaviour's response headers policy, managed or custom (an id the set does not know applies nothing). */
function responseHeadersPolicyOf(x: Exchange): ResponseHeadersPolicy | undefined {
  const id = x.behaviour.responseHeadersPolicyId;
  return id === undefined ? undefined : x.target.policies.responseHeadersPolicy(id);
}

/** Where the response came from, for Server-Timing (the cache step sets x.cacheResult on a hit). */
function cacheResultOf(x: Exchange): ServerTimingFacts["cache"] {
  return x.cacheResult ?? "Miss";
}

/** A header of the request as CloudFront processes it (after the viewer-request function). */
function allValues(x: Exchange, name: string): string[] {
  const entry = getOwn(x.request.headers, name);
  return entry ? valuesOf(entry) : [];
}

function firstValue(x: Exchange, name: string): string | undefined {
  return allValues(x, name)[0];
}
