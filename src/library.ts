import { CompiledFunction, type RunOptions, type RunResult } from "./runtime/function.js";
import { checkEvent, parseEvent, type FunctionEvent } from "./runtime/event.js";
import type { RuntimeName } from "./runtime/types.js";

export interface LoadOptions {
  runtime?: RuntimeName;
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
  return {
    async run(event, runOptions) {
      const parsed = typeof event === "string" ? parseEvent(event) : checkEvent(event);
      if (!parsed) throw new TypeError("The provided event object is not valid (see viewerRequestEvent / viewerResponseEvent).");
      return compiled.run(parsed, runOptions);
    },
    dispose: () => compiled.dispose(),
  };
}
