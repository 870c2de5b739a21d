import { GetDistributionCommand, GetDistributionConfigCommand, ListTagsForResourceCommand } from "@aws-sdk/client-cloudfront";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CLOUDFRONT_HANDLERS } from "../../../src/iac/resources/index.js";
import { UP_TAG_KEY, type Applied, type ApplyContext } from "../../../src/iac/types.js";
import { harness, RecordingOrigins, rejection, template, type Harness } from "./context.js";

const DISTRIBUTION = CLOUDFRONT_HANDLERS.get("AWS::CloudFront::Distribution")!;
const FUNCTION = CLOUDFRONT_HANDLERS.get("AWS::CloudFront::Function")!;
const CACHE_POLICY = CLOUDFRONT_HANDLERS.get("AWS::CloudFront::CachePolicy")!;
const OAC = CLOUDFRONT_HANDLERS.get("AWS::CloudFront::OriginAccessControl")!;

/** A CloudFormation DistributionConfig with every list shape CloudFormation writes differently from the API. */
function fullConfig(refs: { functionArn: string; cachePolicyId: string; oacId: string }, comment = "every shape", host = "www") {
  return {
    Aliases: [`${host}.example.com`],
    CNAMEs: [`cdn.${host}.example.com`],
    Comment: comment,
    DefaultRootObject: "index.html",
    Enabled: true,
    HttpVersion: "http2",
    IPV6Enabled: "true",
    PriceClass: "PriceClass_100",
    Origins: [
      {
        Id: "site",
        DomainName: "site.example",
        OriginPath: "/v1",
        OriginCustomHeaders: [{ HeaderName: "X-From", HeaderValue: "up" }],
        CustomOriginConfig: { HTTPPort: 8080, HTTPSPort: "8443", OriginProtocolPolicy: "http-only", OriginSSLProtocols: ["TLSv1.2"], OriginReadTimeout: 30, OriginKeepaliveTimeout: 5 },
        ConnectionAttempts: 3,
        ConnectionTimeout: 10,
      },
      { Id: "bucket", DomainName: "bucket.s3.us-east-1.amazonaws.com", S3OriginConfig: {}, OriginAccessControlId: refs.oacId },
    ],
    OriginGroups: {
      Quantity: 1,
      Items: [{ Id: "group", FailoverCriteria: { StatusCodes: { Quantity: 2, Items: [500, 502] } }, Members: { Quantity: 2, Items: [{ OriginId: "site" }, { OriginId: "bucket" }] } }],
    },
    DefaultCacheBehavior: {
      TargetOriginId: "site",
      ViewerProtocolPolicy: "redirect-to-https",
      AllowedMethods: ["GET", "HEAD", "OPTIONS"],
      CachedMethods: ["GET", "HEAD"],
      Compress: true,
      CachePolicyId: refs.cachePolicyId,
      FunctionAssociations: [{ EventType: "viewer-request", FunctionARN: refs.functionArn }],
    },
    CacheBehaviors: [
      {
        PathPattern: "/legacy/*",
        TargetOriginId: "bucket",
        ViewerProtocolPolicy: "allow-all",
        ForwardedValues: { QueryString: true, QueryStringCacheKeys: ["a"], Headers: ["Accept"], Cookies: { Forward: "whitelist", WhitelistedNames: ["session"] } },
        MinTTL: 0,
        DefaultTTL: "60",
        MaxTTL: 3600,
      },
      { PathPattern: "/group/*", TargetOriginId: "group", ViewerProtocolPolicy: "https-only", ForwardedValues: { QueryString: "false" } },
    ],
    CustomErrorResponses: [{ ErrorCode: 404, ResponseCode: 200, ResponsePagePath: "/index.html", ErrorCachingMinTTL: 10 }],
    Restrictions: { GeoRestriction: { RestrictionType: "whitelist", Locations: ["DE", "FR"] } },
    ViewerCertificate: { AcmCertificateArn: "arn:aws:acm:us-east-1:123456789012:certificate/abc", SslSupportMethod: "sni-only", MinimumProtocolVersion: "TLSv1.2_2021" },
    Logging: { Bucket: "logs.s3.amazonaws.com", Prefix: "cf/" },
  };
}

describe("AWS::CloudFront::Distribution against a real server", () => {
  let h: Harness;
  let refs: { functionArn: string; cachePolicyId: string; oacId: string };
  let applied: Applied;

  beforeAll(async () => {
    h = await harness("Site");
    const fn = await FUNCTION.apply(
      h.context,
      "Fn",
      template({ Name: "rewrite", AutoPublish: true, FunctionCode: "function handler(event) { return event.request; }", FunctionConfig: { Comment: "", Runtime: "cloudfront-js-2.0" } }),
      undefined,
    );
    const policy = await CACHE_POLICY.apply(
      h.context,
      "Cache",
      template({
        CachePolicyConfig: {
          Name: "site-cache",
          MinTTL: 0,
          DefaultTTL: 60,
          MaxTTL: 300,
          ParametersInCacheKeyAndForwardedToOrigin: {
            EnableAcceptEncodingGzip: true,
            HeadersConfig: { HeaderBehavior: "none" },
            CookiesConfig: { CookieBehavior: "none" },
            QueryStringsConfig: { QueryStringBehavior: "none" },
          },
        },
      }),
      undefined,
    );
    const oac = await OAC.apply(
      h.context,
      "Oac",
      template({ OriginAccessControlConfig: { Name: "site-oac", OriginAccessControlOriginType: "s3", SigningBehavior: "always", SigningProtocol: "sigv4" } }),
      undefined,
    );
    refs = { functionArn: fn.ref, cachePolicyId: policy.ref, oacId: oac.ref };
  });
  afterAll(async () => {
    await h.close();
  });

  it("creates a full CloudFormation distribution in the API's shape; Ref = Id, GetAtt DomainName and Id", async () => {
    applied = await DISTRIBUTION.apply(h.context, "Dist", template({ DistributionConfig: fullConfig(refs), Tags: [{ Key: "team", Value: "web" }] }), undefined);
    expect(applied.ref).toBe(applied.physicalId);
    expect(applied.attributes.get("Id")).toBe(applied.ref);
    expect(applied.attributes.get("DomainName")).toMatch(/^d[0-9a-z]+\.cloudfront\.[a-z]+$/);
    const { DistributionConfig: config } = await h.server.client.send(new GetDistributionConfigCommand({ Id: applied.ref }));
    expect(config?.CallerReference).toBe("Site/Dist");
    expect(config?.Aliases).toEqual({ Quantity: 2, Items: ["www.example.com", "cdn.www.example.com"] });
    expect(config?.IsIPV6Enabled).toBe(true);
    const [site, bucket] = config?.Origins?.Items ?? [];
    expect(site?.CustomHeaders).toEqual({ Quantity: 1, Items: [{ HeaderName: "X-From", HeaderValue: "up" }] });
    expect(site?.CustomOriginConfig).toMatchObject({ HTTPPort: 8080, HTTPSPort: 8443, OriginProtocolPolicy: "http-only", OriginSslProtocols: { Quantity: 1, Items: ["TLSv1.2"] } });
    expect(bucket?.S3OriginConfig?.OriginAccessIdentity).toBe("");
    expect(bucket?.OriginAccessControlId).toBe(refs.oacId);
    expect(config?.OriginGroups?.Items?.[0]?.Members?.Items?.map((member) => member.OriginId)).toEqual(["site", "bucket"]);
    expect(config?.DefaultCacheBehavior?.AllowedMethods).toMatchObject({ Quantity: 3, CachedMethods: { Quantity: 2 } });
    expect(config?.DefaultCacheBehavior?.FunctionAssociations).toEqual({ Quantity: 1, Items: [{ EventType: "viewer-request", FunctionARN: refs.functionArn }] });
    expect(config?.CacheBehaviors?.Quantity).toBe(2);
    const legacy = config?.CacheBehaviors?.Items?.[0];
    expect(legacy?.ForwardedValues?.Cookies).toEqual({ Forward: "whitelist", WhitelistedNames: { Quantity: 1, Items: ["session"] } });
    expect(legacy?.ForwardedValues?.Headers).toEqual({ Quantity: 1, Items: ["Accept"] });
    expect(legacy?.DefaultTTL).toBe(60);
    expect(config?.CacheBehaviors?.Items?.[1]?.ForwardedValues?.Cookies?.Forward).toBe("none");
    expect(config?.CustomErrorResponses?.Items?.[0]).toMatchObject({ ErrorCode: 404, ResponseCode: "200" });
    expect(config?.Restrictions?.GeoRestriction).toMatchObject({ RestrictionType: "whitelist", Quantity: 2, Items: ["DE", "FR"] });
    const tags = await h.server.client.send(new ListTagsForResourceCommand({ Resource: `arn:aws:cloudfront::${/:(\d{12}):/.exec(refs.functionArn)![1]}:distribution/${applied.ref}` }));
    expect(tags.Tags?.Items).toEqual(expect.arrayContaining([{ Key: "team", Value: "web" }, { Key: UP_TAG_KEY, Value: "Site/Dist" }]));
    expect(h.origins.calls.at(-1)).toEqual({ logicalId: "Dist", ids: ["site", "bucket"] });
  });

  it("updates it in place (same Id, CallerReference kept)", async () => {
    const updated = await DISTRIBUTION.apply(h.context, "Dist", template({ DistributionConfig: fullConfig(refs, "changed"), Tags: [{ Key: "owner", Value: "me" }] }), applied);
    expect(updated.ref).toBe(applied.ref);
    const tags = await h.server.client.send(new ListTagsForResourceCommand({ Resource: `arn:aws:cloudfront::${/:(\d{12}):/.exec(refs.functionArn)![1]}:distribution/${applied.ref}` }));
    expect(tags.Tags?.Items?.map((tag) => `${tag.Key}=${tag.Value}`).sort()).toEqual([`${UP_TAG_KEY}=Site/Dist`, "owner=me"]);
    const { DistributionConfig: config } = await h.server.client.send(new GetDistributionConfigCommand({ Id: applied.ref }));
    expect(config?.Comment).toBe("changed");
    expect(config?.CallerReference).toBe("Site/Dist");
  });

  it("adopts the distribution an earlier up made, by its edgelite:up tag", async () => {
    const adopted = await DISTRIBUTION.apply(h.context, "Dist", template({ DistributionConfig: fullConfig(refs, "adopted") }), undefined);
    expect(adopted.ref).toBe(applied.ref);
    const other = await DISTRIBUTION.apply({ ...h.context, stackName: "Other" }, "Dist", template({ DistributionConfig: fullConfig(refs, "another stack", "other") }), undefined);
    expect(other.ref).not.toBe(applied.ref);
    await DISTRIBUTION.delete({ ...h.context, stackName: "Other" }, other);
  });

  it("runs the origin mapper before creating: the API gets the mapped origins", async () => {
    const context: ApplyContext = { ...h.context, origins: new RecordingOrigins("127.0.0.1") };
    const mapped = await DISTRIBUTION.apply(context, "Mapped", template({ DistributionConfig: fullConfig(refs, "mapped", "mapped") }), undefined);
    const { DistributionConfig: config } = await h.server.client.send(new GetDistributionConfigCommand({ Id: mapped.ref }));
    expect(config?.Origins?.Items?.map((origin) => origin.DomainName)).toEqual(["127.0.0.1", "bucket.s3.us-east-1.amazonaws.com"]);
    await DISTRIBUTION.delete(h.context, mapped);
  });

  it("turns the legacy CustomOrigin into an origin named by the default behaviour's TargetOriginId", async () => {
    const legacy = await DISTRIBUTION.apply(
      h.context,
      "Legacy",
      template({
        DistributionConfig: {
          Enabled: true,
          CustomOrigin: { DNSName: "legacy.example", OriginProtocolPolicy: "match-viewer", OriginSSLProtocols: ["TLSv1.2"] },
          DefaultCacheBehavior: { TargetOriginId: "legacy", ViewerProtocolPolicy: "allow-all", ForwardedValues: { QueryString: false } },
        },
      }),
      undefined,
    );
    const { DistributionConfig: config } = await h.server.client.send(new GetDistributionConfigCommand({ Id: legacy.ref }));
    expect(config?.Origins?.Items?.[0]).toMatchObject({ Id: "legacy", DomainName: "legacy.example", CustomOriginConfig: { HTTPPort: 80, HTTPSPort: 443 } });
    await DISTRIBUTION.delete(h.context, legacy);
  });

  it("surfaces CloudFront's answer with the code, and says a function must be LIVE", async () => {
    const dev = await FUNCTION.apply(
      h.context,
      "DevFn",
      template({ Name: "dev-only", AutoPublish: false, FunctionCode: "function handler(event) { return event.request; }", FunctionConfig: { Comment: "", Runtime: "cloudfront-js-2.0" } }),
      undefined,
    );
    const config = fullConfig({ ...refs, functionArn: dev.ref });
    const error = await rejection(DISTRIBUTION.apply(h.context, "NeedsLive", template({ DistributionConfig: config }), undefined));
    expect(error.code).toBe("InvalidFunctionAssociation");
    expect(error.logicalId).toBe("NeedsLive");
    expect(error.message).toContain("Site/NeedsLive (AWS::CloudFront::Distribution)");
    expect(error.message).toContain("AutoPublish: true");
  });

  it.each<[string, (config: ReturnType<typeof fullConfig>) => unknown, RegExp]>([
    ["an unknown member", (config) => ({ ...config, Shiny: true }), /DistributionConfig.Shiny is not a property of DistributionConfig/],
    ["a CallerReference", (config) => ({ ...config, CallerReference: "x" }), /CallerReference is not a CloudFormation property/],
    ["Origins as an object", (config) => ({ ...config, Origins: { Id: "x" } }), /DistributionConfig.Origins must be a list/],
    ["a Quantity that does not match Items", (config) => ({ ...config, OriginGroups: { ...config.OriginGroups, Quantity: 5 } }), /OriginGroups.Quantity is 5 but Items holds 1/],
    ["a port that is not a number", (config) => ({ ...config, Origins: [{ ...config.Origins[0]!, CustomOriginConfig: { ...config.Origins[0]!.CustomOriginConfig, HTTPPort: "eighty" } }, config.Origins[1]!] }), /Origins\[0\].CustomOriginConfig.HTTPPort must be a whole number/],
    ["a list where a string goes", (config) => ({ ...config, Comment: ["a"] }), /DistributionConfig.Comment must be a string/],
    ["a constructor key", (config) => ({ ...config, DefaultCacheBehavior: { ...config.DefaultCacheBehavior, constructor: "x" } }), /DefaultCacheBehavior.constructor is not a property/],
  ])("refuses %s with an IacError naming the property", async (_, change, message) => {
    const error = await rejection(DISTRIBUTION.apply(h.context, "Hostile", template({ DistributionConfig: change(fullConfig(refs, "hostile", "hostile")) }), undefined));
    expect(error.message).toMatch(message);
    expect(error.logicalId).toBe("Hostile");
  });

  it("refuses a DistributionConfig that is not an object, and a missing one", async () => {
    expect((await rejection(DISTRIBUTION.apply(h.context, "Hostile", template({ DistributionConfig: "x" }), undefined))).message).toMatch(/DistributionConfig must be an object/);
    expect((await rejection(DISTRIBUTION.apply(h.context, "Hostile", template({}), undefined))).message).toMatch(/DistributionConfig is required/);
  });

  it("deletes it: disables, then deletes with the new ETag", async () => {
    await DISTRIBUTION.delete(h.context, applied);
    await expect(h.server.client.send(new GetDistributionCommand({ Id: applied.ref }))).rejects.toMatchObject({ name: "NoSuchDistribution" });
    await DISTRIBUTION.delete(h.context, applied);
  });
});
