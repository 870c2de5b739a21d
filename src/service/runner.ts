import { createHash } from "node:crypto";
import { CompiledFunction, type RunOptions, type RunResult } from "../runtime/function.js";
import type { FunctionEvent } from "../runtime/event.js";
import type { Runtime } from "../store/types.js";

/** How many compiled functions (one V8 isolate each) stay warm. */
const MAX_WARM_FUNCTIONS = 32;

/**
 * Keeps compiled functions warm by (runtime, code): compiling and building a sandbox costs milliseconds,
 * a warm run tens of microseconds. Least recently used functions are disposed beyond the limit.
 */
export class FunctionRunner {
  private readonly warm = new Map<string, CompiledFunction>();

  run(code: Uint8Array, runtime: Runtime, event: FunctionEvent, options?: RunOptions): RunResult {
    const key = `${runtime}:${createHash("sha256").update(code).digest("base64")}`;
    let compiled = this.warm.get(key);
    if (compiled) {
      this.warm.delete(key);
    } else {
      compiled = new CompiledFunction(new TextDecoder().decode(code), runtime);
      if (this.warm.size >= MAX_WARM_FUNCTIONS) {
        const [oldestKey, oldest] = this.warm.entries().next().value as [string, CompiledFunction];
        this.warm.delete(oldestKey);
        oldest.dispose();
      }
    }
    this.warm.set(key, compiled);
    return compiled.run(event, options);
  }

  dispose(): void {
    for (const compiled of this.warm.values()) compiled.dispose();
    this.warm.clear();
  }
}
