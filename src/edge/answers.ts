import type { FunctionEvent, FunctionResponse } from "../runtime/event.js";
import type { RunResult } from "../runtime/function.js";
import type { Upstream } from "./upstream.js";
import type { OriginReply } from "./originReply.js";
import { escapeHtml, INVALID_VALUE, ORIGIN_TIMEOUT, ORIGIN_UNREACHABLE, type ErrorPageStatus } from "./pages.js";
import type { HeaderLine } from "./writer.js";

/**
 * How a request is answered, as a step decides it; write.ts turns it into bytes and a log entry.
 * - error: CloudFront's own error page (its status, X-Cache and log result types).
 * - generated: a response a function made, body included.
 * - page: a CustomErrorResponse's page, fetched from an origin.
 * - upstream: the source's response (the origin's, possibly changed by a viewer-response function).
 */
export type Answer = ErrorAnswer | GeneratedAnswer | PageAnswer | UpstreamAnswer;

/** A function that failed at the edge: which, for which event type, what it received, how it failed (undefined: no LIVE stage). */
export interface FunctionFailure {
  functionArn: string;
  eventType: string;
  event: FunctionEvent;
  result: RunResult | undefined;
}

/** A page sent instead of CloudFront's 503 (edgelite dev's development error page). */
export interface FunctionErrorPage {
  status: number;
  headers: [string, string][];
  body: string;
}

/** Renders a failed function's page; undefined keeps CloudFront's own 503. */
export type FunctionErrorPageRenderer = (failure: FunctionFailure) => FunctionErrorPage | undefined;

export interface ErrorAnswer {
  kind: "error";
  status: ErrorPageStatus;
  /** x-edge-result-type, also X-Cache's first word. */
  result: string;
  /** x-edge-detailed-result-type (the result unless given). */
  detailedResult?: string;
  /** For the log: what went wrong. */
  detail: string;
  /** The page's sentence; the status's standard one when absent. */
  sentence?: string;
  /** Ask the viewer to close the connection. */
  close?: boolean;
  /** A page sent instead of CloudFront's (a failed function's development error page); logged as the error it replaces. */
  replacement?: FunctionErrorPage;
}

export interface GeneratedAnswer {
  kind: "generated";
  response: FunctionResponse;
  /** X-Cache's first word. */
  cache: string;
  /** x-edge-result-type. */
  result: string;
}

export interface PageAnswer {
  kind: "page";
  status: number;
  page: OriginReply;
  detail: string;
}

export interface UpstreamAnswer {
  kind: "upstream";
  upstream: Upstream;
  /** The response's header lines as they are written (CloudFront's own follow them). */
  headers: HeaderLine[];
  result: "Hit" | "RefreshHit" | "Miss" | "Error";
}

/**
 * A function's result CloudFront rejects: 502, whose page names the problem ("The CloudFront function returned
 * an invalid value: <detail>"; CloudFront Developer Guide, "HTTP 502 status code (Bad Gateway)", CloudFront
 * function validation error).
 */
export function invalidResult(detail: string): ErrorAnswer {
  return { kind: "error", status: 502, result: "FunctionValidationError", detail, sentence: `${INVALID_VALUE} ${escapeHtml(detail)}` };
}

/**
 * A function that failed to run (it threw, or has no LIVE stage): 503 (CloudFront Developer Guide, "HTTP 503
 * status code (Service Unavailable)", Lambda@Edge or CloudFront Function execution error).
 */
export function executionError(detail: string): ErrorAnswer {
  return { kind: "error", status: 503, result: "FunctionExecutionError", detail };
}

/**
 * A failed function's answer: CloudFront's 503 (logged with the error and where it is), or the page `render`
 * makes of the failure instead. A renderer that throws or returns something unwritable leaves CloudFront's
 * page (the viewer is answered either way).
 */
export function functionFailed(failure: FunctionFailure, render: FunctionErrorPageRenderer | undefined): ErrorAnswer {
  const at = failure.result?.errorLocation;
  // The log's detail says where (edgelite's own output; the page and TestFunction keep CloudFront's words).
  const answer = executionError(`${failure.result?.errorMessage ?? "the function has no LIVE stage"}${at ? ` (line ${at.line}, column ${at.column})` : ""}`);
  if (!render) return answer;
  try {
    const page = render(failure);
    if (page && Number.isInteger(page.status) && page.status >= 200 && page.status <= 599 && typeof page.body === "string") answer.replacement = page;
  } catch {
    // CloudFront's page
  }
  return answer;
}

/** The origin's reply broke off or could not be passed on: 502, OriginCommError. */
export function originCommError(detail: string): ErrorAnswer {
  return { kind: "error", status: 502, result: "Error", detail: `OriginCommError: ${detail}`, sentence: ORIGIN_TIMEOUT, detailedResult: "OriginCommError" };
}

/** No origin could be reached: 502, OriginConnectError. */
export function originConnectError(detail: string): ErrorAnswer {
  return { kind: "error", status: 502, result: "Error", detail: `OriginConnectError: ${detail}`, sentence: ORIGIN_UNREACHABLE, detailedResult: "OriginConnectError" };
}

/** The origin sent nothing within its read timeout: 504. */
export function originReadTimeout(detail: string): ErrorAnswer {
  return { kind: "error", status: 504, result: "Error", detail: `OriginReadTimeout: ${detail}`, sentence: ORIGIN_TIMEOUT, detailedResult: "OriginCommError" };
}
