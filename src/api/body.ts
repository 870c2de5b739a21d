import type { IncomingMessage } from "node:http";
import { BODY_STALLED } from "../clientGuards.js";

export class BodyTooLargeError extends Error {}
/** The body stalled (nothing for the body idle timeout) or its connection closed before it was complete. */
export class BodyIncompleteError extends Error {}

const EMPTY_BODY = Buffer.alloc(0);

/** A request's whole body, refused past `limit` bytes (BodyTooLargeError) or when it stops arriving (BodyIncompleteError). */
export function readBody(req: IncomingMessage, limit: number): Promise<Buffer> | Buffer {
  // Most calls (GET, DELETE, Publish) carry no body: skip the stream machinery entirely.
  if (req.headers["transfer-encoding"] === undefined && (req.headers["content-length"] ?? "0") === "0") return EMPTY_BODY;
  return new Promise((resolve, reject) => {
    const declared = Number(req.headers["content-length"] ?? 0);
    if (declared > limit) {
      req.resume();
      reject(new BodyTooLargeError());
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    req.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        req.removeAllListeners("data");
        req.resume();
        reject(new BodyTooLargeError());
        return;
      }
      chunks.push(chunk);
    });
    req.on("end", () => resolve(chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks)));
    req.on("error", () => reject(new BodyIncompleteError("The connection closed before the request body was complete.")));
    req.once(BODY_STALLED, () => reject(new BodyIncompleteError("The request body stopped arriving before it was complete.")));
    req.once("close", () => reject(new BodyIncompleteError("The connection closed before the request body was complete.")));
  });
}
