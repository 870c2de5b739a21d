import type { FunctionRequest, FunctionResponse } from "../runtime/event.js";
import { fieldTextProblem, headerNameProblem } from "../runtime/validate.js";
import { titleCase, valuesOf } from "./events.js";
import { contentLengthOf, type HeaderLine } from "./writer.js";

/** An origin's header lines without those that could not be written on (bad name or value characters). */
export function writableLines(rawHeaders: readonly string[]): string[] {
  const lines: string[] = [];
  for (let i = 0; i + 1 < rawHeaders.length; i += 2) {
    const name = rawHeaders[i]!;
    const value = rawHeaders[i + 1]!;
    if (headerNameProblem(name) || fieldTextProblem("value", value)) continue;
    lines.push(name, value);
  }
  return lines;
}

/** `{ length }` when an origin gave one valid Content-Length, for streamResponse. */
export function lengthOf(rawHeaders: readonly string[]): { length?: number } {
  const length = contentLengthOf(rawHeaders);
  return length === undefined ? {} : { length };
}

/** Header lines to write, Title-Case as CloudFront writes headers a function could have set. */
export function headerLinesOf(headers: FunctionRequest["headers"]): HeaderLine[] {
  const lines: HeaderLine[] = [];
  for (const [name, entry] of Object.entries(headers)) {
    for (const value of valuesOf(entry)) lines.push([titleCase(name), value]);
  }
  return lines;
}

/** A response's cookies as the Set-Cookie lines they came from (attributes kept). */
export function setCookieLinesOf(response: FunctionResponse): HeaderLine[] {
  return Object.entries(response.cookies).flatMap(([name, entry]) =>
    (entry.multiValue ?? [entry]).map((cookie): HeaderLine => ["Set-Cookie", `${name}=${cookie.value}${cookie.attributes ? `; ${cookie.attributes}` : ""}`]),
  );
}
