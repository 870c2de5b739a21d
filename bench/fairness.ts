import { FUNCTION_WALL_CLOCK_LIMIT_MS } from "../src/limits.js";
import { viewerRequestEvent } from "../src/runtime/builders.js";
import { codeDigest } from "../src/runtime/codeKey.js";
import { RunnerPool } from "../src/runtime/pool.js";
import type { RunResult } from "../src/runtime/function.js";

/**
 * bench/fairness: what a runaway function does to an unrelated one. Through a RunnerPool (the edge's,
 * TestFunction's and `edgelite test`'s runner), function B — a small realistic viewer-request handler —
 * is requested steadily (one run every B_INTERVAL_MS, whether or not the previous one has answered),
 * first alone, then while function A is hit with a burst of BURST runs that each last until the 1 s
 * wall-clock backstop (a catastrophic regular expression: the statement meter does not see inside a
 * regex, so the wall clock is what stops it; an endless loop would be stopped by the meter within
 * microseconds). Reports B's latency in both phases. B's code is chosen so that a scheduler that pins a
 * function to a worker by a hash of its code (edgelite's before issue 10) puts A and B on the same worker,
 * for any pool size from 1 to 4: the worst case that scheduler allowed.
 */
const BURST = Number(process.env.BENCH_FAIRNESS_BURST ?? 10);
const B_INTERVAL_MS = Number(process.env.BENCH_FAIRNESS_INTERVAL_MS ?? 10);
const ALONE_MS = Number(process.env.BENCH_FAIRNESS_ALONE_MS ?? 3_000);

/** Exponential backtracking: `(a+)+$` against a run of a's that does not end the way it wants. */
export const RUNAWAY = `function handler(event) {
  var evil = 'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa!';
  if (/^(a+)+$/.test(evil)) event.request.uri = '/never';
  return event.request;
}`;

function steadyHandler(salt: number): string {
  return `// ${salt}
function handler(event) {
  var request = event.request;
  var headers = request.headers;
  if (request.uri.endsWith('/')) request.uri += 'index.html';
  var ua = headers['user-agent'] ? headers['user-agent'].value : '';
  headers['x-device'] = { value: /Mobile|Android|iPhone/.test(ua) ? 'mobile' : 'desktop' };
  if (request.querystring.utm_source) delete request.querystring.utm_source;
  return request;
}`;
}

/** Pool sizes 1 to 4 all divide 12: equal digests mod 12 share a worker under hash pinning. */
function sharingWorkerWith(code: string): string {
  const slot = (text: string) => codeDigest(text, "cloudfront-js-2.0").readUInt32BE(0) % 12;
  for (let salt = 0; ; salt++) if (slot(steadyHandler(salt)) === slot(code)) return steadyHandler(salt);
}

interface Latencies {
  runs: number;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
  /** Runs that waited as long as a whole run of A may last: what the scheduler is meant to prevent. */
  atLeastOneRunLimit: number;
}

function summarise(latencies: number[]): Latencies {
  const sorted = [...latencies].sort((a, b) => a - b);
  const at = (q: number) => +sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!.toFixed(2);
  return { runs: sorted.length, p50Ms: at(0.5), p99Ms: at(0.99), maxMs: +sorted[sorted.length - 1]!.toFixed(2), atLeastOneRunLimit: sorted.filter((ms) => ms >= FUNCTION_WALL_CLOCK_LIMIT_MS).length };
}

/** Requests B every B_INTERVAL_MS until `until` settles; resolves with every run's latency. */
async function steadily(pool: RunnerPool, code: string, until: Promise<unknown>): Promise<number[]> {
  const event = viewerRequestEvent({ url: "https://example.com/shop/?utm_source=mail", headers: { "user-agent": "Mobile" } });
  const runs: Array<Promise<number>> = [];
  let done = false;
  void until.then(() => (done = true));
  while (!done) {
    const started = performance.now();
    runs.push(
      pool.run(code, "cloudfront-js-2.0", event).then((result) => {
        if (result.error) throw new Error(`B failed: ${result.errorMessage}`);
        return performance.now() - started;
      }),
    );
    await new Promise((resolve) => setTimeout(resolve, B_INTERVAL_MS));
  }
  return Promise.all(runs);
}

export async function benchFairness(): Promise<Record<string, unknown>> {
  const pool = new RunnerPool();
  const steady = sharingWorkerWith(RUNAWAY);
  try {
    const warm = await pool.run(steady, "cloudfront-js-2.0", viewerRequestEvent());
    if (warm.error) throw new Error(`B failed: ${warm.errorMessage}`);
    const alone = summarise(await steadily(pool, steady, new Promise((resolve) => setTimeout(resolve, ALONE_MS))));

    const burstStarted = performance.now();
    const burstRuns: Array<Promise<RunResult>> = Array.from({ length: BURST }, () => pool.run(RUNAWAY, "cloudfront-js-2.0", viewerRequestEvent()));
    const burst = Promise.all(burstRuns);
    const during = summarise(await steadily(pool, steady, burst));
    const results = await burst;
    const burstMs = performance.now() - burstStarted;
    return {
      workers: pool.size,
      burst: { runs: BURST, totalMs: Math.round(burstMs), stoppedBy: [...new Set(results.map((r) => r.error?.text ?? "no error"))] },
      bIntervalMs: B_INTERVAL_MS,
      bAlone: alone,
      bDuringBurst: during,
      p99Ratio: +(during.p99Ms / alone.p99Ms).toFixed(1),
    };
  } finally {
    await pool.close();
  }
}
