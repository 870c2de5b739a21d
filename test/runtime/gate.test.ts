import { execFileSync } from "node:child_process";
import { existsSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { gate, GateSyntaxError } from "../../src/runtime/gate.js";
import type { RuntimeName } from "../../src/runtime/types.js";
import { tempDir } from "../helpers.js";

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
    // njs's parser (njs_parser_await): top-level await is not a token it lacks but a misplaced one.
    expect(rejection("await 1;", "cloudfront-js-2.0")).toBe("SyntaxError: await is only valid in async functions in 1");
    expect(rejection("import fs from 'fs';", "cloudfront-js-2.0")).toBe('SyntaxError: Cannot find module "fs" in 1');
    // njs's parser (njs_parser_import): named imports are refused with their own sentence.
    expect(rejection("import { createHash } from 'crypto';", "cloudfront-js-2.0")).toBe("SyntaxError: Non-default import is not supported in 1");
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

/**
 * Every row of docs/runtime.md's "What the parser refuses": the construct, its snippet, what 1.0 and 2.0
 * print, and whether 1.0's text is njs 0.7.9's own (checked against the installed binary below) or one of
 * the documented choices (1.0 refuses let/const/async/await/import itself; edgelite cannot run what V8's
 * strict mode refuses).
 */
interface Row {
  construct: string;
  code: string;
  "1.0": string;
  "2.0": string;
  /** 1.0's text is what njs 0.7.9 prints for the same code. */
  njs: boolean;
}

const ASYNC_10 = 'SyntaxError: Token "async" not supported in this version in 1';
const row = (construct: string, code: string, v10: string, v20: string = v10, njs = true): Row => ({ construct, code, "1.0": v10, "2.0": v20, njs });

export const ROWS: Row[] = [
  row("await at the top level", "var a = 1;\nawait a;", 'SyntaxError: Token "await" not supported in this version in 2', "SyntaxError: await is only valid in async functions in 2", false),
  row("await in a plain function", "function f(p) {\n  return await p;\n}", 'SyntaxError: Token "await" not supported in this version in 2', "SyntaxError: await is only valid in async functions in 2", false),
  row("await in a non-async arrow inside an async function", "async function f(p) {\n  var g = () => await p;\n}", ASYNC_10, "SyntaxError: await is only valid in async functions in 2", false),
  row("await in a nested plain function", "async function f(p) {\n  function g() { return await p; }\n}", ASYNC_10, "SyntaxError: await is only valid in async functions in 2", false),
  row("await in a call's arguments", "async function handler(e) {\n  var v = JSON.parse(await e);\n}", ASYNC_10, "SyntaxError: await in arguments not supported in 2", false),
  row("await nested in an argument expression", "async function f(p) {\n  g(1, {a: 1 + await p});\n}\nfunction g() {}", ASYNC_10, "SyntaxError: await in arguments not supported in 2", false),
  row("await in new's arguments", "async function f(p) {\n  return new Error(await p);\n}", ASYNC_10, "SyntaxError: await in arguments not supported in 2", false),
  row("await after an async function in the same arguments", "async function f(p) {\n  g(async function () {}, await p);\n}", ASYNC_10, "SyntaxError: await in arguments not supported in 2", false),
  row("await in an async function passed as an argument", "async function f(p) {\n  g(async function () { h(await p); });\n}", ASYNC_10, "SyntaxError: await in arguments not supported in 2", false),
  row("await in arguments inside a try block (njs 0.7.11's own test)", "async function f1() {try {f(await f1)} catch(e) {}}", ASYNC_10, "SyntaxError: await in arguments not supported in 1", false),
  row("await in arguments inside an if block", "async function f(p) {\n  if (p) {\n    g(await p);\n  }\n}", ASYNC_10, "SyntaxError: await in arguments not supported in 3", false),
  row("await after a nested call in the same arguments", "async function f(p) {\n  g(h(1), await p);\n}", ASYNC_10, "SyntaxError: await in arguments not supported in 2", false),
  row("await in a parameter default", "async function f(a = 1) {}", ASYNC_10, 'SyntaxError: Unexpected token "=" in 1', false),
  row("for await", "async function f(y) {\n  for await (var x of y) {}\n}", ASYNC_10, 'SyntaxError: Token "await" not supported in this version in 2', false),
  row("duplicate label", "a:\na: ;", 'SyntaxError: Label "a" has already been declared in 2'),
  row("break to an undefined label", "a: for (;;) {\n  break b;\n}", 'SyntaxError: Undefined label "b" in 2'),
  row("continue to an undefined label", "a: for (;;) {\n  continue b;\n}", 'SyntaxError: Undefined label "b" in 2'),
  row("continue to a block label", "a: {\n  continue a;\n}", "SyntaxError: Illegal continue statement in 2"),
  row("continue outside a loop", "switch (1) {\n  case 1: continue;\n}", "SyntaxError: Illegal continue statement in 2"),
  row("break outside a loop", "for (;;) { break; }\nbreak;", "SyntaxError: Illegal break statement in 2"),
  row("new.target", "function F() {\n  return new.target;\n}", 'SyntaxError: Unexpected token "." in 2'),
  row("regular expression flag s", "var r = /a/s;", 'SyntaxError: Invalid RegExp flags "s" in 1'),
  row("regular expression flag u", "var r = /a/u;", 'SyntaxError: Invalid RegExp flags "u" in 1'),
  row("regular expression flag d after a valid one", "var r = /a/gd;", 'SyntaxError: Invalid RegExp flags "gd" in 1'),
  row("repeated regular expression flag", "var r = /a/gig;", 'SyntaxError: Invalid RegExp flags "gig" in 1'),
  row("let redeclared", "let a = 1;\nlet a = 2;", 'SyntaxError: Token "let" not supported in this version in 1', 'SyntaxError: "a" has already been declared in 2', false),
  row("var after let", "let a;\nvar a;", 'SyntaxError: Token "let" not supported in this version in 1', 'SyntaxError: "a" has already been declared in 2', false),
  row("let shadowing a parameter", "function f(a) {\n  let a;\n}", 'SyntaxError: Token "let" not supported in this version in 2', 'SyntaxError: "a" has already been declared in 2', false),
  row("const without initializer", "var x;\nconst a;", 'SyntaxError: Token "const" not supported in this version in 2', "SyntaxError: missing initializer in const declaration", false),
  row("exponent with a unary operand", "var x = -2 ** 2;", "SyntaxError: Either left-hand side or entire exponentiation must be parenthesized in 1"),
  row("exponent with typeof", "var x = typeof 2 ** 2;", "SyntaxError: Either left-hand side or entire exponentiation must be parenthesized in 1"),
  row("optional catch binding", "try {} catch {}", 'SyntaxError: Token "{" not supported in this version in 1'),
  row("\\8 in a string", 'var s = "\\8";', "SyntaxError: The escapes \\8 and \\9 can't be used in untagged template literals or in strict mode code in 1"),
  row("octal escape in a string", 'var s = "\\1";', "SyntaxError: Octal escape sequences can't be used in untagged template literals or in strict mode code in 1"),
  row("legacy octal literal", "var n = 0777;", 'SyntaxError: Unexpected token "07" in 1'),
  row("decimal with a leading zero", "var n = 08;", 'SyntaxError: Unexpected token "08" in 1'),
  row("arguments at the top level", "var x = arguments;", 'SyntaxError: "arguments" object in global scope in 1'),
  row("arguments in a top-level arrow", "var f = () =>\n  arguments;", 'SyntaxError: "arguments" object in global scope in 2'),
  row("assignment to arguments at the top level", "arguments = 1;", 'SyntaxError: "arguments" object in global scope in 1'),
  row("assignment to eval", "eval = 1;", 'SyntaxError: Identifier "eval" is forbidden as left-hand in assignment in 1'),
  row("assignment to arguments in a function", "function f() {\n  arguments = 1;\n}", 'SyntaxError: Identifier "arguments" is forbidden as left-hand in assignment in 2'),
  row("eval++", "eval++;", "ReferenceError: Invalid left-hand side in postfix operation in 1"),
  row("++eval", "++eval;", "ReferenceError: Invalid left-hand side in prefix operation in 1"),
  row("function named eval", "function eval() {}", 'SyntaxError: Identifier "eval" is forbidden in function declaration in 1'),
  row("duplicate __proto__", "var o = {__proto__: null,\n  __proto__: null};", "SyntaxError: Duplicate __proto__ fields are not allowed in object literals in 2"),
  row("in in a for-in initializer", "for (var i = 0 in {}) {}", "SyntaxError: Invalid left-hand side in for-loop in 1"),
  row("in in a for initializer", 'for (var i = "a" in {}; false;) {}', "SyntaxError: Invalid left-hand side in for-loop in 1"),
  row("in in a for initializer without var", 'var i;\nfor (i = "a" in {}; false;) {}', "SyntaxError: Invalid left-hand side in for-loop in 2"),
  row("namespace import", 'import * as c from "crypto";', 'SyntaxError: Token "import" not supported in this version in 1', "SyntaxError: Non-default import is not supported in 1", false),
  row("named import", 'import { createHash } from "crypto";', 'SyntaxError: Token "import" not supported in this version in 1', "SyntaxError: Non-default import is not supported in 1", false),
  row("bare import", 'import "crypto";', 'SyntaxError: Token "import" not supported in this version in 1', "SyntaxError: Non-default import is not supported in 1", false),
  row("default and named import", 'import c, { a } from "crypto";', 'SyntaxError: Token "import" not supported in this version in 1', 'SyntaxError: Unexpected token "," in 1', false),
  row("import of an unknown module", 'import fs from "fs";', 'SyntaxError: Token "import" not supported in this version in 1', 'SyntaxError: Cannot find module "fs" in 1', false),
  row("dynamic import", 'var m = import("crypto");', 'SyntaxError: Token "import" not supported in this version in 1'),
  row("import.meta", "var m = import.meta;", 'SyntaxError: Token "import" not supported in this version in 1'),
  row("export default", "export default function handler(e) {}", "SyntaxError: Illegal export statement in 1"),
  row("export of a declaration", "var a = 1;\nexport var b = 2;", "SyntaxError: Illegal export statement in 2"),
  row("export *", 'export * from "crypto";', "SyntaxError: Illegal export statement in 1"),
  row("logical assignment &&=", "var a = 2;\na &&= 2;", 'SyntaxError: Unexpected token "=" in 2'),
  row("logical assignment ||=", "var a = 2; a ||= 2;", 'SyntaxError: Unexpected token "=" in 1'),
  row("logical assignment ??=", "var a = 2; a ??= 2;", 'SyntaxError: Unexpected token "=" in 1'),
  row("BigInt", "var a = 1n;", 'SyntaxError: Unexpected token "n" in 1'),
  row("hexadecimal BigInt", "var a = 0x1fn;", 'SyntaxError: Unexpected token "n" in 1'),
  row("numeric separator (1.0)", "var n = 1_000;", 'SyntaxError: Unexpected token "_000" in 1', "accepted", false),
  row("double numeric separator", "var n = 1__0;", 'SyntaxError: Unexpected token "__0" in 1'),
  row("trailing numeric separator", "var n = 1_;", 'SyntaxError: Unexpected token "_" in 1'),
  row("separator after a leading zero", "var n = 0_1;", 'SyntaxError: Unexpected token "0_" in 1'),
  row("separator after 0x", "var n = 0x_1;", 'SyntaxError: Unexpected token "_1" in 1'),
  row("private name", "var x = #a;", 'SyntaxError: Unexpected token "#" in 1'),
  row("class (static blocks, #private, getters)", "class A { static {} }", 'SyntaxError: Token "class" not supported in this version in 1'),
  row("super in an object method", "var o = {\n  f() { return super.x; } };", 'SyntaxError: Token "super" not supported in this version in 2'),
  row("optional chaining", "var a = {}; a?.b;", 'SyntaxError: Unexpected token ";" in 1'),
  row("optional chaining, continued", "var a = {}; a?.b.c;", 'SyntaxError: Unexpected token "." in 1'),
  row("optional element access", "var a = {}; a?.[1];", 'SyntaxError: Unexpected token "[" in 1'),
  row("optional call", "var a = {}; a.b?.();", 'SyntaxError: Unexpected token "(" in 1'),
  row("optional chaining at a line end", "var a = {}; var x = a?.b\nvar y = 1;", 'SyntaxError: Unexpected token "var" in 2'),
  row("optional chaining at the end", "var a = {}; var x = a?.b", "SyntaxError: Unexpected end of input in 1"),
  row("?? mixed with ||", "var a = null ?? 1 || 2;", 'SyntaxError: Unexpected token "||" in 1'),
  row("hashbang", "#!/usr/bin/env node\nvar a = 1;", 'SyntaxError: Unexpected token "#" in 1', 'SyntaxError: Unexpected token "#" in 1', false),
  row("HTML open comment", "var a = 1; <!-- x", 'SyntaxError: Unexpected token "<" in 1'),
  row("HTML close comment", "var a = 1;\n--> x", 'SyntaxError: Unexpected token ">" in 2'),
  row("unicode escape in an identifier", "var a = 1;\nvar \\u0061b = 1;", 'SyntaxError: Unexpected token "\\" in 2'),
  row("code point escape in an identifier", "var a\\u{62} = 1;", 'SyntaxError: Unexpected token "\\" in 1'),
  row("code point out of range", 'var s = "\\u{110000}";', 'SyntaxError: Invalid Unicode code point "\\u{110000}" in 1'),
  row("function declaration as an if body", "if (1) function f() {}", "SyntaxError: Functions can only be declared at top level or inside a block in 1"),
  row("labelled function declaration", "a: function f() {}", "SyntaxError: In strict mode code, functions can only be declared at top level or inside a block."),
  row("newline after throw", "throw\n1;", "SyntaxError: Illegal newline after throw in 2"),
  row("default parameter in an arrow", "var f = (a = 1) => a;", 'SyntaxError: Unexpected token "=>" in 1'),
  row("reserved word let as a name (1.0 and 2.0)", "var let = 1;", 'SyntaxError: Unexpected token "let" in 1'),
  row("try without catch or finally", "try {}\nvar a;", "SyntaxError: Missing catch or finally after try in 2"),
  row("rest parameter not last", "function f(...a, b) {}", "SyntaxError: Rest parameter must be last formal parameter in 1"),
  row("getter with a parameter", "var o = { get a(x) { return 1; } };", "SyntaxError: Getter must not have any formal parameters in 1"),
  row("setter without a parameter", "var o = { set a() {} };", "SyntaxError: Setter must have exactly one formal parameter in 1"),
  row("two default clauses", "switch (1) { default: break;\ndefault: }", "SyntaxError: More than one default clause in switch statement in 2"),
  row("let as an if body", "if (1) let x = 1;", 'SyntaxError: Token "let" not supported in this version in 1', "SyntaxError: let declaration cannot appear in a single-statement context in 1", false),
  row("const as an if body", "if (1) const x = 1;", 'SyntaxError: Token "const" not supported in this version in 1', "SyntaxError: const declaration cannot appear in a single-statement context in 1", false),
  row("class as an if body", "if (1) class A {}", "SyntaxError: Class can only be declared at top level or inside a block in 1"),
  row("async function as an if body", "if (1) async function f() {}", 'SyntaxError: Token "async" not supported in this version in 1'),
  row("shorthand property with an initializer", "var o = ({a = 1});", 'SyntaxError: Token "=" not supported in this version in 1'),
  row("expression before in in a for-in", "var a, b;\nfor (a + b in {}) {}", "SyntaxError: Invalid left-hand side in for-loop in 2"),
  row("assignment to a call", "function f() {}\nf() = 1;", "ReferenceError: Invalid left-hand side in assignment in 2"),
  row("postfix on a literal", "1++;", "ReferenceError: Invalid left-hand side in postfix operation in 1"),
  row("prefix on a literal", "++1;", "ReferenceError: Invalid left-hand side in prefix operation in 1"),
  row("generator declaration", "function* g() {}", 'SyntaxError: Unexpected token "*" in 1'),
  row("generator expression", "var g = function* () {};", 'SyntaxError: Token "*" not supported in this version in 1'),
  row("async generator expression", "var g = async function* () {};", 'SyntaxError: Token "*" not supported in this version in 1'),
  row("generator method", "var o = { *g() {} };", 'SyntaxError: Unexpected token "*" in 1'),
  row("async generator method", "var o = { async *g() {} };", 'SyntaxError: Unexpected token "async" in 1'),
  row("unterminated regular expression", "var r = /a\n;", 'SyntaxError: Unterminated RegExp "/a" in 1'),
  row("unterminated class in a regular expression", "var r = /[a/;", 'SyntaxError: Unterminated RegExp "/[a/;" in 1'),
  row("unterminated comment", "var a = 1; /* abc", 'SyntaxError: Unexpected token "/*" in 1'),
  row("import inside a function", 'function f() {\n  import a from "crypto";\n}', 'SyntaxError: Token "import" not supported in this version in 2', "SyntaxError: Illegal import statement in 2", false),
  row("let after a function declared twice", "function f() {}\nfunction f() {}\nlet f = 1;", 'SyntaxError: Token "let" not supported in this version in 3', 'SyntaxError: "f" has already been declared in 3', false),
  row("await call in a plain function (script parse)", "function f() {}\nfunction f() {}\nfunction g() { return await(1); }", 'SyntaxError: Token "await" not supported in this version in 3', "SyntaxError: await is only valid in async functions in 3", false),
  row("HTML comment (script parse)", "function f() {}\nfunction f() {}\nvar a = 1; <!-- x", 'SyntaxError: Unexpected token "<" in 3'),
  row("object rest in a declaration", "var o = {a: 1};\nvar {a, ...r} = o;", 'SyntaxError: Token "a" not supported in this version in 2'),
  row("spread in an array literal", "var x = [1, ...[2]];", 'SyntaxError: Unexpected token "..." in 1'),
  row("spread in a call", "function f() {}\nf(...[1]);", 'SyntaxError: Unexpected token "..." in 2'),
  row("object spread", "var o = {...{a: 1}};", 'SyntaxError: Token "..." not supported in this version in 1'),
  row("default parameter", "function f(a = 1) {}", 'SyntaxError: Unexpected token "=" in 1'),
  row("strict reserved word as a name", "var implements = 1;", 'SyntaxError: Unexpected token "implements" in 1'),
  row("enum as a name", "var enum = 1;", 'SyntaxError: Unexpected token "enum" in 1'),
  row("yield as a name (njs accepts; V8 strict does not)", "var yield = 1;", 'SyntaxError: Unexpected token "yield" in 1', undefined, false),
  row("catch without a parenthesis", "try {} catch r) {}", 'SyntaxError: Token "r" not supported in this version in 1'),
  row("object spread before a parse error", "var o = { a: 1,\n  ...b: 2 };", 'SyntaxError: Token "..." not supported in this version in 2'),
  row("unterminated string as a property name", "var o = { a: 1, 'b\n: 2 };", "SyntaxError: Unexpected token \"'b\n\" in 1"),
  row("unterminated string as a value", "var o = { a: 'b\n };", "SyntaxError: Unterminated string \"'b\n\" in 1"),
  row("template expression not closed", "var a = 1, b = 2;\nvar t = `${a b}`;", 'SyntaxError: Missing "}" in template expression in 2'),
  row("template expression broken inside", "var a = 1;\nvar t = `${a ? 1}`;", 'SyntaxError: Unexpected token "}" in 2'),
  row("** without a left operand", "var n = ** 3;", 'SyntaxError: Unexpected token "**" in 1'),
  row("function after an expression", "var o = {} function f() {}", 'SyntaxError: Unexpected token "function" in 1'),
  row("string where an operator is expected", "var a = 1 'x y';", 'SyntaxError: Unexpected token "x y" in 1'),
  row("octal escape (njs accepts; V8 strict does not)", 'var s = "\\01";', "SyntaxError: Octal escape sequences can't be used in untagged template literals or in strict mode code in 1", undefined, false),
];

/** What both runtimes accept that the table might be read to refuse. */
const ACCEPTED: Array<[string, string]> = [
  ["getters, setters, methods, computed keys", 'var k = "a"; var o = { get a() { return 1; }, set a(v) {}, m() { return 1; }, [k]: 1, [k + "f"]() { return 2; } };'],
  ["labelled continue and break", "a: for (var i = 0; i < 2; i++) { for (;;) { continue a; } }\nb: { break b; }"],
  ["tagged templates", "function tag(s) { return s; }\ntag`x${1}`;"],
  ["regular expression flags g i m y, named groups, lookbehind", "var r = /(?<n>a)(?<=a)b/gimy;"],
  ["trailing commas", "function f(a, b,) {}\nf(1, 2,);\nvar a = [1, 2,]; var o = {a: 1,};"],
  ["exponent and its assignment", "var a = (-2) ** 2; a **= 2;"],
  ["comma-separated declarations", "var a = 1, b = 2, c;"],
  ["parenthesised in in a for initializer", 'for (var i = ("a" in {}); false;) {}'],
  ["line and paragraph separators in strings", 'var s = "\u2028\u2029";'],
  ["reserved words as property names", "var o = { if: 1, class: 2, new: 3, default: 4, import: 5 }; o.if = o.class + o.default;"],
  ["?? with parentheses", "var a = (null ?? 1) || 2;"],
  ["a function declared twice, a var sharing a function's name", "function f() { return 1; }\nvar v;\nfunction v() {}\nfunction f() { return 2; }"],
  ["debugger statements", "debugger;"],
];

describe("syntax gate: what the parser refuses (docs/runtime.md), both runtimes", () => {
  for (const runtime of BOTH) {
    it.each(ROWS.map((r) => [r.construct, r] as const))(`${runtime}: %s`, (_construct, r) => {
      expect(rejection(r.code, runtime)).toBe(r[runtime === "cloudfront-js-1.0" ? "1.0" : "2.0"]);
    });
    it.each(ACCEPTED)(`${runtime} accepts %s`, (_what, code) => {
      expect(rejection(code, runtime)).toBe("accepted");
    });
  }
  it("2.0 accepts async arrows, async methods and await where njs allows it", () => {
    const code = "var o = { async m(p) { return await p; } };\nvar h = async (x) => x;\nvar k = async x => { var v = await x; return [v, g[await x], `${await x}`]; };\nfunction g() {}\nasync function handler(e) { g(async function () { await e; }); var r = await e; return (await e).request; }";
    expect(rejection(code, "cloudfront-js-2.0")).toBe("accepted");
    expect(rejection(code, "cloudfront-js-1.0")).toBe(ASYNC_10);
  });
});

const NJS = "/usr/bin/njs";

describe.runIf(existsSync(NJS))("syntax gate: 1.0's refusals are njs 0.7.9's, differentially", () => {
  const dir = tempDir("edgelite-gate-njs-");
  afterAll(() => dir.remove());
  /** What njs prints for `code` as a compile error (`Name: message in N`), or "accepted". */
  function njs(code: string): string {
    const file = join(dir.path, "snippet.js");
    writeFileSync(file, code);
    try {
      // A syntax error stops njs before it runs anything; accepted code is only compiled and run (harmlessly).
      execFileSync(NJS, [file], { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"], timeout: 10_000 });
      return "accepted";
    } catch (error) {
      const output = `${(error as { stdout?: string }).stdout ?? ""}${(error as { stderr?: string }).stderr ?? ""}`;
      // The message may span lines (an unterminated string quotes its newline): up to njs's " in <file>:<line>".
      const text = output.slice(Math.max(0, output.search(/^\w*Error: /m)));
      const at = text.indexOf(` in ${file}:`);
      if (at === -1) return text.split("\n")[0]!;
      return `${text.slice(0, at)} in ${/^\d+/.exec(text.slice(at + ` in ${file}:`.length))![0]}`;
    }
  }
  it.each(ROWS.filter((r) => r.njs).map((r) => [r.construct, r] as const))("%s", (_construct, r) => {
    expect(njs(r.code)).toBe(r["1.0"]);
  });
  it.each(ACCEPTED)("njs accepts %s", (_what, code) => {
    // Runtime errors are fine here (e.g. a reference to an undefined name): only the parse matters.
    expect(njs(code)).not.toMatch(/^SyntaxError/);
  });
});
