import type { UpstreamAnswer } from "./answers.js";
import type { Exchange } from "./exchange.js";
import { headerLinesOf, setCookieLinesOf } from "./responseLines.js";

/**
 * Step (the last one): the response as CloudFront writes it. Its headers go out Title-Case with its cookies
 * back as Set-Cookie lines, and its result is Error from status 400 up, else Miss (X-Cache and the log).
 * CloudFront's own headers follow when it is written. A response headers policy is a step before this one
 * that changes `x.upstream.response`.
 */
export function applyResponsePolicies(x: Exchange): UpstreamAnswer {
  const upstream = x.fetched();
  const { response } = upstream;
  return { kind: "upstream", upstream, headers: [...headerLinesOf(response.headers), ...setCookieLinesOf(response)], result: response.statusCode >= 400 ? "Error" : "Miss" };
}
