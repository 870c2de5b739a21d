import { LogsError } from "./logsErrors.js";

/**
 * CloudWatch Logs filter patterns for unstructured events, the subset edgelite reads (CloudWatch Logs User
 * Guide, "Filter pattern syntax for metric filters, subscription filters, filter log events, and Live Tail",
 * https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/FilterAndPatternSyntax.html):
 * - `ERROR timeout`: every term must appear (case-sensitive);
 * - `"lookup failed"`: a quoted phrase, matched as written (`\"` inside is a quote);
 * - `?ERROR ?WARN`: at least one of the `?` terms;
 * - `ERROR -debug`: `-` excludes events with that term;
 * - an empty pattern (or only spaces) matches every event.
 * JSON patterns (`{ $.x = 1 }`), space-delimited patterns (`[ip, user, ...]`), regular expressions
 * (`%…%`) and wildcards are not supported: InvalidParameterException says so.
 */
export interface FilterPattern {
  readonly required: readonly string[];
  readonly anyOf: readonly string[];
  readonly excluded: readonly string[];
}

export const MATCH_ALL: FilterPattern = { required: [], anyOf: [], excluded: [] };

export function parseFilterPattern(text: string): FilterPattern {
  const trimmed = text.trim();
  if (trimmed === "") return MATCH_ALL;
  if (/^[{[%]/.test(trimmed)) {
    throw new LogsError(
      "InvalidParameterException",
      `edgelite's FilterLogEvents reads term patterns only (terms, "quoted phrases", ?any-of and -excluded terms); JSON ({ $.field = … }), space-delimited ([a, b]) and regular-expression (%…%) patterns are not supported. Pattern: ${shorten(trimmed)}`,
    );
  }
  const required: string[] = [];
  const anyOf: string[] = [];
  const excluded: string[] = [];
  let at = 0;
  while (at < trimmed.length) {
    if (/\s/.test(trimmed[at]!)) {
      at++;
      continue;
    }
    const sign = trimmed[at] === "?" || trimmed[at] === "-" ? trimmed[at] : "";
    if (sign) at++;
    let term: string;
    if (trimmed[at] === '"') {
      const { value, end } = quoted(trimmed, at);
      term = value;
      at = end;
    } else {
      const end = trimmed.slice(at).search(/\s/);
      term = end === -1 ? trimmed.slice(at) : trimmed.slice(at, at + end);
      at = end === -1 ? trimmed.length : at + end;
    }
    if (term === "") continue;
    (sign === "?" ? anyOf : sign === "-" ? excluded : required).push(term);
  }
  return { required, anyOf, excluded };
}

/** Whether an event's message matches the pattern. */
export function matchesPattern(pattern: FilterPattern, message: string): boolean {
  for (const term of pattern.required) if (!message.includes(term)) return false;
  for (const term of pattern.excluded) if (message.includes(term)) return false;
  return pattern.anyOf.length === 0 || pattern.anyOf.some((term) => message.includes(term));
}

/** A quoted phrase from `at` (the opening quote): its text and where it ends. */
function quoted(text: string, at: number): { value: string; end: number } {
  let value = "";
  for (let i = at + 1; i < text.length; i++) {
    const c = text[i]!;
    if (c === "\\" && i + 1 < text.length) {
      value += text[++i];
    } else if (c === '"') {
      return { value, end: i + 1 };
    } else {
      value += c;
    }
  }
  throw new LogsError("InvalidParameterException", `Invalid filter pattern: the quoted phrase that starts at character ${at + 1} has no closing quote.`);
}

function shorten(text: string): string {
  return text.length > 80 ? `${text.slice(0, 80)}…` : text;
}
