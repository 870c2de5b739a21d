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

export interface DefaultCacheBehavior {
  TargetOriginId: string;
  ViewerProtocolPolicy?: string;
  FunctionAssociations?: FunctionAssociation[];
  OriginRequestPolicyId?: string;
  CachePolicyId?: string;
  ForwardedValues?: ForwardedValues;
}

export interface CacheBehavior extends DefaultCacheBehavior {
  PathPattern: string;
}

export interface CustomErrorResponse {
  ErrorCode: number;
  ResponsePagePath?: string;
  /** A string in the model (an HTTP status). */
  ResponseCode?: string;
}
