/**
 * Positions in a function's source as a person reads them, and the code frame edgelite prints around one.
 *
 * Lines end where ECMAScript says a line ends (`\r\n`, `\n`, `\r`, U+2028, U+2029), as V8 and acorn count
 * them, so a file saved with CRLF endings has the lines an editor shows. Columns count UTF-16 code units
 * from 1 (as V8, Node and TypeScript do; a tab is one column); a byte order mark at the start of the file
 * is not a column.
 */

/** A place in the user's source: both 1-based. */
export interface SourceLocation {
  line: number;
  column: number;
}

/** Characters of a line the code frame shows at most (longer lines are clipped around the column). */
const FRAME_WIDTH = 160;
/** Lines shown before and after the one with the caret. */
const FRAME_CONTEXT = 2;

const BOM = 0xfeff;

const isLineEnd = (code: number) => code === 10 || code === 13 || code === 0x2028 || code === 0x2029;

/** The offset at which each line starts (line 1 first), in one pass. */
export function lineStarts(text: string): number[] {
  const starts = [0];
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (!isLineEnd(code)) continue;
    if (code === 13 && text.charCodeAt(i + 1) === 10) i++;
    starts.push(i + 1);
  }
  return starts;
}

/** The index of the last line start at or before `offset` (binary search). */
function lineIndexOf(starts: readonly number[], offset: number): number {
  let low = 0;
  let high = starts.length - 1;
  while (low < high) {
    const middle = (low + high + 1) >> 1;
    if (starts[middle]! <= offset) low = middle;
    else high = middle - 1;
  }
  return low;
}

/** The line and column of a UTF-16 offset in `source` (clamped to the source). */
export function locationAt(source: string, offset: number, starts: readonly number[] = lineStarts(source)): SourceLocation {
  const at = Number.isFinite(offset) ? Math.max(0, Math.min(Math.trunc(offset), source.length)) : 0;
  const index = lineIndexOf(starts, at);
  const bom = index === 0 && source.charCodeAt(0) === BOM && at > 0 ? 1 : 0;
  return { line: index + 1, column: at - starts[index]! - bom + 1 };
}

/** The UTF-16 offset of a 1-based line and column as V8 reports them (no BOM adjustment), clamped to the text. */
export function offsetAt(text: string, line: number, column: number, starts: readonly number[] = lineStarts(text)): number {
  const index = Number.isFinite(line) ? Math.max(0, Math.min(Math.trunc(line) - 1, starts.length - 1)) : 0;
  return Number.isFinite(column) ? Math.max(0, Math.min(starts[index]! + Math.trunc(column) - 1, text.length)) : starts[index]!;
}

/** `file:line:column`, the form editors and terminals turn into a link. */
export function formatLocation(file: string, at: SourceLocation): string {
  return `${file}:${at.line}:${at.column}`;
}

/**
 * Characters that must not reach a terminal or a page as they are: control characters (escape sequences),
 * line separators inside a line, and the bidirectional overrides that make code read differently than it
 * runs. Each becomes one U+FFFD, so columns stay where they were.
 */
const UNSAFE = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

/** Text with the characters above replaced (tabs kept). */
export function replaceUnsafeCharacters(text: string): string {
  return text.replace(UNSAFE, "\ufffd");
}

/**
 * A few lines of `code` around `at`, numbered, with a caret under the column:
 *
 *       2 |   var uri = event.request.uri;
 *     > 3 |   if (uri.endsWith("/") {
 *         |                         ^
 *       4 |     uri += "index.html";
 *
 * No colours. A line longer than the frame's width is shown as a window around the column, marked with `…`
 * where it was cut; tabs are kept and the caret line copies them, so the caret stays under the column
 * however a tab is drawn. Linear in the code's length, whatever the code holds.
 */
export function codeFrame(code: string, at: SourceLocation): string {
  const starts = lineStarts(code);
  const last = starts.length;
  const line = Math.max(1, Math.min(Number.isFinite(at.line) ? Math.trunc(at.line) : 1, last));
  const lineText = (n: number): string => {
    const start = starts[n - 1]! + (n === 1 && code.charCodeAt(0) === BOM ? 1 : 0);
    let end = n < last ? starts[n]! : code.length;
    while (end > start && isLineEnd(code.charCodeAt(end - 1))) end--;
    return code.slice(start, end);
  };
  const target = lineText(line);
  const column = Math.max(1, Math.min(Number.isFinite(at.column) ? Math.trunc(at.column) : 1, target.length + 1));
  // One window for every line of the frame, so the lines stay aligned with each other.
  const from = Math.max(0, Math.min(column - 1 - (FRAME_WIDTH >> 1), target.length + 1 - FRAME_WIDTH));
  const first = Math.max(1, line - FRAME_CONTEXT);
  const lastShown = Math.min(last, line + FRAME_CONTEXT);
  const gutter = String(lastShown).length;
  const clip = (text: string): string => {
    const shown = text.slice(from, from + FRAME_WIDTH);
    return (from > 0 ? (text.length > 0 ? "…" : " ") : "") + replaceUnsafeCharacters(shown) + (text.length > from + FRAME_WIDTH ? "…" : "");
  };
  const out: string[] = [];
  for (let n = first; n <= lastShown; n++) {
    const text = n === line ? target : lineText(n);
    const marker = n === line ? ">" : " ";
    const shown = clip(text);
    out.push(`${marker} ${String(n).padStart(gutter)} |${shown ? ` ${shown}` : ""}`);
    if (n === line) {
      const before = target.slice(from, column - 1).replace(/[^\t]/g, " ");
      out.push(`  ${" ".repeat(gutter)} | ${from > 0 ? " " : ""}${before}^`);
    }
  }
  return out.join("\n");
}
