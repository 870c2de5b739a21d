import { describe, expect, it } from "vitest";
import { gate, GateSyntaxError } from "../../src/runtime/gate.js";
import type { RuntimeName } from "../../src/runtime/types.js";

function rejection(code: string, runtime: RuntimeName): string {
  try {
    gate(code, runtime);
  } catch (error) {
    if (error instanceof GateSyntaxError) return `${error.errorName}: ${error.message}`;
    throw error;
  }
  return "accepted";
}

const BOTH: RuntimeName[] = ["cloudfront-js-1.0", "cloudfront-js-2.0"];

describe("syntax gate: what both runtimes refuse, in njs's words", () => {
  // Each expectation is what njs 0.7.9 prints for the same code (file name dropped, as CloudFront does).
  const cases: Array<[string, string]> = [
    ["function handler(e) {\n  var a = [1];\n  for (var x of a) {}\n}", 'SyntaxError: Token "of" not supported in this version in 3'],
    ["class A {}", 'SyntaxError: Token "class" not supported in this version in 1'],
    ["var x = 1;\nvar y = 2;\n\nclass B {}", 'SyntaxError: Token "class" not supported in this version in 4'],
    ["var a = [1, 2];\nvar b = [...a];", 'SyntaxError: Unexpected token "..." in 2'],
    ["function f(a = 1) {}", 'SyntaxError: Unexpected token "=" in 1'],
    ["function* g() {}", 'SyntaxError: Unexpected token "*" in 1'],
    ["function f({a}) {}", 'SyntaxError: Token "{" not supported in this version in 1'],
    ["function f([a]) {}", 'SyntaxError: Token "[" not supported in this version in 1'],
    ["var f = ([a]) => a;", 'SyntaxError: Unexpected token "=>" in 1'],
    ["var o = {a: 1};\nvar {a} = o;", 'SyntaxError: Token "a" not supported in this version in 2'],
    ["var a, b; [a, b] = [1, 2];", "ReferenceError: Invalid left-hand side in assignment in 1"],
    ["try {} catch ({message}) {}", 'SyntaxError: Token "{" not supported in this version in 1'],
    ["var o = {...{a: 1}};", 'SyntaxError: Token "..." not supported in this version in 1'],
    ["function f(){}\nvar args = [];\nf(...args);", 'SyntaxError: Unexpected token "..." in 3'],
    ["var x = {};\nx?.y;", 'SyntaxError: Unexpected token ";" in 2'],
    ['var s = "abc; }\n', 'SyntaxError: Unterminated string ""abc; }\n" in 1'],
    ["function f() {\n", "SyntaxError: Unexpected end of input in 2"],
    ["var x = 1 +;", 'SyntaxError: Unexpected token ";" in 1'],
    ["return 1;", "SyntaxError: Illegal return statement in 1"],
    ["delete x;", "SyntaxError: Delete of an unqualified identifier in 1"],
    ["function f(a, a) {}", "SyntaxError: Duplicate parameter names in 1"],
    ["var eval = 1;", 'SyntaxError: Identifier "eval" is forbidden in var declaration in 1'],
    ["function handler(e) { return e; }\nexport { handler };", "SyntaxError: Illegal export statement in 2"],
    ["var x = @;", 'SyntaxError: Unexpected token "@" in 1'],
  ];
  for (const runtime of BOTH) {
    it.each(cases)(`${runtime}: %j`, (code, expected) => {
      expect(rejection(code, runtime)).toBe(expected);
    });
  }
});

describe("syntax gate: the differences between the runtimes", () => {
  it("1.0 refuses let, const, async, await, import and numeric separators; 2.0 accepts them", () => {
    expect(rejection("let a = 1;", "cloudfront-js-1.0")).toBe('SyntaxError: Token "let" not supported in this version in 1');
    expect(rejection("var a = 1;\nconst b = 2;", "cloudfront-js-1.0")).toBe('SyntaxError: Token "const" not supported in this version in 2');
    expect(rejection("async function handler(e) { return e.request; }", "cloudfront-js-1.0")).toBe('SyntaxError: Token "async" not supported in this version in 1');
    expect(rejection("import cf from 'cloudfront';", "cloudfront-js-1.0")).toBe('SyntaxError: Token "import" not supported in this version in 1');
    expect(rejection("var n = 1_000;", "cloudfront-js-1.0")).toBe('SyntaxError: Unexpected token "_000" in 1');
    for (const code of ["let a = 1; const b = 2;", "async function handler(e) { await null; return e.request; }", "import cf from 'cloudfront';\nimport crypto from 'crypto';", "var n = 1_000;"]) {
      expect(rejection(code, "cloudfront-js-2.0")).toBe("accepted");
    }
  });

  it("2.0 allows await only inside async functions and only default imports of built-in modules", () => {
    expect(rejection("await 1;", "cloudfront-js-2.0")).toBe('SyntaxError: Token "await" not supported in this version in 1');
    expect(rejection("import fs from 'fs';", "cloudfront-js-2.0")).toBe('SyntaxError: Cannot find module "fs" in 1');
    expect(rejection("import { createHash } from 'crypto';", "cloudfront-js-2.0")).toBe('SyntaxError: Token "{" not supported in this version in 1');
  });

  it("both accept what CloudFront documents: template literals, arrows, rest parameters, **, labels, shorthand properties", () => {
    const code = "function handler(e, ...rest) {\n  var f = (x) => x ** 2;\n  var t = `${f(3)}`;\n  var o = { t, f };\n  outer: for (var i = 0; i < 2; i++) { continue outer; }\n  return e.request;\n}";
    for (const runtime of BOTH) expect(rejection(code, runtime)).toBe("accepted");
  });

  it("keeps line numbers through instrumentation", () => {
    const source = "var a = 1;\n\nfunction handler(e) {\n  if (a) return e;\n  while (false) a++;\n}";
    const lines = gate(source, "cloudfront-js-1.0").code.split("\n");
    // The user's six lines, then the wrapper's closing line.
    expect(lines).toHaveLength(7);
    lines.slice(0, 6).forEach((line, i) => expect(line).toContain(source.split("\n")[i]!.trim().slice(0, 5)));
  });
});
