import { describe, expect, it } from "vitest";
import { viewerRequestEvent, type LoadedFunction } from "../../src/index.js";
import { disposedAfterEachTest } from "./loaded.js";

const load = disposedAfterEachTest();

const event = () => viewerRequestEvent({ url: "https://example.org/index.html" });
const logsOf = async (fn: LoadedFunction) => (await fn.run(event())).logs;

describe("every run starts from a clean VM", () => {
  it("gives each run new top-level bindings", async () => {
    const fn = await load("var n = 0;\nfunction handler(event) { n++; console.log('n=' + n); return event.request; }", "cloudfront-js-1.0");
    for (let i = 0; i < 3; i++) expect(await logsOf(fn)).toEqual(["n=1"]);
  });

  it("undoes changes to built-ins, prototypes and the global object between runs", async () => {
    const fn = await load(`function handler(event) {
      console.log(String(Array.prototype.polluted) + ' ' + typeof globalThis.leaked + ' ' + typeof JSON.parse + ' ' + ({}).polluted);
      Array.prototype.polluted = 'yes';
      Object.prototype.polluted = 'yes';
      globalThis.leaked = 1;
      JSON.parse = null;
      return event.request;
    }`);
    for (let i = 0; i < 3; i++) expect(await logsOf(fn)).toEqual(["undefined undefined function undefined"]);
  });

  it("undoes pollution through dynamic keys taken from the event", async () => {
    const fn = await load(`function handler(event) {
      var target = {};
      var k1 = event.request.querystring.a.value, k2 = event.request.querystring.b.value;
      console.log(String(({}).evil));
      target[k1][k2] = 'polluted';
      return event.request;
    }`);
    const polluting = viewerRequestEvent({ url: "/?a=__proto__&b=evil" });
    expect((await fn.run(polluting)).logs).toEqual(["undefined"]);
    expect((await fn.run(polluting)).logs).toEqual(["undefined"]);
  });

  it("freezes the clock at the start of the run", async () => {
    const fn = await load("function handler(event) { var a = Date.now(); for (var i = 0; i < 1000; i++) {} console.log(a === new Date().getTime() ? 'same' : 'moved'); console.log(new Date().toISOString()); return event.request; }");
    const result = await fn.run(event(), { now: new Date("2030-01-02T03:04:05.678Z") });
    expect(result.logs).toEqual(["same", "2030-01-02T03:04:05.678Z"]);
  });
});

describe("the sandbox holds against hostile code", () => {
  it("blocks the constructor escape and dynamic code", async () => {
    for (const code of [
      "function handler(event) { return (function () {}).constructor('return process')(); }",
      "function handler(event) { return [].map.constructor('return this')(); }",
      "function handler(event) { return eval('1 + 1'); }",
      "function handler(event) { return new Function('return 1')(); }",
    ]) {
      const result = await (await load(code)).run(event());
      expect(result.error?.text).toBe("InternalError: Not implemented");
    }
  });

  it("exposes no Node, disk, network or timers", async () => {
    const fn = await load(`function handler(event) {
      console.log([typeof process, typeof setTimeout, typeof setImmediate, typeof fetch, typeof XMLHttpRequest, typeof WebAssembly, typeof Proxy, typeof Reflect, typeof Map, typeof Intl, typeof SharedArrayBuffer].join(','));
      try { require('fs'); } catch (e) { console.log(String(e)); }
      try { require('child_process'); } catch (e) { console.log(String(e)); }
      return event.request;
    }`);
    expect(await logsOf(fn)).toEqual([
      "undefined,undefined,undefined,undefined,undefined,undefined,undefined,undefined,undefined,undefined,undefined",
      'Error: Cannot find module "fs"',
      'Error: Cannot find module "child_process"',
    ]);
  });

  it("stops an infinite loop as an execution error at 100% utilization, and keeps working", async () => {
    const fn = await load("function handler(event) { if (event.request.uri === '/loop') { while (true) {} } return event.request; }");
    const looped = await fn.run(viewerRequestEvent({ url: "/loop" }));
    expect(looped.error?.name).toBe("InternalError");
    expect(looped.errorMessage).toMatch(/^The CloudFront function associated with the CloudFront distribution is invalid or could not run\. InternalError: /);
    expect(looped.computeUtilization).toBe(100);
    const fine = await fn.run(viewerRequestEvent({ url: "/ok" }));
    expect(fine.error).toBeUndefined();
    expect(fine.output).toMatchObject({ request: { uri: "/ok" } });
  });

  it("stops a loop that catches the limit error and keeps looping", async () => {
    const fn = await load("function handler(event) { for (;;) { try { for (;;) {} } catch (e) {} } }");
    expect((await fn.run(event())).computeUtilization).toBe(100);
  });

  it("stops a memory bomb with MemoryError and recovers", async () => {
    const fn = await load("function handler(event) { if (event.request.uri === '/bomb') { var a = []; while (true) a.push(new Array(100000).fill(1)); } return event.request; }");
    const bomb = await fn.run(viewerRequestEvent({ url: "/bomb" }));
    expect(bomb.error?.name).toMatch(/MemoryError|InternalError/);
    const fine = await fn.run(viewerRequestEvent({ url: "/fine" }));
    expect(fine.error).toBeUndefined();
  });

  it("enforces the 2 MB memory quota", async () => {
    const fn = await load("function handler(event) { var s = []; for (var i = 0; i < 12; i++) s.push(new Array(40000).fill(i)); return event.request; }");
    const result = await fn.run(event());
    expect(result.error?.text).toBe("MemoryError: memory limit exceeded");
  });

  it("reports deep recursion as njs does", async () => {
    const fn = await load("function f(n) { return f(n + 1) + 1; }\nfunction handler(event) { return f(0); }");
    const result = await fn.run(event());
    expect(["RangeError: Maximum call stack size exceeded", "InternalError: execution time limit exceeded"]).toContain(result.error?.text);
  });

  it("cuts a catastrophic regular expression off", async () => {
    const fn = await load("function handler(event) { return /^(a+)+$/.test('aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa!') ? event.request : event.request; }");
    const result = await fn.run(event());
    expect(result.error?.text).toBe("InternalError: execution time limit exceeded");
  });

  it("truncates logs at 10 KB, keeping whole lines", async () => {
    const fn = await load("function handler(event) { for (var i = 0; i < 200; i++) console.log('line ' + i + ' ' + 'x'.repeat(100)); return event.request; }");
    const result = await fn.run(event());
    const bytes = result.logs.reduce((n, line) => n + Buffer.byteLength(line), 0);
    expect(bytes).toBeLessThanOrEqual(10_240);
    expect(result.logs.length).toBeGreaterThan(80);
    expect(result.logs[0]).toMatch(/^line 0 x+$/);
  });
});

describe("errors read as CloudFront's engine words them", () => {
  it.each([
    ["function handler(event) { return event.request.headers.missing.value; }", 'TypeError: cannot get property "value" of undefined'],
    ["function handler(event) { var o = {}; o.a.b = 1; }", "TypeError: property set on primitive undefined type"],
    ["function handler(event) { return missingThing; }", 'ReferenceError: "missingThing" is not defined'],
    ["function handler(event) { event.request.foo(); }", 'TypeError: (intermediate value)["foo"] is not a function'],
    ["function handler(event) { throw new Error('thrown error'); }", "Error: thrown error"],
    ["function handler(event) { throw 'a string'; }", "a string"],
    ["function hello(event) { return event.request; }", 'ReferenceError: "handler" is not defined'],
  ])("%s", async (code, expected) => {
    const result = await (await load(code, "cloudfront-js-1.0")).run(event());
    expect(result.error?.text).toBe(expected);
    expect(result.errorMessage).toBe(`The CloudFront function associated with the CloudFront distribution is invalid or could not run. ${expected}`);
  });

  it("fails every run of code that does not compile, with the line", async () => {
    const fn = await load("function handler(event) {\n  for (const h of [1]) {}\n  return event.request;\n}");
    const result = await fn.run(event());
    expect(result.errorMessage).toBe('The CloudFront function associated with the CloudFront distribution is invalid or could not run. SyntaxError: Token "of" not supported in this version in 2');
  });
});

describe("built-ins per runtime", () => {
  it("1.0 has the byte-string methods and no Buffer; 2.0 the reverse", async () => {
    const probe = "function handler(event) { console.log([typeof String.bytesFrom, typeof ''.toUTF8, typeof Buffer, typeof atob, typeof TextEncoder, typeof ''.replaceAll].join(',')); return event.request; }";
    expect(await logsOf(await load(probe, "cloudfront-js-1.0"))).toEqual(["function,function,undefined,undefined,undefined,undefined"]);
    expect(await logsOf(await load(probe, "cloudfront-js-2.0"))).toEqual(["undefined,undefined,function,function,function,function"]);
  });

  it("removes what njs never had (Array.from, flat, at, Object.fromEntries)", async () => {
    const fn = await load("function handler(event) { console.log([typeof Array.from, typeof [].flat, typeof [].at, typeof Object.fromEntries, typeof [].includes, typeof Object.entries].join(',')); return event.request; }");
    expect(await logsOf(fn)).toEqual(["undefined,undefined,undefined,undefined,function,function"]);
  });

  it("provides rawQueryString() and, in 2.0, the cloudfront module", async () => {
    const fn = await load(`import cf from 'cloudfront';
function handler(event) {
  console.log(String(event.request.rawQueryString()));
  cf.selectRequestOriginById('origin-b');
  try { cf.updateRequestOrigin({ domainName: '10.0.0.1' }); } catch (e) { console.log(e.name); }
  return event.request;
}`);
    const result = await fn.run(viewerRequestEvent({ url: "/?a=1&b=%20" }));
    expect(result.logs).toEqual(["a=1&b=%20", "TypeError"]);
    expect(result.originCalls).toEqual([{ kind: "selectRequestOriginById", originId: "origin-b" }]);
  });

  it("runs async handlers (2.0)", async () => {
    const fn = await load("async function handler(event) { var x = await Promise.resolve(2); event.request.headers['x'] = { value: String(x) }; return event.request; }");
    const result = await fn.run(event());
    expect(result.output).toMatchObject({ request: { headers: { x: { value: "2" } } } });
  });
});

describe("details real functions rely on", () => {
  it("Buffer speaks base64url (2.0), as Node does", async () => {
    const fn = await load("function handler(event) { console.log(Buffer.from('aGVsbG8_d29ybGQ-', 'base64url').toString() + ' ' + Buffer.from('hello?world>').toString('base64url') + ' ' + Buffer.from([0xfb, 0xff]).toString('base64url')); return event.request; }");
    expect(await logsOf(fn)).toEqual([
      `${Buffer.from("aGVsbG8_d29ybGQ-", "base64url").toString()} ${Buffer.from("hello?world>").toString("base64url")} ${Buffer.from([0xfb, 0xff]).toString("base64url")}`,
    ]);
  });

  it("keeps a query string the function returns as one string", async () => {
    const fn = await load("function handler(event) { event.request.querystring = 'a=1&a=2&b=%20c'; return event.request; }", "cloudfront-js-1.0");
    const result = await fn.run(viewerRequestEvent({ url: "/p?b=%20c&a=2&a=1" }));
    expect(result.output).toMatchObject({ request: { querystring: "a=1&a=2&b=%20c" } });
    expect(result.validationErrors).toEqual([]);
  });

  it("counts work deterministically: the same run gives the same utilization, more work more", async () => {
    const light = await load("function handler(event) { return event.request; }", "cloudfront-js-1.0");
    const heavy = await load("function handler(event) { var s = 0; for (var i = 0; i < 2000; i++) { s += i; } return event.request; }", "cloudfront-js-1.0");
    const runs = await Promise.all([light.run(event()), light.run(event()), heavy.run(event()), heavy.run(event())]);
    expect(runs[0]!.computeUtilization).toBe(runs[1]!.computeUtilization);
    expect(runs[2]!.computeUtilization).toBe(runs[3]!.computeUtilization);
    expect(runs[2]!.computeUtilization).toBeGreaterThan(runs[0]!.computeUtilization + 30);
    expect(runs[0]!.computeUtilization).toBeGreaterThanOrEqual(9);
  });
});
