import { describe, expect, it } from "vitest";
import { toApiShape, type ConvertAt } from "../../../src/iac/resources/convert.js";
import { IacError } from "../../../src/iac/types.js";
import { template } from "./context.js";

const AT: ConvertAt = { stackName: "Site", logicalId: "Dist", type: "AWS::CloudFront::Distribution", path: "DistributionConfig" };

function convert(value: unknown, shape = "DistributionConfig") {
  return toApiShape(template({ value }).value!, shape, AT);
}

function refusal(value: unknown, shape = "DistributionConfig"): IacError {
  try {
    convert(value, shape);
  } catch (error) {
    expect(error).toBeInstanceOf(IacError);
    return error as IacError;
  }
  throw new Error("converted without an error");
}

const behavior = { TargetOriginId: "o", ViewerProtocolPolicy: "allow-all" };

describe("CloudFormation → API shapes", () => {
  it("puts CachedMethods inside AllowedMethods, with CloudFormation's default AllowedMethods when only CachedMethods is given", () => {
    expect(convert({ ...behavior, CachedMethods: ["GET", "HEAD"] }, "DefaultCacheBehavior")).toMatchObject({
      AllowedMethods: { Quantity: 2, Items: ["GET", "HEAD"], CachedMethods: { Quantity: 2, Items: ["GET", "HEAD"] } },
    });
    expect(convert({ ...behavior, PathPattern: "/a", AllowedMethods: ["GET", "HEAD", "OPTIONS"] }, "CacheBehavior")).toMatchObject({
      AllowedMethods: { Quantity: 3, Items: ["GET", "HEAD", "OPTIONS"] },
    });
  });

  it("merges CNAMEs into Aliases; CNAMEs alone are the Aliases", () => {
    expect(convert({ CNAMEs: ["a.example"] })).toMatchObject({ Aliases: { Quantity: 1, Items: ["a.example"] } });
  });

  it("turns the legacy S3Origin into an S3 origin named by its DNSName when Origins exist too", () => {
    const out = convert({ Origins: [{ Id: "x", DomainName: "x.example", CustomOriginConfig: { OriginProtocolPolicy: "http-only" } }], S3Origin: { DNSName: "b.s3.amazonaws.com" } });
    expect(out).toMatchObject({
      Origins: { Quantity: 2, Items: [{ Id: "x" }, { Id: "b.s3.amazonaws.com", DomainName: "b.s3.amazonaws.com", S3OriginConfig: { OriginAccessIdentity: "" } }] },
    });
  });

  it("fills what the API requires and CloudFormation defaults: Comment, Logging's Enabled/IncludeCookies/Prefix, ForwardedValues.Cookies, TrustedSigners' Enabled", () => {
    const out = convert({ Enabled: true, Logging: { Bucket: "logs.s3.amazonaws.com" }, DefaultCacheBehavior: { ...behavior, ForwardedValues: { QueryString: false }, TrustedSigners: ["self"] } });
    expect(out).toMatchObject({
      Comment: "",
      Logging: { Enabled: true, IncludeCookies: false, Prefix: "", Bucket: "logs.s3.amazonaws.com" },
      DefaultCacheBehavior: { ForwardedValues: { QueryString: false, Cookies: { Forward: "none" } }, TrustedSigners: { Enabled: true, Quantity: 1, Items: ["self"] } },
    });
  });

  it("reads numbers and booleans written as strings, as CloudFormation does, and leaves an empty list out", () => {
    expect(convert({ Enabled: "TRUE", DefaultRootObject: 7, Aliases: [] })).toEqual({ Enabled: true, DefaultRootObject: "7", Aliases: { Quantity: 0 }, Comment: "" });
    expect(convert({ ErrorCode: "404", ResponseCode: 200 }, "CustomErrorResponse")).toEqual({ ErrorCode: 404, ResponseCode: "200" });
  });

  it("treats JSON null as absent", () => {
    expect(convert({ Enabled: true, Comment: null })).toEqual({ Enabled: true, Comment: "" });
  });

  it.each<[string, unknown, string, RegExp]>([
    ["an inherited name", { toString: "x" }, "DistributionConfig", /DistributionConfig.toString is not a property of DistributionConfig \(it takes CallerReference, Aliases/],
    ["a renamed member under its API name and its CloudFormation name", { IPV6Enabled: true, IsIPV6Enabled: false }, "DistributionConfig", /gives IsIPV6Enabled a second time/],
    ["a number too large to be exact", { ErrorCode: 2 ** 60 }, "CustomErrorResponse", /ErrorCode must be a whole number/],
    ["a number with a fraction", { ErrorCode: "404.5" }, "CustomErrorResponse", /ErrorCode must be a whole number/],
    ["an object for a boolean", { Enabled: { Ref: "X" } }, "DistributionConfig", /Enabled must be true or false \(it is an object\)/],
    ["a list item that is not an object", { Items: ["x"] }, "Origins", /DistributionConfig.Items\[0\] must be an object/],
  ])("refuses %s", (_, value, shape, message) => {
    const error = refusal(value, shape);
    expect(error.message).toMatch(message);
    expect(error.message.startsWith("Site/Dist (AWS::CloudFront::Distribution): ")).toBe(true);
    expect(error.logicalId).toBe("Dist");
  });

  it("never repeats a long value whole", () => {
    const error = refusal({ Enabled: "x".repeat(100_000) });
    expect(error.message.length).toBeLessThan(300);
  });

  it("converts a large list without trouble, and bounds nothing itself (the template loader bounds sizes)", () => {
    const items = Array.from({ length: 5000 }, (_, index) => `h${index}`);
    expect(convert({ Items: items }, "Headers")).toMatchObject({ Quantity: 5000 });
  });
});
