import { CreateDistributionCommand, GetDistributionCommand, ListDistributionsCommand, UpdateDistributionCommand, type DistributionConfig } from "@aws-sdk/client-cloudfront";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { rejection, startTestServer, type TestServer } from "../helpers.js";

/**
 * DistributionConfig's validation errors, through the real SDK client: the error each mistake earns (its
 * code, as the SDK names the exception, and its HTTP status from the service model) and that nothing was
 * created. Codes and statuses: the CreateDistribution errors of the CloudFront API Reference and the
 * cloudfront-2020-05-31 model.
 */
const origin = () => ({ Id: "app", DomainName: "example.com", CustomOriginConfig: { HTTPPort: 80, HTTPSPort: 443, OriginProtocolPolicy: "http-only" as const } });
const valid = (reference: string): DistributionConfig => ({
  CallerReference: reference,
  Comment: "",
  Enabled: true,
  Origins: { Quantity: 1, Items: [origin()] },
  DefaultCacheBehavior: { TargetOriginId: "app", ViewerProtocolPolicy: "allow-all", CachePolicyId: "4135ea2d-6df8-44a3-9df3-4b5a84be39ad" },
});

const MISTAKES: Array<{ mistake: string; error: string; status: number; change: (config: DistributionConfig) => void }> = [
  { mistake: "a behaviour targeting an origin the distribution lacks", error: "NoSuchOrigin", status: 404, change: (c) => (c.DefaultCacheBehavior!.TargetOriginId = "elsewhere") },
  { mistake: "a default root object with a leading /", error: "InvalidDefaultRootObject", status: 400, change: (c) => (c.DefaultRootObject = "/index.html") },
  { mistake: "an OriginReadTimeout above its range", error: "InvalidOriginReadTimeout", status: 400, change: (c) => (c.Origins!.Items![0]!.CustomOriginConfig!.OriginReadTimeout = 999) },
  { mistake: "an OriginReadTimeout of 0", error: "InvalidOriginReadTimeout", status: 400, change: (c) => (c.Origins!.Items![0]!.CustomOriginConfig!.OriginReadTimeout = 0) },
  {
    mistake: "a custom error response for a code that cannot have one",
    error: "InvalidErrorCode",
    status: 400,
    change: (c) => (c.CustomErrorResponses = { Quantity: 1, Items: [{ ErrorCode: 418, ResponsePagePath: "/e.html", ResponseCode: "200" }] }),
  },
  {
    mistake: "a response code without a response page",
    error: "InvalidResponseCode",
    status: 400,
    change: (c) => (c.CustomErrorResponses = { Quantity: 1, Items: [{ ErrorCode: 404, ResponseCode: "200" }] }),
  },
  {
    mistake: "a CloudFront function on a Lambda@Edge event",
    error: "InvalidFunctionAssociation",
    status: 400,
    change: (c) =>
      (c.DefaultCacheBehavior!.FunctionAssociations = { Quantity: 1, Items: [{ FunctionARN: "arn:aws:cloudfront::123456789012:function/f", EventType: "origin-request" }] }),
  },
  {
    mistake: "a function that is not a published function of the account",
    error: "InvalidFunctionAssociation",
    status: 400,
    change: (c) =>
      (c.DefaultCacheBehavior!.FunctionAssociations = { Quantity: 1, Items: [{ FunctionARN: "arn:aws:cloudfront::123456789012:function/ghost", EventType: "viewer-request" }] }),
  },
  {
    mistake: "AllowedMethods that are not one of CloudFront's three sets",
    error: "InvalidArgument",
    status: 400,
    change: (c) => (c.DefaultCacheBehavior!.AllowedMethods = { Quantity: 3, Items: ["GET", "HEAD", "POST"] }),
  },
  {
    mistake: "CachedMethods beyond AllowedMethods",
    error: "InvalidArgument",
    status: 400,
    change: (c) => (c.DefaultCacheBehavior!.AllowedMethods = { Quantity: 2, Items: ["GET", "HEAD"], CachedMethods: { Quantity: 3, Items: ["GET", "HEAD", "OPTIONS"] } }),
  },
  {
    mistake: "legacy TTLs out of order",
    error: "InvalidTTLOrder",
    status: 400,
    change: (c) => {
      delete c.DefaultCacheBehavior!.CachePolicyId;
      Object.assign(c.DefaultCacheBehavior!, { ForwardedValues: { QueryString: false, Cookies: { Forward: "none" } }, MinTTL: 100, DefaultTTL: 10, MaxTTL: 1000 });
    },
  },
  {
    mistake: "a geo whitelist without locations",
    error: "InvalidGeoRestrictionParameter",
    status: 400,
    change: (c) => (c.Restrictions = { GeoRestriction: { RestrictionType: "whitelist", Quantity: 0 } }),
  },
  {
    mistake: "a geo restriction naming something that is not a country code",
    error: "InvalidLocationCode",
    status: 400,
    change: (c) => (c.Restrictions = { GeoRestriction: { RestrictionType: "blacklist", Quantity: 1, Items: ["France"] } }),
  },
  {
    mistake: "a Lambda@Edge association to an unversioned function",
    error: "InvalidLambdaFunctionAssociation",
    status: 400,
    change: (c) =>
      (c.DefaultCacheBehavior!.LambdaFunctionAssociations = { Quantity: 1, Items: [{ LambdaFunctionARN: "arn:aws:lambda:us-east-1:123456789012:function:auth", EventType: "origin-request" }] }),
  },
  { mistake: "Quantity that disagrees with Items", error: "InvalidArgument", status: 400, change: (c) => (c.Origins!.Quantity = 2) },
  { mistake: "two origins with one Id", error: "InvalidArgument", status: 400, change: (c) => (c.Origins = { Quantity: 2, Items: [origin(), origin()] }) },
];

describe("DistributionConfig validation through @aws-sdk/client-cloudfront", () => {
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer("memory");
  });
  afterAll(() => t.close());

  for (const [index, { mistake, error, status, change }] of MISTAKES.entries()) {
    it(`refuses ${mistake} with ${error} (${status}) on create and on update, creating and changing nothing`, async () => {
      const count = async () => (await t.client.send(new ListDistributionsCommand({}))).DistributionList?.Quantity;
      const before = await count();
      const config = valid(`mistake-${index}`);
      change(config);
      const refused = await rejection(t.client.send(new CreateDistributionCommand({ DistributionConfig: config })));
      expect(refused.name).toBe(error);
      expect(refused.$metadata.httpStatusCode).toBe(status);
      expect(await count()).toBe(before);

      const created = await t.client.send(new CreateDistributionCommand({ DistributionConfig: valid(`fixed-${index}`) }));
      const updated = valid(`fixed-${index}`);
      change(updated);
      const refusedUpdate = await rejection(t.client.send(new UpdateDistributionCommand({ Id: created.Distribution!.Id!, IfMatch: created.ETag!, DistributionConfig: updated })));
      expect(refusedUpdate.name).toBe(error);
      expect(refusedUpdate.$metadata.httpStatusCode).toBe(status);
      expect((await t.client.send(new GetDistributionCommand({ Id: created.Distribution!.Id! }))).ETag).toBe(created.ETag);
    });
  }
});

describe("the settings the edge reads, through @aws-sdk/client-cloudfront", () => {
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer("memory");
  });
  afterAll(() => t.close());

  it("accepts methods, compression, TTLs, Lambda@Edge associations, response headers policies, geo restrictions and error caching, and returns them as sent", async () => {
    const config = valid("settings");
    config.DefaultCacheBehavior = {
      TargetOriginId: "app",
      ViewerProtocolPolicy: "redirect-to-https",
      AllowedMethods: { Quantity: 7, Items: ["POST", "GET", "HEAD", "OPTIONS", "PUT", "PATCH", "DELETE"], CachedMethods: { Quantity: 3, Items: ["GET", "HEAD", "OPTIONS"] } },
      Compress: true,
      LambdaFunctionAssociations: { Quantity: 1, Items: [{ LambdaFunctionARN: "arn:aws:lambda:us-east-1:123456789012:function:auth:3", EventType: "origin-request", IncludeBody: false }] },
      ForwardedValues: { QueryString: true, Cookies: { Forward: "none" } },
      MinTTL: 0,
      DefaultTTL: 60,
      MaxTTL: 600,
    };
    config.Restrictions = { GeoRestriction: { RestrictionType: "whitelist", Quantity: 2, Items: ["FR", "DE"] } };
    config.CustomErrorResponses = { Quantity: 1, Items: [{ ErrorCode: 404, ErrorCachingMinTTL: 30 }] };
    const created = await t.client.send(new CreateDistributionCommand({ DistributionConfig: config }));
    const got = (await t.client.send(new GetDistributionCommand({ Id: created.Distribution!.Id! }))).Distribution!.DistributionConfig!;
    expect(got.DefaultCacheBehavior).toEqual(config.DefaultCacheBehavior);
    expect(got.Restrictions).toEqual(config.Restrictions);
    expect(got.CustomErrorResponses).toEqual(config.CustomErrorResponses);
  });
});
