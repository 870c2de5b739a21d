/**
 * Who may call: AWS's answers to unsigned, unknown-key, mis-signed and stale requests (common to its
 * services; all 403 here, see docs/security.md), and to a Host or Origin edgelite does not serve.
 */
export const AUTH_ERROR_STATUS = {
  MissingAuthenticationToken: 403,
  InvalidClientTokenId: 403,
  SignatureDoesNotMatch: 403,
  IncompleteSignature: 403,
  RequestExpired: 403,
} as const;

export type AuthErrorCode = keyof typeof AUTH_ERROR_STATUS;

/**
 * CloudFront's error codes with the HTTP status the service model gives each. A service method throws
 * CloudFrontError; only src/api turns it into the wire format.
 */
export const ERROR_STATUS = {
  AccessDenied: 403,
  CannotDeleteEntityWhileInUse: 409,
  EntityAlreadyExists: 409,
  EntityLimitExceeded: 400,
  EntityNotFound: 404,
  EntitySizeLimitExceeded: 413,
  FunctionAlreadyExists: 409,
  FunctionInUse: 409,
  FunctionSizeLimitExceeded: 413,
  InvalidArgument: 400,
  InvalidIfMatchVersion: 400,
  InvalidTagging: 400,
  NoSuchFunctionExists: 404,
  NoSuchResource: 404,
  PreconditionFailed: 412,
  TestFunctionFailed: 500,
  TooManyFunctions: 400,
  UnsupportedOperation: 400,
  // Distributions (the subset the edge needs).
  CNAMEAlreadyExists: 409,
  DistributionAlreadyExists: 409,
  DistributionNotDisabled: 409,
  IllegalUpdate: 400,
  InvalidDefaultRootObject: 400,
  InvalidErrorCode: 400,
  InvalidResponseCode: 400,
  InvalidFunctionAssociation: 400,
  InvalidOriginKeepaliveTimeout: 400,
  InvalidOriginReadTimeout: 400,
  NoSuchDistribution: 404,
  NoSuchOrigin: 404,
  NoSuchCachePolicy: 404,
  NoSuchOriginRequestPolicy: 404,
  // Policies, origin access controls, invalidations and the distribution settings that name them (issue 13),
  // with the statuses botocore's cloudfront 2020-05-31 model gives them.
  BatchTooLarge: 413,
  CachePolicyAlreadyExists: 409,
  CachePolicyInUse: 409,
  IllegalDelete: 400,
  IllegalOriginAccessConfiguration: 400,
  InconsistentQuantities: 400,
  InvalidDomainNameForOriginAccessControl: 400,
  InvalidGeoRestrictionParameter: 400,
  InvalidLambdaFunctionAssociation: 400,
  InvalidLocationCode: 400,
  InvalidOrigin: 400,
  InvalidOriginAccessControl: 400,
  InvalidRelativePath: 400,
  InvalidTTLOrder: 400,
  MissingBody: 400,
  NoSuchInvalidation: 404,
  NoSuchOriginAccessControl: 404,
  NoSuchResponseHeadersPolicy: 404,
  OriginAccessControlAlreadyExists: 409,
  OriginAccessControlInUse: 409,
  OriginRequestPolicyAlreadyExists: 409,
  OriginRequestPolicyInUse: 409,
  ResponseHeadersPolicyAlreadyExists: 409,
  ResponseHeadersPolicyInUse: 409,
  TooLongCSPInResponseHeadersPolicy: 400,
  TooManyCachePolicies: 400,
  TooManyCookiesInCachePolicy: 400,
  TooManyCookiesInOriginRequestPolicy: 400,
  TooManyCustomHeadersInResponseHeadersPolicy: 400,
  TooManyDistributionsAssociatedToCachePolicy: 400,
  TooManyDistributionsAssociatedToOriginAccessControl: 400,
  TooManyDistributionsAssociatedToOriginRequestPolicy: 400,
  TooManyDistributionsAssociatedToResponseHeadersPolicy: 400,
  TooManyHeadersInCachePolicy: 400,
  TooManyHeadersInOriginRequestPolicy: 400,
  TooManyInvalidationsInProgress: 400,
  TooManyLambdaFunctionAssociations: 400,
  TooManyOriginAccessControls: 400,
  TooManyOriginRequestPolicies: 400,
  TooManyQueryStringsInCachePolicy: 400,
  TooManyQueryStringsInOriginRequestPolicy: 400,
  TooManyRemoveHeadersInResponseHeadersPolicy: 400,
  TooManyResponseHeadersPolicies: 400,
  // Named by the model's InvalidationBatch.CallerReference documentation, not declared as a shape: 409 as every …AlreadyExists.
  InvalidationBatchAlreadyExists: 409,
  // Not in the model's per-operation lists, but returned by the real service (see docs/behaviour.md).
  MalformedXML: 400,
  // edgelite's own, for requests that are not a CloudFront operation at all.
  NotFound: 404,
  MethodNotAllowed: 405,
  RequestTimeout: 408,
  RequestURITooLong: 414,
  RequestHeaderSectionTooLarge: 431,
  NotImplemented: 501,
  InternalError: 500,
  ...AUTH_ERROR_STATUS,
  // A write the disk refused (full, read-only, I/O error): AWS's transient-failure status, which SDKs retry.
  ServiceUnavailable: 503,
} as const;

export type CloudFrontErrorCode = keyof typeof ERROR_STATUS;

export class CloudFrontError extends Error {
  readonly status: number;

  constructor(
    readonly code: CloudFrontErrorCode,
    message: string,
  ) {
    super(message);
    this.name = code;
    this.status = ERROR_STATUS[code];
  }

  /** `Sender` for client faults (4xx), `Receiver` for service faults (5xx), as in CloudFront's ErrorResponse. */
  get type(): "Sender" | "Receiver" {
    return this.status >= 500 ? "Receiver" : "Sender";
  }
}

/** Messages seen from the real service (SDK examples, terraform-provider-aws tests, published CLI output) or, failing that, the model's own words. */
export const MESSAGES = {
  noSuchFunction: "The function does not exist.",
  functionAlreadyExists:
    "A function with the same name already exists in this Amazon Web Services account. To create a function, you must provide a unique name. To update an existing function, use UpdateFunction.",
  tooManyFunctions: (max: number) =>
    `You have reached the maximum number of CloudFront functions for this Amazon Web Services account (${max}). Delete a function or raise the quota with --max-functions.`,
  functionTooLarge: (bytes: number, max: number) =>
    `The function is too large: its code is ${bytes} bytes and CloudFront allows at most ${max} bytes (10 KB).`,
  ifMatchMissing: "The If-Match version is missing or not valid for the resource.",
  preconditionFailed:
    "The request failed because it didn't meet the preconditions in one or more request-header fields.",
  invalidEventObject: "The provided event object is not valid.",
  functionInUse: (name: string, count: number) => `Cannot delete function ${name}, it is in use by ${count} distributions`,
} as const;

/** The If-Match header, required: missing or empty is InvalidIfMatchVersion (400). */
export function requireIfMatch(ifMatch: string | undefined): string {
  const etag = ifMatch?.trim();
  if (!etag) throw new CloudFrontError("InvalidIfMatchVersion", MESSAGES.ifMatchMissing);
  return etag;
}

/** If-Match names a version that is not current: PreconditionFailed (412). */
export function preconditionFailed(): CloudFrontError {
  return new CloudFrontError("PreconditionFailed", MESSAGES.preconditionFailed);
}

/** What a store throws when its files fail; it passes through the services unchanged (the API answers 503 ServiceUnavailable). */
export { StorageError } from "../store/storageErrors.js";
