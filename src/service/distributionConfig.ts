import { MAX_PATH_PATTERN_LENGTH, ORIGIN_CONNECTION_ATTEMPTS, ORIGIN_CONNECTION_TIMEOUT_SECONDS, ORIGIN_KEEPALIVE_TIMEOUT_SECONDS, ORIGIN_READ_TIMEOUT_SECONDS } from "../limits.js";
import type { CacheBehavior, CustomErrorResponse, DefaultCacheBehavior, DistributionConfig, Origin, OriginGroup } from "./distributionConfigModel.js";
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

export interface BehaviourConfig {
  /** "*" for the default behaviour. */
  pathPattern: string;
  /** An origin's Id or an origin group's Id. */
  targetOriginId: string;
  functions: FunctionAssociationConfig[];
  originRequestPolicyId?: string;
  cachePolicyId?: string;
  forwardedValues?: ForwardedValuesConfig;
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
}

export interface ParsedDistributionConfig {
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
  };
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
  const result: BehaviourConfig = { pathPattern, targetOriginId, functions };
  if (node.OriginRequestPolicyId) result.originRequestPolicyId = node.OriginRequestPolicyId;
  if (node.CachePolicyId) result.cachePolicyId = node.CachePolicyId;
  const forwarded = node.ForwardedValues;
  if (forwarded) {
    result.forwardedValues = {
      queryString: forwarded.QueryString,
      cookies: forwarded.Cookies?.Forward ?? "none",
      cookieNames: forwarded.Cookies?.WhitelistedNames ?? [],
      headers: (forwarded.Headers ?? []).map((name) => name.toLowerCase()),
    };
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

function customErrorResponseOf({ ErrorCode: errorCode, ResponsePagePath, ResponseCode }: CustomErrorResponse): CustomErrorResponseConfig {
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
  return { errorCode, ...(responsePagePath !== undefined ? { responsePagePath } : {}), ...(responseCode !== undefined ? { responseCode: Number(responseCode) } : {}) };
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
    callerReference: config.CallerReference,
    enabled: config.Enabled,
    comment: config.Comment,
    aliases: (config.Aliases ?? []).map((alias) => alias.toLowerCase()),
    defaultRootObject,
    origins,
    originGroups,
    customErrorResponses: (config.CustomErrorResponses ?? []).map(customErrorResponseOf),
    behaviours,
  };
}
