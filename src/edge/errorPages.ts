import { emptyRecord } from "../nullPrototype.js";
import type { FunctionRequest } from "../runtime/event.js";
import type { CustomErrorResponseConfig, ParsedDistributionConfig } from "../service/distributionConfig.js";
import type { PageAnswer } from "./answers.js";
import { rulesFor } from "./behaviour.js";
import type { Exchange } from "./exchange.js";
import { fetchRoute, type FetchOne } from "./failover.js";
import { VIA } from "./identity.js";
import type { OriginReply } from "./originReply.js";
import { originRequestOf, routeOf } from "./originRequest.js";
import { pickBehaviour } from "./pathPattern.js";

/**
 * Custom error pages (CloudFront Developer Guide, "Generate custom error responses"): for an error status a
 * CustomErrorResponse names with a ResponsePagePath, the viewer gets that page, fetched like any object
 * (from whichever behaviour its path matches), with the configured ResponseCode or the original status.
 */

/** The CustomErrorResponse that replaces this status with a page, if any: the first for the code that names a page. */
export function customErrorFor(config: ParsedDistributionConfig, status: number): (CustomErrorResponseConfig & { responsePagePath: string }) | undefined {
  if (status < 400) return undefined;
  const custom = config.customErrorResponses.find((c) => c.errorCode === status && c.responsePagePath);
  return custom?.responsePagePath ? { ...custom, responsePagePath: custom.responsePagePath } : undefined;
}

/**
 * The page answer for an error status (the origin's reply, or 502/504 for a failure), or undefined: no
 * page is configured for it, or the page cannot be had (the original error then stands).
 */
export async function customErrorPage(x: Exchange, status: number, reply: OriginReply | undefined, fetchOne: FetchOne): Promise<PageAnswer | undefined> {
  const custom = customErrorFor(x.config, status);
  if (!custom) return undefined;
  reply?.body.resume();
  const page = await pageFromOrigin(x, custom.responsePagePath, fetchOne);
  return page && { kind: "page", status: custom.responseCode ?? status, page, detail: `custom error response for ${status}: ${custom.responsePagePath}` };
}

/** The page, fetched with GET through its behaviour's route and policies (not its functions); only a reply below 400 will do. */
async function pageFromOrigin(x: Exchange, pagePath: string, fetchOne: FetchOne): Promise<OriginReply | undefined> {
  const behaviour = pickBehaviour(x.config.behaviours, pagePath);
  const route = routeOf(x.config, behaviour.targetOriginId, []);
  if (typeof route === "string") return undefined;
  const pageRequest: FunctionRequest = { ...x.request, method: "GET", uri: pagePath, querystring: emptyRecord() };
  const viewerEvent = { ...x.event, request: { ...x.event.request, method: "GET" } };
  const outgoing = originRequestOf(pageRequest, viewerEvent, null, rulesFor(behaviour, x.settings.forwardAll, x.target.policies), { via: VIA, requestId: x.requestId });
  const { reply } = await fetchRoute(route, outgoing, true, fetchOne);
  if (reply && reply.statusCode < 400) return reply;
  reply?.body.resume();
  return undefined;
}
