import type { IncomingHttpHeaders } from "node:http";
import type { FunctionService } from "../service/functions.js";
import type { KeyValueStoreService } from "../service/keyValueStores.js";
import type { TaggingService } from "../service/tagging.js";
import type { DistributionService } from "../service/distributions.js";
import type { FunctionLogStore } from "../service/functionLogs.js";
import type { OriginAccessControlService } from "../service/originAccessControls.js";
import type { InvalidationService } from "../service/invalidations.js";
import type { PolicyKinds } from "../service/policies.js";

/** What an operation sees of an HTTP request: already routed, body fully read. */
export interface ApiRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  headers: IncomingHttpHeaders;
  body: Buffer;
  /** URI labels, decoded (e.g. `{Name}`). */
  params: Record<string, string>;
}

export interface ApiReply {
  status: number;
  headers?: Record<string, string>;
  /** XML text, or raw bytes (GetFunction). */
  body?: string | Uint8Array;
  contentType?: string;
}

export interface ApiServices {
  functions: FunctionService;
  keyValueStores: KeyValueStoreService;
  tagging: TaggingService;
  distributions: DistributionService;
  /** Function logs as CloudWatch Logs serves them (src/api/logs). */
  functionLogs: FunctionLogStore;
  originAccessControls: OriginAccessControlService;
  invalidations: InvalidationService;
  /** Cache, origin request and response headers policies, managed and custom. */
  policies: PolicyKinds;
}

/**
 * The protocols on this port: CloudFront's REST-XML API, the KeyValueStore data plane's REST-JSON, and
 * CloudWatch Logs' awsJson1_1 (`POST /` with `X-Amz-Target`).
 */
export type Protocol = "rest-xml" | "rest-json" | "aws-json-1.1";

/** One CloudFront API operation: its route and its handler (parse + validate + call the service + shape the reply). */
export interface Operation {
  name: string;
  method: "GET" | "POST" | "PUT" | "DELETE";
  /** Request URI from the model, with `{Label}` placeholders. */
  path: string;
  /** How errors are written: CloudFront's XML ErrorResponse (default), or JSON (the data plane's, CloudWatch Logs'). */
  protocol?: Protocol;
  /** An awsJson operation's `X-Amz-Target` (`Logs_20140328.GetLogEvents`): it is routed by this header, not by its path. */
  target?: string;
  handle(request: ApiRequest, services: ApiServices): Promise<ApiReply>;
}

export function jsonReply(status: number, body: unknown, headers?: Record<string, string>): ApiReply {
  const text = JSON.stringify(body);
  return headers ? { status, body: text, headers, contentType: "application/json" } : { status, body: text, contentType: "application/json" };
}

export function xmlReply(status: number, body: string, headers?: Record<string, string>): ApiReply {
  return headers ? { status, body, headers, contentType: "text/xml" } : { status, body, contentType: "text/xml" };
}
