import { loadFunction, viewerRequestEvent } from "../src/index.js";
import { median } from "./harness.js";

/**
 * bench/kvs: runs per second of a 2.0 function that reads a key with cf.kvs().get, against the same
 * function returning a constant instead, in the same process and run (the sandbox and event are the
 * same; the difference is the store lookup). Issue 4 asks for the ratio.
 */
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const ITERATIONS = Number(process.env.BENCH_KVS_ITERATIONS ?? 20_000);

const READS_KVS = `import cf from 'cloudfront';
const kvsHandle = cf.kvs();
async function handler(event) {
  const target = await kvsHandle.get(event.request.uri);
  event.request.headers['x-target'] = { value: target };
  return event.request;
}`;

const CONSTANT = `async function handler(event) {
  const target = '/new/500';
  event.request.headers['x-target'] = { value: target };
  return event.request;
}`;

export async function benchKvs(): Promise<Record<string, unknown>> {
  const data: Record<string, string> = {};
  for (let i = 0; i < 2000; i++) data[`/old/${i}`] = `/new/${i}`;
  const withKvs = await loadFunction(READS_KVS, { kvs: data });
  const constant = await loadFunction(CONSTANT);
  const event = viewerRequestEvent({ url: "https://example.org/old/500" });
  const check = await withKvs.run(event);
  if (check.error) throw new Error(check.errorMessage);

  const rate = async (fn: typeof withKvs) => {
    const started = performance.now();
    for (let i = 0; i < ITERATIONS; i++) await fn.run(event);
    return Math.round(ITERATIONS / ((performance.now() - started) / 1000));
  };
  const runs = { kvs: [] as number[], constant: [] as number[] };
  for (let round = 0; round < ROUNDS; round++) {
    runs.constant.push(await rate(constant));
    runs.kvs.push(await rate(withKvs));
  }
  withKvs.dispose();
  constant.dispose();
  const kvsRate = median(runs.kvs);
  const constantRate = median(runs.constant);
  return { rounds: ROUNDS, iterations: ITERATIONS, storeKeys: 2000, kvsGetPerSecond: kvsRate, constantPerSecond: constantRate, ratio: +(kvsRate / constantRate).toFixed(3) };
}
