import type { Answer } from "./answers.js";
import type { Exchange } from "./exchange.js";
import { REQUEST_TOO_LARGE } from "./pages.js";
import { oversizeOf } from "./requestSize.js";

/**
 * Step: the viewer's request within CloudFront's size limits (CloudFront Developer Guide, Quotas, "Maximum
 * length of a request and maximum length of a URL": a URL of at most 8,192 bytes, a request line and headers
 * of at most 20,480). Too long a one is
 * answered 413 and the connection closes, before anything else is read, run or fetched.
 *
 * A behaviour's AllowedMethods is not enforced (every method reaches the functions and the origin, as
 * before); that check, once added, is a step right after resolveBehaviour.
 */
export function refuseOversize(x: Exchange): Answer | undefined {
  const oversize = oversizeOf(x.req);
  if (!oversize) return undefined;
  const detail = `the request's ${oversize.part === "url" ? "URL" : "line and headers"} take ${oversize.bytes} bytes; CloudFront accepts at most ${oversize.limit}`;
  return { kind: "error", status: 413, result: "Error", detail, sentence: REQUEST_TOO_LARGE, close: true };
}
