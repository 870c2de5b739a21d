import { Parser, type Node, type Options, type Token } from "acorn";
import { ancestor } from "acorn-walk";
import { instrument, type Edit, type PositionMap } from "./instrument.js";
import { GateSyntaxError, invalidRegExpFlags, lineAt, nextToken, tokenText, translateParseError, type AcornError } from "./parseErrors.js";
import { locationAt } from "./sourceLocation.js";
import type { RuntimeName } from "./types.js";

export { GateSyntaxError } from "./parseErrors.js";

/**
 * The syntax gate: what each runtime accepts, rejected with the words CloudFront's njs-based parser uses
 * (`SyntaxError: Token "of" not supported in this version in 22`), and the accepted code prepared for the
 * sandbox: `import` lines turned into module bindings and a statement counter inserted for the meter.
 *
 * Messages are njs's (0.7.9 for 1.0, checked against the binary; the 0.8 parser for 2.0); the full list,
 * with the njs source of each message and the choices made without a source, is in docs/runtime.md
 * ("What the parser refuses").
 */

export interface GateResult {
  /** The script the sandbox compiles: a function expression over the sandbox's private hooks (instrument.ts). */
  code: string;
  /** Where the script's characters came from (a runtime error's position back to the user's source). */
  positions: PositionMap;
  /** Modules imported with `import x from "m"` (2.0): binding name → module name. */
  imports: Array<{ binding: string; module: string }>;
}

const MODULES_20 = new Set(["cloudfront", "crypto", "querystring", "buffer"]);

const PARSE_OPTIONS: Options = { ecmaVersion: 2022, sourceType: "module", locations: true, allowHashBang: false };

const LOGICAL_ASSIGNMENT = new Set(["&&=", "||=", "??="]);

/** A refusal found while walking: the one earliest in the source is reported, as njs's one-pass parser does. */
interface Refusal {
  position: number;
  error: GateSyntaxError;
}

const isFunction = (node: any) => node.type === "FunctionDeclaration" || node.type === "FunctionExpression" || node.type === "ArrowFunctionExpression";

/** A script parser in strict mode (a module's strictness without its top-level lexical rules). */
class StrictScriptParser extends Parser {
  constructor(options: Options, input: string) {
    super(options, input);
    (this as unknown as { strict: boolean }).strict = true;
  }
}

/**
 * The program, parsed as a module (strict, `import` at the top level, top-level `await` an expression the
 * gate can name). njs compiles a script, though, where a function may be declared twice and a `var` may share
 * a function's name: when only such a redeclaration stops the module parse, the code is parsed again as a
 * strict script (imports still only at the top level, HTML-like comments still refused).
 */
function parseProgram(source: string, tokens: Token[], refusals: Refusal[]): Node {
  try {
    return Parser.parse(source, { ...PARSE_OPTIONS, onToken: tokens });
  } catch (error) {
    if (!/^Identifier '.+' has already been declared/.test((error as Error).message)) throw error;
    tokens.length = 0;
    const htmlComments: number[] = [];
    const program = new StrictScriptParser(
      {
        ...PARSE_OPTIONS,
        sourceType: "script",
        allowImportExportEverywhere: true,
        allowAwaitOutsideFunction: true,
        onToken: tokens,
        onComment: (_block: boolean, _text: string, start: number) => {
          if (source.startsWith("<!--", start) || source.startsWith("-->", start)) htmlComments.push(start);
        },
      },
      source,
    ).parse();
    for (const start of htmlComments) {
      // njs reads `<!--` as `<` and `-->` as `--` then `>`.
      const at = source.startsWith("<!--", start) ? start : start + 2;
      refusals.push({ position: at, error: new GateSyntaxError(`Unexpected token "${source[at]}"`, lineAt(source, at)) });
    }
    return program;
  }
}

export function gate(source: string, runtime: RuntimeName): GateResult {
  const tokens: Token[] = [];
  const refusals: Refusal[] = [];
  let program: Node;
  try {
    program = parseProgram(source, tokens, refusals);
  } catch (error) {
    throw translateParseError(error as AcornError, source, runtime, tokens);
  }
  const is20 = runtime === "cloudfront-js-2.0";
  const refuse = (position: number, line: number | undefined, detail: string, name?: "SyntaxError" | "ReferenceError"): void => {
    refusals.push({ position, error: new GateSyntaxError(detail, line, name) });
  };
  const fail = (node: Node, detail: string, name?: "SyntaxError" | "ReferenceError"): void => refuse(node.start, node.loc ? node.loc.start.line : 1, detail, name);
  const notSupported = (node: Node, token: string) => fail(node, `Token "${token}" not supported in this version`);
  const unexpected = (node: Node, token: string) => fail(node, `Unexpected token "${token}"`);
  const unexpectedToken = (token: Token | undefined) => {
    if (token && token.type.label !== "eof") refuse(token.start, token.loc!.start.line, `Unexpected token "${tokenText(source, token)}"`);
    else refuse(source.length, source.split("\n").length, "Unexpected end of input");
  };
  const tokenAfter = (position: number) => nextToken(source, position);
  /** The first token starting at or after `position`. */
  const tokenIndexAt = (position: number) => {
    let low = 0;
    let high = tokens.length;
    while (low < high) {
      const middle = (low + high) >> 1;
      if (tokens[middle]!.start < position) low = middle + 1;
      else high = middle;
    }
    return low;
  };
  const findToken = (from: number, text: string) => {
    for (let i = tokenIndexAt(from); i < tokens.length; i++) if (source.slice(tokens[i]!.start, tokens[i]!.end) === text) return tokens[i];
    return undefined;
  };

  // njs's lexer reads no escapes in names: `var \u0061 = 1` stops at the backslash.
  for (const token of tokens) {
    if ((token.type.label === "name" || token.type.keyword) && source.slice(token.start, token.end).includes("\\")) {
      refuse(token.start, token.loc!.start.line, 'Unexpected token "\\"');
      break;
    }
  }

  const imports: GateResult["imports"] = [];
  const edits: Edit[] = [];

  ancestor(program, {
    ImportDeclaration(node: any, _state: unknown, ancestors: any[]) {
      if (!is20) return notSupported(node, "import");
      if (ancestors.length > 2) return fail(node, "Illegal import statement");
      const [first, second] = node.specifiers;
      if (!first || first.type !== "ImportDefaultSpecifier") return fail(node, "Non-default import is not supported");
      if (second) return unexpectedToken(findToken(first.end, ","));
      const module = String(node.source.value);
      if (!MODULES_20.has(module)) return fail(node, `Cannot find module "${module}"`);
      imports.push({ binding: first.local.name, module });
      // The binding stays a `var` (hoisted, initialised before the handler can run).
      edits.push({ start: node.start, end: node.end, binding: first.local.name, module });
    },
    ExportNamedDeclaration: (node: any) => fail(node, "Illegal export statement"),
    ExportDefaultDeclaration: (node: any) => fail(node, "Illegal export statement"),
    ExportAllDeclaration: (node: any) => fail(node, "Illegal export statement"),
    ImportExpression: (node: any) => notSupported(node, "import"),
    MetaProperty: (node: any) => (node.meta.name === "import" ? notSupported(node, "import") : unexpectedToken(findToken(node.meta.end, "."))),
    Super: (node: any) => notSupported(node, "super"),
    ClassDeclaration: (node: any) => notSupported(node, "class"),
    ClassExpression: (node: any) => notSupported(node, "class"),
    ForOfStatement: (node: any) => notSupported(node, node.await ? "await" : "of"),
    ChainExpression(node: any) {
      // njs reads `?.` and then the name after it, and stops at the next token.
      let optional = tokenIndexAt(node.start);
      while (optional < tokens.length && tokens[optional]!.type.label !== "?.") optional++;
      const afterOptional = tokens[optional + 1];
      const isName = afterOptional && (afterOptional.type.label === "name" || afterOptional.type.keyword);
      return unexpectedToken(isName ? tokens[optional + 2] : afterOptional);
    },
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
      if (LOGICAL_ASSIGNMENT.has(node.operator)) {
        // njs reads `&&` (or `||`, `??`) and then a lone `=`.
        const operator = findToken(node.left.end, node.operator);
        if (operator) refuse(operator.end - 1, operator.loc!.start.line, 'Unexpected token "="');
      }
    },
    Identifier(node: any, _state: unknown, ancestors: any[]) {
      // `await` read as a name (a script's non-async function, see parseProgram): njs reads the keyword.
      if (node.name === "await") return fail(node, is20 ? "await is only valid in async functions" : 'Token "await" not supported in this version');
      if (node.name !== "arguments") return;
      const inFunction = ancestors.some((a) => a.type === "FunctionDeclaration" || a.type === "FunctionExpression");
      if (!inFunction) fail(node, '"arguments" object in global scope');
    },
    Function(node: any, _state: unknown, ancestors: any[]) {
      if (node.generator) {
        // njs: a generator declaration or method is an unexpected `*` (`async` before a method's `*`); a
        // generator expression is a `*` it does not support.
        const parent = ancestors[ancestors.length - 2];
        if (parent?.type === "Property" && parent.value === node && (parent.method || parent.kind !== "init")) {
          return node.async ? unexpectedToken(tokens[tokenIndexAt(parent.start)]) : unexpectedToken(findToken(parent.start, "*"));
        }
        const star = findToken(node.start, "*");
        if (node.type === "FunctionExpression") return star ? refuse(star.start, star.loc!.start.line, 'Token "*" not supported in this version') : undefined;
        return unexpectedToken(star);
      }
      if (node.async && !is20) return notSupported(node, "async");
      for (const param of node.params) {
        const target = param.type === "RestElement" ? param.argument : param;
        if (param.type === "AssignmentPattern") {
          if (node.type === "ArrowFunctionExpression") return unexpectedToken(findToken(param.end, "=>"));
          return unexpectedToken(findToken(param.left.end, "="));
        }
        if (target.type === "ObjectPattern" || target.type === "ArrayPattern") {
          if (node.type === "ArrowFunctionExpression") return unexpected(node, "=>");
          return notSupported(target, target.type === "ObjectPattern" ? "{" : "[");
        }
      }
    },
    AwaitExpression(node: any, _state: unknown, ancestors: any[]) {
      if (!is20) return notSupported(node, "await");
      // njs: `await` only in an async function's own body, and never inside a call's arguments there.
      let inArguments = false;
      for (let i = ancestors.length - 2; i >= 0; i--) {
        const ancestor = ancestors[i];
        const child = ancestors[i + 1];
        if (isFunction(ancestor)) {
          if (!ancestor.async) return fail(node, "await is only valid in async functions");
          if (inArguments) return fail(node, "await in arguments not supported");
          return;
        }
        if ((ancestor.type === "CallExpression" || ancestor.type === "NewExpression") && ancestor.arguments.includes(child)) inArguments = true;
      }
      return fail(node, "await is only valid in async functions");
    },
    Literal(node: any) {
      if (typeof node.bigint === "string") return refuse(node.end - 1, node.loc.end.line, 'Unexpected token "n"');
      if (node.regex) {
        const flags = invalidRegExpFlags(node.regex.flags);
        if (flags !== undefined) return fail(node, `Invalid RegExp flags "${flags}"`);
      }
      if (!is20 && typeof node.raw === "string" && /^[0-9.]/.test(node.raw) && node.raw.includes("_")) {
        return unexpected(node, node.raw.slice(node.raw.indexOf("_")));
      }
    },
  } as any);

  if (refusals.length > 0) {
    refusals.sort((a, b) => a.position - b.position);
    const first = refusals[0]!;
    first.error.location ??= locationAt(source, first.position);
    throw first.error;
  }
  return { ...instrument(source, program, edits), imports };
}
