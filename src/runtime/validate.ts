import type { FunctionEvent, FunctionOutput, ValueEntry } from "./event.js";

/**
 * The checks CloudFront applies in production to what a function returns. A violation is a
 * FunctionValidationError: the viewer gets a 502. Source: the CloudFront Functions restrictions page
 * ("Restrictions on all edge functions": disallowed and read-only headers, query string, URI) and the
 * event structure page (runtime.md §4). TestFunction's result states them after VALIDATION_PREFIX
 * (docs/security.md, "Responses and function results"); `edgelite test` lists them separately.
 *
 * The HTTP wire rules (status range, reason phrase, header names and values) are here too, because a
 * function result is their first user: the edge's response writer (src/edge/writer.ts) applies the same
 * rules to everything edgelite writes, so nothing CloudFront would refuse reaches a socket.
 */

/** The start of CloudFront's sentence for a validation error; the problem follows it (edge 502 page, TestFunction). */
export const VALIDATION_PREFIX = "The CloudFront function returned an invalid value:";

/** The validation problems as one sentence, as the 502 page and TestFunction state them; "" when there are none. */
export function validationMessage(problems: readonly string[]): string {
  return problems.length === 0 ? "" : `${VALIDATION_PREFIX} ${problems.join(" ")}`;
}

const DISALLOWED = new Set([
  "connection", "expect", "keep-alive", "proxy-authenticate", "proxy-authorization", "proxy-connection", "trailer", "upgrade",
  "x-accel-buffering", "x-accel-charset", "x-accel-limit-rate", "x-accel-redirect", "x-amzn-auth", "x-amzn-cf-billing",
  "x-amzn-cf-id", "x-amzn-cf-xff", "x-amzn-errortype", "x-amzn-fle-profile", "x-amzn-header-count", "x-amzn-header-order",
  "x-amzn-lambda-integration-tag", "x-amzn-requestid", "x-cache", "x-forwarded-proto", "x-real-ip",
]);
const DISALLOWED_PREFIXES = ["x-amz-cf-", "x-edge-"];
/**
 * Read-only per event (restrictions page). A response a function generates in viewer-request has no
 * original headers, so its framing headers are refused there as read-only too: Transfer-Encoding, as in
 * viewer-response (our choice, see docs/security.md); Content-Length of a generated response is CloudFront's
 * to set from the body, so it is dropped rather than refused (as before).
 */
const READ_ONLY = {
  "viewer-request": ["content-length", "host", "transfer-encoding", "via"],
  "viewer-response": ["warning", "via", "transfer-encoding"],
  generated: ["transfer-encoding"],
};
const MAX_URL_LENGTH = 8_192;
// eslint-disable-next-line no-control-regex
const UNSAFE_QUERY = /[\s#\u0000-\u001f\u007f]/;
// eslint-disable-next-line no-control-regex
const UNSAFE_URI = /[\s\u0000-\u001f\u007f]/;

// ---- HTTP wire rules (RFC 7230 §3.2 / §3.1.2, as Node's http module enforces them)

/** RFC 7230 token: what a header name may be. */
const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
/** What a header value or reason phrase may not contain: Node refuses anything but tab, visible ASCII, space and Latin-1 (obs-text). */
// eslint-disable-next-line no-control-regex
const UNSAFE_FIELD_CHAR = /[^\t\x20-\x7e\x80-\xff]/;
/**
 * The final statuses a function may answer with: 200-599. CloudFront Functions' range is not published;
 * Lambda@Edge's generated responses must be 200-599 ("Generating HTTP responses in request triggers"), and
 * a 1xx is not a final response at all (docs/security.md).
 */
export const MIN_FINAL_STATUS = 200;
export const MAX_FINAL_STATUS = 599;

const quote = (value: unknown) => {
  const text = typeof value === "string" ? value : String(value);
  return JSON.stringify(text.length > 64 ? `${text.slice(0, 64)}…` : text);
};

/** Why a status cannot be a final HTTP status, or undefined when it can. */
export function statusProblem(status: unknown): string | undefined {
  if (typeof status === "number" && Number.isInteger(status) && status >= MIN_FINAL_STATUS && status <= MAX_FINAL_STATUS) return undefined;
  return `statusCode must be an integer from ${MIN_FINAL_STATUS} to ${MAX_FINAL_STATUS} (got ${typeof status === "string" ? quote(status) : String(status)}).`;
}

/** Why a text cannot be a reason phrase or header value (CR, LF, NUL, other controls, characters above U+00FF). */
export function fieldTextProblem(what: string, value: unknown): string | undefined {
  if (typeof value !== "string") return `${what} must be a string.`;
  const bad = UNSAFE_FIELD_CHAR.exec(value);
  if (!bad) return undefined;
  const code = bad[0].codePointAt(0)!;
  return `${what} contains the character U+${code.toString(16).toUpperCase().padStart(4, "0")}, which cannot be sent in an HTTP header (control characters and characters above U+00FF are not allowed).`;
}

/** Why a name cannot be an HTTP header name (RFC 7230 token), or undefined. */
export function headerNameProblem(name: string): string | undefined {
  return TOKEN.test(name) ? undefined : `The header name ${quote(name)} is not a valid HTTP header name (RFC 7230 token characters only).`;
}

export function validateOutput(event: FunctionEvent, output: FunctionOutput | undefined): string[] {
  if (!output) return ["The function must return the request or a response object."];
  const problems: string[] = [];
  const eventType = event.context.eventType;
  if ("request" in output) {
    const request = output.request;
    if (eventType !== "viewer-request") problems.push("A viewer-response function must return the response object.");
    if (request.method !== event.request.method) problems.push(`The request method is read-only (changed from ${quote(event.request.method)} to ${quote(request.method)}).`);
    const uri: unknown = request.uri;
    if (typeof uri !== "string" || !uri.startsWith("/")) problems.push(`The uri must be a string starting with "/" (got ${typeof uri === "string" ? quote(uri) : String(uri)}).`);
    else if (UNSAFE_URI.test(uri)) problems.push("The uri contains a space or control character; percent-encode it.");
    else if (ABOVE_LATIN1.test(uri)) problems.push("The uri contains a character above U+00FF; percent-encode it.");
    checkValues("cookie", request.cookies, problems);
    for (const [name, entry] of Object.entries(request.cookies)) {
      const unsafe = [name, ...stringValues(entry)].map((text) => fieldTextProblem(`The cookie ${quote(name)}`, text)).find(Boolean);
      if (unsafe) problems.push(unsafe);
    }
    checkHeaders(request.headers, event.request.headers, READ_ONLY["viewer-request"], problems);
    let queryLength = 0;
    if (typeof request.querystring === "string") {
      if (UNSAFE_QUERY.test(request.querystring) || ABOVE_LATIN1.test(request.querystring)) problems.push("The query string contains a space, control character, \"#\" or a character above U+00FF; percent-encode it.");
      queryLength = request.querystring.length;
    } else {
      checkValues("querystring", request.querystring, problems);
      for (const [name, entry] of Object.entries(request.querystring)) {
        const texts = stringValues(entry);
        for (const text of [name, ...texts]) {
          if (UNSAFE_QUERY.test(text) || ABOVE_LATIN1.test(text)) {
            problems.push(`Query string parameter ${quote(name)} contains a space, control character, "#" or a character above U+00FF; percent-encode it.`);
            break;
          }
        }
        queryLength += texts.reduce((m, v) => m + name.length + v.length + 2, 0);
      }
    }
    const length = (typeof uri === "string" ? uri.length : 0) + queryLength;
    if (length >= MAX_URL_LENGTH) problems.push(`The uri and query string must be shorter than ${MAX_URL_LENGTH} characters (got ${length}).`);
    return problems;
  }
  const response = output.response;
  const status = statusProblem(response.statusCode);
  if (status) problems.push(status);
  if (response.statusDescription !== undefined) {
    const reason = fieldTextProblem("statusDescription", response.statusDescription);
    if (reason) problems.push(reason);
  }
  const original = eventType === "viewer-response" ? event.response?.headers ?? {} : {};
  checkHeaders(response.headers, original, eventType === "viewer-response" ? READ_ONLY["viewer-response"] : READ_ONLY.generated, problems);
  for (const [name, entry] of Object.entries(response.cookies)) {
    const items: Array<{ value: unknown; attributes?: unknown }> = [entry, ...(Array.isArray(entry.multiValue) ? entry.multiValue : [])];
    const problem =
      fieldTextProblem(`The cookie name ${quote(name)}`, name) ??
      items.map((item) => fieldTextProblem(`Cookie ${quote(name)}'s value`, item.value) ?? (item.attributes === undefined ? undefined : fieldTextProblem(`Cookie ${quote(name)}'s attributes`, item.attributes))).find(Boolean);
    if (problem) problems.push(problem);
  }
  const body: unknown = response.body;
  if (body !== undefined) {
    if (typeof body === "object" && body !== null) {
      const { data, encoding } = body as { data?: unknown; encoding?: unknown };
      if (typeof data !== "string") problems.push("body.data must be a string.");
      if (encoding !== "text" && encoding !== "base64") problems.push(`body.encoding must be "text" or "base64" (got ${quote(encoding)}).`);
      if (encoding === "base64" && typeof data === "string" && !/^[A-Za-z0-9+/]*={0,2}$/.test(data.replace(/\s/g, ""))) {
        problems.push("body.data is not valid base64.");
      }
    } else if (typeof body !== "string") {
      problems.push("body must be a string or {data, encoding}.");
    }
  }
  return problems;
}

const ABOVE_LATIN1 = /[^\u0000-\u00ff]/;

/** The string values of an entry (value, or every multiValue item); anything else is left out (checkValues reports it). */
function stringValues(entry: ValueEntry): string[] {
  const items: unknown[] = Array.isArray(entry.multiValue) && entry.multiValue.length > 0 ? entry.multiValue.map((item) => item.value) : [entry.value];
  return items.filter((item): item is string => typeof item === "string");
}

function checkValues(kind: string, map: Record<string, ValueEntry>, problems: string[]): void {
  for (const [name, entry] of Object.entries(map)) {
    const items: unknown[] = [entry.value, ...(Array.isArray(entry.multiValue) ? entry.multiValue.map((item) => item.value) : [])];
    if (items.some((item) => typeof item !== "string")) problems.push(`The ${kind} ${quote(name)} must have string values.`);
  }
}

function checkHeaders(headers: Record<string, ValueEntry>, original: Record<string, ValueEntry>, readOnly: string[], problems: string[]): void {
  checkValues("header", headers, problems);
  for (const [name, entry] of Object.entries(headers)) {
    const invalidName = headerNameProblem(name);
    if (invalidName) {
      problems.push(invalidName);
      continue;
    }
    if (name !== name.toLowerCase()) problems.push(`Header names must be lowercase (${quote(name)}).`);
    const lower = name.toLowerCase();
    if (DISALLOWED.has(lower) || DISALLOWED_PREFIXES.some((prefix) => lower.startsWith(prefix))) {
      problems.push(`The header ${quote(lower)} cannot be added or changed by a function.`);
    }
    const unsafe = stringValues(entry).map((value) => fieldTextProblem(`The value of header ${quote(name)}`, value)).find(Boolean);
    if (unsafe) problems.push(unsafe);
  }
  for (const name of readOnly) {
    if (!sameEntry(original[name], headers[name])) problems.push(`The header "${name}" is read-only in this event.`);
  }
}

/** Whether a header is unchanged; either side may hold anything a test event or a result carried. */
function sameEntry(a: ValueEntry | undefined, b: ValueEntry | undefined): boolean {
  if (a === undefined || b === undefined) return a === b;
  if (a.value !== b.value) return false;
  const left: unknown[] = Array.isArray(a.multiValue) ? a.multiValue : [];
  const right: unknown[] = Array.isArray(b.multiValue) ? b.multiValue : [];
  const valueOf = (item: unknown) => (typeof item === "object" && item !== null ? (item as { value?: unknown }).value : undefined);
  return left.length === right.length && left.every((item, i) => valueOf(item) === valueOf(right[i]));
}
