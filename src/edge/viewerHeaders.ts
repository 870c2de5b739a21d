import { getOwn } from "../nullPrototype.js";

/**
 * The CloudFront-* request headers CloudFront adds when a behaviour's policies name them (spec §1.3; the
 * country samples' READMEs): the viewer-request function sees them, and the origin gets them. Locally the
 * viewer's country is configured (`--viewer-country`, US by default); location headers with nothing
 * local to derive them from (city, region, postal code, latitude, longitude, time zone, metro code, ASN)
 * are not added.
 */

export interface ViewerFacts {
  ip: string;
  port: number;
  /** The viewer's HTTP version, as Node reports it: "1.1", "2.0". */
  httpVersion: string;
  userAgent: string;
  /** ISO 3166-1 alpha-2. */
  country: string;
}

const IOS = /iPhone|iPad|iPod/;
const ANDROID = /Android/;
const TABLET = /iPad|Tablet|PlayBook|Silk|Android(?!.*Mobile)/;
const MOBILE = /Mobi|iPhone|iPod|Windows Phone|BlackBerry|Android.*Mobile/;
const SMART_TV = /SmartTV|SMART-TV|HbbTV|AppleTV|GoogleTV|Web0S|Tizen.+TV|CrKey|BRAVIA/i;

const flag = (value: boolean) => (value ? "true" : "false");

const GENERATORS: Readonly<Record<string, (viewer: ViewerFacts) => string>> = {
  "cloudfront-forwarded-proto": () => "http",
  "cloudfront-viewer-address": (v) => `${v.ip}:${v.port}`,
  "cloudfront-viewer-http-version": (v) => v.httpVersion,
  "cloudfront-viewer-country": (v) => v.country,
  "cloudfront-is-ios-viewer": (v) => flag(IOS.test(v.userAgent)),
  "cloudfront-is-android-viewer": (v) => flag(ANDROID.test(v.userAgent)),
  "cloudfront-is-tablet-viewer": (v) => flag(TABLET.test(v.userAgent)),
  "cloudfront-is-mobile-viewer": (v) => flag(MOBILE.test(v.userAgent)),
  "cloudfront-is-smarttv-viewer": (v) => flag(SMART_TV.test(v.userAgent)),
  "cloudfront-is-desktop-viewer": (v) => flag(!MOBILE.test(v.userAgent) && !TABLET.test(v.userAgent) && !SMART_TV.test(v.userAgent)),
};

/** The value CloudFront would give a CloudFront-* header for this viewer; undefined when edgelite cannot derive one. */
export function cloudFrontHeaderValue(name: string, viewer: ViewerFacts): string | undefined {
  return getOwn(GENERATORS, name)?.(viewer);
}
