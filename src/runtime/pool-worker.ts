import { parentPort } from "node:worker_threads";
import type { FunctionEvent } from "./event.js";
import { CompiledFunction, type RunOptions, type RunResult } from "./function.js";
import type { RuntimeName } from "./types.js";

/**
 * A worker thread of the RunnerPool: owns a set of warm compiled functions (one isolate each) and runs
 * them on request, so that a slow or hostile function never blocks the server's event loop.
 */
export type PoolRequest = { id: number; key: string; code: string; runtime: RuntimeName; event: FunctionEvent; now?: number };
export type PoolReply = { id: number; result: RunResult } | { id: number; failure: string };

const MAX_WARM = 32;
const warm = new Map<string, CompiledFunction>();

function compiled(key: string, code: string, runtime: RuntimeName): CompiledFunction {
  let fn = warm.get(key);
  if (fn) {
    warm.delete(key);
  } else {
    fn = new CompiledFunction(code, runtime);
    if (warm.size >= MAX_WARM) {
      const [oldestKey, oldest] = warm.entries().next().value as [string, CompiledFunction];
      warm.delete(oldestKey);
      oldest.dispose();
    }
  }
  warm.set(key, fn);
  return fn;
}

parentPort!.on("message", (request: PoolRequest) => {
  try {
    const options: RunOptions = request.now === undefined ? {} : { now: new Date(request.now) };
    const result = compiled(request.key, request.code, request.runtime).run(request.event, options);
    parentPort!.postMessage({ id: request.id, result } satisfies PoolReply);
  } catch (error) {
    parentPort!.postMessage({ id: request.id, failure: error instanceof Error ? error.message : String(error) } satisfies PoolReply);
  }
});
