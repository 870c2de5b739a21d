import { randomUUID } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import { oversizeOf } from "../edge/requestSize.js";
import { sendFallback, sendResponse, type HeaderLine } from "../edge/writer.js";
import { MAX_REQUEST_BODY_BYTES } from "../limits.js";
import { CloudFrontError } from "../service/errors.js";
import { KvsError } from "../service/kvsErrors.js";
import type { AccessGuard } from "./access/guard.js";
import { BodyIncompleteError, BodyTooLargeError, readBody } from "./body.js";
import { errorReply, fallbackReply } from "./errors.js";
import { isDataPlaneRequest } from "./kvs/operations.js";
import type { ApiReply, ApiServices, Operation, Protocol } from "./operation.js";
import { isLogsRequest, route, routeTarget, type RouteMatch } from "./router.js";

export interface RequestLogEntry {
  requestId: string;
  method: string;
  path: string;
  operation?: string;
  status: number;
  errorCode?: string;
  durationMs: number;
}

export interface ApiDispatcherOptions {
  services: ApiServices;
  /** Who may call (src/api/access): the Host, a browser's Origin, CORS preflights, the signature. */
  access: AccessGuard;
  onRequest?: (entry: RequestLogEntry) => void;
}

/** Operations whose request body is a function's code: an oversized body is that function being too large. */
const CODE_CARRYING = new Set(["CreateFunction", "UpdateFunction"]);

/** One API request on its way: what its reply and its log line need. */
interface Call {
  readonly req: IncomingMessage;
  readonly res: ServerResponse;
  readonly requestId: string;
  readonly started: number;
  readonly method: string;
  readonly path: string;
  readonly rawQuery: string;
  operation?: Operation;
  /** The connection cannot carry another request (an oversized head or body, an incomplete body). */
  closeAfterReply: boolean;
}

/**
 * The CloudFront API, the KeyValueStore data plane and CloudWatch Logs (function logs) on one port: routes a request to its operation,
 * admits it, reads its body, authenticates it, runs the operation on the services and writes the reply
 * or the error in the operation's protocol, then logs the request.
 */
export class ApiDispatcher {
  private stopping = false;

  constructor(private readonly options: ApiDispatcherOptions) {}

  /** From now on each connection closes after its in-flight reply instead of idling on. */
  stop(): void {
    this.stopping = true;
  }

  /** Serves an API or data-plane request. */
  serve(req: IncomingMessage, res: ServerResponse): void {
    try {
      this.dispatch(this.begin(req, res));
    } catch (error) {
      this.lastResort(res, error);
    }
  }

  /** Answers a request with a fixed reply (the health check), logged as API requests are. */
  answer(req: IncomingMessage, res: ServerResponse, reply: ApiReply): void {
    try {
      this.finish(this.begin(req, res), reply);
    } catch (error) {
      this.lastResort(res, error);
    }
  }

  /** Logs an error that escaped a request's own handling and answers with the fixed fallback (or closes a started reply). */
  lastResort(res: ServerResponse, error: unknown, requestId: string = randomUUID(), protocol?: Protocol): void {
    console.error("edgelite: unexpected error", error);
    sendFallback(res, fallbackReply(requestId, protocol ?? "rest-xml"));
  }

  private begin(req: IncomingMessage, res: ServerResponse): Call {
    const rawUrl = req.url ?? "/";
    const queryAt = rawUrl.indexOf("?");
    return {
      req,
      res,
      requestId: randomUUID(),
      started: performance.now(),
      method: req.method ?? "GET",
      path: queryAt === -1 ? rawUrl : rawUrl.slice(0, queryAt),
      rawQuery: queryAt === -1 ? "" : rawUrl.slice(queryAt + 1),
      closeAfterReply: false,
    };
  }

  private dispatch(call: Call): void {
    const { req, res, method, path } = call;
    // The KeyValueStore data plane answers in JSON, even to a request that names none of its operations.
    const dataPlane = isDataPlaneRequest(req.headers.host, path);
    // CloudWatch Logs (awsJson1_1) names its operation in X-Amz-Target, whatever the path.
    const target = req.headers["x-amz-target"];
    const logs = isLogsRequest(method, target);
    let match: RouteMatch | undefined;
    let routeError: unknown;
    try {
      match = logs ? routeTarget(target as string) : route(method, path);
    } catch (error) {
      // A path that names no operation; on the data plane in its words (a bad label there is already its ValidationException).
      routeError = dataPlane && !(error instanceof KvsError) ? new KvsError("UnknownOperationException", `No KeyValueStore data-plane operation matches ${method} ${path}.`) : error;
    }
    call.operation = match?.operation;
    const errorProtocol: Protocol = match ? (match.operation.protocol ?? "rest-xml") : logs ? "aws-json-1.1" : dataPlane ? "rest-json" : "rest-xml";
    const admission = this.options.access.admit(req, res, errorProtocol);
    if (admission && "reply" in admission) {
      this.finish(call, admission.reply);
      return;
    }
    if (admission || match === undefined) {
      this.fail(call, admission ? admission.error : routeError, errorProtocol);
      return;
    }
    const oversize = oversizeOf(req);
    if (oversize) {
      call.closeAfterReply = true;
      this.fail(
        call,
        oversize.part === "url"
          ? new CloudFrontError("RequestURITooLong", `The request URL is ${oversize.bytes} bytes long; at most ${oversize.limit} are accepted.`)
          : new CloudFrontError("RequestHeaderSectionTooLarge", `The request line and headers take ${oversize.bytes} bytes; at most ${oversize.limit} are accepted.`),
        errorProtocol,
      );
      return;
    }
    // Whatever still escapes (a throwing onRequest hook, say) ends in the fixed fallback, not an unhandled rejection.
    this.run(call, match, errorProtocol).catch((error: unknown) => this.lastResort(res, error, call.requestId, match.operation.protocol));
  }

  private async run(call: Call, { operation, params }: RouteMatch, errorProtocol: Protocol): Promise<void> {
    const { req, method, path } = call;
    try {
      const body = await readBody(req, MAX_REQUEST_BODY_BYTES);
      await this.options.access.authenticate(req, body, operation);
      const query = new URLSearchParams(call.rawQuery);
      this.finish(call, await operation.handle({ method, path, query, headers: req.headers, body, params }, this.options.services));
    } catch (error) {
      if (error instanceof BodyTooLargeError) {
        call.closeAfterReply = true;
        this.fail(
          call,
          CODE_CARRYING.has(operation.name)
            ? new CloudFrontError("FunctionSizeLimitExceeded", `The request body is larger than ${MAX_REQUEST_BODY_BYTES} bytes; function code may be at most 10 KB.`)
            : new CloudFrontError("EntitySizeLimitExceeded", `The request body is larger than ${MAX_REQUEST_BODY_BYTES} bytes.`),
          errorProtocol,
        );
      } else {
        if (error instanceof BodyIncompleteError) call.closeAfterReply = true;
        this.fail(call, error instanceof BodyIncompleteError ? new CloudFrontError("RequestTimeout", error.message) : error, errorProtocol);
      }
    }
  }

  private fail(call: Call, error: unknown, protocol: Protocol): void {
    const { reply, code } = errorReply(error, protocol, call.requestId);
    this.finish(call, reply, code);
  }

  private finish(call: Call, reply: ApiReply, errorCode?: string): void {
    // While stopping, each connection closes after its in-flight response instead of idling on.
    this.send(call, reply, this.stopping || call.closeAfterReply);
    this.options.onRequest?.({
      requestId: call.requestId,
      method: call.method,
      path: call.path,
      operation: call.operation?.name,
      status: reply.status,
      errorCode,
      durationMs: performance.now() - call.started,
    });
  }

  /**
   * Writes an API or data-plane reply through the response writer (one writeHead, head and body together).
   * A reply that cannot be written (a header value with a control character, say) is edgelite's bug: the
   * caller gets a fixed InternalError in the protocol's shape instead, and the process goes on.
   */
  private send({ res, requestId, operation }: Call, reply: ApiReply, closeConnection: boolean): void {
    if (res.headersSent) return;
    const headers: HeaderLine[] = [["x-amzn-RequestId", requestId]];
    if (reply.headers) for (const [name, value] of Object.entries(reply.headers)) headers.push([name, value]);
    const bodiless = reply.body === undefined || reply.status === 204;
    if (!bodiless) headers.push(["Content-Type", reply.contentType ?? "application/octet-stream"]);
    try {
      sendResponse(res, { status: reply.status, headers }, bodiless ? undefined : reply.body, { close: closeConnection });
    } catch (error) {
      console.error("edgelite: a reply could not be written", error);
      sendFallback(res, fallbackReply(requestId, operation?.protocol ?? "rest-xml"));
    }
  }
}
