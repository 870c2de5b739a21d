import { DEFAULT_ERROR_CACHING_MIN_TTL_SECONDS, LEGACY_TTL_SECONDS, MAX_PATH_PATTERN_LENGTH, ORIGIN_CONNECTION_ATTEMPTS, ORIGIN_CONNECTION_TIMEOUT_SECONDS, ORIGIN_KEEPALIVE_TIMEOUT_SECONDS, ORIGIN_READ_TIMEOUT_SECONDS } from "../limits.js";
import type { AllowedMethods, CacheBehavior, CustomErrorResponse, DefaultCacheBehavior, DistributionConfig, GeoRestriction, HttpMethod, Origin, OriginGroup } from "./distributionConfigModel.js";
import { CloudFrontError, type CloudFrontErrorCode } from "./errors.js";

/**
 * What edgelite reads from a DistributionConfig (the rest is kept as sent and returned unchanged): its
 * identity, aliases, origins, cache behaviours and function associations, with CloudFront's checks of
 * the values and its defaults applied. The edge serves from it; the store keeps it as JSON.
 */

export interface OriginConfig {
  id: string;
  domainName: string;
  originPath: string;
  /** custom: CustomOriginConfig (HTTP/HTTPS ports, protocol policy); s3: S3OriginConfig. */
  kind: "custom" | "s3";
  httpPort: number;
  httpsPort: number;
  protocolPolicy: string;
  customHeaders: Array<[string, string]>;
  /** CustomOriginConfig's OriginReadTimeout: how long the origin may stay silent (CloudFront's default, 30 s). */
  readTimeoutSeconds: number;
  /** CustomOriginConfig's OriginKeepaliveTimeout (validated and kept; edgelite opens a connection per request). */
  keepaliveTimeoutSeconds: number;
  /** Origin ConnectionTimeout: how long establishing a connection may take. */
  connectionTimeoutSeconds: number;
  /** Origin ConnectionAttempts: how many times a failed connection is tried. */
  connectionAttempts: number;
  /** Host toward the origin, set by a function's origin overrides (never by the config). */
  hostHeader?: string;
  /** The origin access control an S3 origin signs its requests with (nothing to sign locally). */
  originAccessControlId?: string;
}

export interface FunctionAssociationConfig {
  functionArn: string;
  eventType: "viewer-request" | "viewer-response";
}

/** The legacy cache settings (`ForwardedValues`), used when a behaviour names no cache policy. */
export interface ForwardedValuesConfig {
  queryString: boolean;
  cookies: "none" | "all" | "whitelist";
  cookieNames: string[];
  /** Lower-case header names; `*` forwards every header. */
  headers: string[];
}

/** A Lambda@Edge association: accepted and kept, never run locally (the edge says so once). */
export interface LambdaAssociationConfig {
  eventType: string;
  lambdaFunctionArn: string;
}

export interface BehaviourConfig {
  /** "*" for the default behaviour. */
  pathPattern: string;
  /** An origin's Id or an origin group's Id. */
  targetOriginId: string;
  functions: FunctionAssociationConfig[];
  originRequestPolicyId?: string;
  cachePolicyId?: string;
  responseHeadersPolicyId?: string;
  forwardedValues?: ForwardedValuesConfig;
  /** The legacy TTLs, with ForwardedValues only (a cache policy has its own). */
  legacyTtl?: { min: number; default: number; max: number };
  /** The methods CloudFront accepts (GET and HEAD by default), upper-case. */
  allowedMethods: HttpMethod[];
  /** The methods whose responses are cached (GET and HEAD by default). */
  cachedMethods: HttpMethod[];
  /** Compress: serve gzip/br to viewers that accept it. */
  compress: boolean;
  /** allow-all, https-only or redirect-to-https. */
  viewerProtocolPolicy: string;
  lambdaFunctionAssociations: LambdaAssociationConfig[];
}

/** An origin group: the primary first; failover to the next on these statuses or a connection failure. */
export interface OriginGroupConfig {
  id: string;
  memberIds: string[];
  failoverStatusCodes: number[];
}

/** A CustomErrorResponse: the page (and status) the viewer gets instead of an origin's error. */
export interface CustomErrorResponseConfig {
  errorCode: number;
  /** Absent: the error passes through unchanged (only its caching is configured). */
  responsePagePath?: string;
  responseCode?: number;
  /** Seconds the error response is cached (ErrorCachingMinTTL; 10 by default). */
  errorCachingMinTtl: number;
}

export interface GeoRestrictionConfig {
  type: "none" | "whitelist" | "blacklist";
  /** ISO 3166-1 alpha-2 codes, upper-case. */
  locations: string[];
}

/** Bumped whenever ParsedDistributionConfig gains or changes a field: stored JSON of an older format is read again from the XML. */
export const PARSED_CONFIG_FORMAT = 2;

export interface ParsedDistributionConfig {
  format: number;
  callerReference: string;
  enabled: boolean;
  comment: string;
  aliases: string[];
  defaultRootObject: string;
  origins: OriginConfig[];
  originGroups: OriginGroupConfig[];
  customErrorResponses: CustomErrorResponseConfig[];
  /** Cache behaviours in order, the default one last. */
  behaviours: BehaviourConfig[];
  geoRestriction: GeoRestrictionConfig;
}

/** The origin settings CloudFront range-checks, each refused with its own error code. */
const ORIGIN_SETTINGS = {
  OriginReadTimeout: { range: ORIGIN_READ_TIMEOUT_SECONDS, code: "InvalidOriginReadTimeout" },
  OriginKeepaliveTimeout: { range: ORIGIN_KEEPALIVE_TIMEOUT_SECONDS, code: "InvalidOriginKeepaliveTimeout" },
  ConnectionTimeout: { range: ORIGIN_CONNECTION_TIMEOUT_SECONDS, code: "InvalidArgument" },
  ConnectionAttempts: { range: ORIGIN_CONNECTION_ATTEMPTS, code: "InvalidArgument" },
} as const satisfies Record<string, { range: { min: number; max: number; default: number }; code: CloudFrontErrorCode }>;

export type OriginSetting = keyof typeof ORIGIN_SETTINGS;

/** The error for an origin setting that is not a whole number in CloudFront's range (`shown` as sent). */
export function originSettingError(name: OriginSetting, shown: string): CloudFrontError {
  const { range, code } = ORIGIN_SETTINGS[name];
  return new CloudFrontError(code, `The ${name} specified for the origin is not valid: it must be a whole number from ${range.min} to ${range.max}, not "${shown.slice(0, 32)}".`);
}

function originSetting(value: number | undefined, name: OriginSetting): number {
  const { range } = ORIGIN_SETTINGS[name];
  if (value === undefined) return range.default;
  if (!(Number.isInteger(value) && value >= range.min && value <= range.max)) throw originSettingError(name, String(value));
  return value;
}

/** The HTTP statuses a CustomErrorResponse may name (CloudFront's list). */
const CUSTOMIZABLE_ERROR_CODES = [400, 403, 404, 405, 414, 416, 500, 501, 502, 503, 504];

const noSuchOrigin = (id: string) => new CloudFrontError("NoSuchOrigin", `One or more of your origins or origin groups do not exist: ${id}.`);

function originOf(origin: Origin): OriginConfig {
  const custom = origin.CustomOriginConfig;
  return {
    id: origin.Id,
    domainName: origin.DomainName,
    originPath: origin.OriginPath ?? "",
    kind: custom ? "custom" : "s3",
    httpPort: custom?.HTTPPort ?? 80,
    httpsPort: custom?.HTTPSPort ?? 443,
    protocolPolicy: custom?.OriginProtocolPolicy ?? "https-only",
    readTimeoutSeconds: originSetting(custom?.OriginReadTimeout, "OriginReadTimeout"),
    keepaliveTimeoutSeconds: originSetting(custom?.OriginKeepaliveTimeout, "OriginKeepaliveTimeout"),
    connectionTimeoutSeconds: originSetting(origin.ConnectionTimeout, "ConnectionTimeout"),
    connectionAttempts: originSetting(origin.ConnectionAttempts, "ConnectionAttempts"),
    customHeaders: (origin.CustomHeaders ?? []).map((h) => [h.HeaderName, h.HeaderValue]),
    ...(origin.OriginAccessControlId ? { originAccessControlId: origin.OriginAccessControlId } : {}),
  };
}

/** The AllowedMethods sets CloudFront accepts, and the CachedMethods sets (CloudFront Developer Guide, "Allowed HTTP methods"). */
const ALLOWED_METHOD_SETS: readonly (readonly HttpMethod[])[] = [
  ["GET", "HEAD"],
  ["GET", "HEAD", "OPTIONS"],
  ["GET", "HEAD", "OPTIONS", "PUT", "PATCH", "POST", "DELETE"],
];
const CACHED_METHOD_SETS: readonly (readonly HttpMethod[])[] = [
  ["GET", "HEAD"],
  ["GET", "HEAD", "OPTIONS"],
];
const DEFAULT_METHODS: readonly HttpMethod[] = ["GET", "HEAD"];

/** The one of `sets` holding exactly `methods` (in any order, repeats ignored), or undefined. */
function methodSet(methods: readonly HttpMethod[], sets: readonly (readonly HttpMethod[])[]): HttpMethod[] | undefined {
  const given = new Set(methods);
  const found = sets.find((set) => set.length === given.size && set.every((m) => given.has(m)));
  return found && [...found];
}

function methodsOf(allowed: AllowedMethods | undefined, where: string): { allowedMethods: HttpMethod[]; cachedMethods: HttpMethod[] } {
  if (!allowed) return { allowedMethods: [...DEFAULT_METHODS], cachedMethods: [...DEFAULT_METHODS] };
  const allowedMethods = methodSet(allowed.Items, ALLOWED_METHOD_SETS);
  if (!allowedMethods) {
    throw new CloudFrontError("InvalidArgument", `${where}: AllowedMethods must be GET and HEAD; GET, HEAD and OPTIONS; or GET, HEAD, OPTIONS, PUT, PATCH, POST and DELETE, not ${allowed.Items.join(", ") || "none"}.`);
  }
  const cachedMethods = allowed.CachedMethods ? methodSet(allowed.CachedMethods, CACHED_METHOD_SETS) : [...DEFAULT_METHODS];
  if (!cachedMethods || cachedMethods.some((m) => !allowedMethods.includes(m))) {
    throw new CloudFrontError("InvalidArgument", `${where}: CachedMethods must be GET and HEAD, or GET, HEAD and OPTIONS (only methods AllowedMethods has), not ${allowed.CachedMethods?.join(", ") || "none"}.`);
  }
  return { allowedMethods, cachedMethods };
}

const VIEWER_PROTOCOL_POLICIES = ["allow-all", "https-only", "redirect-to-https"];

/** A versioned Lambda function ARN (Lambda@Edge needs a numbered version, not $LATEST or an alias). */
const LAMBDA_VERSION_ARN = /^arn:aws[a-z-]*:lambda:[a-z0-9-]+:\d{12}:function:[A-Za-z0-9_-]{1,64}:\d+$/;

/**
 * The legacy TTLs (with ForwardedValues): CloudFront's defaults where absent, in order. Without a DefaultTTL,
 * the default is one day capped to the MaxTTL given (a choice: the model does not say).
 */
function legacyTtlOf(node: DefaultCacheBehavior, where: string): { min: number; default: number; max: number } {
  const min = node.MinTTL ?? LEGACY_TTL_SECONDS.min;
  const max = node.MaxTTL ?? Math.max(LEGACY_TTL_SECONDS.max, node.DefaultTTL ?? 0, min);
  const ttl = { min, default: node.DefaultTTL ?? Math.max(min, Math.min(LEGACY_TTL_SECONDS.default, max)), max };
  if (!(ttl.min >= 0 && ttl.min <= ttl.default && ttl.default <= ttl.max)) {
    throw new CloudFrontError("InvalidTTLOrder", `${where}: the TTLs must satisfy 0 <= MinTTL <= DefaultTTL <= MaxTTL; got ${ttl.min}, ${ttl.default}, ${ttl.max}.`);
  }
  return ttl;
}

function geoRestrictionOf(geo: GeoRestriction | undefined): GeoRestrictionConfig {
  if (!geo || geo.RestrictionType === "none") {
    if (geo?.Locations?.length) throw new CloudFrontError("InvalidGeoRestrictionParameter", "A GeoRestriction of type none cannot list locations.");
    return { type: "none", locations: [] };
  }
  const locations = geo.Locations ?? [];
  if (locations.length === 0) throw new CloudFrontError("InvalidGeoRestrictionParameter", `A GeoRestriction of type ${geo.RestrictionType} needs at least one location.`);
  for (const code of locations) {
    if (!/^[A-Z]{2}$/.test(code)) throw new CloudFrontError("InvalidLocationCode", `${JSON.stringify(code.slice(0, 16))} is not an ISO 3166-1 alpha-2 country code (two upper-case letters, such as US or FR).`);
  }
  return { type: geo.RestrictionType, locations: [...new Set(locations)] };
}

function originGroupOf(group: OriginGroup, originIds: ReadonlySet<string>): OriginGroupConfig {
  const { Id: id } = group;
  const memberIds = group.Members.map((member) => member.OriginId);
  if (memberIds.length !== 2) throw new CloudFrontError("InvalidArgument", `Origin group ${id} must have exactly two members, the primary first.`);
  for (const member of memberIds) if (!originIds.has(member)) throw noSuchOrigin(member);
  const failoverStatusCodes = group.FailoverCriteria?.StatusCodes ?? [];
  if (failoverStatusCodes.length === 0 || failoverStatusCodes.some((code) => !Number.isInteger(code) || code < 400 || code > 599)) {
    throw new CloudFrontError("InvalidArgument", `Origin group ${id}: FailoverCriteria must list the 4xx/5xx status codes that trigger failover.`);
  }
  if (originIds.has(id)) throw new CloudFrontError("InvalidArgument", `Origin group ${id} has the Id of an origin; Ids must be unique within a distribution.`);
  return { id, memberIds, failoverStatusCodes };
}

function behaviourOf(node: DefaultCacheBehavior, pathPattern: string, where: string, targets: ReadonlySet<string>): BehaviourConfig {
  const targetOriginId = node.TargetOriginId;
  if (!targets.has(targetOriginId)) throw noSuchOrigin(targetOriginId);
  const functions = (node.FunctionAssociations ?? []).map(({ FunctionARN: functionArn, EventType: eventType }): FunctionAssociationConfig => {
    if (eventType !== "viewer-request" && eventType !== "viewer-response") {
      throw new CloudFrontError("InvalidFunctionAssociation", `CloudFront Functions run on viewer events only; ${eventType} is for Lambda@Edge.`);
    }
    return { functionArn, eventType };
  });
  const types = functions.map((f) => f.eventType);
  if (new Set(types).size !== types.length) {
    throw new CloudFrontError("InvalidFunctionAssociation", `${where}: at most one function per event type.`);
  }
  const viewerProtocolPolicy = node.ViewerProtocolPolicy ?? "allow-all";
  if (!VIEWER_PROTOCOL_POLICIES.includes(viewerProtocolPolicy)) {
    throw new CloudFrontError("InvalidArgument", `${where}: ViewerProtocolPolicy must be allow-all, https-only or redirect-to-https, not ${JSON.stringify(viewerProtocolPolicy.slice(0, 32))}.`);
  }
  const lambdaFunctionAssociations = (node.LambdaFunctionAssociations ?? []).map(({ LambdaFunctionARN, EventType }) => {
    if (!LAMBDA_VERSION_ARN.test(LambdaFunctionARN)) {
      throw new CloudFrontError("InvalidLambdaFunctionAssociation", `${where}: ${JSON.stringify(LambdaFunctionARN.slice(0, 200))} is not the ARN of a numbered Lambda function version (arn:aws:lambda:us-east-1:<account>:function:<name>:<version>).`);
    }
    return { eventType: EventType, lambdaFunctionArn: LambdaFunctionARN };
  });
  const lambdaTypes = lambdaFunctionAssociations.map((a) => a.eventType);
  if (new Set(lambdaTypes).size !== lambdaTypes.length) throw new CloudFrontError("InvalidLambdaFunctionAssociation", `${where}: at most one Lambda@Edge function per event type.`);
  const both = types.find((type) => lambdaTypes.includes(type));
  if (both) throw new CloudFrontError("InvalidLambdaFunctionAssociation", `${where}: ${both} has both a CloudFront function and a Lambda@Edge function; a viewer event can have only one of the two.`);
  const result: BehaviourConfig = {
    pathPattern,
    targetOriginId,
    functions,
    ...methodsOf(node.AllowedMethods, where),
    compress: node.Compress ?? false,
    viewerProtocolPolicy,
    lambdaFunctionAssociations,
  };
  if (node.OriginRequestPolicyId) result.originRequestPolicyId = node.OriginRequestPolicyId;
  if (node.CachePolicyId) result.cachePolicyId = node.CachePolicyId;
  if (node.ResponseHeadersPolicyId) result.responseHeadersPolicyId = node.ResponseHeadersPolicyId;
  const forwarded = node.ForwardedValues;
  if (forwarded) {
    result.forwardedValues = {
      queryString: forwarded.QueryString,
      cookies: forwarded.Cookies?.Forward ?? "none",
      cookieNames: forwarded.Cookies?.WhitelistedNames ?? [],
      headers: (forwarded.Headers ?? []).map((name) => name.toLowerCase()),
    };
    result.legacyTtl = legacyTtlOf(node, where);
  }
  return result;
}

function cacheBehaviourOf(node: CacheBehavior, i: number, targets: ReadonlySet<string>): BehaviourConfig {
  const pathPattern = node.PathPattern;
  if (pathPattern.length > MAX_PATH_PATTERN_LENGTH) {
    throw new CloudFrontError("InvalidArgument", `The PathPattern of cache behavior ${i + 1} is ${pathPattern.length} characters long; CloudFront allows at most ${MAX_PATH_PATTERN_LENGTH}.`);
  }
  return behaviourOf(node, pathPattern, `distributionConfig.cacheBehaviors.items.${i + 1}.member`, targets);
}

function customErrorResponseOf({ ErrorCode: errorCode, ResponsePagePath, ResponseCode, ErrorCachingMinTTL }: CustomErrorResponse): CustomErrorResponseConfig {
  if (!CUSTOMIZABLE_ERROR_CODES.includes(errorCode)) {
    throw new CloudFrontError("InvalidErrorCode", `ErrorCode ${errorCode} cannot have a custom error response; the codes that can are ${CUSTOMIZABLE_ERROR_CODES.join(", ")}.`);
  }
  const responsePagePath = ResponsePagePath || undefined;
  const responseCode = ResponseCode || undefined;
  if (responsePagePath !== undefined && !responsePagePath.startsWith("/")) {
    throw new CloudFrontError("InvalidArgument", `The ResponsePagePath ${responsePagePath} must begin with a /.`);
  }
  if ((responsePagePath === undefined) !== (responseCode === undefined)) {
    throw new CloudFrontError("InvalidResponseCode", `CustomErrorResponse for ${errorCode}: ResponsePagePath and ResponseCode go together.`);
  }
  const errorCachingMinTtl = ErrorCachingMinTTL ?? DEFAULT_ERROR_CACHING_MIN_TTL_SECONDS;
  if (!(Number.isSafeInteger(errorCachingMinTtl) && errorCachingMinTtl >= 0)) {
    throw new CloudFrontError("InvalidArgument", `CustomErrorResponse for ${errorCode}: ErrorCachingMinTTL must be a whole number of seconds, 0 or more.`);
  }
  return { errorCode, ...(responsePagePath !== undefined ? { responsePagePath } : {}), ...(responseCode !== undefined ? { responseCode: Number(responseCode) } : {}), errorCachingMinTtl };
}

/** CloudFront's checks of a config's values, and what edgelite serves from it. */
export function interpretDistributionConfig(config: DistributionConfig): ParsedDistributionConfig {
  const defaultRootObject = config.DefaultRootObject ?? "";
  if (defaultRootObject.startsWith("/")) {
    throw new CloudFrontError("InvalidDefaultRootObject", `The default root object "${defaultRootObject}" must be an object name without a leading /.`);
  }
  const origins = config.Origins.map(originOf);
  if (origins.length === 0) throw new CloudFrontError("InvalidArgument", "A distribution needs at least one origin.");
  const originIds = new Set(origins.map((o) => o.id));
  if (originIds.size !== origins.length) throw new CloudFrontError("InvalidArgument", "Origin Ids must be unique within a distribution.");
  const originGroups = (config.OriginGroups ?? []).map((group) => originGroupOf(group, originIds));
  const targets = new Set([...originIds, ...originGroups.map((g) => g.id)]);
  const behaviours = (config.CacheBehaviors ?? []).map((node, i) => cacheBehaviourOf(node, i, targets));
  behaviours.push(behaviourOf(config.DefaultCacheBehavior, "*", "distributionConfig.defaultCacheBehavior", targets));
  return {
    format: PARSED_CONFIG_FORMAT,
    callerReference: config.CallerReference,
    enabled: config.Enabled,
    comment: config.Comment,
    aliases: (config.Aliases ?? []).map((alias) => alias.toLowerCase()),
    defaultRootObject,
    origins,
    originGroups,
    customErrorResponses: (config.CustomErrorResponses ?? []).map(customErrorResponseOf),
    behaviours,
    geoRestriction: geoRestrictionOf(config.Restrictions?.GeoRestriction),
  };
}

/**
 * A config parsed by an older edgelite (an earlier PARSED_CONFIG_FORMAT) that this one's checks refuse, with
 * the fields added since at their defaults, so the distribution keeps serving as it did.
 */
export function withCurrentDefaults(old: ParsedDistributionConfig): ParsedDistributionConfig {
  return {
    ...old,
    format: PARSED_CONFIG_FORMAT,
    geoRestriction: old.geoRestriction ?? { type: "none", locations: [] },
    customErrorResponses: old.customErrorResponses.map((response) => ({ ...response, errorCachingMinTtl: response.errorCachingMinTtl ?? DEFAULT_ERROR_CACHING_MIN_TTL_SECONDS })),
    behaviours: old.behaviours.map((behaviour) => ({
      ...behaviour,
      allowedMethods: behaviour.allowedMethods ?? [...DEFAULT_METHODS],
      cachedMethods: behaviour.cachedMethods ?? [...DEFAULT_METHODS],
      compress: behaviour.compress ?? false,
      viewerProtocolPolicy: behaviour.viewerProtocolPolicy ?? "allow-all",
      lambdaFunctionAssociations: behaviour.lambdaFunctionAssociations ?? [],
    })),
  };
}
