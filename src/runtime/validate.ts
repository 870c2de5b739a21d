import type { FunctionEvent, FunctionOutput, ValueEntry } from "./event.js";

/**
 * The checks CloudFront applies in production to what a function returns. A violation is a
 * FunctionValidationError: the viewer gets a 502. TestFunction does not report these (AWS's test only
 * reports execution errors); edgelite returns them separately so `edgelite test` and the library can say
 * "would return 502 in production". Source: the CloudFront Functions restrictions page (runtime.md §4).
 */

const DISALLOWED = new Set([
  "connection", "expect", "keep-alive", "proxy-authenticate", "proxy-authorization", "proxy-connection", "trailer", "upgrade",
  "x-accel-buffering", "x-accel-charset", "x-accel-limit-rate", "x-accel-redirect", "x-amzn-auth", "x-amzn-cf-billing",
  "x-amzn-cf-id", "x-amzn-cf-xff", "x-amzn-errortype", "x-amzn-fle-profile", "x-amzn-header-count", "x-amzn-header-order",
  "x-amzn-lambda-integration-tag", "x-amzn-requestid", "x-cache", "x-forwarded-proto", "x-real-ip",
]);
const DISALLOWED_PREFIXES = ["x-amz-cf-", "x-edge-"];
const READ_ONLY = {
  "viewer-request": ["content-length", "host", "transfer-encoding", "via"],
  "viewer-response": ["warning", "via"],
};
const MAX_URL_LENGTH = 8_192;
// eslint-disable-next-line no-control-regex
const UNSAFE_QUERY = /[\s#\u0000-\u001f\u007f]/;

export function validateOutput(event: FunctionEvent, output: FunctionOutput | undefined): string[] {
  if (!output) return ["The function must return the request or a response object."];
  const problems: string[] = [];
  const eventType = event.context.eventType;
  if ("request" in output) {
    const request = output.request;
    if (eventType !== "viewer-request") problems.push("A viewer-response function must return the response object.");
    if (request.method !== event.request.method) problems.push(`The request method is read-only (changed from "${event.request.method}" to "${String(request.method)}").`);
    if (typeof request.uri !== "string" || !request.uri.startsWith("/")) problems.push(`The uri must start with "/" (got ${JSON.stringify(request.uri)}).`);
    checkValues("cookie", request.cookies, problems);
    checkHeaders(request.headers, event.request.headers, READ_ONLY["viewer-request"], problems);
    let queryLength: number;
    if (typeof request.querystring === "string") {
      if (UNSAFE_QUERY.test(request.querystring)) problems.push("The query string contains a space, control character or \"#\"; percent-encode it.");
      queryLength = request.querystring.length;
    } else {
      checkValues("querystring", request.querystring, problems);
      queryLength = 0;
      for (const [name, entry] of Object.entries(request.querystring)) {
        for (const text of [name, ...values(entry)]) {
          if (UNSAFE_QUERY.test(text)) problems.push(`Query string parameter "${name}" contains a space, control character or "#"; percent-encode it.`);
        }
        queryLength += values(entry).reduce((m, v) => m + name.length + v.length + 2, 0);
      }
    }
    const length = request.uri.length + queryLength;
    if (length >= MAX_URL_LENGTH) problems.push(`The uri and query string must be shorter than ${MAX_URL_LENGTH} characters (got ${length}).`);
    return problems;
  }
  const response = output.response;
  if (!Number.isInteger(response.statusCode) || response.statusCode < 100 || response.statusCode > 599) {
    problems.push(`statusCode must be an integer HTTP status (got ${JSON.stringify(response.statusCode)}).`);
  }
  if (response.statusDescription !== undefined && typeof response.statusDescription !== "string") problems.push("statusDescription must be a string.");
  const original = eventType === "viewer-response" ? event.response?.headers ?? {} : {};
  checkHeaders(response.headers, original, eventType === "viewer-response" ? READ_ONLY["viewer-response"] : [], problems);
  for (const [name, entry] of Object.entries(response.cookies)) {
    if (typeof entry.value !== "string") problems.push(`Cookie "${name}" must have a string value.`);
  }
  const body = response.body;
  if (body !== undefined) {
    if (typeof body === "object") {
      if (typeof body.data !== "string") problems.push("body.data must be a string.");
      if (body.encoding !== "text" && body.encoding !== "base64") problems.push(`body.encoding must be "text" or "base64" (got ${JSON.stringify(body.encoding)}).`);
      if (body.encoding === "base64" && typeof body.data === "string" && !/^[A-Za-z0-9+/]*={0,2}$/.test(body.data.replace(/\s/g, ""))) {
        problems.push("body.data is not valid base64.");
      }
    } else if (typeof body !== "string") {
      problems.push("body must be a string or {data, encoding}.");
    }
  }
  return problems;
}

function values(entry: ValueEntry): string[] {
  return entry.multiValue ? entry.multiValue.map((item) => item.value) : [entry.value];
}

function checkValues(kind: string, map: Record<string, ValueEntry>, problems: string[]): void {
  for (const [name, entry] of Object.entries(map)) {
    if (typeof entry.value !== "string" || (entry.multiValue && entry.multiValue.some((item) => typeof item.value !== "string"))) {
      problems.push(`The ${kind} "${name}" must have string values.`);
    }
  }
}

function checkHeaders(headers: Record<string, ValueEntry>, original: Record<string, ValueEntry>, readOnly: string[], problems: string[]): void {
  checkValues("header", headers, problems);
  for (const name of Object.keys(headers)) {
    if (name !== name.toLowerCase()) problems.push(`Header names must be lowercase ("${name}").`);
    const lower = name.toLowerCase();
    if (DISALLOWED.has(lower) || DISALLOWED_PREFIXES.some((prefix) => lower.startsWith(prefix))) {
      problems.push(`The header "${lower}" cannot be added or changed by a function.`);
    }
  }
  for (const name of readOnly) {
    const before = original[name];
    const after = headers[name];
    if (!sameEntry(before, after)) problems.push(`The header "${name}" is read-only in this event.`);
  }
}

function sameEntry(a: ValueEntry | undefined, b: ValueEntry | undefined): boolean {
  if (a === undefined || b === undefined) return a === b;
  if (a.value !== b.value) return false;
  const left = a.multiValue ?? [];
  const right = b.multiValue ?? [];
  return left.length === right.length && left.every((item, i) => item.value === right[i]!.value);
}
