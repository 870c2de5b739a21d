import { randomBytes } from "node:crypto";
import type { HeaderLine } from "./writer.js";

/** The POP id edgelite reports (`X-Amz-Cf-Pop`): CloudFront's shape, a local code. */
export const POP = "LCL50-C1";
/** Via's id: the same 32 hex digits toward the origin and back to the viewer, per process. */
const VIA_ID = randomBytes(16).toString("hex");
export const VIA = `1.1 ${VIA_ID}.cloudfront.net (CloudFront)`;

/** Random bytes drawn a block at a time: one crypto call per 100 request ids instead of one each. */
let idPool = Buffer.alloc(0);
let idOffset = 0;
const ID_BYTES = 40;

/**
 * CloudFront's request id shape (`X-Amz-Cf-Id`, as in the CloudFront Developer Guide's standard log field
 * x-edge-request-id): 40 random bytes, base64url with the `==` padding kept.
 */
export function newRequestId(): string {
  if (idOffset + ID_BYTES > idPool.length) {
    idPool = randomBytes(ID_BYTES * 100);
    idOffset = 0;
  }
  const id = idPool.toString("base64url", idOffset, idOffset + ID_BYTES);
  idOffset += ID_BYTES;
  return `${id}==`;
}

/** The headers CloudFront adds to every response: X-Cache (`Miss from cloudfront`, ...), Via, the POP, the request id. */
export function cloudFrontResponseHeaders(cache: string, requestId: string): HeaderLine[] {
  return [["X-Cache", `${cache} from cloudfront`], ["Via", VIA], ["X-Amz-Cf-Pop", POP], ["X-Amz-Cf-Id", requestId]];
}
