import { emptyRecord, getOwn, setOwn } from "../nullPrototype.js";
import { cookieHeaderPairs, setCookieMap } from "./cookies.js";
import type { FunctionEvent, ValueEntry } from "./event.js";

/**
 * Well-formed events for tests, built the way CloudFront builds them from a request: lower-cased header
 * names, repeated names as `multiValue`, the Cookie header moved into `cookies`, the query string split
 * into parameters (values left percent-encoded, as CloudFront passes them). The name maps are
 * null-prototype records, as at the edge: `__proto__` is a header, cookie or query name like any other.
 */
export interface ViewerRequestInit {
  method?: string;
  /** A path with an optional query string (`/a/b?x=1&x=2`) or a full URL (its host becomes the Host header). */
  url?: string;
  headers?: Record<string, string | string[]>;
  cookies?: Record<string, string | string[]>;
  ip?: string;
  distributionDomainName?: string;
  distributionId?: string;
  requestId?: string;
}

export interface ViewerResponseInit extends ViewerRequestInit {
  statusCode?: number;
  statusDescription?: string;
  responseHeaders?: Record<string, string | string[]>;
  /** Set-Cookie values (`name=value; Path=/; Secure`), read into `response.cookies` as the edge reads an origin's (./cookies.ts). */
  setCookies?: string[];
}

/**
 * A viewer request as CloudFront receives it, before it becomes an event: what the edge reads off the
 * socket and what `viewerRequestEvent` makes of its init. Names in `headers` are lower-case.
 */
export interface ViewerRequestParts {
  method: string;
  /** The path, without the query string. */
  uri: string;
  /** What follows the first "?" as sent, or null when there is no "?". */
  rawQuery: string | null;
  /** Header lines in order (repeats kept), Cookie lines already taken out into `cookies`. */
  headers: ReadonlyArray<readonly [string, string]>;
  /** Cookie name/value pairs in order (repeats kept). */
  cookies: ReadonlyArray<readonly [string, string]>;
  viewerIp: string;
  distributionDomainName?: string;
  distributionId?: string;
  requestId?: string;
}

/**
 * The viewer-request event CloudFront builds from a request (the CloudFront Functions event structure page:
 * https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/functions-event-structure.html): repeated
 * names as `multiValue` in order, the first in `value`; query names and values split at the first "=" and
 * left as sent (still percent-encoded); a parameter without "=" has the value "". The one builder: the edge
 * (src/edge/events.ts), `viewerRequestEvent` below and `edgelite test` all come here.
 */
export function buildViewerRequestEvent(parts: ViewerRequestParts): FunctionEvent {
  const querystring = emptyRecord<ValueEntry>();
  for (const [name, value] of queryParameters(parts.rawQuery)) add(querystring, name, value);
  const headers = emptyRecord<ValueEntry>();
  for (const [name, value] of parts.headers) add(headers, name, value);
  const cookies = emptyRecord<ValueEntry>();
  for (const [name, value] of parts.cookies) add(cookies, name, value);
  return {
    version: "1.0",
    context: {
      ...(parts.distributionDomainName !== undefined ? { distributionDomainName: parts.distributionDomainName } : {}),
      ...(parts.distributionId !== undefined ? { distributionId: parts.distributionId } : {}),
      eventType: "viewer-request",
      ...(parts.requestId !== undefined ? { requestId: parts.requestId } : {}),
    },
    viewer: { ip: parts.viewerIp },
    request: { method: parts.method, uri: parts.uri, querystring, headers, cookies },
  };
}

/** A raw query string's parameters in order: split on "&" (empty parts skipped), then at the first "=". */
function queryParameters(rawQuery: string | null): Array<[string, string]> {
  const parameters: Array<[string, string]> = [];
  for (const part of (rawQuery ?? "").split("&")) {
    if (part === "") continue;
    const at = part.indexOf("=");
    parameters.push(at === -1 ? [part, ""] : [part.slice(0, at), part.slice(at + 1)]);
  }
  return parameters;
}

/** A test event from a URL, header and cookie maps: the parts a request with them would have. */
export function viewerRequestEvent(init: ViewerRequestInit = {}): FunctionEvent {
  const url = new URL(init.url ?? "/", "http://localhost");
  const headers: Array<[string, string]> = [];
  const cookies: Array<[string, string]> = [];
  for (const [name, value] of namedValues(init.cookies)) cookies.push([name, value]);
  for (const [name, value] of namedValues(init.headers)) {
    const lower = name.toLowerCase();
    if (lower === "cookie") cookies.push(...cookieHeaderPairs(value));
    else headers.push([lower, value]);
  }
  if (init.url && /^https?:\/\//.test(init.url) && !headers.some(([name]) => name === "host")) headers.push(["host", url.host]);
  return buildViewerRequestEvent({
    method: (init.method ?? "GET").toUpperCase(),
    uri: url.pathname,
    rawQuery: url.search.slice(1),
    headers,
    cookies,
    viewerIp: init.ip ?? "198.51.100.10",
    ...(init.distributionDomainName ? { distributionDomainName: init.distributionDomainName } : {}),
    ...(init.distributionId ? { distributionId: init.distributionId } : {}),
    ...(init.requestId ? { requestId: init.requestId } : {}),
  });
}

/** A name map's entries as name/value pairs in order, an array value giving one pair per item. */
function namedValues(map: Record<string, string | string[]> | undefined): Array<[string, string]> {
  return Object.entries(map ?? {}).flatMap(([name, value]) => (Array.isArray(value) ? value : [value]).map((item): [string, string] => [name, item]));
}

export function viewerResponseEvent(init: ViewerResponseInit = {}): FunctionEvent {
  const event = viewerRequestEvent(init);
  event.context.eventType = "viewer-response";
  event.response = {
    statusCode: init.statusCode ?? 200,
    statusDescription: init.statusDescription ?? "OK",
    headers: valueMap(Object.entries(init.responseHeaders ?? {}).map(([name, value]) => [name.toLowerCase(), value] as const)),
    cookies: setCookieMap(init.setCookies ?? []),
  };
  return event;
}

function valueMap(entries: ReadonlyArray<readonly [string, string | string[]]>): Record<string, ValueEntry> {
  const map = emptyRecord<ValueEntry>();
  for (const [name, value] of entries) for (const item of Array.isArray(value) ? value : [value]) add(map, name, item);
  return map;
}

function add(map: Record<string, ValueEntry>, name: string, value: string): void {
  const existing = getOwn(map, name);
  if (!existing) setOwn(map, name, { value });
  else (existing.multiValue ??= [{ value: existing.value }]).push({ value });
}
