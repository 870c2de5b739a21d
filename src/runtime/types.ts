export type RuntimeName = "cloudfront-js-1.0" | "cloudfront-js-2.0";

export type EventType = "viewer-request" | "viewer-response";

/** A JavaScript error as CloudFront's (njs-based) engine words it: `SyntaxError: Unexpected token "=>" in 10`. */
export interface EngineError {
  name: string;
  message: string;
  /** `String(error)` in njs: what TestFunction shows after its prefix sentence. */
  text: string;
}
