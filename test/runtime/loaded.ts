import { afterEach } from "vitest";
import { loadFunction, type LoadedFunction } from "../../src/index.js";
import type { RuntimeName } from "../../src/runtime/types.js";

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
