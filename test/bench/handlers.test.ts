import { afterEach, describe, expect, it, vi } from "vitest";
import { directHandler } from "../../bench/direct.js";
import { benchCases } from "../../bench/handlers/cases.js";
import { loadFunction } from "../../src/index.js";
import { normaliseOutput } from "../../src/runtime/event.js";
import { CompiledFunction } from "../../src/runtime/function.js";

/**
 * bench/runtime compares each handler in the sandbox with a direct call in Node: the comparison is only
 * fair if both do the same work, so both must produce the same output for the bench's event.
 */
describe("bench/runtime's handlers", () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  for (const benchCase of benchCases()) {
    it(`${benchCase.name}: the sandbox and the direct call give the same output`, async () => {
      const now = new Date("2026-06-01T12:00:00.000Z");
      vi.useFakeTimers({ toFake: ["Date"], now });
      const kvs = benchCase.kvs ? { id: "*", entries: benchCase.kvs, meta: { creationDateTime: now.toISOString(), lastUpdatedDateTime: now.toISOString(), keyCount: benchCase.kvs.size } } : undefined;
      const fn = await loadFunction(benchCase.code, { runtime: benchCase.runtime });
      const result = await fn.run(benchCase.event, { now, ...(kvs ? { kvs } : {}) });
      fn.dispose();
      expect(result.errorMessage).toBe("");
      expect(result.validationErrors).toEqual([]);
      const returned = await directHandler(benchCase.code, benchCase.kvs)(JSON.parse(JSON.stringify(benchCase.event)));
      const direct = normaliseOutput(benchCase.event.context.eventType, JSON.parse(JSON.stringify(returned)));
      expect(JSON.stringify(result.output)).toBe(JSON.stringify(direct));
    });
  }
});

describe("CompiledFunction.contextsCreated", () => {
  it("stays at one while runs change nothing shared, and grows when a run changes a built-in", () => {
    const plain = new CompiledFunction("function handler(event) { event.request.headers['x-a'] = { value: 'b' }; return event.request; }", "cloudfront-js-2.0");
    const changing = new CompiledFunction("function handler(event) { String.prototype.shout = function () { return 'x'; }; return event.request; }", "cloudfront-js-2.0");
    const event = benchCases()[0]!.event;
    for (let i = 0; i < 5; i++) {
      plain.run(event);
      changing.run(event);
    }
    expect(plain.contextsCreated).toBe(1);
    expect(changing.contextsCreated).toBeGreaterThan(1);
    plain.dispose();
    changing.dispose();
  });
});
