import type { EdgeLogEntry, FunctionLogLine } from "../edge/edge.js";
import type { RequestLogEntry } from "../api/dispatch.js";

/** Terminal colour, only when writing to a terminal and NO_COLOR is unset (https://no-color.org). */
const enabled = (stream: NodeJS.WriteStream) => Boolean(stream.isTTY) && !process.env.NO_COLOR;

function paint(code: number, stream: NodeJS.WriteStream) {
  return (text: string) => (enabled(stream) ? `\x1b[${code}m${text}\x1b[0m` : text);
}

export const colour = (stream: NodeJS.WriteStream = process.stdout) => ({
  bold: paint(1, stream),
  dim: paint(2, stream),
  red: paint(31, stream),
  green: paint(32, stream),
  yellow: paint(33, stream),
  cyan: paint(36, stream),
});

export type Paint = ReturnType<typeof colour>;

/**
 * Text from a request or a function (a uri, an error message) made safe for a terminal: control characters,
 * escape sequences and line breaks are shown as `\xNN`/`\uNNNN` instead of being obeyed, so a function cannot
 * rewrite the developer's terminal or forge log lines.
 */
export function printable(text: string): string {
  return text.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g, (c) => {
    const code = c.charCodeAt(0);
    return code <= 0xff ? `\\x${code.toString(16).padStart(2, "0")}` : `\\u${code.toString(16).padStart(4, "0")}`;
  });
}

/** One line per API call: method, path, status, operation, error code, time. */
export function formatApiLine(entry: RequestLogEntry, paint: Paint): string {
  const status = paintStatus(entry.status, paint);
  const what = entry.operation ?? "";
  const error = entry.errorCode ? ` ${paint.yellow(entry.errorCode)}` : "";
  return `${printable(entry.method)} ${printable(entry.path)} ${status} ${what}${error} ${paint.dim(`${entry.durationMs.toFixed(1)}ms`)}`;
}

/** One line per edge request: method, uri, status, result, the functions that ran, compute utilization, time. */
export function formatEdgeLine(entry: EdgeLogEntry, paint: Paint): string {
  const status = paintStatus(entry.status, paint);
  const functions = entry.functions.length > 0 ? entry.functions.join(",") : "no functions";
  const compute = entry.computeUtilization !== undefined ? ` cu=${entry.computeUtilization}` : "";
  const detail = entry.detail ? ` ${paint.yellow(printable(entry.detail))}` : "";
  const result = entry.detailedResult !== entry.result ? `${entry.result}/${entry.detailedResult}` : entry.result;
  // Answers from the edge cache stand out from the dim Miss of every origin request.
  const shown = entry.result === "Hit" || entry.result === "RefreshHit" ? paint.green(result) : paint.dim(result);
  return `${printable(entry.method)} ${printable(entry.uri)} ${status} ${shown} ${paint.dim(printable(functions))}${paint.dim(compute)} ${paint.dim(`${entry.durationMs.toFixed(1)}ms`)}${detail}`;
}

/**
 * A function's console.log line under its request's line: `    ↳ viewer-request rewrite (LIVE): text`, the
 * text made printable (a function cannot forge log lines or move the cursor).
 */
export function formatFunctionLogLine(line: FunctionLogLine, paint: Paint): string {
  return `    ${paint.dim(`↳ ${printable(line.eventType)} ${printable(line.function)} (${line.stage}):`)} ${printable(line.message)}`;
}

/** An edge request's line followed by its functions' console.log lines, each line ending in a line break. */
export function formatEdgeEntry(entry: EdgeLogEntry, paint: Paint): string {
  return [formatEdgeLine(entry, paint), ...entry.logs.map((line) => formatFunctionLogLine(line, paint))].map((line) => `${line}\n`).join("");
}

/** An HTTP status in green, yellow (4xx) or red (5xx). */
export function paintStatus(status: number, paint: Paint): string {
  const text = String(status);
  return status >= 500 ? paint.red(text) : status >= 400 ? paint.yellow(text) : paint.green(text);
}
