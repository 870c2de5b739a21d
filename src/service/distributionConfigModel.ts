/**
 * A DistributionConfig as CloudFront's 2020-05-31 model shapes it (member names as in the model and in
 * `@aws-sdk/client-cloudfront`'s `DistributionConfig`), limited to the members edgelite reads. A wrapped
 * list (`{ Quantity, Items }`) is its Items; the reader in src/api checked that Quantity matches. Integers
 * are numbers (NaN when the text was not a number: the checks refuse it with the member's own error).
 */
export interface DistributionConfig {
  CallerReference: string;
  Comment: string;
  Enabled: boolean;
  /** CNAMEs. */
  Aliases?: string[];
  DefaultRootObject?: string;
  Origins: Origin[];
  OriginGroups?: OriginGroup[];
  DefaultCacheBehavior: DefaultCacheBehavior;
  CacheBehaviors?: CacheBehavior[];
  CustomErrorResponses?: CustomErrorResponse[];
  Restrictions?: { GeoRestriction: GeoRestriction };
}

export type GeoRestrictionType = "none" | "whitelist" | "blacklist";
export const GEO_RESTRICTION_TYPES: readonly GeoRestrictionType[] = ["none", "whitelist", "blacklist"];

export interface GeoRestriction {
  RestrictionType: GeoRestrictionType;
  /** ISO 3166-1 alpha-2 country codes. */
  Locations?: string[];
}

export interface Origin {
  Id: string;
  DomainName: string;
  OriginPath?: string;
  CustomHeaders?: OriginCustomHeader[];
  S3OriginConfig?: { OriginAccessIdentity?: string };
  CustomOriginConfig?: CustomOriginConfig;
  ConnectionAttempts?: number;
  ConnectionTimeout?: number;
  OriginAccessControlId?: string;
}

export interface OriginCustomHeader {
  HeaderName: string;
  HeaderValue: string;
}

export interface CustomOriginConfig {
  HTTPPort?: number;
  HTTPSPort?: number;
  OriginProtocolPolicy?: string;
  OriginReadTimeout?: number;
  OriginKeepaliveTimeout?: number;
}

export interface OriginGroup {
  Id: string;
  /** The members' OriginIds, the primary first. */
  Members: Array<{ OriginId: string }>;
  FailoverCriteria?: { StatusCodes: number[] };
}

export type EventType = "viewer-request" | "viewer-response" | "origin-request" | "origin-response";
export const EVENT_TYPES: readonly EventType[] = ["viewer-request", "viewer-response", "origin-request", "origin-response"];

export interface FunctionAssociation {
  FunctionARN: string;
  EventType: EventType;
}

export type CookieForwarding = "none" | "whitelist" | "all";
export const COOKIE_FORWARDING: readonly CookieForwarding[] = ["none", "whitelist", "all"];

export interface ForwardedValues {
  QueryString: boolean;
  Cookies?: { Forward?: CookieForwarding; WhitelistedNames?: string[] };
  Headers?: string[];
}

export type HttpMethod = "GET" | "HEAD" | "POST" | "PUT" | "PATCH" | "OPTIONS" | "DELETE";
export const HTTP_METHODS: readonly HttpMethod[] = ["GET", "HEAD", "POST", "PUT", "PATCH", "OPTIONS", "DELETE"];

export interface AllowedMethods {
  Items: HttpMethod[];
  CachedMethods?: HttpMethod[];
}

export interface LambdaFunctionAssociation {
  LambdaFunctionARN: string;
  EventType: EventType;
  IncludeBody?: boolean;
}

export interface DefaultCacheBehavior {
  TargetOriginId: string;
  ViewerProtocolPolicy?: string;
  AllowedMethods?: AllowedMethods;
  Compress?: boolean;
  LambdaFunctionAssociations?: LambdaFunctionAssociation[];
  FunctionAssociations?: FunctionAssociation[];
  OriginRequestPolicyId?: string;
  CachePolicyId?: string;
  ResponseHeadersPolicyId?: string;
  ForwardedValues?: ForwardedValues;
  /** Legacy TTLs (seconds), read only with ForwardedValues. */
  MinTTL?: number;
  DefaultTTL?: number;
  MaxTTL?: number;
}

export interface CacheBehavior extends DefaultCacheBehavior {
  PathPattern: string;
}

export interface CustomErrorResponse {
  ErrorCode: number;
  ResponsePagePath?: string;
  /** A string in the model (an HTTP status). */
  ResponseCode?: string;
  /** Seconds an error response is cached. */
  ErrorCachingMinTTL?: number;
}
