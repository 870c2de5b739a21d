import { readFileSync, statSync } from "node:fs";
import { devErrorPages, type FunctionSource } from "../edge/devErrorPage.js";
import type { FunctionErrorPageRenderer } from "../edge/edge.js";

/** Files larger than this are not read for a code frame (a function's code is at most a few KB on CloudFront). */
const SOURCE_LIMIT_BYTES = 4 * 1024 * 1024;

/**
 * `edgelite dev`'s development error page (src/edge/devErrorPage.ts), its code frame read from the file of
 * the function that failed (one function per event type in dev), as it is on disk when the request fails.
 */
export function devFunctionErrorPage(files: { "viewer-request": string; "viewer-response"?: string | undefined }): FunctionErrorPageRenderer {
  return devErrorPages((failure) => {
    const file = failure.eventType === "viewer-response" ? files["viewer-response"] : files["viewer-request"];
    return file === undefined ? undefined : readSource(file);
  });
}

function readSource(file: string): FunctionSource | undefined {
  try {
    if ((statSync(file).size ?? 0) > SOURCE_LIMIT_BYTES) return undefined;
    return { file, code: readFileSync(file, "utf8") };
  } catch {
    return undefined;
  }
}
