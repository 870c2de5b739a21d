/** CloudFront Functions' JavaScript runtimes: FunctionRuntime in the CloudFront 2020-05-31 service model. */
export const RUNTIME_NAMES = ["cloudfront-js-1.0", "cloudfront-js-2.0"] as const;
export type RuntimeName = (typeof RUNTIME_NAMES)[number];

export function isRuntimeName(value: unknown): value is RuntimeName {
  return (RUNTIME_NAMES as readonly unknown[]).includes(value);
}

/**
 * A runtime as a person names it on a command line: its full name or just its version (`2.0`). Throws
 * an error about `--runtime` when the text names no runtime.
 */
export function parseRuntimeName(value: string): RuntimeName {
  const name = value.startsWith("cloudfront-js-") ? value : `cloudfront-js-${value}`;
  if (!isRuntimeName(name)) throw new Error(`--runtime must be 1.0 or 2.0 (got "${value}")`);
  return name;
}

export type EventType = "viewer-request" | "viewer-response";

/** A JavaScript error as CloudFront's (njs-based) engine words it: `SyntaxError: Unexpected token "=>" in 10`. */
export interface EngineError {
  name: string;
  message: string;
  /** `String(error)` in njs: what TestFunction shows after its prefix sentence. */
  text: string;
}
