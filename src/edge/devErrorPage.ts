import { createHash } from "node:crypto";
import { codeFrame, formatLocation, replaceUnsafeCharacters } from "../runtime/sourceLocation.js";
import type { FunctionErrorPage, FunctionErrorPageRenderer, FunctionFailure } from "./answers.js";
import { escapeHtml } from "./pages.js";

/**
 * The development error page `edgelite dev` sends instead of CloudFront's 503 when a function fails: the
 * error, where it is (`file:line:column` and a code frame), what the function logged and the event it
 * received. Still a 503, as on CloudFront, marked `x-edgelite-dev-error: 1`.
 *
 * Everything on it may be chosen by whoever sends the request (the event, an error message built from it)
 * or by the code: every value is escaped, control and bidirectional characters are shown as U+FFFD, the page
 * loads nothing and runs nothing (a Content-Security-Policy that allows only its own style, by hash).
 */

/** The code of a function, and the name of the file it came from, for the code frame. */
export interface FunctionSource {
  file: string;
  code: string;
}

/** How much of an error's text the page shows (a thrown message can be any length). */
const TEXT_LIMIT = 10_000;

const STYLE =
  "body{margin:0;font:15px/1.5 system-ui,sans-serif;color:#1d1d1f;background:#fafafa}" +
  "main{max-width:960px;margin:0 auto;padding:24px}" +
  ".tag{color:#b3261e;font-weight:600;margin:0}" +
  "h1{font-size:20px;margin:8px 0 16px;white-space:pre-wrap;word-break:break-word}" +
  "h2{font-size:15px;margin:24px 0 8px}" +
  "pre{background:#fff;border:1px solid #ddd;border-radius:6px;padding:12px;overflow:auto;font:13px/1.45 ui-monospace,monospace;tab-size:4}" +
  ".frame{border-left:4px solid #b3261e}" +
  ".note{color:#555;font-size:13px}";

const STYLE_HASH = createHash("sha256").update(STYLE).digest("base64");
const POLICY = `default-src 'none'; style-src 'sha256-${STYLE_HASH}'; base-uri 'none'; form-action 'none'`;

/** A renderer for the edge's `functionErrorPage` setting; `sourceOf` finds the failed function's code. */
export function devErrorPages(sourceOf: (failure: FunctionFailure) => FunctionSource | undefined): FunctionErrorPageRenderer {
  return (failure) => {
    let source: FunctionSource | undefined;
    try {
      source = sourceOf(failure);
    } catch {
      source = undefined;
    }
    return renderDevErrorPage(failure, source);
  };
}

export function renderDevErrorPage(failure: FunctionFailure, source: FunctionSource | undefined): FunctionErrorPage {
  const { result } = failure;
  const name = failure.functionArn.slice(failure.functionArn.lastIndexOf("/") + 1);
  const error = result?.error ? clip(result.error.text) : `the function ${name} has no LIVE stage`;
  const location = result?.errorLocation;
  const where = location && source ? formatLocation(source.file, location) : location ? `line ${location.line}, column ${location.column}` : undefined;
  const sections: string[] = [];
  sections.push(`<p class="tag">${text(`${failure.eventType} function ${name} failed · 503`)}</p>`);
  sections.push(`<h1>${text(error)}</h1>`);
  if (where) sections.push(`<p><code>${text(where)}</code></p>`);
  if (location && source) sections.push(`<pre class="frame">${escapeHtml(codeFrame(source.code, location))}</pre>`);
  else if (result?.error) sections.push(`<p class="note">${text(noLocationReason(result.error.name))}</p>`);
  if (result && result.logs.length > 0) sections.push(`<h2>console.log</h2>\n<pre>${text(result.logs.join("\n"))}</pre>`);
  sections.push(`<h2>The event the function received</h2>\n<pre>${text(eventJson(failure))}</pre>`);
  sections.push(
    `<p class="note">${text("On CloudFront the viewer gets a 503 with CloudFront's own page; TestFunction reports: ")}<code>${text(clip(result?.errorMessage ?? "the function has no LIVE stage"))}</code>. ` +
      `${text("Start edgelite dev with --cloudfront-errors to get CloudFront's page here.")}</p>`,
  );
  const body =
    `<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">\n` +
    `<meta http-equiv="Content-Security-Policy" content="${escapeHtml(POLICY)}">\n` +
    `<meta name="viewport" content="width=device-width, initial-scale=1">\n` +
    `<title>${text(`503 · ${error.slice(0, 200)} · edgelite dev`)}</title>\n<style>${STYLE}</style></head>\n` +
    `<body><main>\n${sections.join("\n")}\n</main></body></html>\n`;
  return {
    status: 503,
    headers: [
      ["Content-Type", "text/html; charset=utf-8"],
      ["Content-Security-Policy", `${POLICY}; frame-ancestors 'none'`],
      ["X-Content-Type-Options", "nosniff"],
      ["Cache-Control", "no-store"],
      ["x-edgelite-dev-error", "1"],
    ],
    body,
  };
}

/** Text for the page: printable, then escaped. */
function text(value: string): string {
  return escapeHtml(replaceUnsafeCharacters(value));
}

function clip(value: string): string {
  return value.length <= TEXT_LIMIT ? value : `${value.slice(0, TEXT_LIMIT)}… (${value.length - TEXT_LIMIT} more characters)`;
}

function noLocationReason(errorName: string): string {
  if (errorName === "InternalError" || errorName === "MemoryError") return "A limit stopped the run: there is no line to point at.";
  return "No line is known for this error (the function threw a value that is not an Error object, or the error was raised outside its code).";
}

function eventJson(failure: FunctionFailure): string {
  try {
    return JSON.stringify(failure.event, null, 2) ?? "undefined";
  } catch {
    return "(the event could not be shown)";
  }
}
