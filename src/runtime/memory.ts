import { setFlagsFromString } from "node:v8";
import { FUNCTION_MEMORY_BYTES, MEMORY_SUSPECT_GROWTH_BYTES } from "../limits.js";
import type { Context, Isolate, Reference } from "./ivm.js";

/**
 * The 2 MB memory judgement (docs/runtime.md, "Memory limit"). Two measures:
 *
 * - the allocation meter inside the isolate (modules/memory.ts): what the amplifying built-ins created,
 *   counted from lengths, so the same on every run and every Node major. Over the quota is final.
 * - V8 heap growth over the run, for what the meter does not see (objects built in loops, big literals).
 *   It depends on when V8 collects garbage (a collection during the run frees earlier runs' garbage,
 *   code compiled in the background lands in the heap), so on its own it only raises a suspicion; the
 *   run is then repeated from a clean state (after a full collection: runs are deterministic, frozen
 *   clock, same event, fresh state) and that run's growth decides. Warm runs pay nothing more than one
 *   heap reading; only a sandbox that raised a suspicion pays a collection per run.
 */

export type MemoryVerdict = "within" | "exceeded" | "suspect";

/**
 * One sandbox's memory judgement. Warm runs read the heap once, after the run (nothing runs in the
 * isolate between runs, so that reading is the next run's start). A run whose growth passes
 * MEMORY_SUSPECT_GROWTH_BYTES is suspect: the sandbox switches to clean runs for good (every run starts after a
 * full collection, so its growth is exactly what it kept, not what a collection happened to free) and
 * the suspect run is repeated as one; a clean run's growth decides.
 */
export class MemoryJudge {
  private collector: Collector | undefined;
  private clean = false;
  private atRest = 0;

  /** The context was (re)built: the heap now is where the next run starts. */
  settle(isolate: Isolate): void {
    this.atRest = heapInUse(isolate);
  }

  /** Before a run: the heap reading its growth is counted from. */
  begin(isolate: Isolate): number {
    if (!this.clean) return this.atRest;
    if (this.collector?.isolate !== isolate) {
      this.collector?.release();
      this.collector = new Collector(isolate);
    }
    this.collector.collect();
    return heapInUse(isolate);
  }

  /** After a run: `metered` is the allocation meter's count; a failed run's heap growth is not judged. */
  end(isolate: Isolate, before: number, metered: number, failed: boolean): { verdict: MemoryVerdict; growth: number } {
    this.atRest = heapInUse(isolate);
    const growth = Math.max(0, this.atRest - before);
    if (metered > FUNCTION_MEMORY_BYTES) return { verdict: "exceeded", growth };
    if (failed) return { verdict: "within", growth };
    if (this.clean) return { verdict: growth > FUNCTION_MEMORY_BYTES ? "exceeded" : "within", growth };
    if (growth <= MEMORY_SUSPECT_GROWTH_BYTES) return { verdict: "within", growth };
    this.clean = true;
    return { verdict: "suspect", growth };
  }

  dispose(): void {
    this.collector?.release();
    this.collector = undefined;
  }
}

/** Heap in use: what V8 holds for JavaScript objects, plus backing stores outside it (ArrayBuffers). */
export function heapInUse(isolate: Isolate): number {
  const statistics = isolate.getHeapStatisticsSync();
  return statistics.used_heap_size + (statistics.externally_allocated_size ?? 0);
}

/**
 * V8's full garbage collection, reachable from the host only: V8 installs `gc` into contexts created while
 * its --expose-gc flag is on, so the flag is on only while a bare helper context is created, and `gc` is
 * held as a host-side reference. It collects the whole isolate; no function code ever runs in that context.
 */
export class Collector {
  private context: Context | undefined;
  private gc: Reference | undefined;

  constructor(readonly isolate: Isolate) {
    setFlagsFromString("--expose-gc");
    try {
      this.context = isolate.createContextSync();
    } finally {
      setFlagsFromString("--no-expose-gc");
    }
    this.gc = this.context.global.getSync("gc", { reference: true }) as Reference;
  }

  /** Without the function (a Node that refused the flag) a clean repeat still starts in a new context. */
  collect(): void {
    if (!this.isolate.isDisposed && this.gc?.typeof === "function") this.gc.applySync(undefined, []);
  }

  release(): void {
    if (!this.isolate.isDisposed) {
      this.gc?.release();
      this.context?.release();
    }
    this.gc = this.context = undefined;
  }
}
