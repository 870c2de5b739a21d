import type { IncomingHttpHeaders } from "node:http";
import { CORS_PREFLIGHT_MAX_AGE_SECONDS } from "../../limits.js";

/**
 * Which web pages may drive the API from a browser. Browsers mark their requests: `Origin` on every
 * cross-origin request (and on same-origin POSTs), `Sec-Fetch-Site` on all of them in current browsers.
 * The AWS SDKs, the AWS CLI and curl send neither. So a request that carries an Origin not given with
 * --cors, or that a browser says comes from another site, is refused; a page at a --cors origin gets
 * CORS answers so that the JavaScript SDK in it can call the API.
 */

/** The methods the API and the data plane route. */
const ALLOWED_METHODS = "GET, POST, PUT, DELETE";
/** Response headers the SDKs read: ETag/Location (If-Match, Create*), Date (clock skew), the request id and error type. */
const EXPOSED_HEADERS = "ETag, Location, Date, x-amzn-RequestId, x-amzn-ErrorType";
/** `Access-Control-Request-Headers`: a comma-separated list of header names (RFC 9110 tokens). */
const HEADER_NAME_LIST = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+(?:\s*,\s*[!#$%&'*+\-.^_`|~0-9A-Za-z]+)*$/;

/** `--cors <origin>`: scheme://host[:port], as a browser serialises it in Origin. */
export function normaliseOrigin(value: string): string | undefined {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return undefined;
  }
  if ((url.protocol !== "http:" && url.protocol !== "https:") || url.origin === "null") return undefined;
  if (url.pathname !== "/" || url.search !== "" || url.hash !== "" || url.username !== "" || url.password !== "") return undefined;
  return url.origin;
}

export type OriginVerdict =
  | { allowed: true; cors?: { origin: string; headers: Record<string, string> } }
  | { allowed: false; reason: string };

export class OriginPolicy {
  private readonly origins: ReadonlySet<string>;

  constructor(corsOrigins: Iterable<string>) {
    const origins = new Set<string>();
    for (const value of corsOrigins) {
      const origin = normaliseOrigin(value);
      if (origin !== undefined) origins.add(origin);
    }
    this.origins = origins;
  }

  judge(headers: IncomingHttpHeaders): OriginVerdict {
    const origin = single(headers.origin);
    const site = single(headers["sec-fetch-site"])?.toLowerCase();
    if (origin !== undefined) {
      if (!this.origins.has(origin)) return { allowed: false, reason: `a web page at ${describe(origin)}` };
      return { allowed: true, cors: { origin, headers: { "Access-Control-Allow-Origin": origin, "Access-Control-Expose-Headers": EXPOSED_HEADERS, Vary: "Origin" } } };
    }
    // No Origin but the browser says another site asked (an <img>, a <script>, a form GET): the same page, refused.
    if (site === "cross-site" || site === "same-site") return { allowed: false, reason: "a web page of another site" };
    return { allowed: true };
  }

  /** The answer to a CORS preflight (OPTIONS with Access-Control-Request-Method) from an allowed origin. */
  preflightHeaders(origin: string, headers: IncomingHttpHeaders): Record<string, string> {
    const requested = single(headers["access-control-request-headers"]);
    return {
      "Access-Control-Allow-Origin": origin,
      "Access-Control-Allow-Methods": ALLOWED_METHODS,
      // The SDK signs and sends its own headers (authorization, x-amz-date, amz-sdk-*, if-match…): echo the list, once checked.
      ...(requested !== undefined && HEADER_NAME_LIST.test(requested.trim()) ? { "Access-Control-Allow-Headers": requested.trim() } : {}),
      "Access-Control-Max-Age": String(CORS_PREFLIGHT_MAX_AGE_SECONDS),
      Vary: "Origin, Access-Control-Request-Method, Access-Control-Request-Headers",
    };
  }
}

export function isPreflight(method: string, headers: IncomingHttpHeaders): boolean {
  return method === "OPTIONS" && headers.origin !== undefined && headers["access-control-request-method"] !== undefined;
}

function single(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

/** The origin as told back in a message: attacker-chosen, so only a URL-shaped one, and not too long. */
function describe(origin: string): string {
  return /^[a-z][a-z0-9+.-]*:\/\/[^\s]{1,200}$/i.test(origin) ? origin : "an origin that is not allowed";
}
