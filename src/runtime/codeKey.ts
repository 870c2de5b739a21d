import { createHash } from "node:crypto";
import type { RuntimeName } from "./types.js";

/** Digests of code buffers already hashed: stored code is immutable, so a buffer's identity names it. */
const digests = new WeakMap<object, Buffer>();

/** A function's identity for the runners: SHA-256 of its runtime and code. */
export function codeDigest(code: Uint8Array | string, runtime: RuntimeName): Buffer {
  const cached = typeof code === "string" ? undefined : digests.get(code);
  if (cached) return cached;
  const digest = createHash("sha256").update(runtime).update(code).digest();
  if (typeof code !== "string") digests.set(code, digest);
  return digest;
}
