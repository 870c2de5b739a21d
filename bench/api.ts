import { CloudFrontClient, CreateFunctionCommand } from "@aws-sdk/client-cloudfront";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { load, median, spawnListening, type Measured } from "./harness.js";

/**
 * bench/api: DescribeFunction and durable UpdateFunction (SQLite, WAL, synchronous=FULL) against a
 * do-nothing Node server answering a fixed XML body, all in the same run, alternating rounds so drift
 * on a noisy machine hits every contender alike. Goals (issue 2): Describe ≥ 0.6, Update ≥ 0.3.
 */
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 50);
const CODE = Buffer.from("function handler(event) { return event.request; }").toString("base64");
const UPDATE_BODY = `<?xml version="1.0" encoding="UTF-8"?><UpdateFunctionRequest xmlns="http://cloudfront.amazonaws.com/doc/2020-05-31/"><FunctionConfig><Comment>bench</Comment><Runtime>cloudfront-js-2.0</Runtime></FunctionConfig><FunctionCode>${CODE}</FunctionCode></UpdateFunctionRequest>`;

export async function benchApi(): Promise<Record<string, unknown>> {
  const here = fileURLToPath(new URL(".", import.meta.url));
  const dataDir = mkdtempSync(join(tmpdir(), "edgelite-bench-"));
  const baseline = await spawnListening(process.execPath, [join(here, "baseline-server.js")]);
  const edgelite = await spawnListening(process.execPath, [join(here, "../../bin/edgelite.js"), "serve", "--port", "0", "--quiet", "--data-dir", dataDir]);
  try {
    const client = new CloudFrontClient({ endpoint: edgelite.url, region: "us-east-1", credentials: { accessKeyId: "a", secretAccessKey: "b" } });
    const names = ["bench", ...Array.from({ length: CONNECTIONS }, (_, i) => `writer-${i}`)];
    for (const name of names) {
      await client.send(new CreateFunctionCommand({ Name: name, FunctionConfig: { Comment: "", Runtime: "cloudfront-js-2.0" }, FunctionCode: Buffer.from("function handler(e){return e.request}") }));
    }
    client.destroy();

    // Every in-flight request holds its own function (a free one is taken per request and given back on
    // the response) and sends that function's current ETag, so no request should 412. A round that ends
    // by time leaves requests unanswered; `resync` reads the true ETags back before the next round.
    const writers = names.filter((name) => name !== "bench");
    const etags = new Map<string, string>();
    let free: string[] = [];
    const resync = async () => {
      for (const name of writers) {
        const res = await fetch(`${edgelite.url}/2020-05-31/function/${name}/describe`);
        etags.set(name, res.headers.get("etag")!);
      }
      free = [...writers];
    };
    const updateRequests = [
      {
        method: "PUT" as const,
        body: UPDATE_BODY,
        setupRequest: (request: Record<string, any>, context: Record<string, any>) => {
          const name = free.shift()!;
          context.name = name;
          return { ...request, path: `/2020-05-31/function/${name}`, headers: { ...request.headers, "if-match": etags.get(name)! } };
        },
        onResponse: (status: number, _body: string, context: Record<string, any>, headers: Record<string, string>) => {
          if (status === 200) etags.set(context.name, headers.etag ?? headers.ETag ?? "");
          free.push(context.name);
        },
      },
    ];

    const runs: Record<string, Measured[]> = { baseline: [], describe: [], update: [] };
    for (let round = 0; round < ROUNDS; round++) {
      runs.baseline!.push(await load({ url: `${baseline.url}/2020-05-31/function/bench/describe`, connections: CONNECTIONS }));
      runs.describe!.push(await load({ url: `${edgelite.url}/2020-05-31/function/bench/describe`, connections: CONNECTIONS }));
      await resync();
      runs.update!.push(await load({ url: edgelite.url, connections: CONNECTIONS, requests: updateRequests as any }));
    }
    const summary = (list: Measured[]) => ({
      requestsPerSecond: Math.round(median(list.map((m) => m.requestsPerSecond))),
      p50Ms: median(list.map((m) => m.p50Ms)),
      p99Ms: median(list.map((m) => m.p99Ms)),
      errors: list.reduce((n, m) => n + m.errors, 0),
      non2xx: list.reduce((n, m) => n + m.non2xx, 0),
    });
    const baselineRps = summary(runs.baseline!).requestsPerSecond;
    const describe = summary(runs.describe!);
    const update = summary(runs.update!);
    return {
      rounds: ROUNDS,
      connections: CONNECTIONS,
      baseline: summary(runs.baseline!),
      describeFunction: { ...describe, ratio: +(describe.requestsPerSecond / baselineRps).toFixed(3), goal: 0.6 },
      updateFunction: { ...update, ratio: +(update.requestsPerSecond / baselineRps).toFixed(3), goal: 0.3, durable: "sqlite WAL synchronous=FULL" },
    };
  } finally {
    await edgelite.stop();
    await baseline.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}
