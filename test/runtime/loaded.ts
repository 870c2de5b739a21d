import { afterEach } from "vitest";
import { loadFunction, type LoadedFunction } from "../../src/index.js";
import type { RuntimeName } from "../../src/runtime/types.js";
import type { FunctionOutput, FunctionRequest, FunctionResponse } from "../../src/runtime/event.js";

/** `loadFunction` for tests: every function loaded in a test is disposed after it. */
export function disposedAfterEachTest(): (code: string, runtime?: RuntimeName) => Promise<LoadedFunction> {
  const loaded: LoadedFunction[] = [];
  afterEach(() => {
    for (const fn of loaded.splice(0)) fn.dispose();
  });
  return async (code, runtime = "cloudfront-js-2.0") => {
    const fn = await loadFunction(code, { runtime });
    loaded.push(fn);
    return fn;
  };
}

/** The request a run returned, or undefined when it returned a response or failed. */
export const requestOf = (output: FunctionOutput | undefined): FunctionRequest | undefined => (output && "request" in output ? output.request : undefined);
/** The response a run returned, or undefined when it returned a request or failed. */
export const responseOf = (output: FunctionOutput | undefined): FunctionResponse | undefined => (output && "response" in output ? output.response : undefined);
