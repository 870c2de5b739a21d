import { emptyRecord, getOwn, setOwn } from "../nullPrototype.js";
import type { CookieEntry } from "./event.js";

/**
 * Cookies as CloudFront reads them into events (the CloudFront Functions event structure page,
 * https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/functions-event-structure.html). The one
 * reading for the edge (src/edge/events.ts) and the library's builders (src/runtime/builders.ts).
 */

/**
 * A Cookie header's pairs in order: split on ";", each pair trimmed (empty ones skipped) and split at the first
 * "="; a pair without "=" is a name with the value "" (the page does not say; edgelite's choice).
 */
export function cookieHeaderPairs(value: string): Array<[string, string]> {
  const pairs: Array<[string, string]> = [];
  for (const part of value.split(";")) {
    const pair = part.trim();
    if (!pair) continue;
    const at = pair.indexOf("=");
    pairs.push(at === -1 ? [pair, ""] : [pair.slice(0, at), pair.slice(at + 1)]);
  }
  return pairs;
}

/**
 * One Set-Cookie value as a response cookie: the name and value are the text before the first ";" split at its
 * first "=" and trimmed (without "=", a name with the value ""); `attributes` is the trimmed text after that ";",
 * absent when there is no ";" (the page does not say; edgelite's choice).
 */
export function setCookieField(line: string): [name: string, entry: CookieEntry] {
  const semicolon = line.indexOf(";");
  const pair = semicolon === -1 ? line : line.slice(0, semicolon);
  const at = pair.indexOf("=");
  const entry: CookieEntry = { value: at === -1 ? "" : pair.slice(at + 1).trim() };
  if (semicolon !== -1) entry.attributes = line.slice(semicolon + 1).trim();
  return [at === -1 ? pair.trim() : pair.slice(0, at).trim(), entry];
}

/** Set-Cookie values as the response's `cookies`: a repeated name as `multiValue` in order, each with its own attributes. */
export function setCookieMap(lines: Iterable<string>): Record<string, CookieEntry> {
  const cookies = emptyRecord<CookieEntry>();
  for (const line of lines) {
    const [name, entry] = setCookieField(line);
    const existing = getOwn(cookies, name);
    if (!existing) setOwn(cookies, name, entry);
    else (existing.multiValue ??= [{ ...existing }]).push(entry);
  }
  return cookies;
}
