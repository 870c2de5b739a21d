/**
 * AWS's managed cache policies and origin request policies, as GetCachePolicy and GetOriginRequestPolicy
 * describe them (using-managed-cache-policies, using-managed-origin-request-policies). Read-only: they
 * exist in every account. Custom policies have the same shapes (`CachePolicy`, `OriginRequestPolicy`) and
 * live in the store (src/service/policies.ts).
 */

export interface NamedValues<Behavior extends string> {
  behavior: Behavior;
  /** Header, cookie and query string names as written (the managed policies' header names are lower-case). */
  names: readonly string[];
}

export interface CachePolicy {
  id: string;
  name: string;
  comment: string;
  minTtl: number;
  defaultTtl: number;
  maxTtl: number;
  gzip: boolean;
  brotli: boolean;
  headers: NamedValues<"none" | "whitelist">;
  cookies: NamedValues<"none" | "whitelist" | "allExcept" | "all">;
  queryStrings: NamedValues<"none" | "whitelist" | "allExcept" | "all">;
}

export interface OriginRequestPolicy {
  id: string;
  name: string;
  comment: string;
  headers: NamedValues<"none" | "whitelist" | "allViewer" | "allViewerAndWhitelistCloudFront" | "allExcept">;
  cookies: NamedValues<"none" | "whitelist" | "all" | "allExcept">;
  queryStrings: NamedValues<"none" | "whitelist" | "all" | "allExcept">;
}

export type ManagedCachePolicy = CachePolicy;
export type ManagedOriginRequestPolicy = OriginRequestPolicy;

const none = { behavior: "none", names: [] } as const;
const all = { behavior: "all", names: [] } as const;
const whitelist = (...names: string[]) => ({ behavior: "whitelist" as const, names });
const YEAR = 31_536_000;
const DAY = 86_400;
const METHOD_OVERRIDE = ["host", "origin", "x-http-method-override", "x-http-method", "x-method-override"];

export const MANAGED_CACHE_POLICIES: readonly ManagedCachePolicy[] = [
  { id: "658327ea-f89d-4fab-a63d-7e88639e58f6", name: "Managed-CachingOptimized", comment: "Policy with caching enabled. Supports Gzip and Brotli compression.", minTtl: 1, defaultTtl: DAY, maxTtl: YEAR, gzip: true, brotli: true, headers: none, cookies: none, queryStrings: none },
  { id: "b2884449-e4de-46a7-ac36-70bc7f1ddd6d", name: "Managed-CachingOptimizedForUncompressedObjects", comment: "Default policy when compression is disabled", minTtl: 1, defaultTtl: DAY, maxTtl: YEAR, gzip: false, brotli: false, headers: none, cookies: none, queryStrings: none },
  { id: "4135ea2d-6df8-44a3-9df3-4b5a84be39ad", name: "Managed-CachingDisabled", comment: "Policy with caching disabled", minTtl: 0, defaultTtl: 0, maxTtl: 0, gzip: false, brotli: false, headers: none, cookies: none, queryStrings: none },
  { id: "08627262-05a9-4f76-9ded-b50ca2e3a84f", name: "Managed-Elemental-MediaPackage", comment: "Policy for Elemental MediaPackage Origin", minTtl: 0, defaultTtl: DAY, maxTtl: YEAR, gzip: true, brotli: false, headers: whitelist("origin"), cookies: none, queryStrings: whitelist("aws.manifestfilter", "start", "end", "m") },
  { id: "2e54312d-136d-493c-8eb9-b001f22f67d2", name: "Managed-Amplify", comment: "Policy for Amplify Origin", minTtl: 2, defaultTtl: 2, maxTtl: YEAR, gzip: true, brotli: true, headers: whitelist("authorization", "cloudfront-viewer-country", "host"), cookies: all, queryStrings: all },
  { id: "83da9c7e-98b4-4e11-a168-04f0df8e2c65", name: "Managed-UseOriginCacheControlHeaders", comment: "Policy for origins that return Cache-Control headers. Query strings are not included in the cache key.", minTtl: 0, defaultTtl: 0, maxTtl: YEAR, gzip: true, brotli: true, headers: whitelist(...METHOD_OVERRIDE), cookies: all, queryStrings: none },
  { id: "4cc15a8a-d715-48a4-82b8-cc0b614638fe", name: "Managed-UseOriginCacheControlHeaders-QueryStrings", comment: "Policy for origins that return Cache-Control headers and serve different content based on query strings.", minTtl: 0, defaultTtl: 0, maxTtl: YEAR, gzip: true, brotli: true, headers: whitelist(...METHOD_OVERRIDE), cookies: all, queryStrings: all },
];

/** CloudFront headers "released through June 2022", added by AllViewerAndCloudFrontHeaders-2022-06. */
const CLOUDFRONT_HEADERS_2022_06 = [
  "cloudfront-forwarded-proto", "cloudfront-is-android-viewer", "cloudfront-is-desktop-viewer", "cloudfront-is-ios-viewer",
  "cloudfront-is-mobile-viewer", "cloudfront-is-smarttv-viewer", "cloudfront-is-tablet-viewer", "cloudfront-viewer-address",
  "cloudfront-viewer-asn", "cloudfront-viewer-city", "cloudfront-viewer-country", "cloudfront-viewer-country-name",
  "cloudfront-viewer-country-region", "cloudfront-viewer-country-region-name", "cloudfront-viewer-http-version",
  "cloudfront-viewer-latitude", "cloudfront-viewer-longitude", "cloudfront-viewer-metro-code", "cloudfront-viewer-postal-code",
  "cloudfront-viewer-time-zone", "cloudfront-viewer-tls",
];

export const MANAGED_ORIGIN_REQUEST_POLICIES: readonly ManagedOriginRequestPolicy[] = [
  { id: "216adef6-5c7f-47e4-b989-5492eafa07d3", name: "Managed-AllViewer", comment: "Policy to forward all parameters in viewer requests", headers: { behavior: "allViewer", names: [] }, cookies: all, queryStrings: all },
  { id: "33f36d7e-f396-46d9-90e0-52428a34d9dc", name: "Managed-AllViewerAndCloudFrontHeaders-2022-06", comment: "Policy to forward all parameters in viewer requests and all CloudFront headers that were released through June 2022", headers: { behavior: "allViewerAndWhitelistCloudFront", names: CLOUDFRONT_HEADERS_2022_06 }, cookies: all, queryStrings: all },
  { id: "b689b0a8-53d0-40ab-baf2-68738e2966ac", name: "Managed-AllViewerExceptHostHeader", comment: "Policy to forward all parameters in viewer requests except for the Host header", headers: { behavior: "allExcept", names: ["host"] }, cookies: all, queryStrings: all },
  { id: "59781a5b-3903-41f3-afcb-af62929ccde1", name: "Managed-CORS-CustomOrigin", comment: "Policy for custom origin with CORS", headers: whitelist("origin"), cookies: none, queryStrings: none },
  { id: "88a5eaf4-2fd4-4709-b370-b4c650ea3fcf", name: "Managed-CORS-S3Origin", comment: "Policy for S3 origin with CORS", headers: whitelist("origin", "access-control-request-headers", "access-control-request-method"), cookies: none, queryStrings: none },
  { id: "775133bc-15f2-49f9-abea-afb2e0bf67d2", name: "Managed-Elemental-MediaTailor-PersonalizedManifests", comment: "Policy for Elemental MediaTailor Origin", headers: whitelist("origin", "access-control-request-headers", "access-control-request-method", "user-agent", "x-forwarded-for"), cookies: none, queryStrings: all },
  { id: "acba4595-bd28-49b8-b9fe-13317c0390fa", name: "Managed-UserAgentRefererHeaders", comment: "Policy to forward user-agent and referer headers to origin", headers: whitelist("user-agent", "referer"), cookies: none, queryStrings: all },
];

/** When the managed policies are reported as last modified (AWS's actual dates are not published). */
export const MANAGED_POLICY_TIME = new Date("2020-07-27T00:00:00.000Z");
