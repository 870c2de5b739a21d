import { randomUUID } from "node:crypto";
import { CloudFrontError, StorageError } from "../service/errors.js";
import { KvsError } from "../service/kvsErrors.js";
import { LogsError } from "../service/logsErrors.js";
import { LOGS_CONTENT_TYPE } from "./logs/common.js";
import { el, xmlDocument } from "./xmlWriter.js";
import type { ApiReply, Protocol } from "./operation.js";

/**
 * Errors as the protocols on this port write them: CloudFront's REST-XML ErrorResponse, the KeyValueStore
 * data plane's REST-JSON body (`__type`, `Message`) and CloudWatch Logs' awsJson1_1 body (`__type`, `message`),
 * the JSON ones with the type in `x-amzn-ErrorType`.
 */

/** `<ErrorResponse><Error><Type/><Code/><Message/></Error><RequestId/></ErrorResponse>`, as CloudFront sends it. */
export function errorResponseXml(error: CloudFrontError, requestId: string): string {
  return xmlDocument("ErrorResponse", [el("Error", [el("Type", error.type), el("Code", error.code), el("Message", error.message)]), el("RequestId", requestId)]);
}

/** The data plane's error body. */
function errorJson(code: string, message: string): string {
  return JSON.stringify({ __type: code, Message: message });
}

/**
 * The reply for an error a request ended in, and its code for the request log: in JSON for the data plane
 * (or any KvsError), else in CloudFront's XML. Anything but a CloudFront or data-plane error is logged and
 * answered as CloudFront's (503 for the disk's failure, 500 for edgelite's own).
 */
export function errorReply(error: unknown, protocol: Protocol, requestId: string): { reply: ApiReply; code: string } {
  if (protocol === "aws-json-1.1" || error instanceof LogsError) {
    const { code, status, message } = error instanceof LogsError || error instanceof CloudFrontError ? error : asCloudFrontError(error);
    return { reply: { status, body: JSON.stringify({ __type: code, message }), contentType: LOGS_CONTENT_TYPE, headers: { "x-amzn-ErrorType": code } }, code };
  }
  if (protocol === "rest-json" || error instanceof KvsError) {
    const { code, status, message } = error instanceof KvsError || error instanceof CloudFrontError ? error : asCloudFrontError(error);
    return { reply: { status, body: errorJson(code, message), contentType: "application/json", headers: { "x-amzn-ErrorType": code } }, code };
  }
  const cloudFrontError = asCloudFrontError(error);
  return { reply: { status: cloudFrontError.status, body: errorResponseXml(cloudFrontError, requestId), contentType: "text/xml" }, code: cloudFrontError.code };
}

function asCloudFrontError(error: unknown): CloudFrontError {
  if (error instanceof CloudFrontError) return error;
  if (error instanceof StorageError) {
    // The disk's fault, not the caller's nor ours: the file in the log, the reason in the reply; nothing was changed.
    console.error(`edgelite: ${error.message}; answered 503 ServiceUnavailable`);
    return new CloudFrontError("ServiceUnavailable", `edgelite could not save this change: ${error.reason}. Nothing was changed; retry once the disk is fixed (the server's log names the file).`);
  }
  // A bug of ours, not the caller's: say so plainly rather than blame the request.
  console.error("edgelite: unexpected error", error);
  return new CloudFrontError("InternalError", "edgelite hit an internal error handling this request; it has been logged.");
}

/** The fixed InternalError reply of the last resort, head lines included: nothing in it comes from the reply that failed. */
export function fallbackReply(requestId: string, protocol: Protocol): { status: 500; headers: Array<[string, string]>; body: string } {
  const error = new CloudFrontError("InternalError", "edgelite could not write its reply to this request; the reason has been logged.");
  const safeId = /^[0-9a-f-]{36}$/.test(requestId) ? requestId : randomUUID();
  return protocol !== "rest-xml"
    ? { status: 500, headers: [["x-amzn-RequestId", safeId], ["x-amzn-ErrorType", error.code], ["Content-Type", protocol === "aws-json-1.1" ? LOGS_CONTENT_TYPE : "application/json"]], body: errorJson(error.code, error.message) }
    : { status: 500, headers: [["x-amzn-RequestId", safeId], ["Content-Type", "text/xml"]], body: errorResponseXml(error, safeId) };
}
