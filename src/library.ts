import type { KvsData } from "./runtime/engine.js";
import { CompiledFunction, type RunOptions, type RunResult } from "./runtime/function.js";
import { checkEvent, parseEvent, type FunctionEvent } from "./runtime/event.js";
import type { RuntimeName } from "./runtime/types.js";

export interface LoadOptions {
  runtime?: RuntimeName;
  /**
   * A key value store for cf.kvs() (2.0): its keys and values, or `{ id, data }` to make cf.kvs(id) check
   * the id as CloudFront does (without an id, any id is accepted).
   */
  kvs?: Record<string, string> | { id: string; data: Record<string, string> };
}

export interface LoadedFunction {
  /** Runs the handler against an event (an object, or JSON text), as TestFunction would, plus production validation. */
  run(event: FunctionEvent | string, options?: RunOptions): Promise<RunResult>;
  /** Frees the sandbox (a V8 isolate). */
  dispose(): void;
}

/**
 * Loads a CloudFront function for unit tests: no server, the same sandbox and rules as TestFunction.
 *
 *     const fn = await loadFunction(code, { runtime: "cloudfront-js-2.0" });
 *     const { output, logs, error } = await fn.run(viewerRequestEvent({ url: "/index.html" }));
 */
export async function loadFunction(code: string, options: LoadOptions = {}): Promise<LoadedFunction> {
  const compiled = new CompiledFunction(code, options.runtime ?? "cloudfront-js-2.0");
  const kvs = options.kvs === undefined ? undefined : localStore(options.kvs);
  return {
    async run(event, runOptions) {
      const parsed = typeof event === "string" ? parseEvent(event) : checkEvent(event);
      if (!parsed) throw new TypeError("The provided event object is not valid (see viewerRequestEvent / viewerResponseEvent).");
      return compiled.run(parsed, kvs && !runOptions?.kvs ? { ...runOptions, kvs } : runOptions);
    },
    dispose: () => compiled.dispose(),
  };
}

function localStore(input: NonNullable<LoadOptions["kvs"]>): KvsData {
  const withId = typeof input.id === "string" && typeof input.data === "object" && input.data !== null;
  const data = withId ? (input.data as Record<string, string>) : (input as Record<string, string>);
  const entries = new Map(Object.entries(data).map(([key, value]) => [key, String(value)]));
  const now = new Date().toISOString();
  return { id: withId ? (input.id as string) : "*", entries, meta: { creationDateTime: now, lastUpdatedDateTime: now, keyCount: entries.size } };
}
