import { CloudFrontServiceException } from "@aws-sdk/client-cloudfront";
import { IacError } from "../types.js";
import { resourceLabel, type ConvertAt } from "./convert.js";

/** The resource a handler works on, for messages. */
export type ResourceAt = Omit<ConvertAt, "path">;

/**
 * Runs one CloudFront API call for a resource. An error answer becomes an IacError naming the stack, the
 * logical id and the operation, with CloudFront's code (as `code`) and message; anything else (the server
 * cannot be reached, an answer without what it must hold) an IacError with the reason.
 */
export async function callCloudFront<T>(where: ResourceAt, operation: string, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    if (error instanceof CloudFrontServiceException) {
      throw new IacError(`${resourceLabel(where)}: ${operation}: CloudFront answered ${error.name}: ${error.message}`, where.logicalId, error.name);
    }
    const reason = error instanceof Error ? error.message : String(error);
    throw new IacError(`${resourceLabel(where)}: ${operation} failed: ${reason}.`, where.logicalId);
  }
}

/** True when `error` is CloudFront's answer with one of these codes (from callCloudFront). */
export function answered(error: unknown, ...codes: string[]): error is IacError {
  return error instanceof IacError && error.code !== undefined && codes.includes(error.code);
}

/** Runs `call`, answering undefined when CloudFront answers one of `codes` (a resource that is already gone). */
export async function unlessAnswered<T>(codes: readonly string[], call: () => Promise<T>): Promise<T | undefined> {
  try {
    return await call();
  } catch (error) {
    if (answered(error, ...codes)) return undefined;
    throw error;
  }
}

/** The ETag CloudFront answers a Get or Describe with: every change after it needs it as If-Match. */
export function etagOf(where: ResourceAt, operation: string, etag: string | undefined): string {
  if (etag === undefined) throw new IacError(`${resourceLabel(where)}: ${operation} answered no ETag; the server is not CloudFront-compatible.`, where.logicalId);
  return etag;
}
