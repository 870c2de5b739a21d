import { describe, expect, it } from "vitest";
import { refuseOversize } from "../../src/edge/viewerPolicies.js";
import { MAX_REQUEST_HEAD_BYTES, MAX_REQUEST_URL_BYTES } from "../../src/limits.js";
import { exchange } from "./fixtures.js";

describe("refuseOversize (step)", () => {
  it("passes a request within CloudFront's limits", () => {
    expect(refuseOversize(exchange({ url: `/${"a".repeat(MAX_REQUEST_URL_BYTES - 1)}` }))).toBeUndefined();
  });

  it("answers 413 and closes for a URL over 8,192 bytes", () => {
    expect(refuseOversize(exchange({ url: `/${"a".repeat(MAX_REQUEST_URL_BYTES)}` }))).toMatchObject({
      kind: "error",
      status: 413,
      result: "Error",
      close: true,
      detail: `the request's URL take ${MAX_REQUEST_URL_BYTES + 1} bytes; CloudFront accepts at most ${MAX_REQUEST_URL_BYTES}`,
    });
  });

  it("answers 413 for a line and headers over 20,480 bytes", () => {
    const answer = refuseOversize(exchange({ headers: [["Host", "d111111abcdef8.cloudfront.net"], ["X-Big", "b".repeat(MAX_REQUEST_HEAD_BYTES)]] }));
    expect(answer).toMatchObject({ kind: "error", status: 413, close: true });
    expect(answer?.kind === "error" && answer.detail).toMatch(/^the request's line and headers take \d+ bytes; CloudFront accepts at most 20480$/);
  });
});
