import type { FunctionResponse } from "../runtime/event.js";
import type { OriginReply } from "./originReply.js";

/**
 * The response on its way to the viewer once a source produced it (the origin today; the cache in issue 13):
 * the body to stream with the origin's framing, and the response as a function sees it.
 */
export interface Upstream {
  reply: OriginReply;
  /** The origin's header lines that can be written (raw name, value pairs), for its Content-Length. */
  lines: string[];
  /** Status, reason, headers and cookies; a viewer-response function may replace them. */
  response: FunctionResponse;
  /** A function set `response`: a response the writer refuses is then the function's validation error. */
  fromFunction: boolean;
}
