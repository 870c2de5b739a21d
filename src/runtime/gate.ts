import { Parser, type Node, type Options, tokenizer } from "acorn";
import { ancestor } from "acorn-walk";
import { instrument, type Edit } from "./instrument.js";
import type { RuntimeName } from "./types.js";

/**
 * The syntax gate: what each runtime accepts, rejected with the words CloudFront's njs-based parser uses
 * (`SyntaxError: Token "of" not supported in this version in 22`), and the accepted code prepared for the
 * sandbox: `import` lines turned into module bindings and a statement counter inserted for the meter.
 *
 * Messages were taken from njs 0.7.9 (the engine the 1.0 runtime derives from) for the same snippets; see
 * docs/runtime.md for the list and for the choices where CloudFront and njs are known to differ.
 */

export interface GateResult {
  /** The script the sandbox compiles: a function expression over the sandbox's private hooks (instrument.ts). */
  code: string;
  /** Modules imported with `import x from "m"` (2.0): binding name → module name. */
  imports: Array<{ binding: string; module: string }>;
}

export class GateSyntaxError extends Error {
  constructor(
    readonly detail: string,
    readonly line: number,
    readonly errorName: "SyntaxError" | "ReferenceError" = "SyntaxError",
  ) {
    super(`${detail} in ${line}`);
    this.name = errorName;
  }
}

const MODULES_20 = new Set(["cloudfront", "crypto", "querystring", "buffer"]);

const PARSE_OPTIONS: Options = { ecmaVersion: 2022, sourceType: "module", locations: true, allowHashBang: false };

export function gate(source: string, runtime: RuntimeName): GateResult {
  let program: Node;
  try {
    program = Parser.parse(source, PARSE_OPTIONS);
  } catch (error) {
    throw translateParseError(error as AcornError, source);
  }
  const is20 = runtime === "cloudfront-js-2.0";
  const lineOf = (node: Node) => (node.loc ? node.loc.start.line : 1);
  const fail = (node: Node, detail: string, name?: "SyntaxError" | "ReferenceError"): never => {
    throw new GateSyntaxError(detail, lineOf(node), name);
  };
  const notSupported = (node: Node, token: string) => fail(node, `Token "${token}" not supported in this version`);
  const unexpected = (node: Node, token: string) => fail(node, `Unexpected token "${token}"`);
  const tokenAfter = (position: number) => nextToken(source, position);

  const imports: GateResult["imports"] = [];
  const edits: Edit[] = [];

  ancestor(program, {
    ImportDeclaration(node: any) {
      if (!is20) return notSupported(node, "import");
      const specifier = node.specifiers[0];
      if (node.specifiers.length !== 1 || specifier.type !== "ImportDefaultSpecifier") {
        return notSupported(node, node.specifiers.length === 0 ? "import" : "{");
      }
      const module = String(node.source.value);
      if (!MODULES_20.has(module)) return fail(node, `Cannot find module "${module}"`);
      imports.push({ binding: specifier.local.name, module });
      // The binding stays a `var` (hoisted, initialised before the handler can run).
      edits.push({ start: node.start, end: node.end, binding: specifier.local.name, module });
    },
    ExportNamedDeclaration: (node: any) => fail(node, "Illegal export statement"),
    ExportDefaultDeclaration: (node: any) => fail(node, "Illegal export statement"),
    ExportAllDeclaration: (node: any) => fail(node, "Illegal export statement"),
    ImportExpression: (node: any) => notSupported(node, "import"),
    MetaProperty: (node: any) => unexpected(node, "."),
    ClassDeclaration: (node: any) => notSupported(node, "class"),
    ClassExpression: (node: any) => notSupported(node, "class"),
    ForOfStatement: (node: any) => notSupported(node, node.await ? "await" : "of"),
    ChainExpression: (node: any) => unexpected(node, tokenAfter(node.end)),
    SpreadElement(node: any, _state: unknown, ancestors: any[]) {
      const parent = ancestors[ancestors.length - 2];
      if (parent?.type === "ObjectExpression") return notSupported(node, "...");
      return unexpected(node, "...");
    },
    VariableDeclaration(node: any) {
      if (!is20 && node.kind !== "var") return notSupported(node, node.kind);
      for (const declarator of node.declarations) {
        if (declarator.id.type === "ObjectPattern" || declarator.id.type === "ArrayPattern") {
          notSupported(declarator.id, tokenAfter(declarator.id.start + 1));
        }
      }
    },
    CatchClause(node: any) {
      if (!node.param) return notSupported(node, "{");
      if (node.param.type !== "Identifier") return notSupported(node.param, "{");
    },
    AssignmentExpression(node: any) {
      if (node.left.type === "ObjectPattern" || node.left.type === "ArrayPattern") {
        fail(node, "Invalid left-hand side in assignment", "ReferenceError");
      }
    },
    Function(node: any) {
      if (node.generator) return unexpected(node, "*");
      if (node.async && !is20) return notSupported(node, "async");
      for (const param of node.params) {
        const target = param.type === "RestElement" ? param.argument : param;
        if (param.type === "AssignmentPattern") return unexpected(param, "=");
        if (target.type === "ObjectPattern" || target.type === "ArrayPattern") {
          if (node.type === "ArrowFunctionExpression") return unexpected(node, "=>");
          return notSupported(target, target.type === "ObjectPattern" ? "{" : "[");
        }
      }
    },
    AwaitExpression(node: any, _state: unknown, ancestors: any[]) {
      if (!is20) return notSupported(node, "await");
      const inAsync = ancestors.some((a) => (a.type === "FunctionDeclaration" || a.type === "FunctionExpression" || a.type === "ArrowFunctionExpression") && a.async);
      if (!inAsync) return notSupported(node, "await");
    },
    Literal(node: any) {
      if (typeof node.bigint === "string") return unexpected(node, node.raw);
      if (!is20 && typeof node.raw === "string" && /^[0-9.]/.test(node.raw) && node.raw.includes("_")) {
        return unexpected(node, node.raw.slice(node.raw.indexOf("_")));
      }
    },
  } as any);

  return { code: instrument(source, program, edits), imports };
}

/** The next token's text at or after `position` (for njs-style "Unexpected token" messages). */
function nextToken(source: string, position: number): string {
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

interface AcornError extends SyntaxError {
  pos: number;
  raisedAt: number;
  loc?: { line: number; column: number };
}

/** acorn's parse errors in njs's words. */
function translateParseError(error: AcornError, source: string): GateSyntaxError {
  if (typeof error.pos !== "number") return new GateSyntaxError(`Unexpected token "${error.message}"`, 1);
  const line = error.loc?.line ?? 1;
  const raw = error.message.replace(/ \(\d+:\d+\)$/, "");
  const token = nextToken(source, error.pos);
  if (/^Unterminated string/.test(raw)) {
    const lineEnd = source.indexOf("\n", error.pos);
    return new GateSyntaxError(`Unterminated string "${source.slice(error.pos, lineEnd === -1 ? source.length : lineEnd + 1)}"`, line);
  }
  if (/^Unterminated template/.test(raw)) return new GateSyntaxError("Unterminated template literal", source.split("\n").length);
  if (/^Unterminated (regular expression|comment)/.test(raw)) return new GateSyntaxError(raw, line);
  if (error.pos >= source.trimEnd().length) return new GateSyntaxError("Unexpected end of input", source.split("\n").length);
  if (/^'return' outside of function/.test(raw)) return new GateSyntaxError("Illegal return statement", line);
  if (/^'with' in strict mode/.test(raw)) return new GateSyntaxError('Token "(" not supported in this version', line);
  if (/^Deleting local variable/.test(raw)) return new GateSyntaxError("Delete of an unqualified identifier", line);
  if (/^Argument name clash/.test(raw)) return new GateSyntaxError("Duplicate parameter names", line);
  const binding = /^Binding (\S+) in strict mode/.exec(raw);
  if (binding) return new GateSyntaxError(`Identifier "${binding[1]}" is forbidden in var declaration`, line);
  const keyword = /^The keyword '(\w+)' is reserved/.exec(raw);
  if (keyword) return new GateSyntaxError(`Unexpected token "${keyword[1]}"`, line);
  const character = /^Unexpected character '(.+)'/.exec(raw);
  if (character) return new GateSyntaxError(`Unexpected token "${character[1]}"`, line);
  if (/^Invalid number|^Octal literal/.test(raw)) return new GateSyntaxError(`Unexpected token "${source.slice(error.pos, error.raisedAt)}"`, line);
  if (/^Assigning to rvalue|^Invalid left-hand side/.test(raw)) return new GateSyntaxError("Invalid left-hand side in assignment", line, "ReferenceError");
  if (/^'import' and 'export' may only appear at the top level/.test(raw)) return new GateSyntaxError("Illegal export statement", line);
  return new GateSyntaxError(`Unexpected token "${token}"`, line);
}
