import { tokenizer, type Token } from "acorn";
import { locationAt, type SourceLocation } from "./sourceLocation.js";
import type { RuntimeName } from "./types.js";

/**
 * acorn's parse errors in the words of njs's parser (the engine CloudFront's runtimes derive from), with the
 * line njs reports. The table of what is refused, with the njs source of each message, is in
 * docs/runtime.md ("What the parser refuses").
 */

export class GateSyntaxError extends Error {
  /**
   * Where the parser stopped, in edgelite's own output only (CloudFront's message names the line alone):
   * on the message's line whenever the message names one.
   */
  location: SourceLocation | undefined;

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
      return tokenText(source, token, position) || "end of input";
    }
  } catch {
    // fall through
  }
  const rest = source.slice(position).trimStart();
  return rest ? rest[0]! : "end of input";
}

/** A token's text as njs quotes it: a string literal without its quotes. */
export function tokenText(source: string, token: Token, offset = 0): string {
  const start = offset + token.start;
  const end = offset + token.end;
  return token.type.label === "string" ? source.slice(start + 1, end - 1) : source.slice(start, end);
}

/** Tokens after which an expression is complete (so njs stops the expression before the next token). */
function endsExpression(token: Token | undefined): boolean {
  if (!token) return false;
  const label = token.type.label;
  return ["name", "num", "string", "regexp", "`", ")", "]", "}", "++/--", "this", "null", "true", "false"].includes(label);
}

/** Whether `position` lies in a template's `${…}` (innermost bracket), by the tokens read before it. */
function insideTemplateExpression(tokens: readonly Token[], position: number): boolean {
  const open: string[] = [];
  for (const token of tokens) {
    if (token.start >= position) break;
    const label = token.type.label;
    if (label === "${" || label === "{" || label === "(" || label === "[") open.push(label);
    else if (label === "}" || label === ")" || label === "]") open.pop();
  }
  return open[open.length - 1] === "${";
}

/** Token labels after which `{` opens an object literal rather than a block. */
const EXPRESSION_BEFORE_BRACE = new Set(["=", "_=", ":", "(", ",", "[", "return", "?", "=>", "||", "&&", "??", "!", "+/-", "*", "/", "%", "</>/<=/>=", "==/!=/===/!==", "in", "instanceof", "typeof", "void", "delete", "case", "${", "throw", "**"]);

interface OpenBracket {
  label: string;
  /** Index of the bracket's token in the token list. */
  index: number;
}

/** The brackets still open at `position` (innermost last), by the tokens read before it. */
function openBrackets(tokens: readonly Token[], position: number): OpenBracket[] {
  const open: OpenBracket[] = [];
  for (let index = 0; index < tokens.length; index++) {
    const token = tokens[index]!;
    if (token.start >= position) break;
    const label = token.type.label;
    if (label === "${" || label === "{" || label === "(" || label === "[") open.push({ label, index });
    else if (label === "}" || label === ")" || label === "]") open.pop();
  }
  return open;
}

const isObjectLiteralBrace = (tokens: readonly Token[], bracket: OpenBracket | undefined) =>
  bracket?.label === "{" && bracket.index > 0 && EXPRESSION_BEFORE_BRACE.has(tokens[bracket.index - 1]!.type.label);

/** An object literal's `...` before `position` at the innermost level (njs refuses it before anything later). */
function objectSpreadBefore(tokens: readonly Token[], position: number): Token | undefined {
  const open = openBrackets(tokens, position);
  const brace = open[open.length - 1];
  if (!brace || !isObjectLiteralBrace(tokens, brace)) return undefined;
  let depth = 0;
  for (let index = brace.index + 1; index < tokens.length && tokens[index]!.start < position; index++) {
    const label = tokens[index]!.type.label;
    if (label === "${" || label === "{" || label === "(" || label === "[") depth++;
    else if (label === "}" || label === ")" || label === "]") depth--;
    else if (depth === 0 && label === "..." && ["{", ","].includes(tokens[index - 1]!.type.label)) return tokens[index];
  }
  return undefined;
}

/** Whether the token before `position` closes the head of an `if`, `while`, `for` or `with`. */
function afterStatementHead(tokens: readonly Token[], position: number): boolean {
  let index = tokens.length - 1;
  while (index >= 0 && tokens[index]!.end > position) index--;
  const last = tokens[index];
  if (!last) return false;
  if (last.type.label === "else" || last.type.label === "do") return true;
  if (last.type.label !== ")") return false;
  for (let depth = 0; index >= 0; index--) {
    const label = tokens[index]!.type.label;
    if (label === ")") depth++;
    else if (label === "(" && --depth === 0) return ["if", "while", "for", "with"].includes(tokens[index - 1]?.type.label ?? "");
  }
  return false;
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

/** acorn's parse errors in njs's words, located where acorn stopped unless the message names another place. */
export function translateParseError(error: AcornError, source: string, runtime: RuntimeName, tokens: readonly Token[] = []): GateSyntaxError {
  const translated = translate(error, source, runtime, tokens);
  translated.location ??= locationAt(source, typeof error.pos === "number" ? error.pos : 0);
  return translated;
}

function translate(error: AcornError, source: string, runtime: RuntimeName, tokens: readonly Token[]): GateSyntaxError {
  if (typeof error.pos !== "number") return new GateSyntaxError(`Unexpected token "${error.message}"`, 1);
  const line = error.loc?.line ?? 1;
  const pos = error.pos;
  /** A refusal reported on another line than acorn's: located at `position`, on the line the message names. */
  const at = (refusal: GateSyntaxError, position: number): GateSyntaxError => {
    refusal.location = locationAt(source, position);
    return refusal;
  };
  const raw = error.message.replace(/ \(\d+:\d+\)$/, "");
  const token = nextToken(source, pos);
  const is20 = runtime === "cloudfront-js-2.0";
  const plain = (detail: string, at = line) => new GateSyntaxError(detail, at);
  /** 1.0 refuses `let` and `const` themselves, before the redeclaration or missing initialiser acorn found. */
  const lexical10 = (): GateSyntaxError | undefined => {
    const lexical = is20 ? null : /(^|[;{}()\s])(let|const)\s+[A-Za-z_$[{]/.exec(source.slice(0, pos + 1));
    if (!lexical) return undefined;
    const start = lexical.index + lexical[1]!.length;
    return at(plain(`Token "${lexical[2]}" not supported in this version`, lineAt(source, start)), start);
  };

  if (/^Unterminated string/.test(raw)) {
    const lineEnd = source.indexOf("\n", pos);
    const text = source.slice(pos, lineEnd === -1 ? source.length : lineEnd + 1);
    // Where an object literal expects a property name, njs reports the unfinished string as an unexpected token.
    const open = openBrackets(tokens, pos);
    const previous = tokens.filter((t) => t.end <= pos).pop();
    const atPropertyName = isObjectLiteralBrace(tokens, open[open.length - 1]) && (previous?.type.label === "{" || previous?.type.label === ",");
    return plain(`${atPropertyName ? "Unexpected token" : "Unterminated string"} "${text}"`);
  }
  if (/^Unterminated template/.test(raw)) return at(plain("Unterminated template literal", source.split("\n").length), source.length);
  if (/^Unterminated regular expression/.test(raw)) {
    const lineEnd = source.slice(pos).search(/[\r\n]/);
    return plain(`Unterminated RegExp "${source.slice(pos - 1, lineEnd === -1 ? source.length : pos + lineEnd)}"`);
  }
  if (/^Unterminated comment/.test(raw)) return plain('Unexpected token "/*"');
  if (/^Missing catch or finally clause/.test(raw)) {
    const end = Math.max(pos, error.raisedAt - 1);
    return at(plain("Missing catch or finally after try", lineAt(source, end)), end);
  }
  if (/^Comma is not permitted after the rest element/.test(raw)) return plain("Rest parameter must be last formal parameter");
  if (/^getter should have no params/.test(raw)) return plain("Getter must not have any formal parameters");
  if (/^setter should have exactly one param/.test(raw)) return plain("Setter must have exactly one formal parameter");
  if (/^Multiple default clauses/.test(raw)) return plain("More than one default clause in switch statement");
  if (/^Shorthand property assignments are valid only in destructuring patterns/.test(raw)) return plain('Token "=" not supported in this version');
  if (pos >= source.trimEnd().length) return at(plain("Unexpected end of input", source.split("\n").length), source.length);
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
  if (source.startsWith("#!") && pos <= 1) return at(plain('Unexpected token "#"', 1), 0);
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
  if (/^Illegal newline after throw/.test(raw)) {
    const next = pos + (source.slice(pos).length - source.slice(pos).trimStart().length);
    return at(plain(raw, lineAt(source, next)), next);
  }
  const label = /^Label '(.+)' is already declared/.exec(raw);
  if (label) return plain(`Label "${label[1]}" has already been declared`);
  if (/^Unsyntactic (break|continue)/.test(raw)) return unsyntactic(source, pos, raw.endsWith("break") ? "break" : "continue", line);
  const redeclared = /^Identifier '(.+)' has already been declared/.exec(raw);
  if (redeclared) return lexical10() ?? plain(`"${redeclared[1]}" has already been declared`);
  if (/^Cannot use keyword 'await' outside an async function/.test(raw)) {
    if (is20) return plain("await is only valid in async functions");
    // 1.0 refuses an earlier `async` first.
    const async = /(^|[^\w$.])async\s*(function\b|\(|[A-Za-z_$])/.exec(source.slice(0, pos));
    if (!async) return plain('Token "await" not supported in this version');
    const start = async.index + async[1]!.length;
    return at(plain('Token "async" not supported in this version', lineAt(source, start)), start);
  }
  if (/regular expression flag/.test(raw)) {
    // acorn points into the pattern; the literal starts at the last `/` before it.
    const flags = invalidRegExpFlags(REGEXP_LITERAL.exec(source.slice(source.lastIndexOf("/", pos - 1)))?.[1] ?? "");
    if (flags !== undefined) return plain(`Invalid RegExp flags "${flags}"`);
  }
  if (raw === "Unexpected token" && /(^|[^\w$.])await\s*$/.test(source.slice(0, pos))) {
    // `await x` where acorn read `await` as a name (a script's non-async function).
    const start = source.slice(0, pos).lastIndexOf("await");
    return at(plain(is20 ? "await is only valid in async functions" : 'Token "await" not supported in this version', lineAt(source, start)), start);
  }
  if (raw === "Unexpected token") {
    const before = tokens.filter((t) => t.end <= pos).pop();
    const spread = objectSpreadBefore(tokens, pos);
    if (spread) return at(plain('Token "..." not supported in this version', spread.loc?.start.line ?? lineAt(source, spread.start)), spread.start);
    // njs reads `catch` and refuses anything but `(` after it as a token it does not support.
    if (before?.type.label === "catch") return plain(`Token "${token}" not supported in this version`);
    if (token !== "}" && insideTemplateExpression(tokens, pos) && endsExpression(before)) return plain('Missing "}" in template expression');
    if (token === "**" && endsExpression(before)) return plain("Either left-hand side or entire exponentiation must be parenthesized");
    if (token === "const" && /^const\s+[A-Za-z_$]/.test(source.slice(pos))) {
      return plain(is20 ? "const declaration cannot appear in a single-statement context" : 'Token "const" not supported in this version');
    }
    if (token === "async" && /^async\s+function\b/.test(source.slice(pos))) return plain('Token "async" not supported in this version');
    if (token === "class" && afterStatementHead(tokens, pos)) return plain("Class can only be declared at top level or inside a block");
    if (token === "function") {
      if (before?.type.label === ":" && /(^|[^\w$.])[A-Za-z_$][\w$]*\s*:\s*$/.test(source.slice(0, pos))) {
        return new GateSyntaxError("In strict mode code, functions can only be declared at top level or inside a block.", undefined);
      }
      if (afterStatementHead(tokens, pos)) return plain("Functions can only be declared at top level or inside a block");
    }
    if (missingConstInitializer(source, pos)) return lexical10() ?? new GateSyntaxError("missing initializer in const declaration", undefined);
  }
  return plain(`Unexpected token "${token}"`);
}
