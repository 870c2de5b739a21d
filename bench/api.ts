import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { spawnListening, summariseRounds, type SpawnedServer } from "./harness.js";
import { httpRequest, runLoad, type LoadOptions, type LoadResult } from "./loadgen.js";

/**
 * bench/api: DescribeFunction and durable UpdateFunction (SQLite, WAL, synchronous=FULL) against a
 * do-nothing Node server answering a fixed XML body, all in the same run, alternating rounds so drift
 * on a noisy machine hits every contender alike. Each server runs in its own process; the load comes
 * from a raw-socket closed-loop generator (loadgen.ts). Goals (issue 2): Describe ≥ 0.6, Update ≥ 0.3.
 */
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const DURATION_MS = Number(process.env.BENCH_DURATION_MS ?? 4000);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 50);
const CODE = Buffer.from("function handler(event) { return event.request; }").toString("base64");
const UPDATE_BODY = Buffer.from(
  `<?xml version="1.0" encoding="UTF-8"?><UpdateFunctionRequest xmlns="http://cloudfront.amazonaws.com/doc/2020-05-31/"><FunctionConfig><Comment>bench</Comment><Runtime>cloudfront-js-2.0</Runtime></FunctionConfig><FunctionCode>${CODE}</FunctionCode></UpdateFunctionRequest>`,
);
const CREATE = (name: string) =>
  `<CreateFunctionRequest xmlns="http://cloudfront.amazonaws.com/doc/2020-05-31/"><Name>${name}</Name><FunctionConfig><Comment/><Runtime>cloudfront-js-2.0</Runtime></FunctionConfig><FunctionCode>${CODE}</FunctionCode></CreateFunctionRequest>`;

export async function benchApi(): Promise<Record<string, unknown>> {
  const here = fileURLToPath(new URL(".", import.meta.url));
  const dataDir = mkdtempSync(join(tmpdir(), "edgelite-bench-"));
  const baseline = await spawnListening(process.execPath, [join(here, "baselineServer.js")]);
  const edgelite = await spawnListening(process.execPath, [join(here, "../../bin/edgelite.js"), "serve", "--port", "0", "--quiet", "--data-dir", dataDir, "--max-functions", String(CONNECTIONS + 1)]);
  try {
    // One function to describe, and one per connection to update, so that no two updates race for an ETag.
    const writers = Array.from({ length: CONNECTIONS }, (_, i) => `writer-${i}`);
    for (const name of ["bench", ...writers]) {
      const res = await fetch(`${edgelite.url}/2020-05-31/function`, { method: "POST", body: CREATE(name) });
      if (res.status !== 201) throw new Error(`could not create ${name}: ${res.status} ${await res.text()}`);
    }
    const etags = writers.map(() => "");
    const host = new URL(edgelite.url).host;
    const describeRequest = httpRequest("GET", "/2020-05-31/function/bench/describe", host);
    const baselineRequest = httpRequest("GET", "/2020-05-31/function/bench/describe", new URL(baseline.url).host);

    type Run = LoadResult & { cpuMicrosPerRequest?: number };
    /** Load plus the server's own CPU per request: steadier than throughput when the machine is noisy. */
    const measure = async (server: SpawnedServer, options: Omit<LoadOptions, "url" | "connections" | "durationMs">): Promise<Run> => {
      const before = server.cpuMicros();
      const result = await runLoad({ url: server.url, connections: CONNECTIONS, durationMs: DURATION_MS, ...options });
      const after = server.cpuMicros();
      return before === undefined || after === undefined ? result : { ...result, cpuMicrosPerRequest: +((after - before) / result.requests).toFixed(1) };
    };
    // The yardstick gets the very requests each operation gets: the Describe GET, and the Update PUT with its body.
    const baselineHost = new URL(baseline.url).host;
    const baselineUpdate = (i: number) => httpRequest("PUT", `/2020-05-31/function/${writers[i]}`, baselineHost, { "If-Match": "ETVPDKIKX0DER" }, UPDATE_BODY);
    const runs: Record<"baseline" | "baselinePut" | "describe" | "update", Run[]> = { baseline: [], baselinePut: [], describe: [], update: [] };
    for (let round = 0; round < ROUNDS; round++) {
      runs.baseline.push(await measure(baseline, { request: () => baselineRequest }));
      runs.baselinePut.push(await measure(baseline, { request: baselineUpdate }));
      runs.describe.push(await measure(edgelite, { request: () => describeRequest }));
      // A round ending by time may cut a request off after the server applied it: read the true ETags first.
      for (const [i, name] of writers.entries()) {
        etags[i] = (await fetch(`${edgelite.url}/2020-05-31/function/${name}/describe`)).headers.get("etag")!;
      }
      runs.update.push(
        await measure(edgelite, {
          request: (i) => httpRequest("PUT", `/2020-05-31/function/${writers[i]}`, host, { "If-Match": etags[i]! }, UPDATE_BODY),
          onResponse: (i, status, headers) => {
            if (status === 200) etags[i] = headers.get("etag")!;
          },
        }),
      );
    }
    const base = summariseRounds(runs.baseline);
    const basePut = summariseRounds(runs.baselinePut);
    const describe = summariseRounds(runs.describe);
    const update = summariseRounds(runs.update);
    return {
      rounds: ROUNDS,
      connections: CONNECTIONS,
      durationMs: DURATION_MS,
      baseline: base,
      baselineForUpdate: basePut,
      describeFunction: { ...describe, ratio: +(describe.requestsPerSecond / base.requestsPerSecond).toFixed(3), goal: 0.6 },
      updateFunction: {
        ...update,
        ratio: +(update.requestsPerSecond / basePut.requestsPerSecond).toFixed(3),
        ratioAgainstGetBaseline: +(update.requestsPerSecond / base.requestsPerSecond).toFixed(3),
        goal: 0.3,
        durable: "sqlite WAL synchronous=FULL",
      },
    };
  } finally {
    await edgelite.stop();
    await baseline.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}
