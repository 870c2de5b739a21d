import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Worker } from "node:worker_threads";
import { afterAll, describe, expect, it, vi, type MockInstance } from "vitest";
import { viewerRequestEvent } from "../../src/runtime/builders.js";
import { RunnerPool } from "../../src/runtime/pool.js";
import type { PoolRequest } from "../../src/runtime/poolWorker.js";
import { responseOf } from "./loaded.js";

describe("RunnerPool", () => {
  const pool = new RunnerPool(1);
  afterAll(() => pool.close());

  /** What the pool posts to its workers: each run's request, with the code only when the worker lacks it. */
  const posted = (spy: MockInstance<Worker["postMessage"]>) => spy.mock.calls.flatMap(([requests]) => requests as PoolRequest[]);

  it("sends a function's code once, and again when the worker has dropped it from its warm set", async () => {
    const spy = vi.spyOn(Worker.prototype, "postMessage");
    try {
      const codes = Array.from({ length: 40 }, (_, i) => `function handler(event) { console.log('fn ${i}'); return event.request; }`);
      for (const [i, code] of codes.entries()) {
        expect((await pool.run(new TextEncoder().encode(code), "cloudfront-js-2.0", viewerRequestEvent())).logs).toEqual([`fn ${i}`]);
        expect((await pool.run(new TextEncoder().encode(code), "cloudfront-js-2.0", viewerRequestEvent())).logs).toEqual([`fn ${i}`]);
      }
      // Two runs of each function: its code went with the first only.
      expect(posted(spy).map((request) => request.code)).toEqual(codes.flatMap((code) => [code, undefined]));
      spy.mockClear();
      // The worker keeps 32 functions warm: the first ones were dropped, and the pool, which believes the worker
      // has them, learns so from its reply and sends the code again; the last one is still warm.
      for (const i of [0, 1, 39]) {
        expect((await pool.run(new TextEncoder().encode(codes[i]!), "cloudfront-js-2.0", viewerRequestEvent())).logs).toEqual([`fn ${i}`]);
      }
      expect(posted(spy).map((request) => request.code)).toEqual([undefined, codes[0], undefined, codes[1], undefined]);
    } finally {
      spy.mockRestore();
    }
  });

  it("runs many requests concurrently and answers each with its own result", async () => {
    const code = new TextEncoder().encode("function handler(event) { console.log(event.request.uri); return event.request; }");
    const results = await Promise.all(Array.from({ length: 50 }, (_, i) => pool.run(code, "cloudfront-js-2.0", viewerRequestEvent({ url: `/r${i}` }))));
    results.forEach((result, i) => expect(result.logs).toEqual([`/r${i}`]));
  });
});

describe("RunnerPool and functions that change a built-in on every run", () => {
  const pool = new RunnerPool(1);
  afterAll(() => pool.close());

  it("gives each run a clean context, whether built while the worker was idle or on demand", async () => {
    const code = "function handler(e) { var seen = Array.prototype.leak === undefined; Array.prototype.leak = 1; return { statusCode: 200, statusDescription: seen ? 'clean' : 'stale' }; }";
    const sequential: string[] = [];
    for (let i = 0; i < 5; i++) {
      sequential.push(responseOf((await pool.run(code, "cloudfront-js-1.0", viewerRequestEvent())).output)?.statusDescription ?? "failed");
      if (i % 2 === 0) await new Promise((resolve) => setTimeout(resolve, 20));
    }
    const together = await Promise.all(Array.from({ length: 5 }, () => pool.run(code, "cloudfront-js-1.0", viewerRequestEvent())));
    expect([...sequential, ...together.map((r) => responseOf(r.output)?.statusDescription ?? "failed")]).toEqual(Array(10).fill("clean"));
  });
});

describe("RunnerPool and the process", () => {
  const pool = new URL("../../dist/src/runtime/pool.js", import.meta.url).href;
  const builders = new URL("../../dist/src/runtime/builders.js", import.meta.url).href;
  const script = `
    const { RunnerPool } = await import(${JSON.stringify(pool)});
    const { viewerRequestEvent } = await import(${JSON.stringify(builders)});
    const runner = new RunnerPool(2);
    const code = "function handler(event) { console.log(event.request.uri); return event.request; }";
    const results = await Promise.all([1, 2, 3].map((n) => runner.run(code, "cloudfront-js-2.0", viewerRequestEvent({ url: "/" + n }))));
    console.log(JSON.stringify(results.map((result) => result.error ? result.error.text : result.logs.join())));`;
  /** Runs the script in a Node process of its own; never close()d: it must end by itself (or the call times out). */
  const runScript = (args: string[]) => JSON.parse(execFileSync(process.execPath, args, { encoding: "utf8", timeout: 60_000 })) as string[];

  it("does not keep the process alive once every run has answered", () => {
    const dir = mkdtempSync(join(tmpdir(), "edgelite-pool-"));
    try {
      writeFileSync(join(dir, "script.mjs"), script);
      expect(runScript([join(dir, "script.mjs")])).toEqual(["/1", "/2", "/3"]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("fails the runs, and lets the process end, when its workers cannot start", () => {
    // Workers inherit the process's flags, and --input-type is refused outside the main thread.
    const texts = runScript(["--input-type=module", "-e", script]);
    expect(texts).toHaveLength(3);
    for (const text of texts) expect(text).toMatch(/^InternalError: the function runner stopped: .*--input-type/);
  });
});
