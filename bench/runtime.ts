import { loadFunction, viewerRequestEvent } from "../src/index.js";
import { median } from "./harness.js";

/**
 * bench/runtime: a realistic viewer-request handler run through `fn.run` (the sandbox: isolate call,
 * fresh top-level state per run, statement meter, output normalisation and validation) against a
 * direct call of the same handler in plain Node with the same JSON round-trip, in the same process
 * and run, alternating rounds. Goal (issue 3): ratio ≥ 0.5.
 */
export const HANDLER = `
var REDIRECTS = { '/old': '/new', '/blog/old-post': '/blog/new-post' };
var seen = 0;

function normalizePath(uri) {
  var path = uri.toLowerCase();
  if (path.length > 1 && path.endsWith('/')) path = path.slice(0, -1);
  return path;
}

function handler(event) {
  seen++;
  var request = event.request;
  var headers = request.headers;
  var host = headers.host ? headers.host.value : '';
  var path = normalizePath(request.uri);

  if (REDIRECTS[path]) {
    return {
      statusCode: 301,
      statusDescription: 'Moved Permanently',
      headers: { location: { value: 'https://' + host + REDIRECTS[path] } },
    };
  }

  if (!path.includes('.')) path = path + '/index.html';
  request.uri = path;

  var device = 'desktop';
  var ua = headers['user-agent'] ? headers['user-agent'].value : '';
  if (/Mobile|Android|iPhone/.test(ua)) device = 'mobile';
  headers['x-device'] = { value: device };

  var qs = request.querystring;
  if (qs.utm_source) delete qs.utm_source;
  if (qs.lang) headers['accept-language'] = { value: qs.lang.value };

  var session = request.cookies.session ? request.cookies.session.value : '';
  headers['x-session-present'] = { value: session ? 'true' : 'false' };
  headers['x-request-count'] = { value: String(seen) };
  return request;
}
`;

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const ITERATIONS = Number(process.env.BENCH_RUNTIME_ITERATIONS ?? 20_000);

interface Sample {
  perSecond: number;
  p50Us: number;
  p99Us: number;
}

function summarise(latencies: number[], elapsedMs: number): Sample {
  latencies.sort((a, b) => a - b);
  const at = (q: number) => +(latencies[Math.floor(q * (latencies.length - 1))]! * 1000).toFixed(1);
  return { perSecond: Math.round(latencies.length / (elapsedMs / 1000)), p50Us: at(0.5), p99Us: at(0.99) };
}

export async function benchRuntime(): Promise<Record<string, unknown>> {
  const event = viewerRequestEvent({
    url: "https://www.example.com/Products/Shoes/?utm_source=mail&lang=de",
    headers: { "user-agent": "Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) Mobile", accept: "text/html" },
    cookies: { session: "abc123" },
  });
  const eventJson = JSON.stringify(event);
  // The same code, compiled by Node itself: what a hand-rolled "just call it" test harness does.
  const direct = new Function(`${HANDLER}\nreturn handler;`)() as (e: unknown) => unknown;
  const fn = await loadFunction(HANDLER, { runtime: "cloudfront-js-1.0" });

  const check = await fn.run(event);
  if (check.error) throw new Error(`the bench handler failed: ${check.errorMessage}`);

  const runs = { direct: [] as Sample[], sandbox: [] as Sample[] };
  for (let round = 0; round < ROUNDS; round++) {
    {
      const latencies: number[] = [];
      const started = performance.now();
      for (let i = 0; i < ITERATIONS; i++) {
        const t = performance.now();
        JSON.stringify(direct(JSON.parse(eventJson)));
        latencies.push(performance.now() - t);
      }
      runs.direct.push(summarise(latencies, performance.now() - started));
    }
    {
      const latencies: number[] = [];
      const started = performance.now();
      for (let i = 0; i < ITERATIONS; i++) {
        const t = performance.now();
        await fn.run(event);
        latencies.push(performance.now() - t);
      }
      runs.sandbox.push(summarise(latencies, performance.now() - started));
    }
  }
  fn.dispose();
  const pick = (samples: Sample[]) => ({
    perSecond: median(samples.map((s) => s.perSecond)),
    p50Us: median(samples.map((s) => s.p50Us)),
    p99Us: median(samples.map((s) => s.p99Us)),
  });
  const directSummary = pick(runs.direct);
  const sandboxSummary = pick(runs.sandbox);
  return {
    rounds: ROUNDS,
    iterations: ITERATIONS,
    handlerLines: HANDLER.trim().split("\n").length,
    direct: directSummary,
    sandbox: { ...sandboxSummary, computeUtilization: check.computeUtilization, freshStatePerRun: true },
    ratio: +(sandboxSummary.perSecond / directSummary.perSecond).toFixed(3),
    goal: 0.5,
  };
}
