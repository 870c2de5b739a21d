import { INLINE_WALL_CLOCK_LIMIT_MS } from "../limits.js";
import { codeDigest } from "./codeKey.js";
import type { FunctionEvent } from "./event.js";
import { CompiledFunction, type RunResult } from "./function.js";
import type { PoolKvs, RunnerPool } from "./pool.js";
import type { RuntimeName } from "./types.js";

const MAX_WARM = 64;

/**
 * The edge's fast path: runs a function on the calling thread (its own isolate still; no Node, no disk,
 * no network), sparing the worker round trip and the structured clones of the event and the result.
 * Runs are capped at INLINE_WALL_CLOCK_LIMIT_MS of wall clock; a function that reaches the cap (a
 * catastrophic regular expression, say: the statement meter does not see inside one) is moved to the
 * worker pool for good and that request re-run there, so it can stall the event loop only once.
 */
export class InlineRunner {
  private readonly warm = new Map<string, CompiledFunction>();
  private readonly demoted = new Set<string>();

  constructor(private readonly pool: RunnerPool) {}

  run(code: Uint8Array | string, runtime: RuntimeName, event: FunctionEvent, options: { now?: Date; kvs?: PoolKvs; rawQueryString?: string | null } = {}): Promise<RunResult> | RunResult {
    const key = codeDigest(code, runtime).toString("base64");
    if (this.demoted.has(key)) return this.pool.run(code, runtime, event, options);
    const fn = this.compiled(key, code, runtime);
    const result = fn.run(event, {
      wallClockLimitMs: INLINE_WALL_CLOCK_LIMIT_MS,
      ...(options.now ? { now: options.now } : {}),
      ...(options.kvs ? { kvs: options.kvs.load() } : {}),
      ...(options.rawQueryString !== undefined ? { rawQueryString: options.rawQueryString } : {}),
    });
    if (!result.timedOut) return result;
    this.demoted.add(key);
    this.warm.delete(key);
    fn.dispose();
    return this.pool.run(code, runtime, event, options);
  }

  close(): void {
    for (const fn of this.warm.values()) fn.dispose();
    this.warm.clear();
  }

  private compiled(key: string, code: Uint8Array | string, runtime: RuntimeName): CompiledFunction {
    let fn = this.warm.get(key);
    if (fn) {
      // Most recently used last, so the first entry is the one to evict.
      this.warm.delete(key);
    } else {
      fn = new CompiledFunction(typeof code === "string" ? code : new TextDecoder().decode(code), runtime);
      if (this.warm.size >= MAX_WARM) {
        const [oldestKey, oldest] = this.warm.entries().next().value as [string, CompiledFunction];
        this.warm.delete(oldestKey);
        oldest.dispose();
      }
    }
    this.warm.set(key, fn);
    return fn;
  }
}
