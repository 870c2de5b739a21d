import fc from "fast-check";
import { afterAll, describe, expect, it } from "vitest";
import { Sandbox, type RawRun } from "../../src/runtime/engine.js";
import { gate } from "../../src/runtime/gate.js";
import { RUNTIME_NAMES as RUNTIMES, type RuntimeName } from "../../src/runtime/types.js";

/**
 * Fresh state per run, checked from the outside: after any run, the sandbox's shared objects (built-ins,
 * modules, the global object) are exactly as a new context has them — either the run changed nothing
 * shared, or it was marked dirty and its context dropped. The fingerprint covers every object reachable
 * from the roots (own properties with their attributes, prototypes, extensibility).
 */

const sandboxes: Sandbox[] = [];
afterAll(() => sandboxes.forEach((sandbox) => sandbox.dispose()));

function sandbox(code: string, runtime: RuntimeName): Sandbox {
  const created = new Sandbox(gate(code, runtime), runtime);
  sandboxes.push(created);
  return created;
}

function event(query: Record<string, string> = {}): string {
  const querystring = Object.fromEntries(Object.entries(query).map(([name, value]) => [name, { value }]));
  return JSON.stringify({
    version: "1.0",
    context: { eventType: "viewer-request" },
    viewer: { ip: "192.0.2.1" },
    request: { method: "GET", uri: "/Index.HTML", querystring, headers: { host: { value: "example.org" }, "user-agent": { value: " Agent " } }, cookies: { session: { value: "S1" } } },
  });
}

function run(target: Sandbox, query: Record<string, string> = {}): RawRun {
  return target.run({ eventJson: event(query), rawQuery: null, now: 0, statementLimit: 4000 });
}

const pristine = new Map<RuntimeName, string>();
function pristineOf(runtime: RuntimeName): string {
  let text = pristine.get(runtime);
  if (!text) {
    const fresh = sandbox("function handler(e) { return e.request; }", runtime);
    text = fresh.sharedStateFingerprint().text;
    pristine.set(runtime, text);
  }
  return text;
}

/** Targets: shared objects, reached the ways an attacker would (computed names, callbacks, reflection). */
const TARGETS: Array<[string, string, RuntimeName[]?]> = [
  ["computed __proto__ of a literal", "({})['__pro' + 'to__']"],
  ["computed __proto__ of an array", "[]['__pro' + 'to__']"],
  ["Object.prototype", "Object.prototype"],
  ["Array.prototype", "Array.prototype"],
  ["String.prototype via a primitive", "Object.getPrototypeOf('')"],
  ["Function.prototype", "Object.getPrototypeOf(function () {})"],
  ["the Function constructor", "(function () {}).constructor"],
  ["an async function's prototype", "Object.getPrototypeOf(async function () {})", ["cloudfront-js-2.0"]],
  ["the array iterator prototype", "Object.getPrototypeOf([][Symbol.iterator]())"],
  ["the iterator prototype", "Object.getPrototypeOf(Object.getPrototypeOf([][Symbol.iterator]()))"],
  ["the strict-mode thrower", "Object.getOwnPropertyDescriptor(Function.prototype, 'caller').get"],
  ["Math", "Math"],
  ["JSON", "JSON"],
  ["the global object", "globalThis"],
  ["console", "console"],
  ["console.log", "console.log"],
  ["Date", "Date"],
  ["Date.prototype", "Date.prototype"],
  ["Promise.prototype", "Promise.prototype"],
  ["RegExp.prototype", "RegExp.prototype"],
  ["Error", "Error"],
  ["the typed array prototype", "Object.getPrototypeOf(Uint8Array.prototype)"],
  ["require", "require"],
  ["the querystring module", "require('querystring')"],
  ["the crypto module", "require('crypto')"],
  ["a hash's prototype", "Object.getPrototypeOf(require('crypto').createHash('sha256'))"],
  ["an hmac's prototype chain", "Object.getPrototypeOf(Object.getPrototypeOf(require('crypto').createHmac('sha256', 'k')))"],
  ["rawQueryString", "event.request.rawQueryString"],
  ["Buffer.prototype", "Buffer.prototype", ["cloudfront-js-2.0"]],
  ["TextEncoder.prototype", "TextEncoder.prototype", ["cloudfront-js-2.0"]],
  ["the cloudfront module", "require('cloudfront')", ["cloudfront-js-2.0"]],
  ["the buffer module", "require('buffer')", ["cloudfront-js-2.0"]],
];

/** Operations on a target `t`, written so that no static analysis could tell what `t` is. */
const OPERATIONS: Array<[string, string]> = [
  ["a property set", "t['le' + 'ak'] = 1;"],
  ["a set through a helper", "function set(o, k, v) { o[k] = v; } set(t, 'leak', 1);"],
  ["a set through a callback", "[t].forEach(function (o) { o.leak = 1; });"],
  ["a compound assignment", "t.leak2 = (t.leak2 || 0); t['leak' + 2] += 1;"],
  ["an increment", "t.counter = 0; t['coun' + 'ter']++;"],
  ["a delete of its first own property", "var keys = Object.getOwnPropertyNames(t); if (keys.length) delete t[keys[0]];"],
  ["a for-in target", "for (t.leak in { a: 1 }) {}"],
  ["Object.defineProperty", "Object.defineProperty(t, 'leak', { value: 1, configurable: true });"],
  ["Object.defineProperties", "Object.defineProperties(t, { leak: { value: 1 } });"],
  ["Object.assign", "Object.assign(t, { leak: 1 });"],
  ["Object.assign through call", "Object.assign.call(null, t, { leak: 1 });"],
  ["Object.freeze", "Object.freeze(t);"],
  ["Object.seal through map", "[t].map(Object.seal);"],
  ["Object.preventExtensions through a setter", "var box = {}; Object.defineProperty(box, 'x', { set: Object.preventExtensions }); box.x = t;"],
  ["Object.setPrototypeOf", "Object.setPrototypeOf(t, null);"],
  ["the __proto__ setter", "Object.getOwnPropertyDescriptor(Object.prototype, '__proto__').set.call(t, null);"],
  ["a __proto__ assignment", "t['__proto__'] = null;"],
  ["Array.prototype.push.call", "Array.prototype.push.call(t, 1);"],
  ["[].splice.apply", "[].splice.apply(t, [0, 0, 1]);"],
  ["sort, reverse and fill", "[].sort.call(t); [].reverse.call(t); [].fill.call(t, 1);"],
  ["Function.prototype.call.call", "Function.prototype.call.call(Object.defineProperty, null, t, 'leak', { value: 1 });"],
  ["a write in a promise callback after the handler returned", "Promise.resolve().then(function () { try { t.late = 1; } catch (frozen) {} });"],
];

describe("fresh state: every run starts from the state of a new context", () => {
  for (const runtime of RUNTIMES) {
    for (const [operation, statement] of OPERATIONS) {
      it(`${runtime}: ${operation}, on every shared target`, () => {
        const targets = TARGETS.filter(([, , only]) => !only || only.includes(runtime));
        const code = `
var leak = (function () { return function (t) { ${statement} }; })();
function pick(event, i) {
  switch (i) {
${targets.map(([, expression], i) => `    case ${i}: return ${expression};`).join("\n")}
  }
}
function marked(target) {
  return ['leak', 'leak2', 'counter', 'late', '0'].some(function (name) { try { return Object.prototype.hasOwnProperty.call(target, name); } catch (e) { return false; } });
}
function handler(event) {
  var target;
  try { target = pick(event, Number(event.request.querystring.t.value)); } catch (e) {}
  var clean = ({}).leak === undefined && ([]).leak === undefined && !(target && marked(target));
  try { leak(target); } catch (e) {}
  return { statusCode: 200, statusDescription: clean ? 'clean' : 'leaked' };
}`;
        const probe = sandbox(code, runtime);
        const expected = pristineOf(runtime);
        targets.forEach(([name], i) => {
          const contexts = probe.contextsCreated;
          // Twice: the second run would see what the first left behind on its target.
          for (let attempt = 0; attempt < 2; attempt++) {
            const result = run(probe, { t: String(i) });
            expect(result.error, `${name}: ${result.error?.text}`).toBeUndefined();
            expect((result.output as { statusDescription: string }).statusDescription, `${operation} on ${name}`).toBe("clean");
          }
          // The run after a late promise callback finds the context spent and starts over on a new one.
          run(probe, { t: "-1" });
          // A context built since is new (the test below shows new contexts are identical); one kept must be unchanged.
          if (probe.contextsCreated === contexts) {
            expect(probe.sharedStateFingerprint().text === expected, `${operation} on ${name} left shared state changed`).toBe(true);
          }
        });
      });
    }
  }
});

describe("fresh state, explored: random paths through the shared objects, random changes", () => {
  for (const runtime of RUNTIMES) {
    it(`${runtime}: no change made anywhere reachable survives into the next run`, () => {
      const code = `
var OPERATIONS = [
${OPERATIONS.map(([, statement]) => `  function (t) { ${statement} },`).join("\n")}
];
function walk(path) {
  var o = globalThis;
  for (var i = 0; i < path.length; i++) {
    var keys = Object.getOwnPropertyNames(o);
    var k = keys[path[i] % (keys.length + 1)];
    var next;
    if (k === undefined) next = Object.getPrototypeOf(o);
    else { var d = Object.getOwnPropertyDescriptor(o, k); next = 'value' in d ? d.value : (d.get || d.set); }
    if (next === null || (typeof next !== 'object' && typeof next !== 'function')) break;
    o = next;
  }
  return o;
}
function handler(event) {
  var q = event.request.querystring;
  var target = walk(q.path.value.split('.').map(Number));
  var fingerprint = Object.getOwnPropertyNames(target).length + ':' + Object.isExtensible(target) + ':' + String(Object.getPrototypeOf(target) === null);
  try { OPERATIONS[Number(q.op.value)](target); } catch (e) {}
  return { statusCode: 200, statusDescription: fingerprint };
}`;
      const probe = sandbox(code, runtime);
      const expected = pristineOf(runtime);
      fc.assert(
        fc.property(fc.array(fc.nat(200), { minLength: 1, maxLength: 5 }), fc.nat(OPERATIONS.length - 1), (path, op) => {
          const query = { path: path.join("."), op: String(op) };
          const contexts = probe.contextsCreated;
          const first = run(probe, query);
          const second = run(probe, query);
          expect(first.error).toBeUndefined();
          // The second run saw its target as the first did: whatever the first changed did not survive.
          expect((second.output as { statusDescription: string }).statusDescription).toBe((first.output as { statusDescription: string }).statusDescription);
          run(probe, { path: "0", op: "-1" });
          if (probe.contextsCreated === contexts) expect(probe.sharedStateFingerprint().text === expected).toBe(true);
        }),
        { numRuns: 120 },
      );
    });
  }
});

describe("the examples from the issue", () => {
  const once = (code: string, runtime: RuntimeName = "cloudfront-js-1.0") => {
    const probe = sandbox(code, runtime);
    return [run(probe), run(probe)].map((r) => (r.output as { statusDescription?: string } | null)?.statusDescription ?? r.error?.text);
  };

  it("a computed __proto__ write does not reach the next run", () => {
    expect(once("function set(o){o.leak=1} function handler(e){ var before = ({}).leak; set(({})['__pro'+'to__']); return {statusCode:200, statusDescription: String(before)} }")).toEqual(["undefined", "undefined"]);
  });

  it("Object.assign onto Array.prototype does not reach the next run", () => {
    expect(once("function handler(e){ var before = [].x; Object.assign([]['__pro'+'to__'], { x: 1 }); return {statusCode:200, statusDescription: String(before)} }")).toEqual(["undefined", "undefined"]);
  });

  it("replacing a module's function does not change what the next run's require returns", () => {
    const code = "function handler(e){ var qs = require('querystring'); var before = qs.parse('a=1').a; try { qs.parse = function () { return { a: 'evil' }; }; } catch (frozen) {} var mod = require('querystring'); try { mod['pa' + 'rse'] = function () { return { a: 'evil' }; }; } catch (frozen) {} return {statusCode:200, statusDescription: String(before)} }";
    expect(once(code)).toEqual(["1", "1"]);
  });

  it("reassigning a global binding does not reach the next run", () => {
    expect(once("function handler(e){ var before = typeof JSON.parse; JSON = { parse: 1 }; return {statusCode:200, statusDescription: before} }")).toEqual(["function", "function"]);
  });
});

describe("no handle on the sandbox's machinery", () => {
  const GLOBALS: Record<RuntimeName, string[]> = {
    "cloudfront-js-1.0": [
      "Array", "ArrayBuffer", "Boolean", "Date", "Error", "EvalError", "Float32Array", "Float64Array", "Function", "Infinity", "Int16Array", "Int32Array", "Int8Array",
      "InternalError", "JSON", "Math", "MemoryError", "NaN", "Number", "Object", "Promise", "RangeError", "ReferenceError", "RegExp", "String", "Symbol", "SyntaxError",
      "TypeError", "URIError", "Uint16Array", "Uint32Array", "Uint8Array", "Uint8ClampedArray", "console", "decodeURI", "decodeURIComponent", "encodeURI",
      "encodeURIComponent", "eval", "globalThis", "isFinite", "isNaN", "parseFloat", "parseInt", "require", "undefined",
    ],
    "cloudfront-js-2.0": [
      "Array", "ArrayBuffer", "Boolean", "Buffer", "DataView", "Date", "Error", "EvalError", "Float32Array", "Float64Array", "Function", "Infinity", "Int16Array",
      "Int32Array", "Int8Array", "InternalError", "JSON", "Math", "MemoryError", "NaN", "Number", "Object", "Promise", "RangeError", "ReferenceError", "RegExp", "String",
      "Symbol", "SyntaxError", "TextDecoder", "TextEncoder", "TypeError", "URIError", "Uint16Array", "Uint32Array", "Uint8Array", "Uint8ClampedArray", "atob", "btoa",
      "console", "decodeURI", "decodeURIComponent", "encodeURI", "encodeURIComponent", "eval", "globalThis", "isFinite", "isNaN", "parseFloat", "parseInt", "require",
      "undefined",
    ],
  };

  for (const runtime of RUNTIMES) {
    it(`${runtime}: every new context's shared state is the same`, () => {
      const other = sandbox("var x = 1; function handler(e) { return e.request; }", runtime);
      expect(other.sharedStateFingerprint().text === pristineOf(runtime)).toBe(true);
      const dirtied = sandbox("function handler(e) { Math.leak = 1; return e.request; }", runtime);
      run(dirtied);
      expect(dirtied.sharedStateFingerprint().text === pristineOf(runtime)).toBe(true);
    });

    it(`${runtime}: the global object has exactly the runtime's names, and no symbols`, () => {
      const probe = sandbox("function handler(e){ return { statusCode: 200, statusDescription: 'ok', body: JSON.stringify({ names: Object.getOwnPropertyNames(globalThis).sort(), symbols: Object.getOwnPropertySymbols(globalThis).length }) }; }", runtime);
      const body = JSON.parse((run(probe).output as { body: string }).body) as { names: string[]; symbols: number };
      expect(body.names).toEqual([...GLOBALS[runtime]].sort());
      expect(body.symbols).toBe(0);
    });

    it(`${runtime}: the only shared object with internal state a built-in could change is Array.prototype (guarded)`, () => {
      const probe = sandbox("function handler(e) { return e.request; }", runtime);
      expect(probe.sharedStateFingerprint().tags).toEqual(["Array"]);
    });
  }

  it("the guarded built-ins print as the built-ins they stand for", () => {
    const code = "function handler(e) { var texts = [[].push, Object.defineProperty, Object.getOwnPropertyDescriptor(Object.prototype, '__proto__').set, [].fill].map(function (f) { return Function.prototype.toString.call(f); }); return { statusCode: 200, statusDescription: 'ok', body: JSON.stringify(texts) }; }";
    const texts = JSON.parse((run(sandbox(code, "cloudfront-js-2.0")).output as { body: string }).body) as string[];
    for (const text of texts) expect(text).toMatch(/^function [\w_ ]*\(\) \{ \[native code\] \}$/);
  });

  it("the meter cannot be named, reached or reset: a loop still stops at the budget", () => {
    const code = `
function handler(e) {
  var names = ['__edgelite$m', '__edgelite$run', '__edgelite$setup', '__edgelite$modules', '$en', '$el', '$ew', '$et'];
  var found = names.filter(function (n) { return typeof globalThis[n] !== 'undefined'; });
  if (found.length) return { statusCode: 500, statusDescription: found.join() };
  var n = 0;
  while (true) n++;
}`;
    const result = run(sandbox(code, "cloudfront-js-2.0"));
    expect(result.error?.text).toBe("InternalError: execution time limit exceeded");
    expect(result.limitExceeded).toBe("compute");
    expect(result.statements).toBeGreaterThan(4000);
  });

  it("a promise rejection nobody handles fails the run with njs's words, and the next run is clean", () => {
    const probe = sandbox("function handler(e) { var seen = Array.prototype.late; Promise.resolve().then(function () { Array.prototype.late = 1; throw new TypeError('late'); }); return { statusCode: 200, statusDescription: String(seen) }; }", "cloudfront-js-1.0");
    expect(run(probe).error?.text).toBe("Error: unhandled promise rejection: TypeError: late");
    expect(run(probe).error?.text).toBe("Error: unhandled promise rejection: TypeError: late");
    expect(probe.sharedStateFingerprint().text === pristineOf("cloudfront-js-1.0")).toBe(true);
  });

  it("code that declares the hooks' names cannot shadow them: the names are chosen around the code", () => {
    const code = "var $ew = function (o) { return o; }, $en = 0, $el = 1e15, $et = function () {}; function handler(e) { var n = 0; Array.prototype.x = 1; while (true) { $en = 0; n++; } }";
    const probe = sandbox(code, "cloudfront-js-1.0");
    expect(run(probe).error?.text).toBe("InternalError: execution time limit exceeded");
    expect(probe.sharedStateFingerprint().text === pristineOf("cloudfront-js-1.0")).toBe(true);
  });
});

describe("the warm path: a context is kept while runs change nothing shared", () => {
  const REALISTIC: Array<[string, string]> = [
    [
      "lower-casing every query value by computed key",
      "function handler(event) { var qs = event.request.querystring; var keys = Object.keys(qs); for (var i = 0; i < keys.length; i++) { qs[keys[i]].value = qs[keys[i]].value.toLowerCase(); } return event.request; }",
    ],
    [
      "trimming headers through a variable",
      "function handler(event) { var h = event.request.headers; for (var k in h) { var e = h[k]; e.value = e.value.trim(); } delete h['user-agent']; h['x-' + 'added'] = { value: '1' }; return event.request; }",
    ],
    [
      "building a response object with computed names and arrays",
      "var TABLE = { '/index.html': '/home' }; function handler(event) { var out = { statusCode: 302, statusDescription: 'Found', headers: {}, cookies: {} }; var names = ['a', 'b', 'c']; var list = []; names.forEach(function (n, i) { out.headers['x-' + n] = { value: String(i) }; list.push(n); }); list.sort(); list.reverse(); out.cookies[list[0]] = { value: 'v' }; out.headers.location = { value: TABLE[event.request.uri.toLowerCase()] || '/' }; Object.assign(out.headers, { 'x-z': { value: 'z' } }); Object.defineProperty(out, 'hidden', { value: 1 }); return out; }",
    ],
    [
      "hashing with crypto and parsing a query string",
      "var crypto = require('crypto'); var qs = require('querystring'); function handler(event) { var parsed = qs.parse('a=1&b=2'); parsed.c = crypto.createHmac('sha256', 'k').update(event.request.uri).digest('hex'); event.request.headers['x-sig'] = { value: parsed.c }; return event.request; }",
    ],
  ];

  for (const runtime of RUNTIMES) {
    for (const [name, code] of REALISTIC) {
      it(`${runtime}: ${name}`, () => {
        const fn = sandbox(code, runtime);
        for (let i = 0; i < 20; i++) expect(run(fn).error).toBeUndefined();
        expect(fn.contextsCreated).toBe(1);
        expect(fn.sharedStateFingerprint().text === pristineOf(runtime)).toBe(true);
      });
    }
  }

  it("the next context can be built ahead of the run (a runner does it while idle), and the run then uses it", () => {
    const fn = sandbox("function handler(e) { var seen = Math.leak === undefined; Math.leak = 1; return { statusCode: 200, statusDescription: seen ? 'clean' : 'stale' }; }", "cloudfront-js-1.0");
    expect((run(fn).output as { statusDescription: string }).statusDescription).toBe("clean");
    expect(fn.ready).toBe(false);
    fn.prepare();
    expect(fn.ready).toBe(true);
    const built = fn.contextsCreated;
    expect((run(fn).output as { statusDescription: string }).statusDescription).toBe("clean");
    expect(fn.contextsCreated).toBe(built);
    fn.prepare();
    fn.prepare();
    expect(fn.contextsCreated).toBe(built + 1);
  });

  it("a function that changes a built-in on every run gets a new context for every run, and each run sees a clean one", () => {
    const fn = sandbox("function handler(e) { var seen = String.prototype.shout === undefined; String.prototype.shout = function () { return this.toUpperCase() + '!'; }; return { statusCode: 200, statusDescription: seen ? 'hi'.shout() : 'stale' }; }", "cloudfront-js-1.0");
    for (let i = 0; i < 3; i++) expect((run(fn).output as { statusDescription: string }).statusDescription).toBe("HI!");
    expect(fn.contextsCreated).toBe(3);
  });
});
