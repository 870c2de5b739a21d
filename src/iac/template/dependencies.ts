import { getOwn } from "../../nullPrototype.js";
import type { TemplateValue } from "../types.js";
import { TemplateProblem } from "./evaluate.js";
import { intrinsicName } from "./values.js";

/**
 * The names a value refers to (Ref, Fn::GetAtt, the `${…}` of Fn::Sub), following only the branch each
 * Fn::If takes: a resource referred to in a branch its condition leaves out is not a dependency.
 */
export function referencedNames(value: TemplateValue, holds: (condition: string) => boolean, names = new Set<string>()): Set<string> {
  if (value === null || typeof value !== "object") return names;
  if (Array.isArray(value)) {
    for (const item of value) referencedNames(item, holds, names);
    return names;
  }
  const name = intrinsicName(value);
  const argument = name === undefined ? undefined : getOwn(value, name);
  if (name === "Ref" && typeof argument === "string") names.add(argument);
  else if (name === "Fn::GetAtt" && Array.isArray(argument) && typeof argument[0] === "string") {
    names.add(argument[0]);
    referencedNames(argument.slice(1), holds, names);
  } else if (name === "Fn::GetAtt" && typeof argument === "string") names.add(argument.split(".")[0]!);
  else if (name === "Fn::Sub") subNames(argument!, holds, names);
  else if (name === "Fn::If" && Array.isArray(argument) && argument.length === 3 && typeof argument[0] === "string") {
    referencedNames(holds(argument[0]) ? argument[1]! : argument[2]!, holds, names);
  } else for (const item of Object.values(value)) referencedNames(item, holds, names);
  return names;
}

function subNames(argument: TemplateValue, holds: (condition: string) => boolean, names: Set<string>): void {
  const [text, variables] = Array.isArray(argument) ? argument : [argument, undefined];
  const local = new Set(variables !== null && typeof variables === "object" && !Array.isArray(variables) ? Object.keys(variables) : []);
  if (variables !== undefined) referencedNames(variables, holds, names);
  if (typeof text !== "string") return;
  for (const [, inner] of text.matchAll(/\$\{([^}]*)\}/g)) {
    if (inner!.startsWith("!")) continue;
    const name = inner!.trim();
    if (!local.has(name)) names.add(name.includes("::") ? name : name.split(".")[0]!);
  }
}

/**
 * The names, each after those it depends on, otherwise in the map's order. A cycle is a TemplateProblem
 * naming the names on it, in order (`describeCycle` words it).
 */
export function dependencyOrder(dependencies: ReadonlyMap<string, ReadonlySet<string>>, describeCycle = (cycle: string) => `circular dependency between resources: ${cycle} (through Ref, Fn::GetAtt, Fn::Sub or DependsOn)`): string[] {
  const order: string[] = [];
  const state = new Map<string, "visiting" | "done">();
  const path: string[] = [];
  // Iterative depth-first search: a chain of hundreds of resources must not grow the call stack.
  for (const start of dependencies.keys()) {
    if (state.has(start)) continue;
    const stack: Array<{ id: string; pending: string[] }> = [{ id: start, pending: [...(dependencies.get(start) ?? [])] }];
    state.set(start, "visiting");
    path.push(start);
    while (stack.length > 0) {
      const top = stack[stack.length - 1]!;
      const next = top.pending.shift();
      if (next === undefined) {
        stack.pop();
        path.pop();
        state.set(top.id, "done");
        order.push(top.id);
        continue;
      }
      const seen = state.get(next);
      if (seen === "done") continue;
      if (seen === "visiting") {
        const cycle = [...path.slice(path.indexOf(next)), next];
        throw new TemplateProblem(describeCycle(cycle.join(" → ")));
      }
      state.set(next, "visiting");
      path.push(next);
      stack.push({ id: next, pending: [...(dependencies.get(next) ?? [])] });
    }
  }
  return order;
}
