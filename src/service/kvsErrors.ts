import { AUTH_ERROR_STATUS } from "./errors.js";

/**
 * Errors of the KeyValueStore data plane (cloudfront-keyvaluestore, REST-JSON): their own codes and
 * statuses from that service's model. Turned into `x-amzn-ErrorType` + JSON only in src/api/kvs.
 */
export const KVS_ERROR_STATUS = {
  ValidationException: 400,
  ServiceQuotaExceededException: 402,
  AccessDeniedException: 403,
  ResourceNotFoundException: 404,
  ConflictException: 409,
  InternalServerException: 500,
  // edgelite's own, for requests that are no data-plane operation.
  UnknownOperationException: 404,
  ...AUTH_ERROR_STATUS,
} as const;

export type KvsErrorCode = keyof typeof KVS_ERROR_STATUS;

export class KvsError extends Error {
  readonly status: number;
  constructor(
    readonly code: KvsErrorCode,
    message: string,
  ) {
    super(message);
    this.name = code;
    this.status = KVS_ERROR_STATUS[code];
  }
}

export const KVS_MESSAGES = {
  notFound: "Resource was not found.",
  keyNotFound: (key: string) => `Key '${key}' was not found.`,
  preconditionFailed: "Pre-Condition failed during update of Key-Value-Store",
  notReady: "Key-Value-Store was not in expected state",
} as const;
