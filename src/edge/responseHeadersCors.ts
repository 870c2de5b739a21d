import type { CorsMethod, ResponseHeadersPolicyCors } from "../service/responseHeadersPolicy.js";

/**
 * A response headers policy's CORS headers (CloudFront Developer Guide, "Understand response headers
 * policies", CORS headers): which ones a response to a viewer's request gets, from the policy and the
 * request's Origin, method and Access-Control-Request-Method.
 */

/** What the CORS headers depend on in the viewer's request. */
export interface CorsRequest {
  method: string;
  /** The Origin header; absent: not a CORS request, and no CORS header is added. */
  origin: string | undefined;
  /** The Access-Control-Request-Method header. */
  accessControlRequestMethod: string | undefined;
}

/** A CORS preflight (Fetch standard, CORS-preflight request): OPTIONS with Origin and Access-Control-Request-Method. */
export function isPreflight(request: CorsRequest): boolean {
  return request.method === "OPTIONS" && request.origin !== undefined && request.accessControlRequestMethod !== undefined;
}

/** What `ALL` stands for in AccessControlAllowMethods, in the order CloudFront's settings list them. */
const ALL_METHODS: readonly CorsMethod[] = ["DELETE", "GET", "HEAD", "OPTIONS", "PATCH", "POST", "PUT"];

/**
 * The CORS headers (lower-case name, value) for a request, in the order they are added; none when the
 * request has no Origin or its Origin matches none of AccessControlAllowOrigins.
 * - every CORS request: Access-Control-Allow-Origin (`*` when the policy allows any origin, else the
 *   viewer's Origin as sent), Access-Control-Allow-Credentials `true` when the policy says so;
 * - a preflight also: Access-Control-Allow-Methods, Access-Control-Allow-Headers, Access-Control-Max-Age
 *   ("in responses to CORS preflight requests") and Access-Control-Expose-Headers (the managed
 *   CORS-With-Preflight policy: "For preflight requests ... CloudFront adds all three of the following
 *   headers ... For simple CORS requests, CloudFront adds only the Access-Control-Allow-Origin header").
 * A list the policy leaves empty adds no header.
 */
export function corsHeaders(cors: ResponseHeadersPolicyCors, request: CorsRequest): Array<[string, string]> {
  if (request.origin === undefined) return [];
  const allowOrigin = allowOriginFor(cors.accessControlAllowOrigins, request.origin);
  if (allowOrigin === undefined) return [];
  const headers: Array<[string, string]> = [["access-control-allow-origin", allowOrigin]];
  if (cors.accessControlAllowCredentials) headers.push(["access-control-allow-credentials", "true"]);
  if (!isPreflight(request)) return headers;
  const methods = cors.accessControlAllowMethods.includes("ALL") ? ALL_METHODS : cors.accessControlAllowMethods;
  if (methods.length > 0) headers.push(["access-control-allow-methods", methods.join(", ")]);
  if (cors.accessControlAllowHeaders.length > 0) headers.push(["access-control-allow-headers", cors.accessControlAllowHeaders.join(", ")]);
  if (cors.accessControlExposeHeaders.length > 0) headers.push(["access-control-expose-headers", cors.accessControlExposeHeaders.join(", ")]);
  if (cors.accessControlMaxAgeSec !== undefined) headers.push(["access-control-max-age", String(cors.accessControlMaxAgeSec)]);
  return headers;
}

/** Access-Control-Allow-Origin's value for a viewer's Origin: `*`, the Origin itself, or undefined (not allowed). */
export function allowOriginFor(allowed: readonly string[], origin: string): string | undefined {
  if (allowed.includes("*")) return "*";
  const viewer = parseOrigin(origin);
  if (!viewer || viewer.host.includes("*")) return undefined;
  return allowed.some((pattern) => originMatches(pattern, viewer)) ? origin : undefined;
}

export interface OriginParts {
  /** Lower-case scheme, or undefined when the pattern names none. */
  scheme: string | undefined;
  host: string;
  port: string | undefined;
}

const ORIGIN_SHAPE = /^(?:([a-z][a-z0-9+.-]*):\/\/)?([^/:?#\s]+)(?::(\d{1,5}))?\/?$/i;

function parseOrigin(text: string): OriginParts | undefined {
  const match = ORIGIN_SHAPE.exec(text.trim());
  if (!match) return undefined;
  return { scheme: match[1]?.toLowerCase(), host: match[2]!.toLowerCase(), port: match[3] };
}

/**
 * Whether an AccessControlAllowOrigins item matches a viewer's Origin. Items are origins
 * (`https://www.example.com`); the wildcard may only be the leftmost label (`*.example.org`, one or more
 * labels before the rest), never a top-level domain, right of a subdomain or inside a label (the guide's
 * rules). An item without a scheme matches any scheme (edgelite's reading); a port must be the same
 * (both absent, or equal). Comparison ignores case.
 */
export function originMatches(pattern: string, viewer: OriginParts): boolean {
  const item = parseOrigin(pattern);
  if (!item) return false;
  if (item.scheme !== undefined && item.scheme !== viewer.scheme) return false;
  if (item.port !== viewer.port) return false;
  if (!item.host.includes("*")) return item.host === viewer.host;
  if (!item.host.startsWith("*.")) return false;
  const rest = item.host.slice(2);
  if (rest.includes("*")) return false;
  return viewer.host.length > rest.length + 1 && viewer.host.endsWith(`.${rest}`);
}
