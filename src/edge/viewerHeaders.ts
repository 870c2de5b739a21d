import { getOwn, setOwn } from "../nullPrototype.js";
import type { Exchange } from "./exchange.js";

/**
 * The CloudFront-* request headers CloudFront adds when a behaviour's policies name them (CloudFront
 * Developer Guide, "Add CloudFront request headers"; the READMEs of the country samples in
 * github.com/aws-samples/amazon-cloudfront-functions): the viewer-request function sees them, and the origin
 * gets them. Locally the viewer's country is the request's X-Edgelite-Viewer-Country, else `--viewer-country` (US
 * by default; viewerCountry.ts); location headers with nothing local to derive them from (city, region, postal
 * code, latitude, longitude, time zone, metro code, ASN) are not added.
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

// A User-Agent is the viewer's to choose (up to the 20,480-byte request limit): the device rules below are the
// usual regexes' meaning, but the "X, then later Y" ones use indexOf, since `Android.*Mobile` and `Tizen.+TV`
// backtrack in quadratic time on a long header repeating the first word (tens of ms a request).
const IOS = /iPhone|iPad|iPod/;
const TABLET_NAMES = /iPad|Tablet|PlayBook|Silk/;
const MOBILE_NAMES = /Mobi|iPhone|iPod|Windows Phone|BlackBerry/;
const SMART_TV_NAMES = /SmartTV|SMART-TV|HbbTV|AppleTV|GoogleTV|Web0S|CrKey|BRAVIA/i;
const ANDROID = "Android";

/** `Android.*Mobile`: the first Android has a Mobile somewhere after it. */
const androidThenMobile = (ua: string) => {
  const at = ua.indexOf(ANDROID);
  return at !== -1 && ua.indexOf("Mobile", at + ANDROID.length) !== -1;
};
/** `Android(?!.*Mobile)`: some Android has no Mobile after it, so the last one decides. */
const androidNotMobile = (ua: string) => {
  const at = ua.lastIndexOf(ANDROID);
  return at !== -1 && ua.indexOf("Mobile", at + ANDROID.length) === -1;
};
/** `/Tizen.+TV/i`: a TV at least one character after the first Tizen. */
const tizenTv = (ua: string) => {
  const lower = ua.toLowerCase();
  const at = lower.indexOf("tizen");
  return at !== -1 && lower.indexOf("tv", at + 6) !== -1;
};

export const isTablet = (ua: string) => TABLET_NAMES.test(ua) || androidNotMobile(ua);
export const isMobile = (ua: string) => MOBILE_NAMES.test(ua) || androidThenMobile(ua);
export const isSmartTv = (ua: string) => SMART_TV_NAMES.test(ua) || tizenTv(ua);

const flag = (value: boolean) => (value ? "true" : "false");

const GENERATORS: Readonly<Record<string, (viewer: ViewerFacts) => string>> = {
  "cloudfront-forwarded-proto": () => "http",
  "cloudfront-viewer-address": (v) => `${v.ip}:${v.port}`,
  "cloudfront-viewer-http-version": (v) => v.httpVersion,
  "cloudfront-viewer-country": (v) => v.country,
  "cloudfront-is-ios-viewer": (v) => flag(IOS.test(v.userAgent)),
  "cloudfront-is-android-viewer": (v) => flag(v.userAgent.includes(ANDROID)),
  "cloudfront-is-tablet-viewer": (v) => flag(isTablet(v.userAgent)),
  "cloudfront-is-mobile-viewer": (v) => flag(isMobile(v.userAgent)),
  "cloudfront-is-smarttv-viewer": (v) => flag(isSmartTv(v.userAgent)),
  "cloudfront-is-desktop-viewer": (v) => flag(!isMobile(v.userAgent) && !isTablet(v.userAgent) && !isSmartTv(v.userAgent)),
};

/** The value CloudFront would give a CloudFront-* header for this viewer; undefined when edgelite cannot derive one. */
export function cloudFrontHeaderValue(name: string, viewer: ViewerFacts): string | undefined {
  return getOwn(GENERATORS, name)?.(viewer);
}

/**
 * Step: the CloudFront-* headers the behaviour's policies name, added to the viewer's request (the
 * viewer-request function sees them; the origin gets them).
 */
export function addViewerHeaders(x: Exchange): undefined {
  if (x.rules.cloudFrontHeaders.size === 0) return undefined;
  const { req } = x;
  const viewer: ViewerFacts = { ip: x.viewerIp, port: req.socket.remotePort ?? 0, httpVersion: req.httpVersion, userAgent: req.headers["user-agent"] ?? "", country: x.viewerCountry };
  for (const name of x.rules.cloudFrontHeaders) {
    const value = cloudFrontHeaderValue(name, viewer);
    if (value !== undefined) setOwn(x.event.request.headers, name, { value });
  }
  return undefined;
}
