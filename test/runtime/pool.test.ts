import { afterAll, describe, expect, it } from "vitest";
import { viewerRequestEvent } from "../../src/runtime/builders.js";
import { RunnerPool } from "../../src/runtime/pool.js";

describe("RunnerPool", () => {
  const pool = new RunnerPool(1);
  afterAll(() => pool.close());

  it("sends a function's code once, and again when the worker has dropped it from its warm set", async () => {
    const codes = Array.from({ length: 40 }, (_, i) => new TextEncoder().encode(`function handler(event) { console.log('fn ${i}'); return event.request; }`));
    for (const [i, code] of codes.entries()) {
      expect((await pool.run(code, "cloudfront-js-2.0", viewerRequestEvent())).logs).toEqual([`fn ${i}`]);
    }
    // The first functions were evicted (the worker keeps 32 warm); running them again must still work.
    for (const i of [0, 1, 39]) {
      expect((await pool.run(codes[i]!, "cloudfront-js-2.0", viewerRequestEvent())).logs).toEqual([`fn ${i}`]);
    }
  });

  it("runs many requests concurrently and answers each with its own result", async () => {
    const code = new TextEncoder().encode("function handler(event) { console.log(event.request.uri); return event.request; }");
    const results = await Promise.all(Array.from({ length: 50 }, (_, i) => pool.run(code, "cloudfront-js-2.0", viewerRequestEvent({ url: `/r${i}` }))));
    results.forEach((result, i) => expect(result.logs).toEqual([`/r${i}`]));
  });
});
