import { tokenizer } from "acorn";
import type { RuntimeName } from "./types.js";

/**
 * acorn's parse errors in the words of njs's parser (the engine CloudFront's runtimes derive from), with the
 * line njs reports. The table of what is refused, with the njs source of each message, is in
 * docs/runtime.md ("What the parser refuses").
 */

export class GateSyntaxError extends Error {
  constructor(
    readonly detail: string,
    /** The line njs appends (` in 3`); undefined where njs reports none (its code generator's errors). */
    readonly line: number | undefined,
    readonly errorName: "SyntaxError" | "ReferenceError" = "SyntaxError",
  ) {
    super(line === undefined ? detail : `${detail} in ${line}`);
    this.name = errorName;
  }
}

export interface AcornError extends SyntaxError {
  pos: number;
  raisedAt: number;
  loc?: { line: number; column: number };
}

/** The next token's text at or after `position` (for njs-style "Unexpected token" messages). */
export function nextToken(source: string, position: number): string {
  try {
    for (const token of tokenizer(source.slice(position), { ecmaVersion: 2022 })) {
      return source.slice(position + token.start, position + token.end) || "end of input";
    }
  } catch {
    // fall through
  }
  const rest = source.slice(position).trimStart();
  return rest ? rest[0]! : "end of input";
}

/** The 1-based line of `position`. */
export function lineAt(source: string, position: number): number {
  let line = 1;
  for (let i = 0; i < position && i < source.length; i++) if (source.charCodeAt(i) === 10) line++;
  return line;
}

const IDENTIFIER_CHARS = /^[\w$]*/;

/** njs's text for a numeric literal it cannot read: from the offending `_` run to the end of the word. */
function badNumberToken(source: string, position: number): string {
  let start = position;
  while (start > 0 && source[start - 1] === "_") start--;
  return source[start] === "_" ? source.slice(start, start + 1 + IDENTIFIER_CHARS.exec(source.slice(start + 1))![0].length) : source.slice(position, position + 1);
}

/** njs reads a leading 0 followed by a digit (or `_`) as a two-character token it does not know. */
function legacyOctalToken(source: string, numberStart: number): string | undefined {
  return /^0[0-9_]/.test(source.slice(numberStart)) ? source.slice(numberStart, numberStart + 2) : undefined;
}

/** The flags njs quotes in `Invalid RegExp flags "…"`: up to and including the first one it refuses. */
export function invalidRegExpFlags(flags: string): string | undefined {
  const seen = new Set<string>();
  for (let i = 0; i < flags.length; i++) {
    const flag = flags[i]!;
    if (!"gimy".includes(flag) || seen.has(flag)) return flags.slice(0, i + 1);
    seen.add(flag);
  }
  return undefined;
}

const REGEXP_LITERAL = /\/(?:\\.|\[(?:\\.|[^\]\\\n])*\]|[^/\\\n[])+\/([\w$]*)/;

/** A `continue`/`break` acorn calls unsyntactic, in njs's words (the label lookup is textual). */
function unsyntactic(source: string, position: number, keyword: "break" | "continue", line: number): GateSyntaxError {
  const label = new RegExp(`^${keyword}[ \\t]+([A-Za-z_$][\\w$]*)`).exec(source.slice(position))?.[1];
  if (label === undefined) return new GateSyntaxError(`Illegal ${keyword} statement`, line);
  const declared = new RegExp(`(^|[^\\w$.])${label.replace(/\$/g, "\\$")}\\s*:(?!:)`).test(source.slice(0, position));
  if (keyword === "continue" && declared) return new GateSyntaxError("Illegal continue statement", line);
  return new GateSyntaxError(`Undefined label "${label}"`, line);
}

/** `const a;` and `const a = 1, b;`: acorn stops at the token after a name without an initialiser. */
function missingConstInitializer(source: string, position: number): boolean {
  const before = source.slice(0, position);
  let at = before.lastIndexOf("const");
  while (at > 0 && /[\w$]/.test(before[at - 1]!)) at = before.lastIndexOf("const", at - 1);
  if (at === -1) return false;
  const declaration = before.slice(at + "const".length);
  if (/[;{}]/.test(declaration) || !/(^\s+|,\s*)[A-Za-z_$][\w$]*\s*$/.test(declaration)) return false;
  return /^[;,]/.test(source.slice(position)) || /\n\s*$/.test(before);
}

/** acorn's parse errors in njs's words. */
export function translateParseError(error: AcornError, source: string, runtime: RuntimeName): GateSyntaxError {
  if (typeof error.pos !== "number") return new GateSyntaxError(`Unexpected token "${error.message}"`, 1);
  const line = error.loc?.line ?? 1;
  const pos = error.pos;
  const raw = error.message.replace(/ \(\d+:\d+\)$/, "");
  const token = nextToken(source, pos);
  const is20 = runtime === "cloudfront-js-2.0";
  const plain = (detail: string, at = line) => new GateSyntaxError(detail, at);
  /** 1.0 refuses `let` and `const` themselves, before the redeclaration or missing initialiser acorn found. */
  const lexical10 = (): GateSyntaxError | undefined => {
    const lexical = is20 ? null : /(^|[;{}()\s])(let|const)\s+[A-Za-z_$[{]/.exec(source.slice(0, pos + 1));
    return lexical ? plain(`Token "${lexical[2]}" not supported in this version`, lineAt(source, lexical.index + lexical[1]!.length)) : undefined;
  };

  if (/^Unterminated string/.test(raw)) {
    const lineEnd = source.indexOf("\n", pos);
    return plain(`Unterminated string "${source.slice(pos, lineEnd === -1 ? source.length : lineEnd + 1)}"`);
  }
  if (/^Unterminated template/.test(raw)) return plain("Unterminated template literal", source.split("\n").length);
  if (/^Unterminated regular expression/.test(raw)) {
    const lineEnd = source.slice(pos).search(/[\r\n]/);
    return plain(`Unterminated RegExp "${source.slice(pos - 1, lineEnd === -1 ? source.length : pos + lineEnd)}"`);
  }
  if (/^Unterminated comment/.test(raw)) return plain('Unexpected token "/*"');
  if (/^Missing catch or finally clause/.test(raw)) return plain("Missing catch or finally after try", lineAt(source, Math.max(pos, error.raisedAt - 1)));
  if (/^Comma is not permitted after the rest element/.test(raw)) return plain("Rest parameter must be last formal parameter");
  if (/^getter should have no params/.test(raw)) return plain("Getter must not have any formal parameters");
  if (/^setter should have exactly one param/.test(raw)) return plain("Setter must have exactly one formal parameter");
  if (/^Multiple default clauses/.test(raw)) return plain("More than one default clause in switch statement");
  if (/^Shorthand property assignments are valid only in destructuring patterns/.test(raw)) return plain('Token "=" not supported in this version');
  if (pos >= source.trimEnd().length) return plain("Unexpected end of input", source.split("\n").length);
  if (/^'return' outside of function/.test(raw)) return plain("Illegal return statement");
  if (/^'with' in strict mode/.test(raw)) return plain('Token "(" not supported in this version');
  if (/^Deleting local variable/.test(raw)) return plain("Delete of an unqualified identifier");
  if (/^Argument name clash/.test(raw)) return plain("Duplicate parameter names");
  const binding = /^Binding (\S+) in strict mode/.exec(raw);
  if (binding) {
    const where = /\bfunction\s*$/.test(source.slice(0, pos)) ? "function" : "var";
    return plain(`Identifier "${binding[1]}" is forbidden in ${where} declaration`);
  }
  const assigning = /^Assigning to (eval|arguments) in strict mode/.exec(raw);
  if (assigning) {
    const name = assigning[1]!;
    if (/(\+\+|--)\s*$/.test(source.slice(0, pos))) return new GateSyntaxError("Invalid left-hand side in prefix operation", line, "ReferenceError");
    if (/^\s*(\+\+|--)/.test(source.slice(pos + name.length))) return new GateSyntaxError("Invalid left-hand side in postfix operation", line, "ReferenceError");
    // njs refuses `arguments` anywhere outside a function first (textual check: no function before it).
    if (name === "arguments" && !/\bfunction\b/.test(source.slice(0, pos))) return plain('"arguments" object in global scope');
    return plain(`Identifier "${name}" is forbidden as left-hand in assignment`);
  }
  const keyword = /^The keyword '(\w+)' is reserved/.exec(raw);
  if (keyword) {
    // `if (x) let y = 1;`: njs names the misplaced declaration (1.0 refuses `let` itself).
    if (keyword[1] === "let" && /^let\s+[A-Za-z_$]/.test(source.slice(pos))) {
      return plain(is20 ? "let declaration cannot appear in a single-statement context" : 'Token "let" not supported in this version');
    }
    return plain(`Unexpected token "${keyword[1]}"`);
  }
  if (source.startsWith("#!") && pos <= 1) return plain('Unexpected token "#"', 1);
  if (source[pos] === "#") return plain('Unexpected token "#"');
  const character = /^Unexpected character '(.+)'/.exec(raw);
  if (character) return plain(`Unexpected token "${character[1]}"`);
  if (/^Numeric separator/.test(raw)) {
    if (/legacy octal/.test(raw)) return plain(`Unexpected token "${source.slice(pos - 1, pos + 1)}"`);
    return plain(`Unexpected token "${badNumberToken(source, pos)}"`);
  }
  if (/^Invalid number/.test(raw)) return plain(`Unexpected token "${legacyOctalToken(source, pos) ?? source.slice(pos, error.raisedAt)}"`);
  if (/^Bad escape sequence in untagged template literal/.test(raw) && /^\\[0-9]/.test(source.slice(pos))) {
    return plain(/^\\[89]/.test(source.slice(pos))
      ? "The escapes \\8 and \\9 can't be used in untagged template literals or in strict mode code"
      : "Octal escape sequences can't be used in untagged template literals or in strict mode code");
  }
  if (/^Octal literal in strict mode|^Octal escape sequences are not allowed/.test(raw)) {
    if (source[pos] !== "\\" && source[pos] !== "`") return plain(`Unexpected token "${legacyOctalToken(source, pos) ?? source.slice(pos, error.raisedAt)}"`);
    return plain("Octal escape sequences can't be used in untagged template literals or in strict mode code");
  }
  if (/^Invalid escape sequence/.test(raw) && /^[89]/.test(source.slice(pos))) {
    return plain("The escapes \\8 and \\9 can't be used in untagged template literals or in strict mode code");
  }
  const codePoint = /^Code point out of bounds/.test(raw) ? /\\u\{[0-9a-fA-F]*\}?$/.exec(source.slice(0, error.raisedAt)) : null;
  if (codePoint) return plain(`Invalid Unicode code point "${codePoint[0]}"`);
  if (/^Redefinition of __proto__ property/.test(raw)) return plain("Duplicate __proto__ fields are not allowed in object literals");
  if (/^for-in loop variable declaration may not have an initializer/.test(raw)) return plain("Invalid left-hand side in for-loop");
  if (/^Assigning to rvalue/.test(raw) && /\bfor\s*\(\s*$/.test(source.slice(0, pos))) return plain("Invalid left-hand side in for-loop");
  if (/^Assigning to rvalue|^Invalid left-hand side/.test(raw)) {
    if (/(\+\+|--)\s*$/.test(source.slice(0, pos))) return new GateSyntaxError("Invalid left-hand side in prefix operation", line, "ReferenceError");
    if (/(\+\+|--)\s*$/.test(source.slice(pos, error.raisedAt)) || /^\s*(\+\+|--)/.test(source.slice(error.raisedAt))) return new GateSyntaxError("Invalid left-hand side in postfix operation", line, "ReferenceError");
    return new GateSyntaxError("Invalid left-hand side in assignment", line, "ReferenceError");
  }
  if (/^'import' and 'export' may only appear at the top level/.test(raw)) {
    if (!source.startsWith("import", pos)) return plain("Illegal export statement");
    return plain(is20 ? "Illegal import statement" : 'Token "import" not supported in this version');
  }
  if (/^Illegal newline after throw/.test(raw)) return plain(raw, lineAt(source, pos + (source.slice(pos).length - source.slice(pos).trimStart().length)));
  const label = /^Label '(.+)' is already declared/.exec(raw);
  if (label) return plain(`Label "${label[1]}" has already been declared`);
  if (/^Unsyntactic (break|continue)/.test(raw)) return unsyntactic(source, pos, raw.endsWith("break") ? "break" : "continue", line);
  const redeclared = /^Identifier '(.+)' has already been declared/.exec(raw);
  if (redeclared) return lexical10() ?? plain(`"${redeclared[1]}" has already been declared`);
  if (/^Cannot use keyword 'await' outside an async function/.test(raw)) {
    if (is20) return plain("await is only valid in async functions");
    // 1.0 refuses an earlier `async` first.
    const async = /(^|[^\w$.])async\s*(function\b|\(|[A-Za-z_$])/.exec(source.slice(0, pos));
    return async ? plain('Token "async" not supported in this version', lineAt(source, async.index + async[1]!.length)) : plain('Token "await" not supported in this version');
  }
  if (/regular expression flag/.test(raw)) {
    // acorn points into the pattern; the literal starts at the last `/` before it.
    const flags = invalidRegExpFlags(REGEXP_LITERAL.exec(source.slice(source.lastIndexOf("/", pos - 1)))?.[1] ?? "");
    if (flags !== undefined) return plain(`Invalid RegExp flags "${flags}"`);
  }
  if (raw === "Unexpected token" && /(^|[^\w$.])await\s*$/.test(source.slice(0, pos))) {
    // `await x` where acorn read `await` as a name (a script's non-async function).
    return plain(is20 ? "await is only valid in async functions" : 'Token "await" not supported in this version', lineAt(source, source.slice(0, pos).lastIndexOf("await")));
  }
  if (raw === "Unexpected token") {
    if (token === "**") return plain("Either left-hand side or entire exponentiation must be parenthesized");
    if (token === "const" && /^const\s+[A-Za-z_$]/.test(source.slice(pos))) {
      return plain(is20 ? "const declaration cannot appear in a single-statement context" : 'Token "const" not supported in this version');
    }
    if (token === "async" && /^async\s+function\b/.test(source.slice(pos))) return plain('Token "async" not supported in this version');
    if (token === "class") return plain("Class can only be declared at top level or inside a block");
    if (token === "function") {
      if (/(^|[^\w$.])[A-Za-z_$][\w$]*\s*:\s*$/.test(source.slice(0, pos))) {
        return new GateSyntaxError("In strict mode code, functions can only be declared at top level or inside a block.", undefined);
      }
      return plain("Functions can only be declared at top level or inside a block");
    }
    if (missingConstInitializer(source, pos)) return lexical10() ?? new GateSyntaxError("missing initializer in const declaration", undefined);
  }
  return plain(`Unexpected token "${token}"`);
}
