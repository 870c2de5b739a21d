import type { Worker } from "node:worker_threads";
import { afterAll, describe, expect, it } from "vitest";
import { viewerRequestEvent } from "../../src/runtime/builders.js";
import { codeDigest } from "../../src/runtime/codeKey.js";
import type { RunResult } from "../../src/runtime/function.js";
import { RunnerPool, type PoolKvs } from "../../src/runtime/pool.js";
import { requestOf } from "./loaded.js";

/**
 * The pool's scheduling (docs/runtime.md, "Scheduling"), with real workers and real isolates. Slow runs are
 * catastrophic regular expressions, stopped by the 1 s wall-clock backstop; every assertion is about
 * counts and orderings, never durations.
 */
const RUNTIME = "cloudfront-js-2.0";
const TIME_LIMIT = "InternalError: execution time limit exceeded";

/** Fast for any URI but /slow, where `(a+)+$` backtracks until the wall clock stops it. */
const SOMETIMES_SLOW = `function handler(event) {
  var subject = event.request.uri === '/slow' ? 'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa!' : 'aaa';
  console.log(event.request.uri);
  if (/^(a+)+$/.test(subject)) event.request.headers['x-matched'] = { value: 'yes' };
  return event.request;
}`;
const SLOW_EVENT_URI = "/slow";
const slowEvent = () => viewerRequestEvent({ url: SLOW_EVENT_URI });

function steady(salt: number): string {
  return `// ${salt}
function handler(event) {
  var request = event.request;
  console.log(request.uri);
  request.headers['x-device'] = { value: /Mobile/.test(request.headers['user-agent'] ? request.headers['user-agent'].value : '') ? 'mobile' : 'desktop' };
  return request;
}`;
}

/** A steady handler that a scheduler pinning functions to workers by a hash of their code would put on `code`'s worker. */
function sharingWorkerWith(code: string, workers: number): string {
  const slot = (text: string) => codeDigest(text, RUNTIME).readUInt32BE(0) % workers;
  for (let salt = 0; ; salt++) if (slot(steady(salt)) === slot(code)) return steady(salt);
}

/** The pool's workers, to kill them (the one place a test reaches inside). */
function workersOf(pool: RunnerPool): Worker[] {
  return (pool as unknown as { slots: Array<{ worker: Worker }> }).slots.map((slot) => slot.worker);
}

describe("RunnerPool scheduling", () => {
  const pools: RunnerPool[] = [];
  const poolOf = (size: number) => {
    const pool = new RunnerPool(size);
    pools.push(pool);
    return pool;
  };
  afterAll(() => Promise.all(pools.map((pool) => pool.close())));

  it("finishes every run of an unrelated function requested during a burst of slow runs before the burst ends", async () => {
    const pool = poolOf(2);
    const other = sharingWorkerWith(SOMETIMES_SLOW, 2);
    const finished: string[] = [];
    const burst = Array.from({ length: 4 }, () => pool.run(SOMETIMES_SLOW, RUNTIME, slowEvent()).then((result) => (finished.push("A"), result)));
    const steadyResults: RunResult[] = [];
    for (let i = 0; i < 10; i++) {
      const result = await pool.run(other, RUNTIME, viewerRequestEvent({ url: `/b${i}`, headers: { "user-agent": "Mobile" } }));
      finished.push("B");
      steadyResults.push(result);
    }
    const burstResults = await Promise.all(burst);
    expect(burstResults.map((result) => result.error?.text)).toEqual(Array(4).fill(TIME_LIMIT));
    steadyResults.forEach((result, i) => {
      expect(result.logs).toEqual([`/b${i}`]);
      expect(requestOf(result.output)?.headers["x-device"]).toEqual({ value: "mobile" });
    });
    // The slow function runs on one worker at a time, so the other one serves B while the burst goes on.
    expect(finished.filter((who) => who === "A")).toHaveLength(4);
    expect(finished.lastIndexOf("B")).toBeLessThan(finished.lastIndexOf("A"));
  });

  it("on a single worker, takes turns: a run waits behind at most one run of a bursting function", async () => {
    const pool = poolOf(1);
    const other = steady(1);
    const finished: string[] = [];
    const burst = Array.from({ length: 3 }, () => pool.run(SOMETIMES_SLOW, RUNTIME, slowEvent()).then(() => finished.push("A")));
    for (let i = 0; i < 2; i++) {
      expect((await pool.run(other, RUNTIME, viewerRequestEvent({ url: `/b${i}` }))).logs).toEqual([`/b${i}`]);
      finished.push("B");
    }
    await Promise.all(burst);
    // Round robin across functions: B's first run, requested while A's first holds the worker, goes before
    // A's second; its second, requested once the first has answered, before A's second too.
    expect(finished).toEqual(["A", "B", "B", "A", "A"]);
  });

  it("keeps each function's runs in request order, each with its own result", async () => {
    const pool = poolOf(1);
    const order: string[] = [];
    const slowAt = (i: number) => i === 0 || i === 9;
    const runs = Array.from({ length: 20 }, (_, i) => {
      const code = i % 3 === 0 ? SOMETIMES_SLOW : steady(2);
      const uri = slowAt(i) ? SLOW_EVENT_URI : `/r${i}`;
      return pool.run(code, RUNTIME, viewerRequestEvent({ url: uri })).then((result) => {
        order.push(`${code === SOMETIMES_SLOW ? "A" : "B"}${i}`);
        return result;
      });
    });
    const results = await Promise.all(runs);
    results.forEach((result, i) => {
      if (slowAt(i)) expect(result.error?.text).toBe(TIME_LIMIT);
      else expect(result.logs).toEqual([`/r${i}`]);
    });
    for (const name of ["A", "B"]) {
      const mine = order.filter((entry) => entry.startsWith(name)).map((entry) => Number(entry.slice(1)));
      expect(mine).toEqual([...mine].sort((a, b) => a - b));
    }
  });

  it("hands back the rest of a batch when a run turns out slow, and runs it all", async () => {
    const pool = poolOf(1);
    // Warm, and known as fast: its next runs are batched together.
    expect((await pool.run(SOMETIMES_SLOW, RUNTIME, viewerRequestEvent({ url: "/warm" }))).error).toBeUndefined();
    const uris = [SLOW_EVENT_URI, "/f1", "/f2", SLOW_EVENT_URI, "/f3"];
    const order: string[] = [];
    const results = await Promise.all(uris.map((uri, i) => pool.run(SOMETIMES_SLOW, RUNTIME, viewerRequestEvent({ url: uri })).then((result) => (order.push(`${i}`), result))));
    expect(results.map((result) => (result.error ? result.error.text : result.logs.join()))).toEqual(uris.map((uri) => (uri === SLOW_EVENT_URI ? TIME_LIMIT : uri)));
    expect(order).toEqual(["0", "1", "2", "3", "4"]);
  });

  it("fails only the runs a killed worker held, replaces it, and runs everything else", async () => {
    const pool = poolOf(2);
    const other = steady(3);
    const burst = Array.from({ length: 3 }, () => pool.run(SOMETIMES_SLOW, RUNTIME, slowEvent()));
    // Once B has answered, A's first run is on a worker (both were dispatched together) for a whole second.
    expect((await pool.run(other, RUNTIME, viewerRequestEvent({ url: "/before" }))).error).toBeUndefined();
    await Promise.all(workersOf(pool).map((worker) => worker.terminate()));
    const after = await Promise.all(Array.from({ length: 5 }, (_, i) => pool.run(other, RUNTIME, viewerRequestEvent({ url: `/after${i}` }))));
    after.forEach((result, i) => expect(result.logs).toEqual([`/after${i}`]));
    const texts = (await Promise.all(burst)).map((result) => result.error?.text ?? "");
    const stopped = texts.filter((text) => text.startsWith("InternalError: the function runner stopped"));
    expect(stopped.length).toBeGreaterThanOrEqual(1);
    expect(texts.filter((text) => text === TIME_LIMIT)).toHaveLength(3 - stopped.length);
    // The replacements serve the slow function too.
    expect((await pool.run(SOMETIMES_SLOW, RUNTIME, viewerRequestEvent({ url: "/again" }))).logs).toEqual(["/again"]);
  });

  it("sends a key value store's data to each worker that lacks the version a run needs", async () => {
    const pool = poolOf(2);
    const reader = `import cf from 'cloudfront';
async function handler(event) {
  var value = await cf.kvs().get('colour');
  event.request.headers['x-colour'] = { value: value };
  return event.request;
}`;
    let loads = 0;
    const store = (version: string, colour: string): PoolKvs => ({
      id: "kvs-1",
      version,
      load: () => {
        loads++;
        return { id: "kvs-1", entries: new Map([["colour", colour]]), meta: { creationDateTime: "2026-01-01T00:00:00Z", lastUpdatedDateTime: "2026-01-01T00:00:00Z", keyCount: 1 } };
      },
    });
    const colours = async (kvs: PoolKvs, count: number) => {
      const results = await Promise.all(Array.from({ length: count }, () => pool.run(reader, RUNTIME, viewerRequestEvent(), { kvs })));
      return new Set(results.map((result) => requestOf(result.output)?.headers["x-colour"]?.value ?? result.errorMessage));
    };
    const red = store("v1", "red");
    expect(await colours(red, 1)).toEqual(new Set(["red"]));
    // Known as fast now: a crowd of runs fills both workers' batches.
    expect(await colours(red, 300)).toEqual(new Set(["red"]));
    expect(loads).toBe(2);
    expect(await colours(store("v2", "blue"), 300)).toEqual(new Set(["blue"]));
    expect(loads).toBe(4);
    expect(await colours(red, 5)).toEqual(new Set(["red"]));
  });

  it("runs more distinct functions at once than a worker keeps warm", async () => {
    const pool = poolOf(2);
    const codes = Array.from({ length: 45 }, (_, i) => `function handler(event) { console.log('fn ${i}', event.request.uri); return event.request; }`);
    for (let round = 0; round < 2; round++) {
      const results = await Promise.all(codes.flatMap((code, i) => [0, 1].map((n) => pool.run(code, RUNTIME, viewerRequestEvent({ url: `/${round}/${n}` })).then((result) => ({ i, n, result })))));
      for (const { i, n, result } of results) expect(result.logs).toEqual([`fn ${i} /${round}/${n}`]);
    }
  });
});
