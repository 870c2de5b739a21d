import { Sandbox } from "../src/runtime/engine.js";
import { gate } from "../src/runtime/gate.js";
import { viewerRequestEvent } from "../src/index.js";
import { median } from "./harness.js";

/**
 * bench/fresh-state: what fresh state per run costs, for the candidates docs/runtime.md compares.
 * - the write barrier's warm path on the loop the old static analysis sent to a new context per run;
 * - a new context per run (what that analysis did, and what a run that changes a built-in still gets);
 * - the barrier's own cost: a write-heavy handler with the barrier against the same code without it;
 * each against a direct call of the same handler with the same JSON round trip, alternating, same process.
 */
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const ITERATIONS = Number(process.env.BENCH_FRESH_ITERATIONS ?? 5_000);
const RUNTIME = "cloudfront-js-1.0" as const;

const LOOP = `function handler(event) {
  var qs = event.request.querystring;
  var keys = Object.keys(qs);
  for (var i = 0; i < keys.length; i++) qs[keys[i]].value = qs[keys[i]].value.toLowerCase();
  var headers = event.request.headers;
  for (var name in headers) { var entry = headers[name]; entry.value = entry.value.trim(); }
  return event.request;
}`;

const WRITES = `function handler(event) {
  var counts = {};
  var list = [];
  for (var i = 0; i < 400; i++) { counts['k' + (i % 20)] = (counts['k' + (i % 20)] || 0) + 1; list.push(i); }
  event.request.headers['x-count'] = { value: String(list.length) };
  return event.request;
}`;

/** The same code with a built-in changed on every run: the context cannot be kept. */
const CHANGES_A_BUILT_IN = LOOP.replace("function handler(event) {", "function handler(event) {\n  String.prototype.shout = function () { return this.toUpperCase(); };");

function perSecond(iterations: number, body: () => void): number {
  const started = performance.now();
  for (let i = 0; i < iterations; i++) body();
  return Math.round(iterations / ((performance.now() - started) / 1000));
}

export async function benchFreshState(): Promise<Record<string, unknown>> {
  const event = viewerRequestEvent({
    url: "https://www.example.com/Shop/?Color=Red&Size=XL&utm_source=Mail&utm_medium=Email&Page=2",
    headers: { "user-agent": " Mozilla/5.0 (X11; Linux x86_64) ", accept: " text/html ", "accept-language": " de-DE " },
  });
  const eventJson = JSON.stringify(event);
  const input = { eventJson, rawQuery: null, now: 0, statementLimit: 1_000_000 };
  const sandbox = (code: string) => new Sandbox(gate(code, RUNTIME), RUNTIME);
  const direct = (code: string) => new Function(`${code}\nreturn handler;`)() as (e: unknown) => unknown;

  const barrierFree = gate(WRITES, RUNTIME);
  const hook = /\$e[\w$]*w\(/.exec(barrierFree.code)![0];
  const withoutBarrier = new Sandbox({ ...barrierFree, code: barrierFree.code.split(hook).join("(") }, RUNTIME);

  const cases = {
    loopWarm: { run: sandbox(LOOP), direct: direct(LOOP), iterations: ITERATIONS },
    loopNewContextPerRun: { run: sandbox(CHANGES_A_BUILT_IN), direct: direct(LOOP), iterations: Math.max(50, Math.round(ITERATIONS / 50)) },
    writesWithBarrier: { run: sandbox(WRITES), direct: direct(WRITES), iterations: ITERATIONS },
    writesWithoutBarrier: { run: withoutBarrier, direct: direct(WRITES), iterations: ITERATIONS },
  };
  const samples = new Map<string, { sandbox: number[]; direct: number[] }>();
  for (let round = 0; round < ROUNDS; round++) {
    for (const [name, c] of Object.entries(cases)) {
      const entry = samples.get(name) ?? { sandbox: [], direct: [] };
      entry.direct.push(perSecond(c.iterations * 4, () => JSON.stringify(c.direct(JSON.parse(eventJson)))));
      entry.sandbox.push(perSecond(c.iterations, () => c.run.run(input)));
      samples.set(name, entry);
    }
  }
  const figures: Record<string, unknown> = {};
  for (const [name, entry] of samples) {
    const sandboxPerSecond = median(entry.sandbox);
    const directPerSecond = median(entry.direct);
    figures[name] = { sandboxPerSecond, directPerSecond, ratio: +(sandboxPerSecond / directPerSecond).toFixed(3), contexts: cases[name as keyof typeof cases].run.contextsCreated };
  }
  for (const c of Object.values(cases)) c.run.dispose();
  const warm = figures.loopWarm as { sandboxPerSecond: number };
  const fresh = figures.loopNewContextPerRun as { sandboxPerSecond: number };
  const withBarrier = figures.writesWithBarrier as { sandboxPerSecond: number };
  const noBarrier = figures.writesWithoutBarrier as { sandboxPerSecond: number };
  return {
    rounds: ROUNDS,
    ...figures,
    warmOverNewContext: +(warm.sandboxPerSecond / fresh.sandboxPerSecond).toFixed(1),
    barrierCost: +(1 - withBarrier.sandboxPerSecond / noBarrier.sandboxPerSecond).toFixed(3),
  };
}
