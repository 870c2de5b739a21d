import { fieldTextProblem, statusProblem } from "../runtime/validate.js";
import { invalidResult, originCommError, originConnectError, originReadTimeout, type Answer, type ErrorAnswer } from "./answers.js";
import { customErrorPage } from "./errorPages.js";
import { responseFromOrigin } from "./events.js";
import type { Exchange } from "./exchange.js";
import type { Upstream } from "./upstream.js";
import { canFailOver, fetchRoute, type FetchOne } from "./failover.js";
import { VIA } from "./identity.js";
import { fetchFromOrigin, OriginTimeoutError } from "./origin.js";
import { OriginAgents } from "./originAgents.js";
import type { OriginReply } from "./originReply.js";
import { originRequestOf, routeOf } from "./originRequest.js";
import { writableLines } from "./responseLines.js";

/** For an exchange built without the edge's own pool (unit tests): one pool for the process, Node's CAs. */
const SHARED_AGENTS = new OriginAgents();

/** How this exchange reaches one origin: over the edge's pooled connections, or from a local S3 source. */
export const originFetcher =
  (x: Exchange): FetchOne =>
  (origin, request) =>
    fetchFromOrigin(origin, request, x.settings.s3, x.settings.originAgents ?? SHARED_AGENTS);

/**
 * Step: the origin's response. The route is the behaviour's origin or origin group as the viewer-request
 * function left it; its origins are tried in order (failover.ts). An error status a CustomErrorResponse
 * names is answered with its page (errorPages.ts); a failure, or a reply that cannot be passed on, is
 * CloudFront's own error. Passes without fetching when a source before it (the cache) has the response.
 */
export async function fetchOrigin(x: Exchange): Promise<Answer | undefined> {
  if (x.upstream) return undefined;
  const route = routeOf(x.config, x.behaviour.targetOriginId, x.originCalls);
  if (typeof route === "string") return invalidResult(route);
  const outgoing = originRequestOf(x.request, x.event, x.rawQuery, x.rules, { via: VIA, requestId: x.requestId });
  const fetchOne = originFetcher(x);
  const sent = performance.now();
  const { reply, error } = await fetchRoute(route, { ...outgoing, body: x.req }, canFailOver(x.req.method), fetchOne);
  x.originWaitMs = performance.now() - sent;
  const status = reply ? reply.statusCode : error instanceof OriginTimeoutError ? 504 : 502;
  const page = await customErrorPage(x, status, reply, fetchOne);
  if (page) return page;
  if (!reply) return error instanceof OriginTimeoutError ? originReadTimeout(error.message) : originConnectError(error?.message ?? "no origin answered");
  const upstream = upstreamOf(reply);
  if ("kind" in upstream) return upstream;
  x.upstream = upstream;
  return undefined;
}

/**
 * The reply as the response on its way to the viewer. Its status must be one a viewer can be sent; its odd
 * reason phrase or header lines are left out before the viewer-response function sees them (nothing an
 * origin sends may end up unwritable).
 */
export function upstreamOf(reply: OriginReply): Upstream | ErrorAnswer {
  if (statusProblem(reply.statusCode)) {
    reply.body.resume();
    return originCommError(`the origin answered with status ${reply.statusCode}`);
  }
  const lines = writableLines(reply.rawHeaders);
  const reason = fieldTextProblem("reason", reply.statusMessage) ? "" : reply.statusMessage;
  return { reply, lines, response: responseFromOrigin(reply.statusCode, reason, lines), fromFunction: false };
}
