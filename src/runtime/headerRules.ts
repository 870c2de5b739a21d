/**
 * Which headers a CloudFront function may see and change. Source: the CloudFront Developer Guide,
 * "Restrictions on all edge functions", HTTP headers (disallowed and read-only headers):
 * https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/edge-function-restrictions-all.html#function-restrictions-headers
 * Names are lower-case, as the event carries them.
 */

/** Connection-level headers: disallowed, and never an origin custom header either. */
const CONNECTION_HEADERS = ["connection", "expect", "keep-alive", "proxy-authenticate", "proxy-authorization", "proxy-connection", "trailer", "upgrade"] as const;
/** Headers CloudFront sets from the connection itself. */
const VIEWER_CONNECTION_HEADERS = ["x-forwarded-proto", "x-real-ip"] as const;

/** Never shown to a function, and a function may not add or change them (besides the prefixes below). */
export const DISALLOWED_HEADERS: readonly string[] = [
  ...CONNECTION_HEADERS,
  "x-accel-buffering", "x-accel-charset", "x-accel-limit-rate", "x-accel-redirect", "x-amzn-auth", "x-amzn-cf-billing",
  "x-amzn-cf-id", "x-amzn-cf-xff", "x-amzn-errortype", "x-amzn-fle-profile", "x-amzn-header-count", "x-amzn-header-order",
  "x-amzn-lambda-integration-tag", "x-amzn-requestid", "x-cache",
  ...VIEWER_CONNECTION_HEADERS,
];
/** Every header whose name starts with one of these is disallowed too (X-Amz-Cf-*, X-Edge-*). */
export const DISALLOWED_HEADER_PREFIXES: readonly string[] = ["x-amz-cf-", "x-edge-"];

const DISALLOWED = new Set(DISALLOWED_HEADERS);

/** Whether a function may neither see nor set this (lower-case) header. */
export function isDisallowedHeader(name: string): boolean {
  return DISALLOWED.has(name) || DISALLOWED_HEADER_PREFIXES.some((prefix) => name.startsWith(prefix));
}

/**
 * Read-only per event. A response a function generates in viewer-request has no original headers, so its
 * framing header is refused there as read-only too: Transfer-Encoding, as in viewer-response (our choice, see
 * docs/security.md); Content-Length of a generated response is CloudFront's to set from the body, so it is
 * dropped rather than refused.
 */
export const READ_ONLY_HEADERS = {
  "viewer-request": ["content-length", "host", "transfer-encoding", "via"],
  "viewer-response": ["warning", "via", "transfer-encoding"],
  generated: ["transfer-encoding"],
} as const satisfies Record<string, readonly string[]>;

/**
 * Left out of the events edgelite builds: the disallowed headers, and Transfer-Encoding, which describes the
 * viewer's or origin's framing of a body the event does not carry.
 */
export function isHiddenHeader(name: string): boolean {
  return name === "transfer-encoding" || isDisallowedHeader(name);
}

/**
 * Names `cf.updateRequestOrigin` refuses in `customHeaders` (besides the disallowed prefixes): the connection
 * headers and the viewer-request read-only ones. This list is edgelite's long-standing reading and is narrower
 * than DISALLOWED_HEADERS (it lets x-accel-*, x-amzn-* and x-cache through); kept as it is so behaviour does
 * not change.
 */
export const ORIGIN_CUSTOM_HEADERS_REFUSED: readonly string[] = [...CONNECTION_HEADERS, ...VIEWER_CONNECTION_HEADERS, ...READ_ONLY_HEADERS["viewer-request"]];
