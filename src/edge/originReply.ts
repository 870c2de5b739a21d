import type { Readable } from "node:stream";

/** What an origin answered: status, header lines as received, and the body to stream on. */
export interface OriginReply {
  statusCode: number;
  statusMessage: string;
  rawHeaders: string[];
  body: Readable;
}

/** What the edge sends an origin (before the origin's own OriginPath, Host and custom headers). */
export interface OriginRequest {
  method: string;
  /** Path and query as they go on the wire, before the origin's OriginPath. */
  path: string;
  /** Header lines, Host excluded. */
  headers: Array<[string, string]>;
  /** The viewer's Host when a policy forwards it; otherwise CloudFront sends the origin's domain name. */
  viewerHost?: string;
  /** The request body, streamed to the first origin tried (failover only retries methods without one). */
  body?: Readable;
}
