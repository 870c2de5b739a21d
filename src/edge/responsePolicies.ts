import type { UpstreamAnswer } from "./answers.js";
import type { Exchange } from "./exchange.js";
import { headerLinesOf, setCookieLinesOf } from "./responseLines.js";
import type { HeaderLine } from "./writer.js";

/**
 * Step (the last one): the response as CloudFront writes it. Its headers go out Title-Case with its cookies
 * back as Set-Cookie lines; its result is Error from status 400 up, else Hit or RefreshHit when the cache
 * answered (with `Age`, seconds in the cache) and Miss otherwise (X-Cache and the log). CloudFront's own
 * headers follow when it is written. A response headers policy is a step before this one that changes
 * `x.upstream.response`.
 */
export function applyResponsePolicies(x: Exchange): UpstreamAnswer {
  const upstream = x.fetched();
  const { response } = upstream;
  const headers: HeaderLine[] = [...headerLinesOf(response.headers), ...setCookieLinesOf(response)];
  // Age is the cache's, on every answer from it (a function's own Age is replaced).
  if (x.cacheResult && x.cache?.age !== undefined) {
    const at = headers.findIndex(([name]) => name === "Age");
    if (at !== -1) headers.splice(at, 1);
    headers.push(["Age", String(x.cache.age)]);
  }
  return { kind: "upstream", upstream, headers, result: response.statusCode >= 400 ? "Error" : (x.cacheResult ?? "Miss") };
}
