/**
 * CloudFront's Server-Timing header (CloudFront Developer Guide, "Understand response headers policies",
 * Server-Timing header): which responses get it and its metrics.
 */

/** What the metrics are made of, for one response. */
export interface ServerTimingFacts {
  /** Where the response came from: the cache (Hit, RefreshHit) or the origin (Miss, and origin errors). */
  cache: "Hit" | "RefreshHit" | "Miss";
  /** Milliseconds from sending the origin request to its response's head, when the origin was asked. */
  originWaitMs: number | undefined;
  /** Milliseconds from receiving the viewer's request to now (the first byte goes out next). */
  downstreamMs: number;
  requestId: string;
  pop: string;
  /** The origin's own Server-Timing value (a miss keeps it after CloudFront's metrics). */
  originValue: string | undefined;
}

/**
 * Whether this response gets Server-Timing: a share of responses given by SamplingRate (0–100), and always
 * when the request carries `Pragma: server-timing` ("Sampling rate and Pragma request header").
 */
export function serverTimingSampled(samplingRate: number, pragma: readonly string[], random: () => number = Math.random): boolean {
  if (pragma.some((value) => value.split(",").some((token) => token.trim().toLowerCase() === "server-timing"))) return true;
  return random() * 100 < samplingRate;
}

const ms = (value: number) => Math.max(0, Math.round(value));

/**
 * The header's value, in the order of the guide's examples. A miss: cdn-upstream-layer, cdn-upstream-dns,
 * cdn-upstream-connect, cdn-upstream-fbl, cdn-cache-miss, cdn-pop, cdn-rid, cdn-downstream-fbl, then the
 * origin's own value. A hit: cdn-cache-hit (cdn-cache-refresh when revalidated), cdn-pop, cdn-rid,
 * cdn-hit-layer, cdn-downstream-fbl, and nothing of the origin's. edgelite is one edge location: the layer
 * is EDGE; it does not time DNS and the connection apart from the wait for the origin's first byte, so
 * cdn-upstream-dns and cdn-upstream-connect are 0 (the guide's "cached DNS result or reused connection")
 * and cdn-upstream-fbl is the whole wait.
 */
export function serverTimingValue(facts: ServerTimingFacts): string {
  const metrics: string[] = [];
  if (facts.originWaitMs !== undefined) {
    metrics.push('cdn-upstream-layer;desc="EDGE"', "cdn-upstream-dns;dur=0", "cdn-upstream-connect;dur=0", `cdn-upstream-fbl;dur=${ms(facts.originWaitMs)}`);
  }
  const hit = facts.cache !== "Miss";
  metrics.push(facts.cache === "Hit" ? "cdn-cache-hit" : facts.cache === "RefreshHit" ? "cdn-cache-refresh" : "cdn-cache-miss");
  metrics.push(`cdn-pop;desc="${facts.pop}"`, `cdn-rid;desc="${facts.requestId}"`);
  if (hit) metrics.push('cdn-hit-layer;desc="EDGE"');
  metrics.push(`cdn-downstream-fbl;dur=${ms(facts.downstreamMs)}`);
  if (!hit && facts.originValue !== undefined && facts.originValue.trim() !== "") metrics.push(facts.originValue);
  return metrics.join(",");
}
