import { IacError } from "../types.js";

/** What the engine was doing when a resource failed, for the message. */
export type Step = "resolve" | "create" | "update" | "delete";

/** An error the CloudFront API answered, as @aws-sdk/client-cloudfront throws it (a ServiceException). */
function isServiceError(error: unknown): error is Error & { $metadata: object } {
  return error instanceof Error && typeof (error as { $metadata?: unknown }).$metadata === "object";
}

/**
 * A resource's failure as the user reads it: which stack, logical id and type, and the server's own words.
 * IacErrors that already name the resource pass unchanged; anything else that is not the server's answer
 * (a bug, a connection refused) is left as it is for the CLI to tell.
 */
export function resourceError(error: unknown, stackName: string, logicalId: string, type: string, step: Step): unknown {
  const where = `${stackName}/${logicalId} (${type})`;
  if (error instanceof IacError) {
    if (error.message.includes(logicalId)) return error;
    return new IacError(`${where}: ${error.message}`, logicalId, error.code);
  }
  if (isServiceError(error)) {
    return new IacError(`${where}: the CloudFront API refused to ${step} it: ${error.name}: ${error.message}`, logicalId, error.name);
  }
  return error;
}

/** A one-line message of any error (for warnings). */
export function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
