import type { RuntimeName } from "./types.js";

/**
 * ComputeUtilization, deterministically: the sandbox counts statements executed (the gate inserts the
 * counter), and utilization is a fixed base per runtime plus a cost per statement. The same code and
 * event give the same number on any machine under any load.
 *
 * Calibration against values AWS published for its samples: small header functions report 13–16 on
 * cloudfront-js-1.0 and ~10 on 2.0, the JWT sample (a few hundred statements of decoding plus an HMAC)
 * 19. A base of 12 (1.0) / 8 (2.0) and 0.005 per statement reproduce that range; 100 is reached after
 * about 18,000 statements, and one more is an execution error (the run is stopped there).
 */
const BASE: Record<RuntimeName, number> = { "cloudfront-js-1.0": 12, "cloudfront-js-2.0": 8 };
export const COST_PER_STATEMENT = 0.005;

export function utilization(runtime: RuntimeName, statements: number): number {
  return Math.min(100, Math.max(1, Math.round(BASE[runtime] + statements * COST_PER_STATEMENT)));
}

/** The statement count at which utilization would pass 100. */
export function statementBudget(runtime: RuntimeName): number {
  return Math.floor((100 - BASE[runtime]) / COST_PER_STATEMENT);
}
