/**
 * FROZEN: the edge's viewer-request event builder as it was before the one builder (src/runtime/builders.ts)
 * replaced it, and its origin-response reader (Set-Cookie included) as it was before the one cookie reader
 * (src/runtime/cookies.ts), kept verbatim (but for import paths and the request's type) as the oracles of
 * test/runtime/builders.differential.test.ts and test/runtime/cookies.test.ts. Do not change them.
 */
import { emptyRecord, getOwn, setOwn } from "../../../src/nullPrototype.js";
import type { CookieEntry, FunctionEvent, FunctionRequest, FunctionResponse, ValueEntry } from "../../../src/runtime/event.js";

/**
 * Viewer traffic into CloudFront Functions events and back, as CloudFront does it (the Developer Guide's
 * functions-event-structure page): lower-cased header names, repeats as multiValue, Cookie and Set-Cookie moved out of headers,
 * query values left as sent, disallowed headers hidden. The name maps are null-prototype records: a
 * viewer's or origin's `__proto__` is a name like any other (src/nullPrototype.ts).
 */

const HIDDEN = new Set([
  "connection", "expect", "keep-alive", "proxy-authenticate", "proxy-authorization", "proxy-connection", "trailer", "upgrade",
  "x-accel-buffering", "x-accel-charset", "x-accel-limit-rate", "x-accel-redirect", "x-amzn-auth", "x-amzn-cf-billing",
  "x-amzn-cf-id", "x-amzn-cf-xff", "x-amzn-errortype", "x-amzn-fle-profile", "x-amzn-header-count", "x-amzn-header-order",
  "x-amzn-lambda-integration-tag", "x-amzn-requestid", "x-cache", "x-forwarded-proto", "x-real-ip", "transfer-encoding",
]);
const hidden = (name: string) => HIDDEN.has(name) || name.startsWith("x-amz-cf-") || name.startsWith("x-edge-");

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
function headerLines(rawHeaders: string[]): Array<[string, string]> {
  const lines: Array<[string, string]> = [];
  for (let i = 0; i + 1 < rawHeaders.length; i += 2) lines.push([rawHeaders[i]!.toLowerCase(), rawHeaders[i + 1]!]);
  return lines;
}

function parseCookieHeader(value: string, into: Record<string, ValueEntry>): void {
  for (const part of value.split(";")) {
    const pair = part.trim();
    if (!pair) continue;
    const at = pair.indexOf("=");
    add(into, at === -1 ? pair : pair.slice(0, at), { value: at === -1 ? "" : pair.slice(at + 1) });
  }
}

interface ViewerContext {
  distributionId: string;
  distributionDomainName: string;
  requestId: string;
  viewerIp: string;
  /** The Host the event shows: the distribution's name or alias, lower-cased, without a port. */
  host: string;
}

export function edgeViewerRequestEvent(req: { url?: string; method?: string; rawHeaders: string[] }, context: ViewerContext): { event: FunctionEvent; rawQuery: string | null } {
  const url = req.url ?? "/";
  const at = url.indexOf("?");
  const uri = at === -1 ? url : url.slice(0, at);
  const rawQuery = at === -1 ? null : url.slice(at + 1);
  const querystring = emptyRecord<ValueEntry>();
  for (const part of (rawQuery ?? "").split("&")) {
    if (part === "") continue;
    const eq = part.indexOf("=");
    add(querystring, eq === -1 ? part : part.slice(0, eq), { value: eq === -1 ? "" : part.slice(eq + 1) });
  }
  const headers = emptyRecord<ValueEntry>();
  const cookies = emptyRecord<ValueEntry>();
  for (const [name, value] of headerLines(req.rawHeaders)) {
    if (name === "cookie") parseCookieHeader(value, cookies);
    else if (name === "host") add(headers, "host", { value: context.host });
    else if (!hidden(name)) add(headers, name, { value });
  }
  const request: FunctionRequest = { method: req.method ?? "GET", uri, querystring, headers, cookies };
  return {
    event: {
      version: "1.0",
      context: { distributionDomainName: context.distributionDomainName, distributionId: context.distributionId, eventType: "viewer-request", requestId: context.requestId },
      viewer: { ip: context.viewerIp },
      request,
    },
    rawQuery,
  };
}

/** An origin response as the viewer-response event's `response`. */
export function edgeResponseFromOrigin(statusCode: number, statusMessage: string, rawHeaders: string[]): FunctionResponse {
  const headers = emptyRecord<ValueEntry>();
  const cookies = emptyRecord<CookieEntry>();
  for (const [name, value] of headerLines(rawHeaders)) {
    if (name === "set-cookie") {
      const semicolon = value.indexOf(";");
      const pair = semicolon === -1 ? value : value.slice(0, semicolon);
      const eq = pair.indexOf("=");
      const entry: CookieEntry = { value: eq === -1 ? "" : pair.slice(eq + 1).trim() };
      if (semicolon !== -1) entry.attributes = value.slice(semicolon + 1).trim();
      add(cookies as Record<string, CookieEntry & { value: string }>, eq === -1 ? pair.trim() : pair.slice(0, eq).trim(), entry);
    } else if (!hidden(name)) {
      add(headers, name, { value });
    }
  }
  return { statusCode, statusDescription: statusMessage, headers, cookies };
}
