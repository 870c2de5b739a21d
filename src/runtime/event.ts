import { emptyRecord, recordOf } from "../nullPrototype.js";
import type { EventType } from "./types.js";

/**
 * The event CloudFront hands a function and what it makes of the returned object: TestFunction's
 * "is this a valid event", the shape normalisation visible in FunctionOutput (`{"request":…}` or
 * `{"response":…}`, `cookies: {}` and `querystring: {}` filled in, unknown keys such as a lowercase
 * `multivalue` dropped), and the production rules whose violation is a 502 at the edge.
 *
 * Header, cookie and query names are the viewer's, the origin's or the function's: the maps edgelite
 * builds from them are null-prototype records (src/nullPrototype.ts), so `__proto__` or `constructor` is
 * a name like any other. In the sandbox the event is parsed from JSON, so the function sees ordinary
 * objects (with Object.prototype, as in njs) where such a name is an own key.
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
  /** A function may also return the query string as one string (AWS's "normalize query string" example does). */
  querystring: Record<string, ValueEntry> | string;
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
  return checkEvent(event);
}

/**
 * Checks an event object the way TestFunction does and returns it with CloudFront's defaults filled in
 * and its name maps as null-prototype records (a copy; the input is never changed). undefined: not valid.
 */
export function checkEvent(input: unknown): FunctionEvent | undefined {
  if (!isObject(input as Json)) return undefined;
  const event = input as JsonObject;
  if (!isObject(event.context) || !isObject(event.request)) return undefined;
  const eventType = event.context.eventType;
  if (eventType !== "viewer-request" && eventType !== "viewer-response") return undefined;
  if (event.version !== undefined && event.version !== "1.0") return undefined;
  if (event.viewer !== undefined && !isObject(event.viewer)) return undefined;
  const request = withMaps(event.request, ["querystring", "headers", "cookies"]);
  if (!request || typeof request.method !== "string" || typeof request.uri !== "string") return undefined;
  let response: JsonObject | undefined;
  if (eventType === "viewer-response") {
    if (!isObject(event.response) || typeof event.response.statusCode !== "number") return undefined;
    response = withMaps(event.response, ["headers", "cookies"]);
    if (!response) return undefined;
  }
  return { ...event, version: "1.0", viewer: event.viewer ?? { ip: "" }, request, ...(response ? { response } : {}) } as unknown as FunctionEvent;
}

/**
 * A copy of the object with each named map as a null-prototype record (empty when missing), or
 * undefined when one is not a valid value map.
 */
function withMaps(object: JsonObject, maps: string[]): JsonObject | undefined {
  const result = { ...object };
  for (const map of maps) {
    const value = object[map];
    if (value === undefined) {
      result[map] = emptyRecord();
      continue;
    }
    const record = valueMapRecord(value);
    if (!record) return undefined;
    result[map] = record;
  }
  return result;
}

/**
 * A value map (each entry an object whose `value`, if any, is a string) copied into a null-prototype
 * record, in one pass; undefined when it is not one. Run for every library run, so no intermediate arrays.
 */
function valueMapRecord(value: Json): JsonObject | undefined {
  if (!isObject(value)) return undefined;
  const record = emptyRecord<Json>();
  for (const name of Object.keys(value)) {
    const entry = value[name];
    if (!isObject(entry) || (entry.value !== undefined && typeof entry.value !== "string")) return undefined;
    // The record has no prototype: a plain assignment makes an own key, `__proto__` included (setOwn).
    record[name] = entry;
  }
  return record;
}

type NameMaps = { querystring?: unknown; headers?: unknown; cookies?: unknown };

/**
 * The request/response maps of an event or a FunctionOutput that came through JSON (between the server
 * and the runner pool's workers) as null-prototype records again: JSON.parse makes ordinary objects, in
 * which a missing `constructor` or `toString` would be found on Object.prototype. Shallow copies.
 */
export function withRecordMaps<T extends { request?: NameMaps; response?: NameMaps }>(value: T): T {
  const records = (part: NameMaps): NameMaps => {
    const copy: NameMaps = { ...part };
    for (const map of ["querystring", "headers", "cookies"] as const) {
      const inner = part[map];
      if (isObject(inner as Json)) copy[map] = recordOf(inner as JsonObject);
    }
    return copy;
  };
  const copy = { ...value };
  if (isObject(value.request as Json)) copy.request = records(value.request!);
  if (isObject(value.response as Json)) copy.response = records(value.response!);
  return copy;
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
    querystring: typeof value.querystring === "string" ? value.querystring : valueMap(value.querystring),
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
  const out = emptyRecord<ValueEntry>();
  if (!isObject(map)) return out;
  for (const name of Object.keys(map)) {
    const entry = map[name];
    if (!isObject(entry)) continue;
    const normalised: ValueEntry = { value: entry.value as string };
    if (Array.isArray(entry.multiValue)) {
      normalised.multiValue = entry.multiValue.filter(isObject).map((item) => ({ value: item.value as string }));
    }
    out[name] = normalised; // a null-prototype record: an own key whatever the name (setOwn)
  }
  return out;
}

function cookieMap(map: Json | undefined): Record<string, CookieEntry> {
  const out = emptyRecord<CookieEntry>();
  if (!isObject(map)) return out;
  for (const name of Object.keys(map)) {
    const entry = map[name];
    if (!isObject(entry)) continue;
    const normalised: CookieEntry = { value: entry.value as string };
    if (entry.attributes !== undefined) normalised.attributes = entry.attributes as string;
    if (Array.isArray(entry.multiValue)) {
      normalised.multiValue = entry.multiValue.filter(isObject).map((item) =>
        item.attributes !== undefined ? { value: item.value as string, attributes: item.attributes as string } : { value: item.value as string },
      );
    }
    out[name] = normalised; // a null-prototype record: an own key whatever the name (setOwn)
  }
  return out;
}
