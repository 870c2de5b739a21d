import fc from "fast-check";
import vm from "node:vm";
import { afterAll, describe, expect, it } from "vitest";
import { Sandbox } from "../../src/runtime/engine.js";
import { gate } from "../../src/runtime/gate.js";
import { RUNTIME_NAMES as RUNTIMES, type RuntimeName } from "../../src/runtime/types.js";

/**
 * The instrumentation (statement counter, write barrier, global-assignment hook) changes no program's
 * meaning: whatever the gate accepts still compiles after it, and runs to the same result, or the same
 * kind of error, as the same code run directly by V8 in strict mode.
 */

const sandboxes: Sandbox[] = [];
afterAll(() => sandboxes.forEach((sandbox) => sandbox.dispose()));

const EVENT = { version: "1.0", context: { eventType: "viewer-request" }, viewer: { ip: "192.0.2.1" }, request: { method: "GET", uri: "/a", querystring: {}, headers: { host: { value: "example.org" } }, cookies: {} } };

/** The handler's result (or its error's name) in the sandbox. */
function inSandbox(code: string, runtime: RuntimeName): string {
  const sandbox = new Sandbox(gate(code, runtime), runtime);
  sandboxes.push(sandbox);
  const run = sandbox.run({ eventJson: JSON.stringify(EVENT), rawQuery: null, now: 0, statementLimit: 100_000 });
  sandbox.dispose();
  return run.error ? `error ${run.error.name}` : JSON.stringify(run.output);
}

/** The same code run directly by V8 (strict, in a fresh context): the result or its error's name. */
function direct(code: string): string {
  try {
    // The call runs inside the script, so the timeout covers it: a program that never ends fails here too.
    const script = new vm.Script(`"use strict";\n${code}\n;(function (r) { return JSON.stringify(r === undefined ? null : r); })(handler(${JSON.stringify(EVENT)}))`);
    return script.runInNewContext({}, { timeout: 1000 }) as string;
  } catch (error) {
    return `error ${(error as Error).name}`;
  }
}

const TRICKY = [
  "function handler(e){ var a = {}, b = {}; a.b = b.c = 1; (a, b).c = 1; var f = x => x.z = 1; f(a); for (a.k in {q:1}); delete (a).b; for (var i = 0; i < 2; a.i = i++); lbl: a.x = 1; if (a) a.x = 2; else a.y = 2; var t = `${a.q = 1}`; (function(){}).x = 1; return { statusCode: 200, statusDescription: JSON.stringify(a) + t }; }",
  "var X; function handler(e){ X = 1; return { statusCode: 200, statusDescription: String(X) }; }",
  "var a = 1\nfunction handler(e){ var f = a\n e.request.uri = '/b'\n return e.request }",
  "function handler(e){ var W; for (W in e.request) {} return { statusCode: 200, statusDescription: W }; }",
  "function handler(e){ var o = { get x() { this.y = 1; return 1 } }; o.x; var U = 0; ++U; U++; return { statusCode: 200, statusDescription: JSON.stringify(o) + U }; }",
  "function handler(e){ var o = {}; o['a' + 1] = 1; o['a' + 1] += 2; o[1.5] = 1; new Object().y = 1; o.n = 1..toString(); return { statusCode: 200, statusDescription: JSON.stringify(o) }; }",
  "function handler(e){ switch (1) { case 1: e.x = 1; default: e.y = 2 } do e.z = 1; while (false); while (false) e.w = 1; return { statusCode: 200, statusDescription: [e.x, e.y, e.z, e.w].join() }; }",
  "function handler(e){ try { e.a = 1; null.x = 1 } catch (err) { e.b = err.name } finally { e.c = 2 } return { statusCode: 200, statusDescription: [e.a, e.b, e.c].join() }; }",
  "function handler(e) { var $ew = 1, $e0_w = 2; e.x = $ew + $e0_w; return { statusCode: 200, statusDescription: String(e.x) }; }",
  "function handler(e) { undeclared = 1; return e.request; }",
  "function handler(e) { var q = e.request.querystring; var keys = ['A', 'b']; for (var i = 0; i < keys.length; i++) { q[keys[i]] = { value: keys[i].toLowerCase() }; } delete q[keys[0]]; return e.request; }",
];

describe("instrumentation keeps every accepted program's meaning", () => {
  for (const runtime of RUNTIMES) {
    it(`${runtime}: the tricky cases compile and run as V8 runs them directly`, () => {
      for (const code of TRICKY) {
        expect(() => new vm.Script(gate(code, runtime).code), code).not.toThrow();
        expect(inSandbox(code, runtime), code).toBe(direct(code));
      }
    });
  }

  /** Random write statements: targets, operators and the places an expression can stand, with and without semicolons. */
  const target = fc.constantFrom("o.a", "o['b']", "o[k]", "o.n.c", "(o, o).d", "arr[0]", "arr.length", "declared", "o[k + 1]");
  const operation = fc.tuple(target, fc.constantFrom(" = 1", " += 2", "++", " = o.a = 3", " = `${o.a = 4}`", " -= 1")).map(([t, op]) => (op === "++" ? `${t}++` : `${t}${op}`));
  const statement = fc.oneof(
    operation,
    target.filter((t) => t.includes(".") || t.includes("[")).map((t) => `delete ${t}`),
    operation.map((op) => `if (o) ${op}; else ${op}`),
    operation.map((op) => `label: ${op}`),
    operation.map((op) => `(function () { ${op} })()`),
    operation.map((op) => `var f = () => ${op}; f()`),
    operation.map((op) => `for (var i = 0; i < 2; i++, ${op}) ${op}`),
    target.filter((t) => t.startsWith("o.") && !t.includes("(")).map((t) => `for (${t} in { x: 1, y: 2 });`),
  );
  const program = fc.tuple(fc.array(statement, { minLength: 1, maxLength: 6 }), fc.constantFrom(";\n", "\n", "; ")).map(
    ([statements, separator]) =>
      `function handler(e) {\n  var o = { n: {} }, arr = [1, 2], k = 'key', declared = 0;\n  ${statements.join(separator)}\n  return { statusCode: 200, statusDescription: JSON.stringify([o, arr, declared]) };\n}`,
  );

  it("random programs of writes give the same result in the sandbox as run directly", () => {
    fc.assert(
      fc.property(program, fc.constantFrom(...RUNTIMES), (code, runtime) => {
        let gated;
        try {
          gated = gate(code, runtime);
        } catch {
          return; // refused by the gate: nothing to compare
        }
        expect(() => new vm.Script(gated.code)).not.toThrow();
        expect(inSandbox(code, runtime)).toBe(direct(code));
      }),
      { numRuns: 150 },
    );
  });
});
