import type { EngineError, RuntimeName } from "./types.js";

/**
 * ComputeUtilization, deterministically: the same code and event give the same number on any machine
 * under any load. The sandbox counts the statements a run executes (the instrumentation inserts the
 * counter; crypto digests add their block work), and utilization is
 *
 *     base(runtime) + 0.001 × code bytes + 0.02 × statements [+ 25 when the handler returned a promise]
 *
 * rounded and kept within 1–100. The constants are fitted (least absolute deviation, rounded) to every
 * figure AWS has printed for known code and events: 17 figures from 15 runs, in test/fixtures/utilization
 * with their sources; docs/runtime.md ("ComputeUtilization") has the table, the residuals and the
 * leave-one-out check. Mean absolute difference: 2.5 points.
 */
const BASE: Record<RuntimeName, number> = {
  // The 2021 aws-samples 1.0 runs of one-to-ten-statement handlers read 10–20 (most 13–16).
  "cloudfront-js-1.0": 14,
  // The 2024 aws-samples 2.0 runs of synchronous handlers read 6–10.
  "cloudfront-js-2.0": 6,
};
/** Loading the code: the 3 KB JWT sample reads about 5 points above the one-line samples. */
const COST_PER_CODE_BYTE = 0.001;
/** One executed statement (the counter's unit). 100 is reached after 4,000–4,700 statements. */
export const COST_PER_STATEMENT = 0.02;
/**
 * A handler that returns a promise: the one async handler AWS measured (fujiwara/cfft's 2.0 example)
 * read 27–47 where synchronous 2.0 handlers of the same size read 6–10.
 */
const ASYNC_HANDLER_COST = 25;

/** What a finished run cost: its counted statements, its code's size, and whether the handler was async. */
export interface RunWork {
  statements: number;
  codeBytes: number;
  /** The handler returned a promise (the run settled in a later job). */
  awaited: boolean;
}

function cost(runtime: RuntimeName, work: RunWork): number {
  return BASE[runtime] + work.codeBytes * COST_PER_CODE_BYTE + work.statements * COST_PER_STATEMENT + (work.awaited ? ASYNC_HANDLER_COST : 0);
}

/** ComputeUtilization of a run, 1–100. */
export function utilization(runtime: RuntimeName, work: RunWork): number {
  return Math.min(100, Math.max(1, Math.round(cost(runtime, work))));
}

/** The error of a run that went past 100, in the words the statement counter's stop has. */
export const COMPUTE_LIMIT_ERROR: EngineError = { name: "InternalError", message: "execution time limit exceeded", text: "InternalError: execution time limit exceeded" };

/**
 * Whether a completed run went past 100 — possible only for an async handler, whose fixed cost is known
 * once it has returned its promise; CloudFront stops such a run, so it fails like one the counter stopped.
 */
export function overBudget(runtime: RuntimeName, work: RunWork): boolean {
  return Math.round(cost(runtime, work)) > 100;
}

/**
 * The statement count at which utilization would pass 100 for a synchronous handler; the counter stops
 * the run there (an async handler past 100 is caught by overBudget when it settles).
 */
export function statementBudget(runtime: RuntimeName, codeBytes: number): number {
  return Math.max(0, Math.floor((100 - BASE[runtime] - codeBytes * COST_PER_CODE_BYTE) / COST_PER_STATEMENT));
}
