import { GetCachePolicyConfigCommand, GetOriginAccessControlCommand, GetOriginRequestPolicyConfigCommand, GetResponseHeadersPolicyConfigCommand } from "@aws-sdk/client-cloudfront";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CLOUDFRONT_HANDLERS } from "../../../src/iac/resources/index.js";
import { harness, rejection, template, type Harness } from "./context.js";

const CACHE_POLICY = CLOUDFRONT_HANDLERS.get("AWS::CloudFront::CachePolicy")!;
const ORIGIN_REQUEST_POLICY = CLOUDFRONT_HANDLERS.get("AWS::CloudFront::OriginRequestPolicy")!;
const RESPONSE_HEADERS_POLICY = CLOUDFRONT_HANDLERS.get("AWS::CloudFront::ResponseHeadersPolicy")!;
const OAC = CLOUDFRONT_HANDLERS.get("AWS::CloudFront::OriginAccessControl")!;

const ISO_TIME = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$/;

function cachePolicy(name: string, defaultTtl: number | string = 60) {
  return template({
    CachePolicyConfig: {
      Name: name,
      Comment: "from up",
      MinTTL: 0,
      DefaultTTL: defaultTtl,
      MaxTTL: "31536000",
      ParametersInCacheKeyAndForwardedToOrigin: {
        EnableAcceptEncodingGzip: true,
        EnableAcceptEncodingBrotli: "true",
        HeadersConfig: { HeaderBehavior: "whitelist", Headers: ["Accept-Language", "X-Version"] },
        CookiesConfig: { CookieBehavior: "whitelist", Cookies: ["session"] },
        QueryStringsConfig: { QueryStringBehavior: "allExcept", QueryStrings: ["utm_source"] },
      },
    },
  });
}

describe("policies and origin access controls against a real server", () => {
  let h: Harness;
  beforeAll(async () => {
    h = await harness("Site");
  });
  afterAll(async () => {
    await h.close();
  });

  it("AWS::CloudFront::CachePolicy: CloudFormation's lists become { Quantity, Items }; Ref = Id, GetAtt Id and LastModifiedTime", async () => {
    const applied = await CACHE_POLICY.apply(h.context, "Cache", cachePolicy("site-cache"), undefined);
    expect(applied.attributes.get("Id")).toBe(applied.ref);
    expect(applied.attributes.get("LastModifiedTime")).toMatch(ISO_TIME);
    const { CachePolicyConfig: config } = await h.server.client.send(new GetCachePolicyConfigCommand({ Id: applied.ref }));
    const parameters = config?.ParametersInCacheKeyAndForwardedToOrigin;
    expect(parameters?.HeadersConfig).toEqual({ HeaderBehavior: "whitelist", Headers: { Quantity: 2, Items: ["Accept-Language", "X-Version"] } });
    expect(parameters?.CookiesConfig).toEqual({ CookieBehavior: "whitelist", Cookies: { Quantity: 1, Items: ["session"] } });
    expect(parameters?.QueryStringsConfig).toEqual({ QueryStringBehavior: "allExcept", QueryStrings: { Quantity: 1, Items: ["utm_source"] } });
    expect(parameters?.EnableAcceptEncodingBrotli).toBe(true);
    expect(config?.MaxTTL).toBe(31536000);

    const updated = await CACHE_POLICY.apply(h.context, "Cache", cachePolicy("site-cache", 120), applied);
    expect(updated.ref).toBe(applied.ref);
    expect((await h.server.client.send(new GetCachePolicyConfigCommand({ Id: applied.ref }))).CachePolicyConfig?.DefaultTTL).toBe(120);

    // A new run on the same data: CachePolicyAlreadyExists → found by name and updated.
    const adopted = await CACHE_POLICY.apply(h.context, "Cache", cachePolicy("site-cache", 90), undefined);
    expect(adopted.ref).toBe(applied.ref);
    expect((await h.server.client.send(new GetCachePolicyConfigCommand({ Id: applied.ref }))).CachePolicyConfig?.DefaultTTL).toBe(90);

    await CACHE_POLICY.delete(h.context, adopted);
    await expect(h.server.client.send(new GetCachePolicyConfigCommand({ Id: applied.ref }))).rejects.toMatchObject({ name: "NoSuchCachePolicy" });
    await CACHE_POLICY.delete(h.context, adopted);
  });

  it("AWS::CloudFront::OriginRequestPolicy", async () => {
    const applied = await ORIGIN_REQUEST_POLICY.apply(
      h.context,
      "OriginRequest",
      template({
        OriginRequestPolicyConfig: {
          Name: "site-origin-request",
          HeadersConfig: { HeaderBehavior: "whitelist", Headers: ["X-Forwarded-Host"] },
          CookiesConfig: { CookieBehavior: "all" },
          QueryStringsConfig: { QueryStringBehavior: "whitelist", QueryStrings: ["page", "sort"] },
        },
      }),
      undefined,
    );
    expect(applied.attributes.get("LastModifiedTime")).toMatch(ISO_TIME);
    const { OriginRequestPolicyConfig: config } = await h.server.client.send(new GetOriginRequestPolicyConfigCommand({ Id: applied.ref }));
    expect(config?.QueryStringsConfig?.QueryStrings).toEqual({ Quantity: 2, Items: ["page", "sort"] });
    expect(config?.HeadersConfig?.Headers).toEqual({ Quantity: 1, Items: ["X-Forwarded-Host"] });
  });

  it("AWS::CloudFront::ResponseHeadersPolicy: CloudFormation's { Items } without Quantity", async () => {
    const applied = await RESPONSE_HEADERS_POLICY.apply(
      h.context,
      "Headers",
      template({
        ResponseHeadersPolicyConfig: {
          Name: "site-headers",
          CorsConfig: {
            AccessControlAllowCredentials: false,
            AccessControlAllowHeaders: { Items: ["*"] },
            AccessControlAllowMethods: { Items: ["GET", "HEAD"] },
            AccessControlAllowOrigins: { Items: ["https://example.com"] },
            AccessControlExposeHeaders: { Items: ["X-Request-Id"] },
            AccessControlMaxAgeSec: 600,
            OriginOverride: true,
          },
          CustomHeadersConfig: { Items: [{ Header: "X-Served-By", Value: "edgelite", Override: true }] },
          RemoveHeadersConfig: { Items: [{ Header: "X-Powered-By" }] },
          SecurityHeadersConfig: {
            ContentTypeOptions: { Override: true },
            FrameOptions: { FrameOption: "DENY", Override: true },
            StrictTransportSecurity: { AccessControlMaxAgeSec: 63072000, IncludeSubdomains: true, Preload: true, Override: true },
          },
        },
      }),
      undefined,
    );
    const { ResponseHeadersPolicyConfig: config } = await h.server.client.send(new GetResponseHeadersPolicyConfigCommand({ Id: applied.ref }));
    expect(config?.CorsConfig?.AccessControlAllowMethods).toEqual({ Quantity: 2, Items: ["GET", "HEAD"] });
    expect(config?.CustomHeadersConfig).toEqual({ Quantity: 1, Items: [{ Header: "X-Served-By", Value: "edgelite", Override: true }] });
    expect(config?.RemoveHeadersConfig).toEqual({ Quantity: 1, Items: [{ Header: "X-Powered-By" }] });
    expect(config?.SecurityHeadersConfig?.FrameOptions).toEqual({ FrameOption: "DENY", Override: true });
  });

  it("AWS::CloudFront::OriginAccessControl: Ref = Id, GetAtt Id; adopted by name", async () => {
    const properties = template({ OriginAccessControlConfig: { Name: "site-oac", OriginAccessControlOriginType: "s3", SigningBehavior: "always", SigningProtocol: "sigv4" } });
    const applied = await OAC.apply(h.context, "Oac", properties, undefined);
    expect([...applied.attributes]).toEqual([["Id", applied.ref]]);
    const got = await h.server.client.send(new GetOriginAccessControlCommand({ Id: applied.ref }));
    expect(got.OriginAccessControl?.OriginAccessControlConfig?.SigningBehavior).toBe("always");
    const adopted = await OAC.apply(h.context, "Oac", template({ OriginAccessControlConfig: { ...properties.OriginAccessControlConfig as object, SigningBehavior: "no-override" } }), undefined);
    expect(adopted.ref).toBe(applied.ref);
    expect((await h.server.client.send(new GetOriginAccessControlCommand({ Id: applied.ref }))).OriginAccessControl?.OriginAccessControlConfig?.SigningBehavior).toBe("no-override");
    await OAC.delete(h.context, adopted);
    await expect(h.server.client.send(new GetOriginAccessControlCommand({ Id: applied.ref }))).rejects.toMatchObject({ name: "NoSuchOriginAccessControl" });
  });

  it("surfaces CloudFront's code for a value it refuses", async () => {
    const error = await rejection(CACHE_POLICY.apply(h.context, "Bad", template({ CachePolicyConfig: { ...(cachePolicy("bad").CachePolicyConfig as object), MinTTL: 100, MaxTTL: 10 } }), undefined));
    expect(error.code).toBeDefined();
    expect(error.message).toMatch(/^Site\/Bad \(AWS::CloudFront::CachePolicy\): CreateCachePolicy: CloudFront answered \w+: /);
  });

  it.each<[string, unknown, RegExp]>([
    ["no Name", { MinTTL: 0 }, /CachePolicyConfig.Name is required/],
    ["Headers as a string", { Name: "x", ParametersInCacheKeyAndForwardedToOrigin: { HeadersConfig: { HeaderBehavior: "whitelist", Headers: "Accept" } } }, /HeadersConfig.Headers must be a list/],
    ["a TTL that is a float", { Name: "x", MinTTL: 1.5 }, /MinTTL must be a whole number/],
    ["the config as a list", [{ Name: "x" }], /CachePolicyConfig must be an object/],
  ])("refuses a CachePolicyConfig with %s", async (_, config, message) => {
    const error = await rejection(CACHE_POLICY.apply(h.context, "Hostile", template({ CachePolicyConfig: config }), undefined));
    expect(error.message).toMatch(message);
    expect(error.logicalId).toBe("Hostile");
  });
});
