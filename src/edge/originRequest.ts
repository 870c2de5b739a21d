import type { OriginCall } from "../runtime/engine.js";
import type { FunctionEvent, FunctionRequest } from "../runtime/event.js";
import type { OriginConfig, ParsedDistributionConfig } from "../service/distributionConfig.js";
import { queryStringOf, titleCase, valuesOf } from "./events.js";
import { forwardsHeader, normalisedAcceptEncoding, selects, type ForwardingRules } from "./forwarding.js";
import type { OriginRequest } from "./originReply.js";

/** The origins to try in order (one, or an origin group's primary then secondary) and when to move on. */
export interface OriginRoute {
  origins: OriginConfig[];
  failoverStatusCodes: number[];
}

/** The behaviour's target (an origin or an origin group) after the function's origin calls; a string explains a failure. */
export function routeOf(config: ParsedDistributionConfig, targetId: string, calls: readonly OriginCall[]): OriginRoute | string {
  const byId = (id: string): OriginRoute | undefined => {
    const origin = config.origins.find((o) => o.id === id);
    if (origin) return { origins: [origin], failoverStatusCodes: [] };
    const group = config.originGroups.find((g) => g.id === id);
    if (!group) return undefined;
    return { origins: group.memberIds.map((member) => config.origins.find((o) => o.id === member)!), failoverStatusCodes: group.failoverStatusCodes };
  };
  let route = byId(targetId)!;
  for (const call of calls) {
    if (call.kind === "selectRequestOriginById") {
      const selected = byId(call.originId);
      if (!selected) return `selectRequestOriginById: the distribution has no origin "${call.originId}"`;
      route = withHost(selected, call.options?.hostHeader);
    } else if (call.kind === "updateRequestOrigin") {
      // In an origin group only the primary is updated.
      route = { ...route, origins: [updatedOrigin(route.origins[0]!, call.params), ...route.origins.slice(1)] };
    } else {
      const origins: OriginConfig[] = [];
      for (const member of call.params.originIds) {
        const origin = config.origins.find((o) => o.id === member.originId);
        if (!origin) return `createRequestOriginGroup: the distribution has no origin "${member.originId}"`;
        const hostHeader = member.originOverrides?.hostHeader ?? call.params.originOverrides?.hostHeader;
        origins.push(hostHeader ? { ...origin, hostHeader } : origin);
      }
      route = { origins, failoverStatusCodes: call.params.failoverCriteria.statusCodes };
    }
  }
  return route;
}

function withHost(route: OriginRoute, hostHeader: string | undefined): OriginRoute {
  return hostHeader ? { ...route, origins: route.origins.map((origin) => ({ ...origin, hostHeader })) } : route;
}

function updatedOrigin(origin: OriginConfig, params: Record<string, unknown>): OriginConfig {
  const next: OriginConfig = { ...origin };
  if (typeof params.domainName === "string") next.domainName = params.domainName;
  if (typeof params.originPath === "string") next.originPath = params.originPath;
  if (typeof params.hostHeader === "string") next.hostHeader = params.hostHeader;
  const custom = params.customOriginConfig as { port?: number; protocol?: string } | undefined;
  if (custom?.port) {
    next.kind = "custom";
    next.httpPort = custom.port;
    next.httpsPort = custom.port;
    next.protocolPolicy = custom.protocol === "https" ? "https-only" : "http-only";
  }
  if (params.customHeaders && typeof params.customHeaders === "object") next.customHeaders = Object.entries(params.customHeaders as Record<string, string>);
  return next;
}

/** Via toward the origin and back to the viewer. */
export interface EdgeIdentity {
  via: string;
  requestId: string;
}

/**
 * The request CloudFront sends the origin (CloudFront Developer Guide, "Request and response behavior for
 * custom origins"): the function's (or viewer's) method, uri, headers, cookies and query as the behaviour's
 * policies allow; Host, User-Agent, X-Forwarded-For, Via and X-Amz-Cf-Id as CloudFront writes them. Header names go out Title-Case.
 */
export function originRequestOf(request: FunctionRequest, event: FunctionEvent, rawQuery: string | null, rules: ForwardingRules, identity: EdgeIdentity): OriginRequest {
  const method = event.request.method;
  const headers: Array<[string, string]> = [];
  let viewerHost: string | undefined;
  let userAgent = false;
  let forwardedFor: string | undefined;
  for (const [name, entry] of Object.entries(request.headers)) {
    if (name === "host") {
      if (selects(rules.headers, "host")) viewerHost = entry.value;
      continue;
    }
    if (name === "x-forwarded-for") {
      forwardedFor = `${valuesOf(entry).join(",")},${event.viewer.ip}`;
      continue;
    }
    if (name === "accept-encoding" && !selects(rules.headers, name)) {
      const normalised = rules.normaliseAcceptEncoding ? normalisedAcceptEncoding(valuesOf(entry).join(",")) : undefined;
      if (normalised) headers.push(["Accept-Encoding", normalised]);
      continue;
    }
    if (name === "user-agent" ? !(userAgent = selects(rules.headers, name)) : !forwardsHeader(rules, name, method)) continue;
    const wireName = titleCase(name);
    if (entry.multiValue && entry.multiValue.length > 0) for (const item of entry.multiValue) headers.push([wireName, item.value]);
    else headers.push([wireName, entry.value]);
  }
  if (!userAgent) headers.push(["User-Agent", "Amazon CloudFront"]);

  const cookies: string[] = [];
  if (rules.cookies.kind !== "none") {
    for (const [name, entry] of Object.entries(request.cookies)) {
      if (!selects(rules.cookies, name)) continue;
      for (const value of valuesOf(entry)) cookies.push(`${name}=${value}`);
    }
  }
  if (cookies.length > 0) headers.push(["Cookie", cookies.join("; ")]);
  headers.push(["X-Forwarded-For", forwardedFor ?? event.viewer.ip], ["Via", identity.via], ["X-Amz-Cf-Id", identity.requestId]);

  const query = queryOf(request, event.request, rawQuery, rules);
  return { method, path: query ? `${request.uri}?${query}` : request.uri, headers, ...(viewerHost !== undefined ? { viewerHost } : {}) };
}

function queryOf(request: FunctionRequest, viewer: FunctionRequest, rawQuery: string | null, rules: ForwardingRules): string {
  if (rules.query.kind === "none") return "";
  const changed = request !== viewer && (request.uri !== viewer.uri || queryStringOf(request) !== queryStringOf(viewer));
  if (rules.query.kind === "all") return changed ? queryStringOf(request) : (rawQuery ?? "");
  const source = changed ? queryStringOf(request) : (rawQuery ?? "");
  return source
    .split("&")
    .filter((pair) => pair !== "" && selects(rules.query, pair.split("=")[0]!))
    .join("&");
}
