import type { IncomingMessage } from "node:http";
import { emptyRecord, getOwn, setOwn } from "../nullPrototype.js";
import { buildViewerRequestEvent } from "../runtime/builders.js";
import { cookieHeaderPairs, setCookieMap } from "../runtime/cookies.js";
import type { FunctionEvent, FunctionRequest, FunctionResponse, ValueEntry } from "../runtime/event.js";
import { isHiddenHeader } from "../runtime/headerRules.js";

/**
 * Viewer traffic into CloudFront Functions events and back, as CloudFront does it (the CloudFront Functions
 * event structure page, https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/functions-event-structure.html,
 * and the header restrictions in src/runtime/headerRules.ts): lower-cased header names, repeats as multiValue,
 * Cookie and Set-Cookie moved out of headers, query values left as sent, disallowed headers hidden. The name
 * maps are null-prototype records: a viewer's or origin's `__proto__` is a name like any other
 * (src/nullPrototype.ts).
 */

function add<T extends { value: string; multiValue?: Array<Omit<T, "multiValue">> }>(map: Record<string, T>, name: string, entry: T): void {
  const existing = getOwn(map, name);
  if (!existing) {
    setOwn(map, name, entry);
    return;
  }
  const { multiValue: _ignored, ...first } = existing;
  (existing.multiValue ??= [first as Omit<T, "multiValue">]).push(entry as Omit<T, "multiValue">);
}

/** Header lines as [lower-case name, value] pairs, in order (repeats kept). */
export function headerLines(rawHeaders: string[]): Array<[string, string]> {
  const lines: Array<[string, string]> = [];
  for (let i = 0; i + 1 < rawHeaders.length; i += 2) lines.push([rawHeaders[i]!.toLowerCase(), rawHeaders[i + 1]!]);
  return lines;
}

export interface ViewerContext {
  distributionId: string;
  distributionDomainName: string;
  requestId: string;
  viewerIp: string;
  /** The Host the event shows: the distribution's name or alias, lower-cased, without a port. */
  host: string;
}

/** The viewer-request event of a request off the socket (the one builder, src/runtime/builders.ts), and its raw query. */
export function viewerRequestEvent(req: Pick<IncomingMessage, "url" | "method" | "rawHeaders">, context: ViewerContext): { event: FunctionEvent; rawQuery: string | null } {
  const url = req.url ?? "/";
  const at = url.indexOf("?");
  const rawQuery = at === -1 ? null : url.slice(at + 1);
  const headers: Array<[string, string]> = [];
  const cookies: Array<[string, string]> = [];
  for (const [name, value] of headerLines(req.rawHeaders)) {
    if (name === "cookie") cookies.push(...cookieHeaderPairs(value));
    else if (name === "host") headers.push(["host", context.host]);
    else if (!isHiddenHeader(name)) headers.push([name, value]);
  }
  const event = buildViewerRequestEvent({
    method: req.method ?? "GET",
    uri: at === -1 ? url : url.slice(0, at),
    rawQuery,
    headers,
    cookies,
    viewerIp: context.viewerIp,
    distributionDomainName: context.distributionDomainName,
    distributionId: context.distributionId,
    requestId: context.requestId,
  });
  return { event, rawQuery };
}

/** An origin response as the viewer-response event's `response`. */
export function responseFromOrigin(statusCode: number, statusMessage: string, rawHeaders: string[]): FunctionResponse {
  const headers = emptyRecord<ValueEntry>();
  const setCookies: string[] = [];
  for (const [name, value] of headerLines(rawHeaders)) {
    if (name === "set-cookie") setCookies.push(value);
    else if (!isHiddenHeader(name)) add(headers, name, { value });
  }
  return { statusCode, statusDescription: statusMessage, headers, cookies: setCookieMap(setCookies) };
}

const titleCased = new Map<string, string>();
const MAX_TITLE_CASED = 2_000;

/** `example-header-name` → `Example-Header-Name`, as CloudFront writes headers a function set. */
export function titleCase(name: string): string {
  let cased = titleCased.get(name);
  if (cased === undefined) {
    cased = name.replace(/(^|-)([a-z])/g, (_m, dash: string, letter: string) => dash + letter.toUpperCase());
    // Header names repeat from request to request; a bounded memo keeps odd ones from growing it forever.
    if (titleCased.size < MAX_TITLE_CASED) titleCased.set(name, cased);
  }
  return cased;
}

/** Every value of an entry: multiValue when present, else value. */
export const valuesOf = (entry: { value: string; multiValue?: Array<{ value: string }> }) => (entry.multiValue && entry.multiValue.length > 0 ? entry.multiValue.map((item) => item.value) : [entry.value]);

/** The query string to send on: the viewer's own bytes if the function left uri and query alone. */
export function queryStringOf(request: FunctionRequest): string {
  if (typeof request.querystring === "string") return request.querystring;
  return Object.entries(request.querystring)
    .flatMap(([name, entry]) => valuesOf(entry).map((value) => `${name}=${value}`))
    .join("&");
}

