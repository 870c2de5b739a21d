import type { Answer, ErrorAnswer } from "./answers.js";
import { customErrorPage } from "./errorPages.js";
import type { Exchange } from "./exchange.js";
import { originFetcher } from "./originFetch.js";
import { BAD_REQUEST, COUNTRY_BLOCKED, METHOD_NOT_ALLOWED, REQUEST_TOO_LARGE } from "./pages.js";
import { oversizeOf } from "./requestSize.js";

/**
 * The viewer-side rules CloudFront applies before anything runs or is fetched: its size limits, the
 * distribution's geographic restriction and the behaviour's AllowedMethods. Each refusal is CloudFront's own
 * page, with `X-Cache: Error from cloudfront`.
 */

/**
 * Step: the viewer's request within CloudFront's size limits (CloudFront Developer Guide, Quotas, "Maximum
 * length of a request and maximum length of a URL": a URL of at most 8,192 bytes, a request line and headers
 * of at most 20,480). Too long a one is answered 413 and the connection closes, before anything else is
 * read, run or fetched.
 */
export function refuseOversize(x: Exchange): Answer | undefined {
  const oversize = oversizeOf(x.req);
  if (!oversize) return undefined;
  const detail = `the request's ${oversize.part === "url" ? "URL" : "line and headers"} take ${oversize.bytes} bytes; CloudFront accepts at most ${oversize.limit}`;
  return { kind: "error", status: 413, result: "Error", detail, sentence: REQUEST_TOO_LARGE, close: true };
}

const forbidden = (detail: string, sentence: string): ErrorAnswer => ({ kind: "error", status: 403, result: "Error", detail, sentence });

/**
 * Step: the behaviour's AllowedMethods (CloudFront Developer Guide, "HTTP 403 status code (Invalid method)"):
 * any other method is answered 403 with CloudFront's page. A GET with a body is refused too: "If a viewer GET
 * request includes a body, CloudFront returns an HTTP status code 403 (Forbidden)" ("Request and response
 * behavior for custom origins"). A body is a Content-Length above 0 or any Transfer-Encoding.
 *
 * It runs before the viewer-request function: the method is read-only to a function, so nothing a function
 * does could make the request allowed, and the refusal is the distribution's, as the captures' `X-Cache:
 * Error from cloudfront` show. No AWS page states the order; this is edgelite's reading (docs/edge.md).
 * Custom error pages do not replace this 403 (none is documented for it; the geographic one is).
 */
export function refuseMethod(x: Exchange): Answer | undefined {
  const method = x.req.method ?? "GET";
  if (!(x.behaviour.allowedMethods as readonly string[]).includes(method)) {
    return forbidden(`${method} is not among the cache behaviour's AllowedMethods (${x.behaviour.allowedMethods.join(", ")})`, METHOD_NOT_ALLOWED);
  }
  if (method === "GET" && hasBody(x)) return forbidden("a GET request with a body", BAD_REQUEST);
  return undefined;
}

function hasBody(x: Exchange): boolean {
  const { headers } = x.req;
  if (headers["transfer-encoding"] !== undefined) return true;
  const length = headers["content-length"];
  return length !== undefined && !/^0+$/.test(length.trim());
}

/**
 * Step: the distribution's geographic restriction (CloudFront Developer Guide, "Restrict the geographic
 * distribution of your content"): with a whitelist, a viewer whose country is not on it, and with a
 * blacklist, one whose country is on it, gets 403 with CloudFront's page, or the distribution's custom error
 * page for 403 when it has one ("You can optionally configure CloudFront to return a custom error message").
 * The country is `x.viewerCountry` (viewerCountry.ts). It applies to the whole distribution, before any
 * function runs.
 */
export async function refuseGeo(x: Exchange): Promise<Answer | undefined> {
  const { type, locations } = x.config.geoRestriction;
  if (type === "none") return undefined;
  const listed = locations.some((code) => code.toUpperCase() === x.viewerCountry);
  if (type === "whitelist" ? listed : !listed) return undefined;
  const detail = `the viewer's country ${x.viewerCountry} is ${type === "whitelist" ? "not on the geographic restriction's whitelist" : "on the geographic restriction's blacklist"}`;
  x.req.resume();
  const page = await customErrorPage(x, 403, undefined, originFetcher(x));
  if (page) return { ...page, detail: `${detail}; ${page.detail}` };
  return forbidden(detail, COUNTRY_BLOCKED);
}
