import { ancestor } from "acorn-walk";

/**
 * Turns accepted user code into the script the sandbox compiles: a function that, given the sandbox's
 * private hooks, returns the per-run factory and the statement meter's controls.
 *
 *     (function (import, write, assign, trip) {
 *       "use strict"; let count = 0, limit = 0;
 *       return [function factory() { <user code, instrumented> ; return handler }, reset, read, charge];
 *     })
 *
 * The hooks are parameters named with a prefix that no identifier of the user's code starts with, so the
 * code cannot name them (there is no eval), and nothing of them is on the global object:
 * - the statement counter (`if(++count>limit)trip();` before every statement, in every loop body and
 *   function) lives in closure variables the code cannot address;
 * - `write(o)` wraps the object of every member write and delete (`o.p = v`, `o[k] += v`, `o.p++`,
 *   `delete o[k]`, `for (o.p in x)`): the sandbox marks the run dirty when `o` is one of its shared objects
 *   (a built-in, a module), so a context is dropped exactly when a run changed something shared;
 * - `assign("name")` precedes every assignment to a name no enclosing scope declares, which in strict
 *   code can only change a property of the global object (or throw).
 * Insertions never add a line break, so line numbers stay the user's; columns move, and `positions` maps a
 * script position back to the source (a runtime error's line and column, sourceLocation.ts).
 */

export interface Edit {
  start: number;
  end: number;
  /** An `import name from "module"` line (2.0), replaced by a binding of the module. */
  binding: string;
  module: string;
}

interface Insert {
  at: number;
  text: string;
  /** Closing text (after a node) sorts before opening text at the same offset. */
  closes: boolean;
  /** Nesting depth of the node the text belongs to: outer openers first, inner closers first. */
  depth: number;
  order: number;
}

/** The hooks' names for one piece of code. */
interface Hooks {
  importModule: string;
  write: string;
  assign: string;
  trip: string;
  count: string;
  limit: string;
}

/** The script the sandbox compiles, and where its characters came from. */
export interface Instrumented {
  code: string;
  positions: PositionMap;
}

export function instrument(source: string, program: any, edits: Edit[]): Instrumented {
  const hooks = hooksFor(program);
  const tick = `if(++${hooks.count}>${hooks.limit})${hooks.trip}();`;
  const inserts: Insert[] = [];
  const add = (at: number, text: string, closes: boolean, depth: number) => inserts.push({ at, text, closes, depth, order: inserts.length });
  const countList = (statements: any[], depth: number) => {
    for (const statement of statements) {
      if (statement.type === "ImportDeclaration" || statement.type === "FunctionDeclaration") continue;
      add(statement.start, tick, false, depth);
    }
  };
  const wrapBody = (body: any, depth: number) => {
    if (!body || body.type === "BlockStatement") return;
    add(body.start, `{${tick}`, false, depth);
    add(body.end, "}", true, depth);
  };
  /** `o` in a member write becomes `write(o)`. */
  const guardObject = (member: any, depth: number, around: any) => {
    if (member.type !== "MemberExpression") return;
    const object = member.object;
    if (object.type === "Super") {
      // `super.p = v` writes to `this`.
      add(around.start, `(${hooks.write}(this),`, false, depth);
      add(around.end, ")", true, depth);
      return;
    }
    const sequence = object.type === "SequenceExpression";
    add(object.start, `${hooks.write}(${sequence ? "(" : ""}`, false, depth + 1);
    add(object.end, `${sequence ? ")" : ""})`, true, depth + 1);
  };
  const scopes = new ScopeResolver(program);
  /** An assignment to an undeclared name is preceded by `assign("name")`. */
  const guardName = (target: any, node: any, ancestors: any[], depth: number) => {
    if (target.type !== "Identifier" || scopes.declares(target.name, ancestors)) return;
    add(node.start, `(${hooks.assign}(${JSON.stringify(target.name)}),`, false, depth);
    add(node.end, ")", true, depth);
  };

  ancestor(program, {
    Program: (node: any) => countList(node.body, 0),
    BlockStatement: (node: any, _state: unknown, ancestors: any[]) => {
      countList(node.body, ancestors.length);
      if (node.body.length === 0) add(node.start + 1, tick, false, ancestors.length);
    },
    SwitchCase: (node: any, _state: unknown, ancestors: any[]) => countList(node.consequent, ancestors.length),
    IfStatement(node: any, _state: unknown, ancestors: any[]) {
      wrapBody(node.consequent, ancestors.length);
      wrapBody(node.alternate, ancestors.length);
    },
    ForStatement: (node: any, _state: unknown, ancestors: any[]) => wrapBody(node.body, ancestors.length),
    ForInStatement(node: any, _state: unknown, ancestors: any[]) {
      wrapBody(node.body, ancestors.length);
      guardObject(node.left, ancestors.length, node);
      if (node.left.type === "Identifier" && !scopes.declares(node.left.name, ancestors)) {
        add(node.right.start, `(${hooks.assign}(${JSON.stringify(node.left.name)}),(`, false, ancestors.length + 1);
        add(node.right.end, "))", true, ancestors.length + 1);
      }
    },
    WhileStatement: (node: any, _state: unknown, ancestors: any[]) => wrapBody(node.body, ancestors.length),
    DoWhileStatement: (node: any, _state: unknown, ancestors: any[]) => wrapBody(node.body, ancestors.length),
    Function(node: any, _state: unknown, ancestors: any[]) {
      if (node.body.type !== "BlockStatement") {
        // An expression-bodied arrow: count the call by turning `x => e` into `x => (tick-expression, e)`.
        add(node.body.start, `(++${hooks.count}>${hooks.limit}&&${hooks.trip}(),(`, false, ancestors.length);
        add(node.body.end, "))", true, ancestors.length);
      }
    },
    AssignmentExpression(node: any, _state: unknown, ancestors: any[]) {
      guardObject(node.left, ancestors.length, node);
      guardName(node.left, node, ancestors, ancestors.length);
    },
    UpdateExpression(node: any, _state: unknown, ancestors: any[]) {
      guardObject(node.argument, ancestors.length, node);
      guardName(node.argument, node, ancestors, ancestors.length);
    },
    UnaryExpression(node: any, _state: unknown, ancestors: any[]) {
      if (node.operator === "delete") guardObject(node.argument, ancestors.length, node);
    },
  } as any);

  const { importModule, write, assign, trip, count, limit } = hooks;
  const head = `(function (${importModule}, ${write}, ${assign}, ${trip}) { "use strict"; let ${count} = 0, ${limit} = 0; return [function () { `;
  const positions = new PositionMap(source.length);
  const body = applyChanges(source, inserts, edits, hooks, positions, head.length);
  const code =
    `${head}${body}\n;` +
    `return typeof handler === "function" ? handler : undefined; }, function (l) { ${count} = 0; ${limit} = l; }, function () { return ${count}; }, function (n) { ${count} += n; }]; })`;
  return { code, positions };
}

/** The shape `instrument` returns, as the sandbox receives it from the script's function. */
export type InstrumentedParts = [factory: unknown, reset: unknown, read: unknown, charge: unknown];

/** Hook names that no identifier in the program begins with (identifiers may hide behind \u escapes: names come from the AST). */
function hooksFor(program: any): Hooks {
  const names: string[] = [];
  forEachNode(program, (node) => {
    if (node.type === "Identifier") names.push(node.name);
  });
  let prefix = "$e";
  for (let n = 0; names.some((name) => name.startsWith(prefix)); n++) prefix = `$e${n}_`;
  return { importModule: `${prefix}i`, write: `${prefix}w`, assign: `${prefix}a`, trip: `${prefix}t`, count: `${prefix}n`, limit: `${prefix}l` };
}

/**
 * Where the script's characters came from: the runs of user source copied into it unchanged, so a position
 * V8 reports in the script (a stack frame's line and column) maps back to the user's source. A position in
 * inserted text maps to the place it was inserted at.
 */
export class PositionMap {
  /** Per copied run: its start in the script, its start in the source, its length. */
  private readonly runs: Array<{ script: number; source: number; length: number }> = [];

  constructor(private readonly sourceLength: number) {}

  /** Records that `length` characters of source from `source` were copied to the script at `script`. */
  copied(script: number, source: number, length: number): void {
    if (length > 0) this.runs.push({ script, source, length });
  }

  /** The source offset of a script offset. */
  toSource(scriptOffset: number): number {
    const runs = this.runs;
    if (runs.length === 0 || scriptOffset < runs[0]!.script) return 0;
    let low = 0;
    let high = runs.length - 1;
    while (low < high) {
      const middle = (low + high + 1) >> 1;
      if (runs[middle]!.script <= scriptOffset) low = middle;
      else high = middle - 1;
    }
    const run = runs[low]!;
    return Math.min(run.source + Math.min(scriptOffset - run.script, run.length), this.sourceLength);
  }
}

/** Source with the edits and insertions applied, in one pass; `shift` is where the result starts in the script. */
function applyChanges(source: string, inserts: Insert[], edits: Edit[], hooks: Hooks, map: PositionMap, shift: number): string {
  const sorted = [...inserts].sort(
    (a, b) =>
      a.at - b.at ||
      (a.closes === b.closes ? 0 : a.closes ? -1 : 1) ||
      (a.closes ? b.depth - a.depth : a.depth - b.depth) ||
      a.order - b.order,
  );
  const replacements = [...edits].sort((a, b) => a.start - b.start);
  let out = "";
  let at = 0;
  let next = 0;
  const copy = (end: number) => {
    map.copied(shift + out.length, at, end - at);
    out += source.slice(at, end);
  };
  for (const insert of sorted) {
    while (next < replacements.length && replacements[next]!.start < insert.at) at = replace(replacements[next++]!);
    if (insert.at < at) continue; // inside a replaced import line
    copy(insert.at);
    out += insert.text;
    at = insert.at;
  }
  while (next < replacements.length) at = replace(replacements[next++]!);
  copy(source.length);
  return out;

  function replace(edit: Edit): number {
    copy(edit.start);
    out += `var ${edit.binding} = ${hooks.importModule}(${JSON.stringify(edit.module)});`;
    return edit.end;
  }
}

/**
 * Which names a scope declares, to tell a local assignment from one that reaches the global object
 * (strict code: function scopes hold params, `arguments`, vars and top-level functions; blocks, switch
 * bodies, for heads and catch clauses hold their lexical declarations).
 */
class ScopeResolver {
  private readonly cache = new Map<any, Set<string>>();

  constructor(private readonly program: any) {}

  declares(name: string, ancestors: any[]): boolean {
    for (let i = ancestors.length - 1; i >= 0; i--) {
      const names = this.namesOf(ancestors[i]);
      if (names?.has(name)) return true;
    }
    return false;
  }

  private namesOf(node: any): Set<string> | undefined {
    let names = this.cache.get(node);
    if (names) return names;
    names = new Set();
    switch (node.type) {
      case "Program":
        collectVars(node.body, names);
        collectLexical(node.body, names);
        break;
      case "FunctionDeclaration":
      case "FunctionExpression":
      case "ArrowFunctionExpression":
        if (node.type === "FunctionExpression" && node.id) names.add(node.id.name);
        if (node.type !== "ArrowFunctionExpression") names.add("arguments");
        for (const param of node.params) patternNames(param, names);
        if (node.body.type === "BlockStatement") {
          collectVars(node.body.body, names);
          collectLexical(node.body.body, names);
        }
        break;
      case "BlockStatement":
      case "StaticBlock":
        collectLexical(node.body, names);
        break;
      case "SwitchStatement":
        for (const switchCase of node.cases) collectLexical(switchCase.consequent, names);
        break;
      case "ForStatement":
        if (node.init?.type === "VariableDeclaration") for (const d of node.init.declarations) patternNames(d.id, names);
        break;
      case "ForInStatement":
      case "ForOfStatement":
        if (node.left.type === "VariableDeclaration") for (const d of node.left.declarations) patternNames(d.id, names);
        break;
      case "CatchClause":
        if (node.param) patternNames(node.param, names);
        break;
      case "ClassExpression":
        if (node.id) names.add(node.id.name);
        break;
      default:
        return undefined;
    }
    this.cache.set(node, names);
    return names;
  }
}

/** Every node below `root` (all of them: declarations and property names too); `visit` returning false skips a subtree. */
function forEachNode(root: any, visit: (node: any) => boolean | void): void {
  const stack = [root];
  while (stack.length > 0) {
    const node = stack.pop();
    if (!node || typeof node.type !== "string" || visit(node) === false) continue;
    for (const key of Object.keys(node)) {
      if (key === "loc") continue;
      const value = node[key];
      if (Array.isArray(value)) for (const item of value) stack.push(item);
      else if (value && typeof value === "object") stack.push(value);
    }
  }
}

const FUNCTION_OR_CLASS = new Set(["FunctionDeclaration", "FunctionExpression", "ArrowFunctionExpression", "ClassDeclaration", "ClassExpression"]);

/** `var` declarations anywhere below these statements, not inside nested functions. */
function collectVars(statements: any[], names: Set<string>): void {
  for (const statement of statements) {
    forEachNode(statement, (node) => {
      if (FUNCTION_OR_CLASS.has(node.type)) return false;
      if (node.type === "VariableDeclaration" && node.kind === "var") for (const d of node.declarations) patternNames(d.id, names);
    });
  }
}

/** let/const/class/function declarations directly in a statement list. */
function collectLexical(statements: any[], names: Set<string>): void {
  for (const statement of statements) {
    const declaration = statement.type === "ExportNamedDeclaration" ? statement.declaration : statement;
    if (!declaration) continue;
    if (declaration.type === "VariableDeclaration") for (const d of declaration.declarations) patternNames(d.id, names);
    if ((declaration.type === "FunctionDeclaration" || declaration.type === "ClassDeclaration") && declaration.id) names.add(declaration.id.name);
    if (declaration.type === "ImportDeclaration") for (const s of declaration.specifiers) names.add(s.local.name);
  }
}

function patternNames(pattern: any, names: Set<string>): void {
  if (!pattern) return;
  switch (pattern.type) {
    case "Identifier":
      names.add(pattern.name);
      break;
    case "ObjectPattern":
      for (const property of pattern.properties) patternNames(property.type === "RestElement" ? property.argument : property.value, names);
      break;
    case "ArrayPattern":
      for (const element of pattern.elements) patternNames(element, names);
      break;
    case "AssignmentPattern":
      patternNames(pattern.left, names);
      break;
    case "RestElement":
      patternNames(pattern.argument, names);
      break;
  }
}
