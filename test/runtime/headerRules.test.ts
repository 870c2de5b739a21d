import { describe, expect, it } from "vitest";
import { viewerRequestEvent } from "../../src/runtime/builders.js";
import {
  DISALLOWED_HEADER_PREFIXES,
  DISALLOWED_HEADERS,
  isDisallowedHeader,
  isHiddenHeader,
  ORIGIN_CUSTOM_HEADERS_REFUSED,
  READ_ONLY_HEADERS,
} from "../../src/runtime/headerRules.js";
import { disposedAfterEachTest } from "./loaded.js";

const load = disposedAfterEachTest();

describe("header rules (one home for the edge, validation and the cloudfront module)", () => {
  it("list the restrictions page's disallowed and read-only headers", () => {
    expect([...DISALLOWED_HEADERS].sort()).toEqual([
      "connection", "expect", "keep-alive", "proxy-authenticate", "proxy-authorization", "proxy-connection", "trailer", "upgrade",
      "x-accel-buffering", "x-accel-charset", "x-accel-limit-rate", "x-accel-redirect", "x-amzn-auth", "x-amzn-cf-billing",
      "x-amzn-cf-id", "x-amzn-cf-xff", "x-amzn-errortype", "x-amzn-fle-profile", "x-amzn-header-count", "x-amzn-header-order",
      "x-amzn-lambda-integration-tag", "x-amzn-requestid", "x-cache", "x-forwarded-proto", "x-real-ip",
    ].sort());
    expect(DISALLOWED_HEADER_PREFIXES).toEqual(["x-amz-cf-", "x-edge-"]);
    expect(READ_ONLY_HEADERS["viewer-request"]).toEqual(["content-length", "host", "transfer-encoding", "via"]);
    expect(READ_ONLY_HEADERS["viewer-response"]).toEqual(["warning", "via", "transfer-encoding"]);
    expect(READ_ONLY_HEADERS.generated).toEqual(["transfer-encoding"]);
  });

  it("treat the prefixes as disallowed and hide Transfer-Encoding from events besides", () => {
    expect(isDisallowedHeader("x-amz-cf-pop")).toBe(true);
    expect(isDisallowedHeader("x-edge-location")).toBe(true);
    expect(isDisallowedHeader("x-amz-date")).toBe(false);
    expect(isDisallowedHeader("transfer-encoding")).toBe(false);
    expect(isHiddenHeader("transfer-encoding")).toBe(true);
    expect(isHiddenHeader("x-cache")).toBe(true);
    expect(isHiddenHeader("accept")).toBe(false);
  });

  it("updateRequestOrigin refuses the custom headers of its list and the disallowed prefixes, in the isolate", async () => {
    const fn = await load(`import cf from 'cloudfront';
      function handler(event) {
        var refused = [];
        var names = JSON.parse(event.request.headers["x-names"].value);
        for (var i = 0; i < names.length; i++) {
          var custom = {};
          custom[names[i]] = "v";
          try { cf.updateRequestOrigin({ customHeaders: custom }); } catch (e) { refused.push(names[i]); }
        }
        return { statusCode: 200, headers: { "x-refused": { value: JSON.stringify(refused) } } };
      }`);
    const names = [...ORIGIN_CUSTOM_HEADERS_REFUSED, "x-amz-cf-pop", "x-edge-location", "x-custom", "x-cache", "x-amzn-cf-id", "x-accel-buffering"];
    const result = await fn.run(viewerRequestEvent({ headers: { "x-names": JSON.stringify(names) } }));
    expect(result.errorMessage).toBe("");
    const output = result.output as { response: { headers: Record<string, { value: string }> } };
    // x-cache, x-amzn-* and x-accel-* pass: the module's list has always been narrower than DISALLOWED_HEADERS.
    expect(JSON.parse(output.response.headers["x-refused"]!.value)).toEqual([...ORIGIN_CUSTOM_HEADERS_REFUSED, "x-amz-cf-pop", "x-edge-location"]);
  });
});
