import type { EventType } from "./types.js";

/**
 * The event CloudFront hands a function and what it makes of the returned object: TestFunction's
 * "is this a valid event", the shape normalisation visible in FunctionOutput (`{"request":…}` or
 * `{"response":…}`, `cookies: {}` and `querystring: {}` filled in, unknown keys such as a lowercase
 * `multivalue` dropped), and the production rules whose violation is a 502 at the edge.
 */

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type JsonObject = { [key: string]: Json };

export interface ValueEntry {
  value: string;
  multiValue?: Array<{ value: string }>;
}

export interface CookieEntry {
  value: string;
  attributes?: string;
  multiValue?: Array<{ value: string; attributes?: string }>;
}

export interface FunctionRequest {
  method: string;
  uri: string;
  querystring: Record<string, ValueEntry>;
  headers: Record<string, ValueEntry>;
  cookies: Record<string, ValueEntry>;
}

export interface FunctionResponse {
  statusCode: number;
  statusDescription?: string;
  headers: Record<string, ValueEntry>;
  cookies: Record<string, CookieEntry>;
  body?: string | { data: string; encoding: string };
}

export interface FunctionEvent {
  version: string;
  context: { eventType: EventType; distributionDomainName?: string; distributionId?: string; requestId?: string; endpoint?: string };
  viewer: { ip: string };
  request: FunctionRequest;
  response?: FunctionResponse;
}

export type FunctionOutput = { request: FunctionRequest } | { response: FunctionResponse };

const isObject = (value: unknown): value is JsonObject => typeof value === "object" && value !== null && !Array.isArray(value);

/**
 * Parses and checks an event the way TestFunction does; undefined means "not a valid event" (the
 * service answers TestFunctionFailed). Missing maps are filled in, as CloudFront always sends them.
 */
export function parseEvent(bytes: Uint8Array | string): FunctionEvent | undefined {
  let event: unknown;
  try {
    event = JSON.parse(typeof bytes === "string" ? bytes : new TextDecoder("utf-8", { fatal: true }).decode(bytes));
  } catch {
    return undefined;
  }
  if (!isObject(event) || !isObject(event.context) || !isObject(event.request)) return undefined;
  const eventType = event.context.eventType;
  if (eventType !== "viewer-request" && eventType !== "viewer-response") return undefined;
  if (event.version !== undefined && event.version !== "1.0") return undefined;
  const request = event.request;
  if (typeof request.method !== "string" || typeof request.uri !== "string") return undefined;
  for (const map of ["querystring", "headers", "cookies"] as const) {
    if (request[map] === undefined) request[map] = {};
    if (!isValueMap(request[map])) return undefined;
  }
  if (eventType === "viewer-response") {
    const response = event.response;
    if (!isObject(response) || typeof response.statusCode !== "number") return undefined;
    for (const map of ["headers", "cookies"] as const) {
      if (response[map] === undefined) response[map] = {};
      if (!isValueMap(response[map])) return undefined;
    }
  }
  if (event.viewer !== undefined && !isObject(event.viewer)) return undefined;
  event.version ??= "1.0";
  event.viewer ??= { ip: "" };
  return event as unknown as FunctionEvent;
}

function isValueMap(value: Json | undefined): boolean {
  if (!isObject(value)) return false;
  return Object.values(value).every((entry) => isObject(entry) && (entry.value === undefined || typeof entry.value === "string"));
}

/**
 * FunctionOutput: what the handler returned, as CloudFront reports it. In viewer-request a returned
 * object with a `statusCode` is a response (sent to the viewer without reaching the origin); anything
 * else is the request to forward. Keys come out in the order AWS's own output shows them.
 */
export function normaliseOutput(eventType: EventType, returned: unknown): FunctionOutput | undefined {
  if (!isObject(returned as Json)) return undefined;
  const value = returned as JsonObject;
  if (eventType === "viewer-response" || "statusCode" in value) return { response: normaliseResponse(value) };
  return { request: normaliseRequest(value) };
}

function normaliseRequest(value: JsonObject): FunctionRequest {
  return {
    headers: valueMap(value.headers),
    method: value.method as string,
    querystring: valueMap(value.querystring),
    uri: value.uri as string,
    cookies: valueMap(value.cookies),
  };
}

function normaliseResponse(value: JsonObject): FunctionResponse {
  const response: Partial<FunctionResponse> & Record<string, unknown> = { headers: valueMap(value.headers) };
  if (value.statusDescription !== undefined) response.statusDescription = value.statusDescription as string;
  response.cookies = cookieMap(value.cookies);
  response.statusCode = value.statusCode as number;
  if (value.body !== undefined) {
    const body = value.body;
    response.body = isObject(body) ? { data: body.data as string, encoding: body.encoding as string } : (body as string);
  }
  return response as FunctionResponse;
}

function valueMap(map: Json | undefined): Record<string, ValueEntry> {
  const out: Record<string, ValueEntry> = {};
  if (!isObject(map)) return out;
  for (const [name, entry] of Object.entries(map)) {
    if (!isObject(entry)) continue;
    const normalised: ValueEntry = { value: entry.value as string };
    if (Array.isArray(entry.multiValue)) {
      normalised.multiValue = entry.multiValue.filter(isObject).map((item) => ({ value: item.value as string }));
    }
    out[name] = normalised;
  }
  return out;
}

function cookieMap(map: Json | undefined): Record<string, CookieEntry> {
  const out: Record<string, CookieEntry> = {};
  if (!isObject(map)) return out;
  for (const [name, entry] of Object.entries(map)) {
    if (!isObject(entry)) continue;
    const normalised: CookieEntry = { value: entry.value as string };
    if (entry.attributes !== undefined) normalised.attributes = entry.attributes as string;
    if (Array.isArray(entry.multiValue)) {
      normalised.multiValue = entry.multiValue.filter(isObject).map((item) =>
        item.attributes !== undefined ? { value: item.value as string, attributes: item.attributes as string } : { value: item.value as string },
      );
    }
    out[name] = normalised;
  }
  return out;
}
