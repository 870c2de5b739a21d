import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { viewerRequestEvent } from "../../src/index.js";
import { statementBudget } from "../../src/runtime/meter.js";
import type { RuntimeName } from "../../src/runtime/types.js";
import { disposedAfterEachTest } from "./loaded.js";

/** One run AWS printed ComputeUtilization for: the code, the event, AWS's figure(s) and edgelite's. */
interface UtilizationCase {
  id: string;
  code: string;
  event: string;
  runtime: RuntimeName;
  /** Every figure AWS printed for this code and event (the same run repeated reads differently). */
  aws: number[];
  /** What edgelite's model gives: exact, so a change in the model or in the counting shows up here. */
  edgelite: number;
  /** The run's clock, when the code reads it (the JWT sample checks exp/nbf). */
  now?: string;
  figureSource: string;
  eventSource: string;
}

const FIXTURES = new URL("../fixtures/utilization/", import.meta.url);
const cases = JSON.parse(readFileSync(new URL("cases.json", FIXTURES), "utf8")) as UtilizationCase[];
/** The fixtures' header (`// @source …`, `// @note …`) is not part of the code AWS ran. */
const codeOf = (file: string) => readFileSync(new URL(file, FIXTURES), "utf8").replace(/^(\/\/ @[^\n]*\n)+/, "");
/** The goal: on average within 4 points of what AWS printed (AWS's own figures for one run wander by up to 20). */
const MEAN_DIFFERENCE_GOAL = 4;

const load = disposedAfterEachTest();

async function figureOf(testCase: UtilizationCase): Promise<number> {
  const fn = await load(codeOf(testCase.code), testCase.runtime);
  const result = await fn.run(readFileSync(new URL(testCase.event, FIXTURES), "utf8"), testCase.now ? { now: new Date(testCase.now) } : {});
  expect(result.error, testCase.id).toBeUndefined();
  return result.computeUtilization;
}

describe("ComputeUtilization against every figure AWS printed for known code", () => {
  it("has the fixtures it claims (code without its source header, an event, AWS's figures)", () => {
    expect(cases.length).toBeGreaterThanOrEqual(15);
    for (const testCase of cases) {
      expect(readFileSync(new URL(testCase.code, FIXTURES), "utf8"), testCase.id).toMatch(/^\/\/ @source https:\/\/github\.com\//);
      expect(codeOf(testCase.code), testCase.id).not.toMatch(/@source/);
      expect(testCase.aws.length, testCase.id).toBeGreaterThan(0);
    }
  });

  for (const testCase of cases) {
    it(`${testCase.id}: AWS ${testCase.aws.join(", ")}, edgelite ${testCase.edgelite}`, async () => {
      expect(await figureOf(testCase)).toBe(testCase.edgelite);
    });
  }

  it(`stays within ${MEAN_DIFFERENCE_GOAL} points of AWS's figures on average`, async () => {
    const differences: number[] = [];
    for (const testCase of cases) {
      const figure = await figureOf(testCase);
      for (const printed of testCase.aws) differences.push(Math.abs(figure - printed));
    }
    const mean = differences.reduce((sum, difference) => sum + difference, 0) / differences.length;
    expect(mean).toBeLessThanOrEqual(MEAN_DIFFERENCE_GOAL);
  });
});

describe("the compute limit", () => {
  const event = () => viewerRequestEvent({ url: "https://example.org/index.html" });

  it("leaves thousands of statements to a function before it stops it", () => {
    for (const runtime of ["cloudfront-js-1.0", "cloudfront-js-2.0"] as const) {
      expect(statementBudget(runtime, 10_240)).toBeGreaterThan(3_000);
      expect(statementBudget(runtime, 0)).toBeLessThan(10_000);
    }
  });

  it("stops an async handler that loops forever at 100, as an execution error", async () => {
    const fn = await load("async function handler(event) { await null; for (;;) {} }", "cloudfront-js-2.0");
    const result = await fn.run(event());
    expect(result.error?.name).toBe("InternalError");
    expect(result.computeUtilization).toBe(100);
  });

  it("charges an async handler for its promise, and fails one whose total passes 100 like a stopped run", async () => {
    const loop = (count: number, prefix: string) => `${prefix}function handler(event) { var s = 0; for (var i = 0; i < ${count}; i++) { s += i; } return event.request; }`;
    const [sync, awaited, heavy] = await Promise.all([load(loop(10, ""), "cloudfront-js-2.0"), load(loop(10, "async "), "cloudfront-js-2.0"), load(loop(4_000, "async "), "cloudfront-js-2.0")]);
    const syncFigure = (await sync.run(event())).computeUtilization;
    const awaitedFigure = (await awaited.run(event())).computeUtilization;
    expect(awaitedFigure).toBeGreaterThan(syncFigure + 20);
    // 4,000 iterations fit a synchronous handler's budget but not with the async handler's fixed cost.
    const sameLoopSync = await (await load(loop(4_000, ""), "cloudfront-js-2.0")).run(event());
    expect(sameLoopSync.error).toBeUndefined();
    const stopped = await heavy.run(event());
    expect(stopped.errorMessage).toMatch(/InternalError: execution time limit exceeded$/);
    expect(stopped.computeUtilization).toBe(100);
    expect(stopped.output).toBeUndefined();
  });
});
