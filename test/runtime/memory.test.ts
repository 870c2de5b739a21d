import { describe, expect, it } from "vitest";
import { viewerRequestEvent, type LoadedFunction } from "../../src/index.js";
import type { RuntimeName } from "../../src/runtime/types.js";
import { disposedAfterEachTest } from "./loaded.js";

/**
 * The 2 MB memory limit gives the same verdict on every run (docs/runtime.md, "Memory limit"): functions
 * clearly under it never fail however often they run, functions clearly over it fail every time, and a
 * bomb fails cleanly without harming the next run.
 */

const load = disposedAfterEachTest();

const event = (uri = "/index.html") => viewerRequestEvent({ url: `https://example.org${uri}`, headers: { "user-agent": "test" } });
const MEMORY_ERROR = "MemoryError: memory limit exceeded";

/** Every run's error text (or "ok"), counted. */
async function verdicts(fn: LoadedFunction, runs: number, uri?: string): Promise<Map<string, number>> {
  const seen = new Map<string, number>();
  for (let i = 0; i < runs; i++) {
    // Runs are synchronous underneath: let the test runner's own messages through now and then.
    if (i % 20 === 19) await new Promise((resolve) => setImmediate(resolve));
    const result = await fn.run(event(uri));
    const verdict = result.error ? result.error.text : "ok";
    seen.set(verdict, (seen.get(verdict) ?? 0) + 1);
  }
  return seen;
}

/** Each shape returns a header computed from what it allocated, so that nothing can be optimised away. */
const UNDER: Array<[string, RuntimeName, string]> = [
  ["a 0.8 MB string", "cloudfront-js-1.0", "var s = 'abcd'.repeat(200000); var r = event.request; r.headers['x-n'] = { value: String(s.length + s.indexOf('d')) }; return r;"],
  ["strings joined to 0.9 MB", "cloudfront-js-1.0", "var parts = []; for (var i = 0; i < 900; i++) parts.push('p' + i); var s = parts.join('x'.repeat(1000)); var r = event.request; r.headers['x-n'] = { value: String(s.length) }; return r;"],
  ["an array of 2,000 objects", "cloudfront-js-2.0", "var a = []; for (var i = 0; i < 2000; i++) a.push({ id: i, name: 'item-' + i, tags: ['a', 'b', i], at: { x: i, y: i * 2 } }); var r = event.request; r.headers['x-n'] = { value: String(a.length + a[1999].at.y) }; return r;"],
  ["a 900 KB Buffer", "cloudfront-js-2.0", "var b = Buffer.alloc(900 * 1024, 1); var r = event.request; r.headers['x-n'] = { value: String(b.length + b[5]) }; return r;"],
  ["JSON of 0.6 MB", "cloudfront-js-2.0", "var o = []; for (var i = 0; i < 200; i++) o.push({ k: 'v'.repeat(3000) }); var s = JSON.stringify(o); var r = event.request; r.headers['x-n'] = { value: String(s.length) }; return r;"],
];

const OVER: Array<[string, RuntimeName, string]> = [
  ["repeat", "cloudfront-js-1.0", "var s = 'abcd'.repeat(1 << 20); return event.request;"],
  ["string doubling", "cloudfront-js-1.0", "var s = 'ab'; while (s.length < 4e6) s += s; event.request.headers['x-s'] = { value: s.slice(0, 8) }; return event.request;"],
  ["an array of objects", "cloudfront-js-2.0", "var a = []; for (var i = 0; i < 3000; i++) a.push({ id: i, name: 'item-' + i, v: [i, i, i, i, i, i, i, i, i, i, i, i, i, i, i, i, i, i, i, i, i, i, i, i, i, i, i, i, i, i, i, i, i, i, i, i, i, i, i, i, i, i, i, i, i, i, i, i, i, i, i, i, i, i, i, i, i, i, i, i, i, i, i, i, i, i, i, i, i, i, i, i, i, i, i, i, i, i, i, i, i, i, i, i, i, i, i, i, i, i, i, i, i, i, i, i, i, i, i, i, i, i, i, i, i, i, i, i, i, i, i, i, i, i, i, i, i, i, i, i, i, i, i, i, i, i, i, i, i, i, i, i, i, i, i, i, i, i, i, i, i, i, i, i, i, i, i, i, i, i] }); event.request.headers['x-n'] = { value: String(a.length) }; return event.request;"],
  ["Buffer.alloc", "cloudfront-js-2.0", "var b = Buffer.alloc(4 * 1024 * 1024); return event.request;"],
  ["a typed array", "cloudfront-js-1.0", "var b = new Uint8Array(4 * 1024 * 1024); return event.request;"],
  ["one big join", "cloudfront-js-1.0", "var chunk = 'x'.repeat(65536); var a = []; for (var i = 0; i < 64; i++) a.push(chunk); var s = a.join(''); return event.request;"],
  ["Array(n).fill", "cloudfront-js-2.0", "var a = new Array(300000).fill(0); return event.request;"],
];

describe("functions clearly under 2 MB never fail", () => {
  for (const [name, runtime, body] of UNDER) {
    it(`${name} (${runtime}), 200 runs`, async () => {
      const fn = await load(`function handler(event) { ${body} }`, runtime);
      expect(await verdicts(fn, 200)).toEqual(new Map([["ok", 200]]));
    });
  }

  it("hashing in a loop (garbage, no growth that lasts), 200 runs", async () => {
    const fn = await load(
      "var crypto = require('crypto');\nfunction handler(event) { var h = ''; for (var i = 0; i < 20; i++) h = crypto.createHash('sha256').update(h + 'x'.repeat(2000)).digest('hex'); event.request.headers['x-h'] = { value: h }; return event.request; }",
      "cloudfront-js-1.0",
    );
    expect(await verdicts(fn, 200)).toEqual(new Map([["ok", 200]]));
  });
});

describe("functions clearly over 2 MB fail on every run", () => {
  for (const [name, runtime, body] of OVER) {
    it(`${name} (${runtime})`, async () => {
      const fn = await load(`function handler(event) { ${body} }`, runtime);
      expect(await verdicts(fn, 20)).toEqual(new Map([[MEMORY_ERROR, 20]]));
      const result = await fn.run(event());
      expect(result.errorMessage).toContain(MEMORY_ERROR);
      expect(result.output).toBeUndefined();
    });
  }

  it("still fails when the function catches the MemoryError and returns", async () => {
    const fn = await load("function handler(event) { try { 'x'.repeat(5e6); } catch (e) { console.log(String(e)); } return event.request; }");
    expect(await verdicts(fn, 5)).toEqual(new Map([[MEMORY_ERROR, 5]]));
  });

  it("judges each run on its own: a heavy input fails, a light one of the same function does not", async () => {
    const fn = await load("function handler(event) { var n = event.request.uri === '/heavy' ? 1 << 20 : 1000; var s = 'abcd'.repeat(n); return event.request; }", "cloudfront-js-1.0");
    for (let i = 0; i < 5; i++) {
      expect((await fn.run(event("/heavy"))).error?.text).toBe(MEMORY_ERROR);
      expect((await fn.run(event("/light"))).error).toBeUndefined();
    }
  });
});

describe("memory bombs", () => {
  it("fails a bomb of hundreds of MB cleanly, and the next run works", async () => {
    const fn = await load(
      "function handler(event) { if (event.request.uri === '/bomb') { var s = 'abcdefgh'.repeat(200000); var a = []; for (var i = 0; i < 100; i++) a.push(s.split('')); } return event.request; }",
    );
    for (let i = 0; i < 3; i++) {
      const bomb = await fn.run(event("/bomb"));
      expect(bomb.error?.text).toBe(MEMORY_ERROR);
      const fine = await fn.run(event("/fine"));
      expect(fine.error).toBeUndefined();
      expect(fine.output).toMatchObject({ request: { uri: "/fine" } });
    }
  });

  it("stops a bomb the meter does not see at the isolate's hard cap or the wall clock, and the next run works", async () => {
    const fn = await load(
      "function handler(event) { if (event.request.uri === '/bomb') { var s = 'abcdefgh'.repeat(200000); var a = []; for (var i = 0; i < 300; i++) a.push(s.toUpperCase()); } return event.request; }",
    );
    const bomb = await fn.run(event("/bomb"));
    expect(bomb.error?.text).toMatch(/^(MemoryError: memory limit exceeded|InternalError: execution time limit exceeded)$/);
    const fine = await fn.run(event("/fine"));
    expect(fine.error).toBeUndefined();
    expect(fine.output).toMatchObject({ request: { uri: "/fine" } });
  });

  it("refuses an amplifying call before it allocates", async () => {
    const fn = await load("function handler(event) { var s = 'x'.repeat(400 * 1024 * 1024); return event.request; }", "cloudfront-js-1.0");
    expect(await verdicts(fn, 3)).toEqual(new Map([[MEMORY_ERROR, 3]]));
  });
});

describe("ordinary functions are unchanged", () => {
  it("metered built-ins cost no statements and give their usual results", async () => {
    const metered = await load("function handler(event) { var a = 'ab'.repeat(3) + 'x'.padStart(4, '-') + [1, 2].join('+') + JSON.stringify({ a: 1 }) + new Uint8Array([1, 2]).length; console.log(a); return event.request; }", "cloudfront-js-1.0");
    const plain = await load("function handler(event) { var a = 'ab'.concat('') + 'x'.substring(0, 1) + [1, 2].indexOf(2) + JSON.parse('{\"a\":1}').a + new Uint8Array([1, 2]).length; console.log(a); return event.request; }", "cloudfront-js-1.0");
    const [m, p] = [await metered.run(event()), await plain.run(event())];
    expect(m.logs).toEqual(['ababab---x1+2{"a":1}2']);
    expect(m.error).toBeUndefined();
    expect(m.computeUtilization).toBe(p.computeUtilization);
  });

  it("keeps a header function's output", async () => {
    const fn = await load(`function handler(event) {
      var request = event.request;
      request.headers['x-forwarded-host'] = { value: request.headers.host ? request.headers.host.value : 'none' };
      request.uri = request.uri.replace(/\\/$/, '/index.html');
      return request;
    }`);
    const result = await fn.run(viewerRequestEvent({ url: "https://example.org/docs/" }));
    expect(result.error).toBeUndefined();
    expect(result.output).toMatchObject({ request: { uri: "/docs/index.html", headers: { host: { value: "example.org" }, "x-forwarded-host": { value: "example.org" } } } });
  });

  it("leaves the metered built-ins looking native, and no collector reachable after a clean repeat", async () => {
    const fn = await load(`function handler(event) {
      if (event.request.uri === '/heavy') { var a = []; for (var i = 0; i < 3000; i++) a.push({ v: [i, i, i, i, i, i, i, i, i, i, i, i, i, i, i, i, i, i, i, i, i, i, i, i, i, i, i, i, i, i, i, i, i, i, i, i, i, i, i, i, i, i, i, i, i, i, i, i, i, i, i, i, i, i, i, i, i, i, i, i, i, i, i, i, i, i, i, i, i, i, i, i, i, i, i, i, i, i, i, i, i, i, i, i, i, i, i, i, i, i, i, i, i, i, i, i, i, i, i, i, i, i, i, i, i, i, i, i, i, i, i, i, i, i, i, i, i, i, i, i, i, i, i, i, i, i, i, i, i, i, i, i, i, i, i, i, i, i, i, i, i, i, i, i, i, i, i, i, i, i, i, i, i] }); }
      var u = new Uint8Array(2);
      console.log(String(''.repeat), String([].join), String(Uint8Array), String(Function.prototype.toString));
      console.log(u instanceof Uint8Array, u.constructor === Uint8Array, Buffer.alloc(1) instanceof Uint8Array, typeof gc, Object.getOwnPropertyNames(globalThis).indexOf('gc'));
      return event.request;
    }`);
    expect((await fn.run(event("/heavy"))).error?.text).toBe(MEMORY_ERROR);
    const result = await fn.run(event("/light"));
    expect(result.logs).toEqual([
      "function repeat() { [native code] } function join() { [native code] } function Uint8Array() { [native code] } function toString() { [native code] }",
      "true true true undefined -1",
    ]);
  });
});
