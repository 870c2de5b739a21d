import { Worker } from "node:worker_threads";
import { afterAll, describe, expect, it, vi } from "vitest";
import { viewerRequestEvent } from "../../src/runtime/builders.js";
import { RunnerPool } from "../../src/runtime/pool.js";

describe("RunnerPool when a worker dies mid-run", () => {
  const pool = new RunnerPool(1);
  afterAll(() => pool.close());

  it("fails the run it held with a clear error, and runs the next request on a new worker", async () => {
    const spy = vi.spyOn(Worker.prototype, "postMessage");
    try {
      const slow = "function handler(event) { var s = 0; for (var i = 0; i < 3000; i++) { s += i; } return event.request; }";
      const fast = "function handler(event) { console.log('after'); return event.request; }";
      // A run of a function never seen before goes to the worker alone; the worker is killed while it holds it.
      const held = pool.run(slow, "cloudfront-js-2.0", viewerRequestEvent());
      for (let i = 0; i < 500 && spy.mock.calls.length === 0; i++) await new Promise((resolve) => setTimeout(resolve, 5));
      expect(spy.mock.calls).toHaveLength(1);
      const first = spy.mock.contexts[0] as Worker;
      await first.terminate();
      const failed = await held;
      expect(failed.error?.name).toBe("InternalError");
      expect(failed.errorMessage).toMatch(/InternalError: the function runner stopped: exit code \d+$/);

      const next = await pool.run(fast, "cloudfront-js-2.0", viewerRequestEvent());
      expect(next.error).toBeUndefined();
      expect(next.logs).toEqual(["after"]);
      const workers = new Set(spy.mock.contexts);
      expect(workers.size).toBe(2);
      expect(spy.mock.contexts.at(-1)).not.toBe(first);
      // The new worker did not inherit the dead one's warm set: the function it never saw comes with its code.
      const again = await pool.run(slow, "cloudfront-js-2.0", viewerRequestEvent());
      expect(again.error).toBeUndefined();
      const lastRequests = spy.mock.calls.at(-1)![0] as Array<{ code?: string }>;
      expect(lastRequests[0]!.code).toBe(slow);
    } finally {
      spy.mockRestore();
    }
  });
});
