import { describe, expect, it } from "vitest";
import { viewerRequestEvent, viewerResponseEvent } from "../../src/index.js";
import { ERROR_PREFIX } from "../../src/runtime/function.js";
import { gate, GateSyntaxError } from "../../src/runtime/gate.js";
import { codeFrame, lineStarts, locationAt, offsetAt, type SourceLocation } from "../../src/runtime/sourceLocation.js";
import type { RuntimeName } from "../../src/runtime/types.js";
import { disposedAfterEachTest } from "./loaded.js";

/**
 * Errors that point at the line: a syntax error's position next to CloudFront's unchanged message, and a
 * runtime error's line and column in the user's source although the code runs instrumented (columns move,
 * the first line gets a wrapper) — mapped back through the instrumentation's position map.
 */

const load = disposedAfterEachTest();

function refusal(code: string, runtime: RuntimeName): GateSyntaxError {
  try {
    gate(code, runtime);
  } catch (error) {
    if (error instanceof GateSyntaxError) return error;
    throw error;
  }
  throw new Error("the gate accepted the code");
}

/** The text at a location, for readable expectations: what starts there. */
function textAt(code: string, at: SourceLocation | undefined, length: number): string {
  if (!at) return "(no location)";
  const starts = lineStarts(code);
  const bom = at.line === 1 && code.charCodeAt(0) === 0xfeff ? 1 : 0;
  const offset = offsetAt(code, at.line, at.column + bom, starts);
  return code.slice(offset, offset + length);
}

describe("syntax errors: CloudFront's message, and where", () => {
  const cases: Array<{ runtime: RuntimeName; code: string; message: string; at: SourceLocation }> = [
    { runtime: "cloudfront-js-2.0", code: "var a = ;", message: 'SyntaxError: Unexpected token ";" in 1', at: { line: 1, column: 9 } },
    { runtime: "cloudfront-js-1.0", code: "var a = ;", message: 'SyntaxError: Unexpected token ";" in 1', at: { line: 1, column: 9 } },
    { runtime: "cloudfront-js-2.0", code: "function handler(event) {\n  if (event.x {\n  }\n}", message: 'SyntaxError: Unexpected token "{" in 2', at: { line: 2, column: 15 } },
    { runtime: "cloudfront-js-2.0", code: "var a = 1;\nvar b = 2;\n    class C {}", message: 'SyntaxError: Token "class" not supported in this version in 3', at: { line: 3, column: 5 } },
    { runtime: "cloudfront-js-1.0", code: "var a = 1;\n  let b = 2;", message: 'SyntaxError: Token "let" not supported in this version in 2', at: { line: 2, column: 3 } },
    { runtime: "cloudfront-js-1.0", code: "function handler(e) {\n  return async function () {};\n}", message: 'SyntaxError: Token "async" not supported in this version in 2', at: { line: 2, column: 10 } },
    { runtime: "cloudfront-js-2.0", code: "var x = {};\nx?.y;", message: 'SyntaxError: Unexpected token ";" in 2', at: { line: 2, column: 5 } },
    { runtime: "cloudfront-js-2.0", code: "function f() {\n  var a = [1];\n  var b = [...a];\n}", message: 'SyntaxError: Unexpected token "..." in 3', at: { line: 3, column: 12 } },
    // The message names the line after the last one: so does the location (column 1 of that empty line).
    { runtime: "cloudfront-js-2.0", code: "function f() {\n", message: "SyntaxError: Unexpected end of input in 2", at: { line: 2, column: 1 } },
    { runtime: "cloudfront-js-2.0", code: "function f() {\n  return 1;", message: "SyntaxError: Unexpected end of input in 2", at: { line: 2, column: 12 } },
  ];
  for (const { runtime, code, message, at } of cases) {
    it(`${runtime}: ${JSON.stringify(code)} → ${message} at ${at.line}:${at.column}`, () => {
      const error = refusal(code, runtime);
      expect(`${error.errorName}: ${error.message}`).toBe(message);
      expect(error.location).toEqual(at);
    });
  }

  it("the location's line is the message's line, for every refusal the gate's own tests make", () => {
    // A spread of refusals from the walker and the parser (the message's `in N` is njs's line).
    const codes = [
      "var a = [1, 2];\nvar b = [...a];",
      "function f(a = 1) {}",
      "\n\nfunction* g() {}",
      "var o = {a: 1};\nvar {a} = o;",
      "var a, b;\n[a, b] = [1, 2];",
      "try {} catch ({message}) {}",
      'var s = "abc; }\n',
      "var x = 1;\nvar y = 2;\n\nclass B {}",
      "import x from 'nope';",
      "function f() {\n  try {\n  }\n}",
      "var a = 1;\nthrow\nnew Error('x');",
      "var t = `abc\n\n",
      "var n = 10n;",
    ];
    for (const code of codes) {
      const error = refusal(code, "cloudfront-js-2.0");
      const line = /in (\d+)$/.exec(error.message)?.[1];
      expect(error.location, code).toBeDefined();
      if (line !== undefined) expect(error.location!.line, `${code} → ${error.message}`).toBe(Number(line));
    }
  });

  it("a run of code that does not compile fails with the message TestFunction reports, and the location beside it", async () => {
    const fn = await load("function handler(event) {\n  var uri = event.request.uri\n  if (uri {\n  return event.request;\n}");
    const result = await fn.run(viewerRequestEvent());
    expect(result.errorMessage).toBe(`${ERROR_PREFIX}SyntaxError: Unexpected token "{" in 3`);
    expect(result.error?.text).toBe('SyntaxError: Unexpected token "{" in 3');
    expect(result.errorLocation).toEqual({ line: 3, column: 11 });
  });

  it("columns after a byte order mark and lines ended by CRLF are an editor's", () => {
    const error = refusal("\ufeffvar a = ;\r\nvar b = 1;", "cloudfront-js-2.0");
    expect(error.location).toEqual({ line: 1, column: 9 });
    const second = refusal("\ufeffvar a = 1;\r\nvar b = ;\r\n", "cloudfront-js-2.0");
    expect(second.message).toBe('Unexpected token ";" in 2');
    expect(second.location).toEqual({ line: 2, column: 9 });
  });
});

describe("runtime errors: the line and column of the throw in the user's code", () => {
  const runtimes: RuntimeName[] = ["cloudfront-js-1.0", "cloudfront-js-2.0"];
  const cases: Array<{ name: string; code: string; text: string; points: string; at: SourceLocation }> = [
    {
      name: "throw new Error",
      code: "function handler(event) {\n  var x = 1;\n  throw new Error('boom');\n}",
      text: "Error: boom",
      points: "new Error",
      at: { line: 3, column: 9 },
    },
    {
      name: "a TypeError from a property of undefined, after instrumented statements on the same line",
      code: "function handler(event) {\n  var h = event.request.headers; if (h) { h.seen = { value: '1' }; } var v = h.accept.value;\n  return event.request;\n}",
      text: 'TypeError: cannot get property "value" of undefined',
      points: "value",
      at: { line: 2, column: 87 },
    },
    {
      name: "an error inside a nested function",
      code: "function inner(q) {\n  q.count++; return q.missing.deep;\n}\nfunction outer(q) { return inner(q); }\nfunction handler(event) {\n  return outer({ count: 1 });\n}",
      text: 'TypeError: cannot get property "deep" of undefined',
      points: "deep",
      at: { line: 2, column: 31 },
    },
    {
      name: "an error inside a callback passed to Array.prototype.map",
      code: "function handler(event) {\n  var r = [1, 2].map(function (x) {\n    return x.y.z;\n  });\n  return event.request;\n}",
      text: 'TypeError: cannot get property "z" of undefined',
      points: "z;",
      at: { line: 3, column: 16 },
    },
    {
      name: "an error raised by a built-in: the user's call site",
      code: "function handler(event) {\n  var text = '{bad';\n  var o = JSON.parse(text);\n  return event.request;\n}",
      text: "SyntaxError:",
      points: "parse(text)",
      at: { line: 3, column: 16 },
    },
    {
      name: "an error raised by a built-in module (prelude code): the user's call site",
      code: "var crypto = require('crypto');\nfunction handler(event) {\n  crypto.createHash('nope');\n  return event.request;\n}",
      text: "",
      points: "createHash",
      at: { line: 3, column: 10 },
    },
    {
      name: "an error on the first line (the wrapper shares it)",
      code: "function handler(event) { return event.request.headers.nope.value; }",
      text: 'TypeError: cannot get property "value" of undefined',
      points: "value",
      at: { line: 1, column: 61 },
    },
    {
      name: "CRLF line endings and a leading byte order mark",
      code: "\ufefffunction handler(event) {\r\n  var a;\r\n  return a.b;\r\n}\r\n",
      text: 'TypeError: cannot get property "b" of undefined',
      points: "b;",
      at: { line: 3, column: 12 },
    },
    {
      name: "an error in a statement with a global assignment and a member write before it",
      code: "var g;\nfunction handler(event) {\n  g = 1; event.request.x = 2; undefinedName.call();\n}",
      text: 'ReferenceError: "undefinedName" is not defined',
      points: "undefinedName",
      at: { line: 3, column: 31 },
    },
  ];
  for (const runtime of runtimes) {
    for (const { name, code, text, points, at } of cases) {
      it(`${runtime}: ${name}`, async () => {
        const fn = await load(code, runtime);
        const result = await fn.run(viewerRequestEvent());
        expect(result.error?.text.startsWith(text)).toBe(true);
        expect(result.errorMessage).toBe(ERROR_PREFIX + result.error!.text);
        expect(result.errorLocation).toEqual(at);
        expect(textAt(code, result.errorLocation, points.length)).toBe(points);
      });
    }
  }

  it("cloudfront-js-2.0: an async handler that throws after an await", async () => {
    const code = "async function handler(event) {\n  await Promise.resolve(1);\n  var u;\n  u.x = 1;\n  return event.request;\n}";
    const fn = await load(code);
    const result = await fn.run(viewerRequestEvent());
    expect(result.error?.text).toBe("TypeError: property set on primitive undefined type");
    expect(result.errorLocation).toEqual({ line: 4, column: 7 });
  });

  it("cloudfront-js-2.0: a rejection from a nested async function", async () => {
    const code = "async function load(key) {\n  await null;\n  throw new Error('missing ' + key);\n}\nasync function handler(event) {\n  await load('a');\n  return event.request;\n}";
    const fn = await load(code);
    const result = await fn.run(viewerRequestEvent());
    expect(result.error?.text).toBe("Error: missing a");
    expect(result.errorLocation).toEqual({ line: 3, column: 9 });
  });

  it("a viewer-response function", async () => {
    const code = "function handler(event) {\n  return event.response.headers['x-missing'].value;\n}";
    const fn = await load(code);
    const result = await fn.run(viewerResponseEvent());
    expect(result.errorLocation).toEqual({ line: 2, column: 46 });
  });

  it("no location where none is known: a thrown string, an object, a limit, a forged stack", async () => {
    const noLocation = [
      "function handler(event) {\n  throw 'plain';\n}",
      "function handler(event) {\n  throw { message: 'object' };\n}",
      "function handler(event) {\n  while (true) {}\n}",
      "function handler(event) {\n  var e = new Error('forged');\n  e.stack = 'Error: forged\\n    at handler (function.js:1:1)';\n  throw e;\n}",
    ];
    for (const code of noLocation) {
      const fn = await load(code);
      const result = await fn.run(viewerRequestEvent());
      expect(result.error, code).toBeDefined();
      expect(result.errorLocation, code).toBeUndefined();
    }
  });

  it("a run that succeeds has no location; a later failing run of the same context does", async () => {
    const code = "function handler(event) {\n  if (event.request.uri === '/fail') return event.request.nope.value;\n  return event.request;\n}";
    const fn = await load(code);
    const ok = await fn.run(viewerRequestEvent({ url: "/" }));
    expect(ok.error).toBeUndefined();
    expect(ok.errorLocation).toBeUndefined();
    const failed = await fn.run(viewerRequestEvent({ url: "/fail" }));
    expect(failed.errorLocation).toEqual({ line: 2, column: 64 });
  });

  it("code cannot make the location reader run its code or see its machinery", async () => {
    // A prepareStackTrace of the user's own is honoured for the user's reads and restored afterwards.
    const code =
      "function handler(event) {\n  Error.prepareStackTrace = function (e, sites) { return 'mine'; };\n  var e = new Error('x');\n  console.log(String(new Error('y').stack));\n  throw e;\n}";
    const fn = await load(code);
    const result = await fn.run(viewerRequestEvent());
    expect(result.logs).toEqual(["mine"]);
    expect(result.error?.text).toBe("Error: x");
    expect(result.errorLocation).toEqual({ line: 3, column: 11 });
    // The next run starts from a clean context: no prepareStackTrace.
    const probe = await load("function handler(event) {\n  console.log(typeof Error.prepareStackTrace, typeof new Error('z').stack);\n  return event.request;\n}");
    expect((await probe.run(viewerRequestEvent())).logs).toEqual(["undefined string"]);
  });
});

describe("codeFrame", () => {
  it("shows two lines either side, numbered, with a caret under the column", () => {
    const code = "line one\nline two\nline three\n  if (uri {\nline five\nline six\nline seven";
    expect(codeFrame(code, { line: 4, column: 10 })).toBe(
      ["  2 | line two", "  3 | line three", "> 4 |   if (uri {", "    |          ^", "  5 | line five", "  6 | line six"].join("\n"),
    );
  });

  it("at the first and the last line, with a gutter as wide as the widest number", () => {
    const code = Array.from({ length: 10 }, (_, i) => `l${i + 1}`).join("\n");
    expect(codeFrame(code, { line: 1, column: 1 })).toBe(["> 1 | l1", "    | ^", "  2 | l2", "  3 | l3"].join("\n"));
    expect(codeFrame(code, { line: 10, column: 4 })).toBe(["   8 | l8", "   9 | l9", "> 10 | l10", "     |    ^"].join("\n"));
  });

  it("clamps a location outside the code", () => {
    expect(codeFrame("a\nb", { line: 9, column: 9 })).toBe(["  1 | a", "> 2 | b", "    |  ^"].join("\n"));
    expect(codeFrame("", { line: 1, column: 1 })).toBe(["> 1 |", "    | ^"].join("\n"));
    expect(codeFrame("a\nb", { line: Number.NaN, column: -5 })).toBe(["> 1 | a", "    | ^", "  2 | b"].join("\n"));
    expect(locationAt("a\nb", Number.NaN)).toEqual({ line: 1, column: 1 });
    expect(offsetAt("a\nb", 2, Number.POSITIVE_INFINITY)).toBe(2);
  });

  it("keeps tabs, so the caret stays under the column however a tab is drawn", () => {
    expect(codeFrame("\tvar x = a.b;", { line: 1, column: 11 })).toBe(["> 1 | \tvar x = a.b;", "    | \t         ^"].join("\n"));
  });

  it("reads CRLF, CR, U+2028 line ends and a byte order mark as an editor does", () => {
    const code = "\ufeffone\r\ntwo\rthree\u2028four";
    expect(codeFrame(code, { line: 3, column: 2 })).toBe(["  1 | one", "  2 | two", "> 3 | three", "    |  ^", "  4 | four"].join("\n"));
    expect(locationAt(code, code.indexOf("four"))).toEqual({ line: 4, column: 1 });
    expect(locationAt(code, code.indexOf("one") + 1)).toEqual({ line: 1, column: 2 });
  });

  it("shows control characters and bidirectional overrides as U+FFFD, one column each", () => {
    const frame = codeFrame("var s = '\u001b[31mred\u202e';", { line: 1, column: 20 });
    expect(frame).not.toMatch(/[\u001b\u202e]/);
    expect(frame.split("\n")[0]).toBe("> 1 | var s = '\ufffd[31mred\ufffd';");
    expect(frame.split("\n")[1]).toBe("    |                    ^");
  });

  it("clips a 1 MB single line around the column, quickly and with the caret in place", () => {
    const line = "x".repeat(500_000) + "BOOM" + "y".repeat(500_000);
    const column = 500_001;
    const frame = codeFrame(line, { line: 1, column });
    const [code, caret] = frame.split("\n");
    expect(frame.length).toBeLessThan(400);
    expect(code).toMatch(/^> 1 \| …x+BOOMy+…$/);
    expect(code!.indexOf("BOOM")).toBe(caret!.indexOf("^"));
  });

  it("clips every line of the frame with one window, so they stay aligned", () => {
    const long = "a".repeat(300) + "^here" + "b".repeat(300);
    const frame = codeFrame(`${long}\n${"c".repeat(1000)}\nshort`, { line: 1, column: 301 });
    const lines = frame.split("\n");
    expect(lines[0]!.indexOf("^here")).toBe(lines[1]!.indexOf("^"));
    expect(lines[2]).toMatch(/^ {2}2 \| …c+…$/);
    expect(lines[3]).toBe("  3 | …");
  });

  it("stays linear on hostile code: a million short lines, a million line separators", () => {
    const many = "a\n".repeat(1_000_000);
    expect(codeFrame(many, { line: 999_999, column: 1 }).split("\n")).toHaveLength(6);
    const separators = "\u2028".repeat(1_000_000);
    expect(codeFrame(separators, { line: 500_000, column: 1 }).split("\n")).toHaveLength(6);
  });
});
