import { GetDistributionConfigCommand } from "@aws-sdk/client-cloudfront";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cannedReplies } from "./cannedReply.js";
import { readDistributionConfig, writeDistributionConfig } from "../../src/api/cloudfront/distributionConfigXml.js";
import { parseRequestXml } from "../../src/api/xml.js";
import type { DistributionConfig } from "../../src/service/distributionConfigModel.js";

/** Every member the typed DistributionConfig has, each set. */
const EVERY_MEMBER: DistributionConfig = {
  CallerReference: "ref <1> & 'all'",
  Comment: "every member",
  Enabled: true,
  Aliases: ["www.example.com", "example.com"],
  DefaultRootObject: "index.html",
  Origins: [
    {
      Id: "app",
      DomainName: "app.example.com",
      OriginPath: "/v1",
      CustomHeaders: [{ HeaderName: "X-Secret", HeaderValue: "a&b" }],
      CustomOriginConfig: { HTTPPort: 8080, HTTPSPort: 8443, OriginProtocolPolicy: "http-only", OriginReadTimeout: 40, OriginKeepaliveTimeout: 6 },
      ConnectionAttempts: 2,
      ConnectionTimeout: 7,
    },
    { Id: "bucket", DomainName: "bucket.s3.us-east-1.amazonaws.com", S3OriginConfig: { OriginAccessIdentity: "" } },
  ],
  OriginGroups: [{ Id: "group", Members: [{ OriginId: "app" }, { OriginId: "bucket" }], FailoverCriteria: { StatusCodes: [500, 502] } }],
  DefaultCacheBehavior: {
    TargetOriginId: "group",
    ViewerProtocolPolicy: "allow-all",
    FunctionAssociations: [{ FunctionARN: "arn:aws:cloudfront::123456789012:function/f", EventType: "viewer-request" }],
    OriginRequestPolicyId: "216adef6-5c7f-47e4-b989-5492eafa07d3",
    CachePolicyId: "4135ea2d-6df8-44a3-9df3-4b5a84be39ad",
  },
  CacheBehaviors: [
    {
      PathPattern: "/images/*",
      TargetOriginId: "bucket",
      ViewerProtocolPolicy: "redirect-to-https",
      FunctionAssociations: [],
      ForwardedValues: { QueryString: true, Cookies: { Forward: "whitelist", WhitelistedNames: ["session"] }, Headers: ["Accept"] },
    },
  ],
  CustomErrorResponses: [{ ErrorCode: 404, ResponsePagePath: "/404.html", ResponseCode: "404" }],
};

/** The SDK's lists are `{ Quantity, Items }`; the typed config's are the Items. */
function withoutQuantities(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutQuantities);
  if (value === null || typeof value !== "object") return value;
  const record = value as Record<string, unknown>;
  if ("Quantity" in record) return withoutQuantities(record.Items ?? []);
  return Object.fromEntries(Object.entries(record).map(([key, member]) => [key, withoutQuantities(member)]));
}

const wrapped = (inner: string) => `<?xml version="1.0" encoding="UTF-8"?><DistributionConfig xmlns="http://cloudfront.amazonaws.com/doc/2020-05-31/">${inner}</DistributionConfig>`;

describe("the DistributionConfig's XML reader and writer", () => {
  let sdk: Awaited<ReturnType<typeof cannedReplies>>;
  beforeAll(async () => {
    sdk = await cannedReplies();
  });
  afterAll(() => sdk.close());

  it("uses only the model's member names: @aws-sdk/client-cloudfront (generated from the model) reads back every member written", async () => {
    sdk.reply(wrapped(writeDistributionConfig(EVERY_MEMBER)));
    const reply = await sdk.client.send(new GetDistributionConfigCommand({ Id: "E1" }));
    expect(withoutQuantities(reply.DistributionConfig)).toEqual(EVERY_MEMBER);
  });

  it("reads what it writes", () => {
    const xml = wrapped(writeDistributionConfig(EVERY_MEMBER));
    expect(readDistributionConfig(parseRequestXml(Buffer.from(xml), "DistributionConfig"))).toEqual(EVERY_MEMBER);
  });

  it("reads a minimal config, leaving absent members absent", () => {
    const minimal = wrapped(
      "<CallerReference>r</CallerReference><Comment></Comment><Enabled>false</Enabled>" +
        "<Origins><Quantity>1</Quantity><Items><Origin><Id>o</Id><DomainName>d</DomainName></Origin></Items></Origins>" +
        "<DefaultCacheBehavior><TargetOriginId>o</TargetOriginId></DefaultCacheBehavior>",
    );
    expect(readDistributionConfig(parseRequestXml(Buffer.from(minimal), "DistributionConfig"))).toEqual({
      CallerReference: "r",
      Comment: "",
      Enabled: false,
      Origins: [{ Id: "o", DomainName: "d" }],
      DefaultCacheBehavior: { TargetOriginId: "o" },
    });
  });
});
