import { loadFunction } from "../src/index.js";
import type { KvsData } from "../src/runtime/engine.js";
import { CompiledFunction } from "../src/runtime/function.js";
import { directHandler, type DirectHandler } from "./direct.js";
import { benchCases, type BenchCase } from "./handlers/cases.js";
import { median } from "./harness.js";

/**
 * bench/runtime: realistic CloudFront functions (bench/handlers/) each run through `loadFunction(…).run`
 * (the sandbox: isolate call, fresh state per run, statement meter, output normalisation and validation)
 * against a direct call of the same handler in plain Node with the same JSON round trip, in the same
 * process, alternating rounds. Goal (issue 10): every handler ≥ 0.5× the direct call.
 */
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
/** How long each side runs per round. */
const ROUND_MS = Number(process.env.BENCH_RUNTIME_ROUND_MS ?? 200);
/** Runs of a fresh CompiledFunction after which the bench counts the contexts it built (1: the warm path held). */
const REUSE_PROBE_RUNS = 20;
const GOAL = 0.5;

interface Sample {
  perSecond: number;
  p50Us: number;
  p99Us: number;
  /** CPU time of the whole process per call (user + system, all threads), in µs: less sensitive than wall time to a loaded machine. */
  cpuUs: number;
}

function summarise(latencies: number[], elapsedMs: number, cpu: NodeJS.CpuUsage): Sample {
  latencies.sort((a, b) => a - b);
  const at = (q: number) => +(latencies[Math.floor(q * (latencies.length - 1))]! * 1000).toFixed(1);
  return { perSecond: Math.round(latencies.length / (elapsedMs / 1000)), p50Us: at(0.5), p99Us: at(0.99), cpuUs: +((cpu.user + cpu.system) / latencies.length).toFixed(1) };
}

/** Calls `once` for at least ROUND_MS (and 20 times), timing each call. */
async function round(once: () => unknown): Promise<Sample> {
  const latencies: number[] = [];
  const cpu = process.cpuUsage();
  const started = performance.now();
  let now = started;
  while (now - started < ROUND_MS || latencies.length < 20) {
    const t = now;
    const pending = once();
    if (pending instanceof Promise) await pending;
    now = performance.now();
    latencies.push(now - t);
  }
  return summarise(latencies, now - started, process.cpuUsage(cpu));
}

const pick = (samples: Sample[]): Sample => ({
  perSecond: median(samples.map((s) => s.perSecond)),
  p50Us: median(samples.map((s) => s.p50Us)),
  p99Us: median(samples.map((s) => s.p99Us)),
  cpuUs: median(samples.map((s) => s.cpuUs)),
});

function storeOf(entries: Map<string, string> | undefined): KvsData | undefined {
  if (!entries) return undefined;
  const now = new Date().toISOString();
  return { id: "*", entries, meta: { creationDateTime: now, lastUpdatedDateTime: now, keyCount: entries.size } };
}

/** Contexts a fresh compile of the code builds over REUSE_PROBE_RUNS runs. */
function contextsOver(benchCase: BenchCase, kvs: KvsData | undefined): number {
  const compiled = new CompiledFunction(benchCase.code, benchCase.runtime);
  try {
    for (let i = 0; i < REUSE_PROBE_RUNS; i++) compiled.run(benchCase.event, kvs ? { kvs } : {});
    return compiled.contextsCreated;
  } finally {
    compiled.dispose();
  }
}

export interface HandlerFigures {
  handler: string;
  runtime: string;
  lines: number;
  direct: Sample;
  sandbox: Sample & { computeUtilization: number; contextReused: boolean; contextsPerRun: number };
  ratio: number;
  /** Direct CPU time per call over the sandbox's (median of the rounds). */
  cpuRatio: number;
}

async function measure(benchCase: BenchCase): Promise<HandlerFigures> {
  const kvs = storeOf(benchCase.kvs);
  const runOptions = kvs ? { kvs } : {};
  const fn = await loadFunction(benchCase.code, { runtime: benchCase.runtime });
  const check = await fn.run(benchCase.event, runOptions);
  if (check.error || check.validationErrors.length > 0) throw new Error(`bench handler ${benchCase.name} failed: ${check.errorMessage || check.validationErrors.join(" ")}`);
  const eventJson = JSON.stringify(benchCase.event);
  const direct: DirectHandler = directHandler(benchCase.code, benchCase.kvs);
  const directAsync = direct(JSON.parse(eventJson)) instanceof Promise;
  const callDirect = directAsync ? async () => JSON.stringify(await direct(JSON.parse(eventJson))) : () => JSON.stringify(direct(JSON.parse(eventJson)));
  const callSandbox = () => fn.run(benchCase.event, runOptions);
  const contexts = contextsOver(benchCase, kvs);

  // One untimed round each, so both sides are compiled and warm before the first measured one.
  await round(callDirect);
  await round(callSandbox);
  const runs = { direct: [] as Sample[], sandbox: [] as Sample[] };
  for (let i = 0; i < ROUNDS; i++) {
    runs.direct.push(await round(callDirect));
    runs.sandbox.push(await round(callSandbox));
  }
  fn.dispose();
  const ratios = runs.sandbox.map((sample, i) => sample.perSecond / runs.direct[i]!.perSecond);
  const cpuRatios = runs.sandbox.map((sample, i) => runs.direct[i]!.cpuUs / sample.cpuUs);
  return {
    handler: benchCase.name,
    runtime: benchCase.runtime,
    lines: benchCase.code.trim().split("\n").length,
    direct: pick(runs.direct),
    sandbox: { ...pick(runs.sandbox), computeUtilization: check.computeUtilization, contextReused: contexts === 1, contextsPerRun: +(contexts / REUSE_PROBE_RUNS).toFixed(2) },
    // The median of the rounds' ratios: each round pairs the two sides under the same load.
    ratio: +median(ratios).toFixed(3),
    cpuRatio: +median(cpuRatios).toFixed(3),
  };
}

function table(figures: HandlerFigures[]): string {
  const header = ["handler", "rt", "sandbox/s", "direct/s", "ratio", "sbx p50/p99 µs", "dir p50/p99 µs", "cpu µs sbx/dir", "cpu ratio", "CU", "context"];
  const rows = figures.map((f) => [
    f.handler,
    f.runtime.endsWith("1.0") ? "1.0" : "2.0",
    String(f.sandbox.perSecond),
    String(f.direct.perSecond),
    f.ratio.toFixed(3),
    `${f.sandbox.p50Us}/${f.sandbox.p99Us}`,
    `${f.direct.p50Us}/${f.direct.p99Us}`,
    `${f.sandbox.cpuUs}/${f.direct.cpuUs}`,
    f.cpuRatio.toFixed(3),
    String(f.sandbox.computeUtilization),
    f.sandbox.contextReused ? "reused" : `new ×${f.sandbox.contextsPerRun}/run`,
  ]);
  const widths = header.map((title, i) => Math.max(title.length, ...rows.map((row) => row[i]!.length)));
  return [header, ...rows].map((row) => "| " + row.map((cell, i) => cell.padEnd(widths[i]!)).join(" | ") + " |").join("\n");
}

export async function benchRuntime(): Promise<Record<string, unknown>> {
  const figures: HandlerFigures[] = [];
  for (const benchCase of benchCases()) figures.push(await measure(benchCase));
  const slowest = figures.reduce((low, f) => (f.ratio < low.ratio ? f : low));
  console.error(table(figures));
  const slowestCpu = figures.reduce((low, f) => (f.cpuRatio < low.cpuRatio ? f : low));
  console.error(`slowest ratio: ${slowest.ratio} (${slowest.handler}); by CPU time: ${slowestCpu.cpuRatio} (${slowestCpu.handler}); goal ≥ ${GOAL}`);
  return { rounds: ROUNDS, roundMs: ROUND_MS, goal: GOAL, slowest: { handler: slowest.handler, ratio: slowest.ratio }, handlers: figures };
}

