import { describe, expect, it } from "vitest";
import { loadFunction } from "../../src/index.js";
import { CASES } from "./cases.js";

describe("conformance: documented CloudFront behaviour", () => {
  for (const testCase of CASES) {
    for (const runtime of testCase.runtimes) {
      it(`${testCase.name} [${runtime}]`, async () => {
        const fn = await loadFunction(testCase.code, { runtime });
        try {
          const result = await fn.run(JSON.stringify(testCase.event));
          if (testCase.errorMessage !== undefined) {
            expect(result.errorMessage).toBe(testCase.errorMessage);
            expect(result.output).toBeUndefined();
          } else {
            expect(result.errorMessage).toBe("");
            expect(result.output).toEqual(testCase.output);
            // FunctionOutput keeps AWS's key order, e.g. headers, statusDescription, cookies, statusCode.
            expect(JSON.stringify(result.output)).toBe(JSON.stringify(testCase.output));
          }
          if (testCase.logs) expect(result.logs).toEqual(testCase.logs);
          expect(result.computeUtilization).toBe(testCase.utilization[runtime]);
        } finally {
          fn.dispose();
        }
      });
    }
  }
});
