import { MAX_PATH_PATTERN_LENGTH, ORIGIN_CONNECTION_ATTEMPTS, ORIGIN_CONNECTION_TIMEOUT_SECONDS, ORIGIN_KEEPALIVE_TIMEOUT_SECONDS, ORIGIN_READ_TIMEOUT_SECONDS } from "../limits.js";
import { emptyRecord, getOwn } from "../nullPrototype.js";
import { CloudFrontError, type CloudFrontErrorCode } from "./errors.js";

/**
 * What edgelite reads from a DistributionConfig (the rest is stored whole and returned unchanged): its
 * identity, aliases, origins, cache behaviours and function associations. Input is the parsed XML tree.
 */

type XmlNode = string | { [name: string]: XmlNode | XmlNode[] };
type XmlObject = { [name: string]: XmlNode | XmlNode[] };

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

const text = (node: XmlObject | undefined, name: string): string | undefined => {
  const value = node && getOwn(node, name);
  return typeof value === "string" ? value : undefined;
};
const object = (node: XmlObject | undefined, name: string): XmlObject | undefined => {
  const value = node && getOwn(node, name);
  if (value === undefined) return undefined;
  if (typeof value === "string") return emptyRecord();
  if (Array.isArray(value)) throw malformed(`<${name}> may appear only once.`);
  return value;
};
const items = (wrapper: XmlObject | undefined, member: string, where: string): XmlObject[] => {
  if (!wrapper) return [];
  const list = object(wrapper, "Items");
  const raw = list && getOwn(list, member);
  const members = raw === undefined ? [] : Array.isArray(raw) ? raw : [raw];
  const quantity = text(wrapper, "Quantity");
  if (quantity !== undefined && Number(quantity) !== members.length) {
    throw new CloudFrontError("InvalidArgument", `${where}: Quantity is ${quantity} but Items holds ${members.length}.`);
  }
  return members.map((m) => (typeof m === "string" ? emptyRecord<XmlNode | XmlNode[]>() : (m as XmlObject)));
};

/** A wrapped list of text members (`<Aliases><Quantity/><Items><CNAME>…</CNAME></Items></Aliases>`). */
function textItems(wrapper: XmlObject | undefined, member: string, where: string): string[] {
  if (!wrapper) return [];
  const list = object(wrapper, "Items");
  const raw = list && getOwn(list, member);
  const members = raw === undefined ? [] : Array.isArray(raw) ? raw : [raw];
  const quantity = text(wrapper, "Quantity");
  if (quantity !== undefined && Number(quantity) !== members.length) {
    throw new CloudFrontError("InvalidArgument", `${where}: Quantity is ${quantity} but Items holds ${members.length}.`);
  }
  return members.map((m) => {
    if (typeof m !== "string") throw malformed(`<${member}> must contain text.`);
    return m;
  });
}

function malformed(detail: string): CloudFrontError {
  return new CloudFrontError("MalformedXML", `The XML document you provided did not validate against our published schema: ${detail}`);
}

function required(node: XmlObject, name: string, at: string): string {
  const value = text(node, name);
  if (value === undefined) throw new CloudFrontError("MalformedXML", `1 validation error detected: Value null at '${at}' failed to satisfy constraint: Member must not be null`);
  return value;
}

/**
 * An origin's whole-number setting within CloudFront's range, its default when absent. Anything else (0, 61,
 * `abc`, `1.5`, an empty element) is refused with the setting's own error code.
 */
function originSetting(value: string | undefined, range: { min: number; max: number; default: number }, code: CloudFrontErrorCode, name: string): number {
  if (value === undefined) return range.default;
  const number = /^\s*\d{1,9}\s*$/.test(value) ? Number(value) : Number.NaN;
  if (!(number >= range.min && number <= range.max)) {
    throw new CloudFrontError(code, `The ${name} specified for the origin is not valid: it must be a whole number from ${range.min} to ${range.max}, not "${value.slice(0, 32)}".`);
  }
  return number;
}

/** The HTTP statuses a CustomErrorResponse may name (CloudFront's list). */
const CUSTOMIZABLE_ERROR_CODES = [400, 403, 404, 405, 414, 416, 500, 501, 502, 503, 504];

export function parseDistributionConfig(root: XmlObject): ParsedDistributionConfig {
  const callerReference = required(root, "CallerReference", "distributionConfig.callerReference");
  const comment = required(root, "Comment", "distributionConfig.comment");
  const enabledText = required(root, "Enabled", "distributionConfig.enabled");
  if (enabledText !== "true" && enabledText !== "false") throw malformed("<Enabled> must be true or false.");
  const aliases = textItems(object(root, "Aliases"), "CNAME", "Aliases").map((alias) => alias.toLowerCase());
  const defaultRootObject = text(root, "DefaultRootObject") ?? "";
  if (defaultRootObject.startsWith("/")) {
    throw new CloudFrontError("InvalidDefaultRootObject", `The default root object "${defaultRootObject}" must be an object name without a leading /.`);
  }

  const originsNode = object(root, "Origins");
  if (!originsNode) throw new CloudFrontError("MalformedXML", "1 validation error detected: Value null at 'distributionConfig.origins' failed to satisfy constraint: Member must not be null");
  const origins = items(originsNode, "Origin", "Origins").map((origin): OriginConfig => {
    const custom = object(origin, "CustomOriginConfig");
    const headers = items(object(origin, "CustomHeaders"), "OriginCustomHeader", "CustomHeaders").map(
      (h) => [text(h, "HeaderName") ?? "", text(h, "HeaderValue") ?? ""] as [string, string],
    );
    return {
      id: required(origin, "Id", "distributionConfig.origins.items.member.id"),
      domainName: required(origin, "DomainName", "distributionConfig.origins.items.member.domainName"),
      originPath: text(origin, "OriginPath") ?? "",
      kind: custom ? "custom" : "s3",
      httpPort: Number(text(custom, "HTTPPort") ?? 80),
      httpsPort: Number(text(custom, "HTTPSPort") ?? 443),
      protocolPolicy: text(custom, "OriginProtocolPolicy") ?? "https-only",
      readTimeoutSeconds: originSetting(text(custom, "OriginReadTimeout"), ORIGIN_READ_TIMEOUT_SECONDS, "InvalidOriginReadTimeout", "OriginReadTimeout"),
      keepaliveTimeoutSeconds: originSetting(text(custom, "OriginKeepaliveTimeout"), ORIGIN_KEEPALIVE_TIMEOUT_SECONDS, "InvalidOriginKeepaliveTimeout", "OriginKeepaliveTimeout"),
      connectionTimeoutSeconds: originSetting(text(origin, "ConnectionTimeout"), ORIGIN_CONNECTION_TIMEOUT_SECONDS, "InvalidArgument", "ConnectionTimeout"),
      connectionAttempts: originSetting(text(origin, "ConnectionAttempts"), ORIGIN_CONNECTION_ATTEMPTS, "InvalidArgument", "ConnectionAttempts"),
      customHeaders: headers,
    };
  });
  if (origins.length === 0) throw new CloudFrontError("InvalidArgument", "A distribution needs at least one origin.");
  const originIds = new Set(origins.map((o) => o.id));
  if (originIds.size !== origins.length) throw new CloudFrontError("InvalidArgument", "Origin Ids must be unique within a distribution.");
  const originGroups = items(object(root, "OriginGroups"), "OriginGroup", "OriginGroups").map((group, i): OriginGroupConfig => {
    const id = required(group, "Id", `distributionConfig.originGroups.items.${i + 1}.member.id`);
    const memberIds = items(object(group, "Members"), "OriginGroupMember", "OriginGroup Members").map((member) => required(member, "OriginId", `distributionConfig.originGroups.items.${i + 1}.member.members.items.member.originId`));
    if (memberIds.length !== 2) throw new CloudFrontError("InvalidArgument", `Origin group ${id} must have exactly two members, the primary first.`);
    for (const member of memberIds) if (!originIds.has(member)) throw new CloudFrontError("NoSuchOrigin", `One or more of your origins or origin groups do not exist: ${member}.`);
    const failoverStatusCodes = textItems(object(object(group, "FailoverCriteria"), "StatusCodes"), "StatusCode", "FailoverCriteria StatusCodes").map(Number);
    if (failoverStatusCodes.length === 0 || failoverStatusCodes.some((code) => !Number.isInteger(code) || code < 400 || code > 599)) {
      throw new CloudFrontError("InvalidArgument", `Origin group ${id}: FailoverCriteria must list the 4xx/5xx status codes that trigger failover.`);
    }
    if (originIds.has(id)) throw new CloudFrontError("InvalidArgument", `Origin group ${id} has the Id of an origin; Ids must be unique within a distribution.`);
    return { id, memberIds, failoverStatusCodes };
  });
  const targets = new Set([...originIds, ...originGroups.map((g) => g.id)]);

  const behaviour = (node: XmlObject, pathPattern: string, where: string): BehaviourConfig => {
    const targetOriginId = required(node, "TargetOriginId", `${where}.targetOriginId`);
    if (!targets.has(targetOriginId)) throw new CloudFrontError("NoSuchOrigin", `One or more of your origins or origin groups do not exist: ${targetOriginId}.`);
    const functions = items(object(node, "FunctionAssociations"), "FunctionAssociation", `${where}.FunctionAssociations`).map((association) => {
      const functionArn = required(association, "FunctionARN", `${where}.functionAssociations.items.member.functionARN`);
      const eventType = required(association, "EventType", `${where}.functionAssociations.items.member.eventType`);
      if (!["viewer-request", "viewer-response", "origin-request", "origin-response"].includes(eventType)) {
        throw new CloudFrontError(
          "MalformedXML",
          `1 validation error detected: Value '${eventType}' at '${where}.functionAssociations.items.member.eventType' failed to satisfy constraint: Member must satisfy enum value set: [viewer-request, viewer-response, origin-request, origin-response]`,
        );
      }
      if (eventType !== "viewer-request" && eventType !== "viewer-response") {
        throw new CloudFrontError("InvalidFunctionAssociation", `CloudFront Functions run on viewer events only; ${eventType} is for Lambda@Edge.`);
      }
      return { functionArn, eventType } as FunctionAssociationConfig;
    });
    const types = functions.map((f) => f.eventType);
    if (new Set(types).size !== types.length) {
      throw new CloudFrontError("InvalidFunctionAssociation", `${where}: at most one function per event type.`);
    }
    const result: BehaviourConfig = { pathPattern, targetOriginId, functions };
    const originRequestPolicyId = text(node, "OriginRequestPolicyId");
    const cachePolicyId = text(node, "CachePolicyId");
    if (originRequestPolicyId) result.originRequestPolicyId = originRequestPolicyId;
    if (cachePolicyId) result.cachePolicyId = cachePolicyId;
    const forwarded = object(node, "ForwardedValues");
    if (forwarded) {
      const cookies = object(forwarded, "Cookies");
      const forward = text(cookies, "Forward") ?? "none";
      if (forward !== "none" && forward !== "all" && forward !== "whitelist") throw malformed("<Cookies><Forward> must be none, whitelist or all.");
      result.forwardedValues = {
        queryString: text(forwarded, "QueryString") === "true",
        cookies: forward,
        cookieNames: textItems(object(cookies, "WhitelistedNames"), "Name", "WhitelistedNames"),
        headers: textItems(object(forwarded, "Headers"), "Name", "Headers").map((name) => name.toLowerCase()),
      };
    }
    return result;
  };

  const defaultNode = object(root, "DefaultCacheBehavior");
  if (!defaultNode) throw new CloudFrontError("MalformedXML", "1 validation error detected: Value null at 'distributionConfig.defaultCacheBehavior' failed to satisfy constraint: Member must not be null");
  const behaviours = items(object(root, "CacheBehaviors"), "CacheBehavior", "CacheBehaviors").map((node, i) => {
    const where = `distributionConfig.cacheBehaviors.items.${i + 1}.member`;
    const pathPattern = required(node, "PathPattern", `${where}.pathPattern`);
    if (pathPattern.length > MAX_PATH_PATTERN_LENGTH) {
      throw new CloudFrontError("InvalidArgument", `The PathPattern of cache behavior ${i + 1} is ${pathPattern.length} characters long; CloudFront allows at most ${MAX_PATH_PATTERN_LENGTH}.`);
    }
    return behaviour(node, pathPattern, where);
  });
  behaviours.push(behaviour(defaultNode, "*", "distributionConfig.defaultCacheBehavior"));
  const customErrorResponses = items(object(root, "CustomErrorResponses"), "CustomErrorResponse", "CustomErrorResponses").map((node, i): CustomErrorResponseConfig => {
    const errorCode = Number(required(node, "ErrorCode", `distributionConfig.customErrorResponses.items.${i + 1}.member.errorCode`));
    if (!CUSTOMIZABLE_ERROR_CODES.includes(errorCode)) {
      throw new CloudFrontError("InvalidErrorCode", `ErrorCode ${errorCode} cannot have a custom error response; the codes that can are ${CUSTOMIZABLE_ERROR_CODES.join(", ")}.`);
    }
    const responsePagePath = text(node, "ResponsePagePath") || undefined;
    const responseCode = text(node, "ResponseCode") || undefined;
    if (responsePagePath !== undefined && !responsePagePath.startsWith("/")) {
      throw new CloudFrontError("InvalidArgument", `The ResponsePagePath ${responsePagePath} must begin with a /.`);
    }
    if ((responsePagePath === undefined) !== (responseCode === undefined)) {
      throw new CloudFrontError("InvalidResponseCode", `CustomErrorResponse for ${errorCode}: ResponsePagePath and ResponseCode go together.`);
    }
    return { errorCode, ...(responsePagePath !== undefined ? { responsePagePath } : {}), ...(responseCode !== undefined ? { responseCode: Number(responseCode) } : {}) };
  });
  return { callerReference, enabled: enabledText === "true", comment, aliases, defaultRootObject, origins, originGroups, customErrorResponses, behaviours };
}
