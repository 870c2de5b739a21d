import { afterAll, describe, expect, it } from "vitest";
import { viewerRequestEvent } from "../../src/runtime/builders.js";
import { InlineRunner } from "../../src/runtime/inline.js";
import { RunnerPool } from "../../src/runtime/pool.js";

describe("the edge's inline runner", () => {
  const pool = new RunnerPool(1);
  const runner = new InlineRunner(pool);
  afterAll(async () => {
    runner.close();
    await pool.close();
  });

  it("runs a function on this thread with the same result as the pool", async () => {
    const code = "function handler(event) { event.request.headers['x-ran'] = { value: 'inline' }; return event.request; }";
    const event = viewerRequestEvent({ url: "/a" });
    const inline = await runner.run(code, "cloudfront-js-2.0", event);
    const pooled = await pool.run(code, "cloudfront-js-2.0", event);
    expect(inline).toEqual(pooled);
    expect(inline.output && "request" in inline.output ? inline.output.request.headers["x-ran"] : undefined).toEqual({ value: "inline" });
  });

  it("moves a function the wall clock stops to the pool, where it fails as CloudFront would", async () => {
    const code = "function handler(event) { return /^(a+)+$/.test('aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa!') ? event.request : event.request; }";
    const first = await runner.run(code, "cloudfront-js-2.0", viewerRequestEvent({}));
    expect(first.error?.text).toBe("InternalError: execution time limit exceeded");
    expect(first.computeUtilization).toBe(100);
    // Now on the pool: the call returns a promise instead of running on this thread.
    const second = runner.run(code, "cloudfront-js-2.0", viewerRequestEvent({}));
    expect(second).toBeInstanceOf(Promise);
    expect((await second).error?.text).toBe("InternalError: execution time limit exceeded");
  });
});
