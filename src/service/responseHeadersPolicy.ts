/**
 * Response headers policies: the typed ResponseHeadersPolicyConfig (CloudFront API model, botocore
 * cloudfront 2020-05-31 service-2.json, shape ResponseHeadersPolicyConfig; field by field in camelCase,
 * `{ Quantity, Items }` lists as arrays) and AWS's managed response headers policies with their ids and
 * settings (CloudFront Developer Guide, "Use managed response headers policies",
 * https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/using-managed-response-headers-policies.html).
 * The policies service reads and writes it as XML; the edge applies it (src/edge/responseHeaders*.ts).
 */

/** ResponseHeadersPolicyAccessControlAllowMethodsValues: `ALL` stands for every other value. */
export type CorsMethod = "GET" | "POST" | "OPTIONS" | "PUT" | "DELETE" | "PATCH" | "HEAD" | "ALL";
export const CORS_METHODS: readonly CorsMethod[] = ["GET", "POST", "OPTIONS", "PUT", "DELETE", "PATCH", "HEAD", "ALL"];

/** FrameOptionsList. */
export type FrameOption = "DENY" | "SAMEORIGIN";
export const FRAME_OPTIONS: readonly FrameOption[] = ["DENY", "SAMEORIGIN"];

/** ReferrerPolicyList. */
export type ReferrerPolicyValue =
  | "no-referrer"
  | "no-referrer-when-downgrade"
  | "origin"
  | "origin-when-cross-origin"
  | "same-origin"
  | "strict-origin"
  | "strict-origin-when-cross-origin"
  | "unsafe-url";
export const REFERRER_POLICIES: readonly ReferrerPolicyValue[] = [
  "no-referrer",
  "no-referrer-when-downgrade",
  "origin",
  "origin-when-cross-origin",
  "same-origin",
  "strict-origin",
  "strict-origin-when-cross-origin",
  "unsafe-url",
];

/** ResponseHeadersPolicyCorsConfig. */
export interface ResponseHeadersPolicyCors {
  /** Origins (`https://www.example.com`, `*.example.org`, `*`) the viewer's Origin is matched against. */
  accessControlAllowOrigins: string[];
  /** Header names (or `*`) for Access-Control-Allow-Headers on preflight responses. */
  accessControlAllowHeaders: string[];
  accessControlAllowMethods: CorsMethod[];
  accessControlAllowCredentials: boolean;
  /** Header names (or `*`) for Access-Control-Expose-Headers (the model's Quantity may be 0). */
  accessControlExposeHeaders: string[];
  /** Access-Control-Max-Age on preflight responses; absent: no such header. */
  accessControlMaxAgeSec?: number;
  /** true: the policy's CORS headers replace the origin's; false: the origin's are kept. */
  originOverride: boolean;
}

/** ResponseHeadersPolicyXSSProtection: `0` or `1`, `mode=block` or `report=<uri>` (not both). */
export interface XssProtectionHeader {
  override: boolean;
  protection: boolean;
  modeBlock?: boolean;
  reportUri?: string;
}

/** ResponseHeadersPolicyStrictTransportSecurity. */
export interface StrictTransportSecurityHeader {
  override: boolean;
  includeSubdomains?: boolean;
  preload?: boolean;
  accessControlMaxAgeSec: number;
}

/** ResponseHeadersPolicySecurityHeadersConfig: each header present or absent, each with its own Override. */
export interface ResponseHeadersPolicySecurityHeaders {
  xssProtection?: XssProtectionHeader;
  frameOptions?: { override: boolean; frameOption: FrameOption };
  referrerPolicy?: { override: boolean; referrerPolicy: ReferrerPolicyValue };
  contentSecurityPolicy?: { override: boolean; contentSecurityPolicy: string };
  contentTypeOptions?: { override: boolean };
  strictTransportSecurity?: StrictTransportSecurityHeader;
}

/** ResponseHeadersPolicyServerTimingHeadersConfig. */
export interface ResponseHeadersPolicyServerTiming {
  enabled: boolean;
  /** Percentage of responses (0–100, up to four decimals) that get Server-Timing; absent with Enabled false. */
  samplingRate?: number;
}

/** ResponseHeadersPolicyCustomHeader. */
export interface ResponseHeadersPolicyCustomHeader {
  header: string;
  value: string;
  override: boolean;
}

/**
 * A response headers policy: its id with its ResponseHeadersPolicyConfig. `comment` is "" when the config
 * has none; `customHeaders` and `removeHeaders` are empty when their section is absent or has Quantity 0.
 */
export interface ResponseHeadersPolicy {
  id: string;
  name: string;
  comment: string;
  cors?: ResponseHeadersPolicyCors;
  securityHeaders?: ResponseHeadersPolicySecurityHeaders;
  customHeaders: ResponseHeadersPolicyCustomHeader[];
  /** Header names to remove (RemoveHeadersConfig's Header items), as written. */
  removeHeaders: string[];
  serverTiming?: ResponseHeadersPolicyServerTiming;
}

/** Content-Security-Policy's value is limited to 1783 characters ("Understand response headers policies"). */
export const MAX_CONTENT_SECURITY_POLICY_LENGTH = 1783;

/**
 * Headers a policy may not remove: naming one in RemoveHeadersConfig is an error ("Understand response
 * headers policies", Headers that you can't remove). Lower-case; `x-amz-cf-` and `x-edge-` are prefixes
 * (the page's `X-Amz-Cf-.*` and `X-Edge-.*`).
 */
export const UNREMOVABLE_HEADERS: readonly string[] = [
  "connection", "content-encoding", "content-length", "expect", "host", "keep-alive", "proxy-authenticate",
  "proxy-authorization", "proxy-connection", "trailer", "transfer-encoding", "upgrade", "via", "warning",
  "x-accel-buffering", "x-accel-charset", "x-accel-limit-rate", "x-accel-redirect", "x-amzn-auth",
  "x-amzn-cf-billing", "x-amzn-cf-id", "x-amzn-cf-xff", "x-amzn-errortype", "x-amzn-fle-profile",
  "x-amzn-header-count", "x-amzn-header-order", "x-amzn-lambda-integration-tag", "x-amzn-requestid", "x-cache",
  "x-forwarded-proto", "x-real-ip",
];
const UNREMOVABLE_PREFIXES = ["x-amz-cf-", "x-edge-"];

/** Whether a response headers policy may name `header` in RemoveHeadersConfig. */
export function isRemovableHeader(header: string): boolean {
  const name = header.toLowerCase();
  return !UNREMOVABLE_HEADERS.includes(name) && !UNREMOVABLE_PREFIXES.some((prefix) => name.startsWith(prefix));
}

// The managed policies. The guide gives each one's id and the headers it adds ("Policy settings"); the
// settings below produce exactly those. The Comment strings are not published there: each is the guide's
// one-line purpose of the policy.

const ANY_ORIGIN = ["*"];

/**
 * SimpleCORS: `Access-Control-Allow-Origin: *` on responses to simple CORS requests, the origin's own kept
 * (Override origin: No). It names no methods or headers: nothing else is added, preflights included.
 */
const SIMPLE_CORS: ResponseHeadersPolicyCors = {
  accessControlAllowOrigins: ANY_ORIGIN,
  accessControlAllowHeaders: [],
  accessControlAllowMethods: [],
  accessControlAllowCredentials: false,
  accessControlExposeHeaders: [],
  originOverride: false,
};

/**
 * CORS-With-Preflight: Access-Control-Allow-Methods `DELETE, GET, HEAD, OPTIONS, PATCH, POST, PUT`,
 * Access-Control-Allow-Origin `*`, Access-Control-Expose-Headers `*` on preflight responses; Allow-Origin
 * alone on simple CORS requests; the origin's own kept (Override origin: No).
 */
const CORS_WITH_PREFLIGHT: ResponseHeadersPolicyCors = {
  accessControlAllowOrigins: ANY_ORIGIN,
  accessControlAllowHeaders: [],
  accessControlAllowMethods: ["DELETE", "GET", "HEAD", "OPTIONS", "PATCH", "POST", "PUT"],
  accessControlAllowCredentials: false,
  accessControlExposeHeaders: ["*"],
  originOverride: false,
};

/**
 * SecurityHeadersPolicy (after Mozilla's web security guidelines): Referrer-Policy
 * `strict-origin-when-cross-origin`, Strict-Transport-Security `max-age=31536000`, X-Frame-Options
 * `SAMEORIGIN`, X-XSS-Protection `1; mode=block`, the origin's own kept; X-Content-Type-Options `nosniff`
 * on every response, the origin's replaced (Override origin: Yes).
 */
const SECURITY_HEADERS: ResponseHeadersPolicySecurityHeaders = {
  xssProtection: { override: false, protection: true, modeBlock: true },
  frameOptions: { override: false, frameOption: "SAMEORIGIN" },
  referrerPolicy: { override: false, referrerPolicy: "strict-origin-when-cross-origin" },
  contentTypeOptions: { override: true },
  strictTransportSecurity: { override: false, includeSubdomains: false, preload: false, accessControlMaxAgeSec: 31_536_000 },
};

const managed = (id: string, name: string, comment: string, sections: Pick<ResponseHeadersPolicy, "cors" | "securityHeaders">): ResponseHeadersPolicy => ({
  id,
  name,
  comment,
  ...sections,
  customHeaders: [],
  removeHeaders: [],
});

/** Freezes a value and everything in it: the managed policies are shared by every distribution. */
function deepFreeze<T>(value: T): T {
  if (typeof value === "object" && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const inner of Object.values(value)) deepFreeze(inner);
  }
  return value;
}

/** AWS's managed response headers policies, in the guide's order (frozen). */
export const MANAGED_RESPONSE_HEADERS_POLICIES: readonly ResponseHeadersPolicy[] = deepFreeze([
  managed("e61eb60c-9c35-4d20-a928-2b84e02af89c", "Managed-CORS-and-SecurityHeadersPolicy", "Allows all origins for simple CORS requests, and adds a set of security headers to all responses", {
    cors: SIMPLE_CORS,
    securityHeaders: SECURITY_HEADERS,
  }),
  managed("5cc3b908-e619-4b99-88e5-2cf7f45965bd", "Managed-CORS-With-Preflight", "Allows all origins for CORS requests, including preflight requests", { cors: CORS_WITH_PREFLIGHT }),
  managed(
    "eaab4381-ed33-4a86-88ca-d9558dc6cd63",
    "Managed-CORS-with-preflight-and-SecurityHeadersPolicy",
    "Allows all origins for CORS requests, including preflight requests, and adds a set of security headers to all responses",
    { cors: CORS_WITH_PREFLIGHT, securityHeaders: SECURITY_HEADERS },
  ),
  managed("67f7725c-6f97-4210-82d7-5512b31e9d03", "Managed-SecurityHeadersPolicy", "Adds a set of security headers to all responses", { securityHeaders: SECURITY_HEADERS }),
  managed("60669652-455b-4ae9-85a4-c4c02393f86c", "Managed-SimpleCORS", "Allows all origins for simple CORS requests", { cors: SIMPLE_CORS }),
]);

/** A managed response headers policy by id, or undefined. */
export function managedResponseHeadersPolicy(id: string): ResponseHeadersPolicy | undefined {
  return MANAGED_RESPONSE_HEADERS_POLICIES.find((policy) => policy.id === id);
}
