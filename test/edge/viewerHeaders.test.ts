import { describe, expect, it } from "vitest";
import { cloudFrontHeaderValue } from "../../src/edge/viewerHeaders.js";

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
});
