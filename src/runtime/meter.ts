import type { RuntimeName } from "./types.js";

/**
 * ComputeUtilization, deterministically. The sandbox counts the statements a run executes (the gate
 * inserts the counter; crypto digests add their block work), and utilization is
 *
 *     base(runtime) + 0.002 × code bytes + 0.02 × statements
 *
 * rounded: a fixed cost, a cost for the size of the code (a request gets a fresh VM, so the function is
 * loaded every time) and the work done. The same code and event give the same number on any machine
 * under any load.
 *
 * Calibrated on AWS's published samples (shared/spec/runtime-errors.md §4 and the samples' READMEs):
 * small header functions report 10–16 on 1.0 and 6–10 on 2.0, the JWT sample (3 KB, ~80 statements and
 * an HMAC) 19; the model gives 10–11, 6–7 and 17–18. 100 is reached after roughly 4,000–4,500
 * statements; past it the run stops with an execution error.
 */
const BASE: Record<RuntimeName, number> = { "cloudfront-js-1.0": 9, "cloudfront-js-2.0": 5 };
const COST_PER_CODE_BYTE = 0.002;
export const COST_PER_STATEMENT = 0.02;

export function utilization(runtime: RuntimeName, statements: number, codeBytes: number): number {
  return Math.min(100, Math.max(1, Math.round(BASE[runtime] + codeBytes * COST_PER_CODE_BYTE + statements * COST_PER_STATEMENT)));
}

/** The statement count at which utilization would pass 100. */
export function statementBudget(runtime: RuntimeName, codeBytes: number): number {
  return Math.max(0, Math.floor((100 - BASE[runtime] - codeBytes * COST_PER_CODE_BYTE) / COST_PER_STATEMENT));
}
