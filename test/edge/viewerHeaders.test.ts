import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { addViewerHeaders, cloudFrontHeaderValue, isMobile, isSmartTv, isTablet } from "../../src/edge/viewerHeaders.js";
import { behaviour, config, resolved } from "./fixtures.js";

// The device rules as regexes (the usual formulation): the oracle for the linear-time versions.
const TABLET = /iPad|Tablet|PlayBook|Silk|Android(?!.*Mobile)/;
const MOBILE = /Mobi|iPhone|iPod|Windows Phone|BlackBerry|Android.*Mobile/;
const SMART_TV = /SmartTV|SMART-TV|HbbTV|AppleTV|GoogleTV|Web0S|Tizen.+TV|CrKey|BRAVIA/i;

const viewer = (userAgent: string) => ({ ip: "203.0.113.9", port: 54321, httpVersion: "1.1", userAgent, country: "DE" });

describe("CloudFront-* header values", () => {
  it("describes the viewer's connection and configured country", () => {
    expect(cloudFrontHeaderValue("cloudfront-viewer-address", viewer(""))).toBe("203.0.113.9:54321");
    expect(cloudFrontHeaderValue("cloudfront-viewer-country", viewer(""))).toBe("DE");
    expect(cloudFrontHeaderValue("cloudfront-forwarded-proto", viewer(""))).toBe("http");
    expect(cloudFrontHeaderValue("cloudfront-viewer-http-version", viewer(""))).toBe("1.1");
    expect(cloudFrontHeaderValue("cloudfront-viewer-city", viewer(""))).toBeUndefined();
  });

  it("classifies devices from the User-Agent", () => {
    const iphone = viewer("Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 Mobile/15E148");
    expect(cloudFrontHeaderValue("cloudfront-is-mobile-viewer", iphone)).toBe("true");
    expect(cloudFrontHeaderValue("cloudfront-is-ios-viewer", iphone)).toBe("true");
    expect(cloudFrontHeaderValue("cloudfront-is-desktop-viewer", iphone)).toBe("false");
    const tablet = viewer("Mozilla/5.0 (Linux; Android 13; SM-X700) AppleWebKit/537.36 Chrome/120.0 Safari/537.36");
    expect(cloudFrontHeaderValue("cloudfront-is-tablet-viewer", tablet)).toBe("true");
    expect(cloudFrontHeaderValue("cloudfront-is-android-viewer", tablet)).toBe("true");
    const desktop = viewer("Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 Chrome/120.0 Safari/537.36");
    expect(cloudFrontHeaderValue("cloudfront-is-desktop-viewer", desktop)).toBe("true");
    expect(cloudFrontHeaderValue("cloudfront-is-smarttv-viewer", viewer("Mozilla/5.0 (SMART-TV; Linux; Tizen 6.0) TV Safari/537.36"))).toBe("true");
  });

  it("classifies as the regexes do, in linear time on hostile User-Agents", () => {
    const words = fc.constantFrom("Android", "Mobile", "Mobi", "Tizen", "tizen", "TV", "tv", "iPad", "Silk", "SmartTV", " ", "x", "/", "T", "V");
    fc.assert(
      fc.property(fc.array(words, { maxLength: 12 }).map((parts) => parts.join("")), (ua) => {
        expect(isTablet(ua)).toBe(TABLET.test(ua));
        expect(isMobile(ua)).toBe(MOBILE.test(ua));
        expect(isSmartTv(ua)).toBe(SMART_TV.test(ua));
      }),
      { numRuns: 3000 },
    );
    // Headers that make the regexes backtrack quadratically (20 KB, the request limit).
    expect(isMobile("Android".repeat(2900))).toBe(false);
    expect(isTablet("Android".repeat(2900))).toBe(true);
    expect(isSmartTv("Tizen".repeat(4000))).toBe(false);
    expect(isSmartTv(`${"Tizen".repeat(4000)}TV`)).toBe(true);
  });
});

describe("addViewerHeaders (step)", () => {
  const CACHING_OPTIMIZED = "658327ea-f89d-4fab-a63d-7e88639e58f6";

  it("adds the CloudFront-* headers the behaviour's policies name to the viewer's request", () => {
    const allAndCloudFront = config({ behaviours: [behaviour("*", "o", { cachePolicyId: CACHING_OPTIMIZED, originRequestPolicyId: "33f36d7e-f396-46d9-90e0-52428a34d9dc" })] });
    const x = resolved({ config: allAndCloudFront, headers: [["Host", "d111111abcdef8.cloudfront.net"], ["User-Agent", "Mozilla/5.0 (iPhone; CPU iPhone OS 17_0) Mobile"]] });
    expect(addViewerHeaders(x)).toBeUndefined();
    const headers = x.request.headers;
    expect(headers["cloudfront-viewer-country"]).toEqual({ value: "US" });
    expect(headers["cloudfront-is-ios-viewer"]).toEqual({ value: "true" });
    expect(headers["cloudfront-is-mobile-viewer"]).toEqual({ value: "true" });
    expect(headers["cloudfront-viewer-http-version"]).toEqual({ value: "1.1" });
  });

  it("adds none when the policies name none", () => {
    const x = resolved({ config: config({ behaviours: [behaviour("*", "o", { cachePolicyId: CACHING_OPTIMIZED })] }) });
    addViewerHeaders(x);
    expect(Object.keys(x.request.headers)).toEqual(["host"]);
  });
});
