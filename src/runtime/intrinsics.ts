import { ancestor } from "acorn-walk";
import NJS_PROPERTIES from "./njs-0.7.9-properties.json" with { type: "json" };

/**
 * Could this code change a built-in (and so leak state into the next run if the context were reused)?
 * Conservative: any way to get hold of a built-in object other than calling a method on it says yes.
 * Typical CloudFront functions (read the event, set headers, return) say no and keep their context;
 * the rest get a fresh context per run, which is correct, only slower.
 *
 * The ways in: naming a built-in as a value (`var M = Math; M.x = 1`, `f(JSON)`), reading a built-in
 * method without calling it (`var p = [].push; p.x = 1`), the prototype/constructor/`__proto__`
 * family, the reflection functions, `globalThis`, and writing through a dynamically read object
 * (`a[k1][k2] = v` with `k1 = "__proto__"`).
 */

const GLOBAL_OBJECTS = new Set((NJS_PROPERTIES as Record<string, string[]>).globalThis!.filter((name) => /^[A-Z]/.test(name) || ["console", "require", "globalThis"].includes(name)));
GLOBAL_OBJECTS.add("Buffer").add("TextEncoder").add("TextDecoder").add("DataView").add("InternalError").add("MemoryError");

const REFLECTIVE = new Set(["prototype", "__proto__", "constructor", "getPrototypeOf", "setPrototypeOf", "defineProperty", "defineProperties", "__defineGetter__", "__defineSetter__", "callee", "caller"]);

/** Names of methods on built-ins: reading one without calling it hands out a built-in function object. */
const METHOD_NAMES = new Set(
  Object.values(NJS_PROPERTIES as Record<string, string[]>)
    .flat()
    .filter((name) => /^[a-z_$]/.test(name) && !["length", "name", "lastIndex", "source", "global", "ignoreCase", "multiline", "sticky", "flags", "byteLength", "buffer", "byteOffset", "size", "description", "prototype"].includes(name)),
);
METHOD_NAMES.add("call").add("apply").add("bind").add("then").add("catch").add("finally").add("log");

export function touchesIntrinsics(program: any): boolean {
  const declared = new Set<string>();
  const dynamic = new Set<string>();
  ancestor(program, {
    VariableDeclarator(node: any) {
      if (node.id.type === "Identifier") declared.add(node.id.name);
    },
    Function(node: any) {
      if (node.id) declared.add(node.id.name);
      for (const param of node.params) if (param.type === "Identifier") declared.add(param.name);
    },
    CatchClause(node: any) {
      if (node.param?.type === "Identifier") declared.add(node.param.name);
    },
    ImportDefaultSpecifier(node: any) {
      declared.add(node.local.name);
    },
  } as any);

  const isDynamicRead = (node: any): boolean =>
    node?.type === "MemberExpression" && ((node.computed && node.property.type !== "Literal") || isDynamicRead(node.object));

  let found = false;
  ancestor(program, {
    Identifier(node: any, _state: unknown, ancestors: any[]) {
      if (found) return;
      const parent = ancestors[ancestors.length - 2];
      if (node.name === "globalThis" || node.name === "arguments") {
        found = node.name === "globalThis" || !(parent?.type === "MemberExpression" && parent.object === node);
        return;
      }
      if (!GLOBAL_OBJECTS.has(node.name) || declared.has(node.name) || !parent) return;
      if (parent.type === "MemberExpression" && parent.object === node) {
        const grand = ancestors[ancestors.length - 3];
        const called = (grand?.type === "CallExpression" || grand?.type === "NewExpression") && grand.callee === parent;
        const constant = !parent.computed && /^[A-Z][A-Z0-9_]*$/.test(parent.property.name);
        const viaCall = grand?.type === "MemberExpression" && grand.object === parent && !grand.computed && ["call", "apply"].includes(grand.property.name);
        if (!called && !constant && !viaCall) found = true;
        return;
      }
      if ((parent.type === "CallExpression" || parent.type === "NewExpression") && parent.callee === node) return;
      if (parent.type === "BinaryExpression" && parent.operator === "instanceof" && parent.right === node) return;
      if (parent.type === "UnaryExpression" && parent.operator === "typeof") return;
      if (parent.type === "MemberExpression" && parent.property === node && !parent.computed) return;
      if (parent.type === "Property" && parent.key === node && !parent.computed && !parent.shorthand) return;
      if (parent.type === "VariableDeclarator" && parent.id === node) return;
      if ((parent.type === "FunctionDeclaration" || parent.type === "FunctionExpression") && parent.id === node) return;
      found = true;
    },
    MemberExpression(node: any, _state: unknown, ancestors: any[]) {
      if (found) return;
      const name = node.computed ? (node.property.type === "Literal" ? String(node.property.value) : undefined) : node.property.name;
      if (name !== undefined && REFLECTIVE.has(name)) {
        found = true;
        return;
      }
      if (name !== undefined && METHOD_NAMES.has(name)) {
        const parent = ancestors[ancestors.length - 2];
        const called = (parent?.type === "CallExpression" || parent?.type === "NewExpression") && parent.callee === node;
        const viaCall = parent?.type === "MemberExpression" && parent.object === node && !parent.computed && ["call", "apply"].includes(parent.property.name);
        if (!called && !viaCall) found = true;
      }
    },
    AssignmentExpression(node: any) {
      if (found) return;
      if (node.left.type === "MemberExpression" && (isDynamicRead(node.left.object) || (node.left.object.type === "Identifier" && dynamic.has(node.left.object.name)))) found = true;
      if (node.left.type === "Identifier" && isDynamicRead(node.right)) dynamic.add(node.left.name);
    },
    VariableDeclarator(node: any) {
      if (node.id.type === "Identifier" && node.init && isDynamicRead(node.init)) dynamic.add(node.id.name);
    },
    UnaryExpression(node: any) {
      if (found) return;
      if (node.operator === "delete" && node.argument.type === "MemberExpression" && (isDynamicRead(node.argument.object) || (node.argument.object.type === "Identifier" && dynamic.has(node.argument.object.name)))) found = true;
    },
  } as any);
  return found;
}
