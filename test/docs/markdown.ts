/**
 * The runnable code blocks of a Markdown file. A fenced block is runnable when its info string carries the word
 * `runnable` after the language, e.g. ```` ```sh runnable ````: GitHub (and CommonMark renderers generally) take
 * only the first word of the info string as the language, so the page renders as any other code block.
 *
 * `background` as a further word marks a long-running command (a server) that a reader leaves running in a
 * terminal of its own while following the next steps.
 *
 * A runnable block may be followed (nothing but blank lines between) by a ```` ```text output ```` block: what the
 * reader should see. Each of its non-blank lines must then appear in what the block printed, in that order; `…`
 * in a line stands for anything (an id, a port).
 */

export type SnippetLanguage = "sh" | "js" | "python";

export interface Snippet {
  /** The Markdown file's path, as given. */
  file: string;
  /** 1-based line of the opening fence. */
  line: number;
  language: SnippetLanguage;
  background: boolean;
  code: string;
  /** The lines of the `text output` block after it, if any. */
  expected?: string[];
}

const LANGUAGES: ReadonlyMap<string, SnippetLanguage> = new Map([
  ["sh", "sh"],
  ["bash", "sh"],
  ["shell", "sh"],
  ["js", "js"],
  ["javascript", "js"],
  ["mjs", "js"],
  ["python", "python"],
  ["py", "python"],
]);

const OPENING = /^( {0,3})(`{3,}|~{3,})(.*)$/;

/** Every runnable block of `markdown`, in document order. Unknown languages marked runnable are an error. */
export function runnableSnippets(file: string, markdown: string): Snippet[] {
  const lines = markdown.split(/\r?\n/);
  const snippets: Snippet[] = [];
  /** The closing fence's line of the last runnable block. */
  let lastEnd: number | undefined;
  for (let i = 0; i < lines.length; i++) {
    const opening = OPENING.exec(lines[i] ?? "");
    if (!opening) continue;
    const [, indent = "", fence = "", info = ""] = opening;
    // A backtick fence's info string may not contain a backtick (CommonMark): that line is not a fence.
    if (fence.startsWith("`") && info.includes("`")) continue;
    const closing = new RegExp(`^ {0,3}${fence[0] === "`" ? "`" : "~"}{${fence.length},}\\s*$`);
    const body: string[] = [];
    let end = i + 1;
    while (end < lines.length && !closing.test(lines[end] ?? "")) {
      body.push(stripIndent(lines[end] ?? "", indent.length));
      end++;
    }
    const words = info.trim().split(/\s+/).filter((word) => word !== "");
    if (words.includes("runnable")) {
      const language = LANGUAGES.get((words[0] ?? "").toLowerCase());
      if (!language) throw new Error(`${file}:${i + 1}: a block marked runnable must say its language first (sh, js or python), not "${words[0] ?? ""}"`);
      snippets.push({ file, line: i + 1, language, background: words.includes("background"), code: body.join("\n") + "\n" });
      lastEnd = end;
    } else if (words[0] === "text" && words[1] === "output") {
      const previous = snippets.at(-1);
      if (!previous || previous.expected || !onlyBlankBetween(lines, lastEnd, i)) {
        throw new Error(`${file}:${i + 1}: a text output block must follow a runnable block directly`);
      }
      previous.expected = body.filter((line) => line.trim() !== "");
    }
    i = end;
  }
  return snippets;
}

function onlyBlankBetween(lines: string[], after: number | undefined, before: number): boolean {
  if (after === undefined) return false;
  return lines.slice(after + 1, before).every((line) => line.trim() === "");
}

/** Whether `output` shows every expected line, in order; `…` in a line matches anything. */
export function showsExpected(output: string, expected: readonly string[]): { ok: true } | { ok: false; missing: string } {
  let from = 0;
  for (const line of expected) {
    const pieces = line.trim().split("…").map((piece) => piece.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"));
    const pattern = new RegExp(pieces.join("[^\\n]*?"), "g");
    pattern.lastIndex = from;
    const found = pattern.exec(output);
    if (!found) return { ok: false, missing: line };
    from = found.index + found[0].length;
  }
  return { ok: true };
}

/** A fence indented by n spaces takes up to n spaces off each line of its content (CommonMark). */
function stripIndent(line: string, n: number): string {
  let taken = 0;
  while (taken < n && line[taken] === " ") taken++;
  return line.slice(taken);
}
