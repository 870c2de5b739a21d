import autocannon from "autocannon";
import { fileURLToPath } from "node:url";
import { join } from "node:path";
import { spawnListening, summariseRounds, type RoundResult, type SpawnedServer } from "./harness.js";

/**
 * bench/edge: requests per second and p99 through the edge with a viewer-request and a viewer-response
 * function, against a bare Node reverse proxy to the same origin, in the same run (each server in its own
 * process, alternating rounds), load from autocannon. Goal (issue 5): ≥ 0.8 of the proxy's throughput and
 * ≤ 1 ms added p99. The cache-hit run (issue 13) does the same through a second distribution whose behaviour
 * caches (Managed-CachingOptimized): every request after the first is a Hit that never reaches the origin,
 * both functions still run. Goal: ≥ 1.0 of the proxy's throughput.
 */
const CACHING_OPTIMIZED = "658327ea-f89d-4fab-a63d-7e88639e58f6";
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const DURATION_SECONDS = Number(process.env.BENCH_DURATION_SECONDS ?? 5);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 50);
/** The paced phase: both servers at this many requests per second, to compare latency below saturation. */
const PACED_RATE = Number(process.env.BENCH_PACED_RATE ?? 1000);
const NS = 'xmlns="http://cloudfront.amazonaws.com/doc/2020-05-31/"';

const VIEWER_REQUEST = `function handler(event) {
  var request = event.request;
  if (request.uri.endsWith('/')) request.uri += 'index.html';
  request.headers['x-device'] = { value: /Mobile/.test(request.headers['user-agent'] ? request.headers['user-agent'].value : '') ? 'mobile' : 'desktop' };
  return request;
}`;
const VIEWER_RESPONSE = `function handler(event) {
  var headers = event.response.headers;
  headers['strict-transport-security'] = { value: 'max-age=63072000' };
  headers['x-content-type-options'] = { value: 'nosniff' };
  return event.response;
}`;


/** Closed loop at full speed, or (with `rate`) a fixed number of requests per second over 10 connections. */
async function load(url: string, path: string, host: string, server: SpawnedServer, rate?: number): Promise<RoundResult> {
  const cpuBefore = server.cpuMicros();
  const pacing = rate === undefined ? { connections: CONNECTIONS } : { connections: 10, overallRate: rate };
  const result = await autocannon({ url: url + path, ...pacing, duration: DURATION_SECONDS, headers: { host, "user-agent": "bench Mobile" } });
  const statuses: Record<string, number> = {};
  for (const [code, count] of Object.entries(result.statusCodeStats ?? {})) statuses[code] = (count as { count: number }).count;
  if (result.errors > 0) statuses.errors = result.errors;
  const cpuAfter = server.cpuMicros();
  const load: RoundResult = { requestsPerSecond: result.requests.average, p50Ms: result.latency.p50, p99Ms: result.latency.p99, statuses };
  if (cpuBefore !== undefined && cpuAfter !== undefined && result.requests.total > 0) load.cpuMicrosPerRequest = Math.round((cpuAfter - cpuBefore) / result.requests.total);
  return load;
}

async function api(url: string, method: string, path: string, body?: string, headers: Record<string, string> = {}): Promise<Response> {
  const res = await fetch(url + path, { method, body, headers });
  if (res.status >= 300) throw new Error(`${method} ${path}: ${res.status} ${await res.text()}`);
  return res;
}

export async function benchEdge(): Promise<Record<string, unknown>> {
  const here = fileURLToPath(new URL(".", import.meta.url));
  const origin = await spawnListening(process.execPath, [join(here, "baselineServer.js")]);
  const originAddress = new URL(origin.url);
  const proxy = await spawnListening(process.execPath, [join(here, "proxyServer.js"), originAddress.host]);
  // BENCH_PROFILE=<dir> writes a V8 CPU profile of the edgelite process there.
  const profile = process.env.BENCH_PROFILE ? ["--cpu-prof", `--cpu-prof-dir=${process.env.BENCH_PROFILE}`] : [];
  const edgelite = await spawnListening(process.execPath, [...profile, join(here, "../../bin/edgelite.js"), "serve", "--port", "0", "--quiet", "--in-memory"]);
  try {
    const arns: string[] = [];
    for (const [name, code] of [["bench-request", VIEWER_REQUEST], ["bench-response", VIEWER_RESPONSE]] as const) {
      const created = await api(edgelite.url, "POST", "/2020-05-31/function", `<CreateFunctionRequest ${NS}><Name>${name}</Name><FunctionConfig><Comment/><Runtime>cloudfront-js-2.0</Runtime></FunctionConfig><FunctionCode>${Buffer.from(code).toString("base64")}</FunctionCode></CreateFunctionRequest>`);
      await api(edgelite.url, "POST", `/2020-05-31/function/${name}/publish`, undefined, { "if-match": created.headers.get("etag")! });
      arns.push(/<FunctionARN>([^<]+)</.exec(await created.text())![1]!);
    }
    const distribution = async (reference: string, cachePolicy: string) => {
      const created = await api(
        edgelite.url,
        "POST",
        "/2020-05-31/distribution",
        `<DistributionConfig ${NS}><CallerReference>${reference}</CallerReference><Comment/><Enabled>true</Enabled>` +
          `<Origins><Quantity>1</Quantity><Items><Origin><Id>o</Id><DomainName>${originAddress.hostname}</DomainName><CustomOriginConfig><HTTPPort>${originAddress.port}</HTTPPort><HTTPSPort>443</HTTPSPort><OriginProtocolPolicy>http-only</OriginProtocolPolicy></CustomOriginConfig></Origin></Items></Origins>` +
          `<DefaultCacheBehavior><TargetOriginId>o</TargetOriginId><ViewerProtocolPolicy>allow-all</ViewerProtocolPolicy>${cachePolicy}<FunctionAssociations><Quantity>2</Quantity><Items>` +
          `<FunctionAssociation><FunctionARN>${arns[0]}</FunctionARN><EventType>viewer-request</EventType></FunctionAssociation>` +
          `<FunctionAssociation><FunctionARN>${arns[1]}</FunctionARN><EventType>viewer-response</EventType></FunctionAssociation>` +
          `</Items></FunctionAssociations></DefaultCacheBehavior></DistributionConfig>`,
      );
      return /<DomainName>(d[^<]+)<\/DomainName>/.exec(await created.text())![1]!;
    };
    const domain = await distribution("bench", "");
    const cachedDomain = await distribution("bench-cached", `<CachePolicyId>${CACHING_OPTIMIZED}</CachePolicyId>`);
    const runs = { proxy: [] as RoundResult[], edge: [] as RoundResult[], cached: [] as RoundResult[], pacedProxy: [] as RoundResult[], pacedEdge: [] as RoundResult[], pacedCached: [] as RoundResult[] };
    for (let round = 0; round < ROUNDS; round++) {
      runs.proxy.push(await load(proxy.url, "/products/index.html", new URL(proxy.url).host, proxy));
      runs.edge.push(await load(edgelite.url, "/products/", domain, edgelite));
      runs.cached.push(await load(edgelite.url, "/products/", cachedDomain, edgelite));
      runs.pacedProxy.push(await load(proxy.url, "/products/index.html", new URL(proxy.url).host, proxy, PACED_RATE));
      runs.pacedEdge.push(await load(edgelite.url, "/products/", domain, edgelite, PACED_RATE));
      runs.pacedCached.push(await load(edgelite.url, "/products/", cachedDomain, edgelite, PACED_RATE));
    }
    const bare = summariseRounds(runs.proxy);
    const edge = summariseRounds(runs.edge);
    const cached = summariseRounds(runs.cached);
    const pacedBare = summariseRounds(runs.pacedProxy);
    const pacedEdge = summariseRounds(runs.pacedEdge);
    const pacedCached = summariseRounds(runs.pacedCached);
    return {
      rounds: ROUNDS,
      connections: CONNECTIONS,
      bareProxy: bare,
      edge,
      ratio: +(edge.requestsPerSecond / bare.requestsPerSecond).toFixed(3),
      addedP99Ms: +(edge.p99Ms - bare.p99Ms).toFixed(3),
      paced: { requestsPerSecond: PACED_RATE, bareProxy: pacedBare, edge: pacedEdge, addedP50Ms: +(pacedEdge.p50Ms - pacedBare.p50Ms).toFixed(3), addedP99Ms: +(pacedEdge.p99Ms - pacedBare.p99Ms).toFixed(3) },
      cacheHit: {
        edge: cached,
        ratio: +(cached.requestsPerSecond / bare.requestsPerSecond).toFixed(3),
        addedP99Ms: +(cached.p99Ms - bare.p99Ms).toFixed(3),
        paced: { edge: pacedCached, addedP50Ms: +(pacedCached.p50Ms - pacedBare.p50Ms).toFixed(3), addedP99Ms: +(pacedCached.p99Ms - pacedBare.p99Ms).toFixed(3) },
        goal: { ratio: 1.0 },
      },
      goals: { ratio: 0.8, addedP99Ms: 1 },
    };
  } finally {
    await edgelite.stop();
    await proxy.stop();
    await origin.stop();
  }
}
