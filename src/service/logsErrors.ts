import { AUTH_ERROR_STATUS } from "./errors.js";

/**
 * Errors of the CloudWatch Logs subset (logs 2014-03-28, awsJson1_1) that reads function logs: codes and
 * statuses from that service's model (botocore `logs/2014-03-28/service-2.json`). Turned into
 * `{"__type", "message"}` only in src/api.
 */
export const LOGS_ERROR_STATUS = {
  InvalidParameterException: 400,
  ResourceNotFoundException: 400,
  ServiceUnavailableException: 500,
  // The awsJson1_1 protocol's own: a body that is not JSON, a member of the wrong type, an unknown target.
  SerializationException: 400,
  UnknownOperationException: 400,
  AccessDeniedException: 400,
  ...AUTH_ERROR_STATUS,
} as const;

export type LogsErrorCode = keyof typeof LOGS_ERROR_STATUS;

export class LogsError extends Error {
  readonly status: number;
  constructor(
    readonly code: LogsErrorCode,
    message: string,
  ) {
    super(message);
    this.name = code;
    this.status = LOGS_ERROR_STATUS[code];
  }
}

export const LOGS_MESSAGES = {
  groupNotFound: "The specified log group does not exist.",
  streamNotFound: "The specified log stream does not exist.",
  badToken: "The specified nextToken is invalid.",
} as const;
