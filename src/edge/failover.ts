import type { OriginConfig } from "../service/distributionConfig.js";
import type { OriginReply, OriginRequest } from "./originReply.js";
import type { OriginRoute } from "./originRequest.js";

/**
 * Origin failover (CloudFront Developer Guide, "Optimize high availability with CloudFront origin
 * failover"): an origin group's secondary is tried when the primary fails or answers one of the group's
 * failover status codes, and only for GET, HEAD and OPTIONS requests.
 */

/** Whether a request of this method may fail over to an origin group's next origin. */
export const canFailOver = (method: string | undefined): boolean => method === "GET" || method === "HEAD" || method === "OPTIONS";

/**
 * Whether the request moves on from the route's origin at `index` to the next one: after a failure
 * (`status` undefined) or a listed status, never from the last origin or when failover is not allowed.
 */
export function movesOn(route: OriginRoute, index: number, failoverAllowed: boolean, status?: number): boolean {
  if (!failoverAllowed || index >= route.origins.length - 1) return false;
  return status === undefined || route.failoverStatusCodes.includes(status);
}

/** Sends a request to one origin: fetchFromOrigin, or a stand-in in tests. */
export type FetchOne = (origin: OriginConfig, request: OriginRequest) => Promise<OriginReply>;

/**
 * Tries the route's origins in order (see movesOn): the reply that stands, or the last failure. The
 * viewer's body goes to the first origin only (failover is for methods without one); each origin adds its
 * own custom headers.
 */
export async function fetchRoute(route: OriginRoute, outgoing: OriginRequest, failoverAllowed: boolean, fetchOne: FetchOne): Promise<{ reply?: OriginReply; error?: Error }> {
  const { body, ...rest } = outgoing;
  let error: Error | undefined;
  for (let i = 0; i < route.origins.length; i++) {
    const origin = route.origins[i]!;
    const request: OriginRequest = { ...rest, headers: [...rest.headers, ...origin.customHeaders], ...(i === 0 && body ? { body } : {}) };
    let reply: OriginReply;
    try {
      reply = await fetchOne(origin, request);
    } catch (caught) {
      error = caught instanceof Error ? caught : new Error(String(caught));
      if (movesOn(route, i, failoverAllowed)) continue;
      break;
    }
    if (!movesOn(route, i, failoverAllowed, reply.statusCode)) return { reply };
    reply.body.resume();
  }
  return error ? { error } : {};
}
