import { MAX_REQUEST_URL_BYTES } from "../limits.js";
import type { FunctionEvent, FunctionOutput, ValueEntry } from "./event.js";
import { isDisallowedHeader, READ_ONLY_HEADERS } from "./headerRules.js";

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

// eslint-disable-next-line no-control-regex
const UNSAFE_QUERY = /[\s#\u0000-\u001f\u007f]|[^\u0000-\u00ff]/;
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
    for (const name of Object.keys(request.cookies)) {
      if (!SAFE_FIELD.test(name)) problems.push(fieldTextProblem(`The cookie ${quote(name)}`, name)!);
      checkEntry("cookie", name, request.cookies[name]!, SAFE_FIELD, problems);
    }
    checkHeaders(request.headers, event.request.headers, READ_ONLY_HEADERS["viewer-request"], problems);
    let queryLength = 0;
    const query = request.querystring;
    if (typeof query === "string") {
      if (UNSAFE_QUERY.test(query)) problems.push(QUERY_PROBLEM);
      queryLength = query.length;
    } else {
      for (const name of Object.keys(query)) {
        const entry = query[name]!;
        if (UNSAFE_QUERY.test(name)) problems.push(`Query string parameter ${quote(name)}: ${QUERY_PROBLEM}`);
        else checkEntry("querystring", name, entry, SAFE_QUERY, problems);
        queryLength += entryLength(name, entry);
      }
    }
    const length = (typeof uri === "string" ? uri.length : 0) + queryLength;
    if (length >= MAX_REQUEST_URL_BYTES) problems.push(`The uri and query string must be shorter than ${MAX_REQUEST_URL_BYTES} characters (got ${length}).`);
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
  checkHeaders(response.headers, original, eventType === "viewer-response" ? READ_ONLY_HEADERS["viewer-response"] : READ_ONLY_HEADERS.generated, problems);
  for (const name of Object.keys(response.cookies)) {
    const entry = response.cookies[name]!;
    if (!SAFE_FIELD.test(name)) problems.push(fieldTextProblem(`The cookie name ${quote(name)}`, name)!);
    checkEntry("cookie", name, entry, SAFE_FIELD, problems);
    const items: Array<{ attributes?: unknown }> = Array.isArray(entry.multiValue) ? [entry, ...entry.multiValue] : [entry];
    for (const item of items) {
      if (item.attributes !== undefined && (typeof item.attributes !== "string" || !SAFE_FIELD.test(item.attributes))) {
        problems.push(fieldTextProblem(`Cookie ${quote(name)}'s attributes`, item.attributes)!);
        break;
      }
    }
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

// eslint-disable-next-line no-control-regex
const ABOVE_LATIN1 = /[^\u0000-\u00ff]/;
const UPPERCASE = /[A-Z]/;
/** Text a header value, reason phrase or cookie may be: tab, visible ASCII, space, Latin-1 (the negation of UNSAFE_FIELD_CHAR). */
const SAFE_FIELD = /^[\t\x20-\x7e\x80-\xff]*$/;
/** Text a query string parameter may be: no space, control character, "#" or character above U+00FF. */
const SAFE_QUERY = /^[\x21\x22\x24-\x7e\x80-\x9f\xa1-\xff]*$/;
const QUERY_PROBLEM = 'The query string contains a space, control character, "#" or a character above U+00FF; percent-encode it.';

/** One entry's values (value, and each multiValue item's): strings, each matching `safe`; one problem at most. */
function checkEntry(kind: string, name: string, entry: ValueEntry, safe: RegExp, problems: string[]): void {
  const multi: unknown = entry.multiValue;
  const count = Array.isArray(multi) ? multi.length : 0;
  for (let i = -1; i < count; i++) {
    const value: unknown = i === -1 ? entry.value : ((multi as unknown[])[i] as { value?: unknown } | null)?.value;
    if (typeof value !== "string") {
      problems.push(`The ${kind} ${quote(name)} must have string values.`);
      return;
    }
    if (!safe.test(value)) {
      problems.push(kind === "querystring" ? `Query string parameter ${quote(name)}: ${QUERY_PROBLEM}` : fieldTextProblem(`The value of ${kind} ${quote(name)}`, value) ?? `The value of ${kind} ${quote(name)} cannot be sent.`);
      return;
    }
  }
}

/** What a query parameter adds to the URL's length (`name=value&` per value). */
function entryLength(name: string, entry: ValueEntry): number {
  const multi: unknown = entry.multiValue;
  if (!Array.isArray(multi) || multi.length === 0) return typeof entry.value === "string" ? name.length + entry.value.length + 2 : 0;
  let length = 0;
  for (const item of multi as Array<{ value?: unknown } | null>) if (typeof item?.value === "string") length += name.length + item.value.length + 2;
  return length;
}

function checkHeaders(headers: Record<string, ValueEntry>, original: Record<string, ValueEntry>, readOnly: readonly string[], problems: string[]): void {
  for (const name of Object.keys(headers)) {
    if (!TOKEN.test(name)) {
      problems.push(headerNameProblem(name)!);
      continue;
    }
    let lower = name;
    if (UPPERCASE.test(name)) {
      problems.push(`Header names must be lowercase (${quote(name)}).`);
      lower = name.toLowerCase();
    }
    if (isDisallowedHeader(lower)) {
      problems.push(`The header ${quote(lower)} cannot be added or changed by a function.`);
    }
    checkEntry("header", name, headers[name]!, SAFE_FIELD, problems);
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
