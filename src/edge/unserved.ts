import type { IncomingMessage, ServerResponse } from "node:http";
import type { EdgeLogEntry } from "./exchange.js";
import { cloudFrontResponseHeaders, newRequestId } from "./identity.js";
import { BAD_REQUEST, errorPage } from "./pages.js";
import { sendResponse, type HeaderLine } from "./writer.js";

/**
 * A request on the own port of a distribution that serves no traffic: disabled (Enabled false), or deleted
 * while the request was on its way. CloudFront answers a request for a domain no enabled distribution
 * takes with its 403 "Bad request." page (AWS Knowledge Center, "How do I resolve the '403 ERROR - The
 * request could not be satisfied. Bad Request' error?",
 * https://repost.aws/knowledge-center/resolve-cloudfront-bad-request-error); the log says why and what to do.
 */
export function refuseUnserved(req: IncomingMessage, res: ServerResponse, distributionId: string, log: ((entry: EdgeLogEntry) => void) | undefined): void {
  const started = performance.now();
  const requestId = newRequestId();
  req.resume();
  const headers: HeaderLine[] = [["Server", "CloudFront"], ["Content-Type", "text/html"], ...cloudFrontResponseHeaders("Error", requestId)];
  sendResponse(res, { status: 403, headers }, errorPage(403, requestId, BAD_REQUEST), { lengthAt: 2 });
  log?.({
    requestId,
    method: req.method ?? "GET",
    uri: req.url ?? "/",
    status: 403,
    result: "Error",
    detailedResult: "Error",
    functions: [],
    logs: [],
    durationMs: performance.now() - started,
    detail: `distribution ${distributionId} is disabled (Enabled is false), so it serves no requests; enable it with UpdateDistribution`,
    distributionId,
  });
}
