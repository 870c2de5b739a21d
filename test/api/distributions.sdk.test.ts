import {
  CreateDistributionCommand,
  CreateFunctionCommand,
  DeleteDistributionCommand,
  DeleteFunctionCommand,
  DescribeFunctionCommand,
  DistributionAlreadyExists,
  DistributionNotDisabled,
  FunctionInUse,
  GetDistributionCommand,
  GetDistributionConfigCommand,
  InvalidFunctionAssociation,
  ListDistributionsCommand,
  NoSuchDistribution,
  NoSuchOrigin,
  PreconditionFailed,
  PublishFunctionCommand,
  UpdateDistributionCommand,
  type DistributionConfig,
} from "@aws-sdk/client-cloudfront";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { encode, HANDLER, startTestServer, type StoreKind, type TestServer } from "../helpers.js";

function config(reference: string, functionArn?: string, overrides: Partial<DistributionConfig> = {}): DistributionConfig {
  return {
    CallerReference: reference,
    Comment: "edge test",
    Enabled: true,
    Aliases: { Quantity: 0 },
    DefaultRootObject: "index.html",
    Origins: {
      Quantity: 2,
      Items: [
        { Id: "app", DomainName: "localhost", CustomOriginConfig: { HTTPPort: 8080, HTTPSPort: 443, OriginProtocolPolicy: "http-only" } },
        { Id: "assets", DomainName: "bucket.s3.amazonaws.com", S3OriginConfig: { OriginAccessIdentity: "" } },
      ],
    },
    DefaultCacheBehavior: {
      TargetOriginId: "app",
      ViewerProtocolPolicy: "allow-all",
      CachePolicyId: "4135ea2d-6df8-44a3-9df3-4b5a84be39ad",
      ...(functionArn ? { FunctionAssociations: { Quantity: 1, Items: [{ FunctionARN: functionArn, EventType: "viewer-request" }] } } : {}),
    },
    CacheBehaviors: { Quantity: 1, Items: [{ PathPattern: "/static/*", TargetOriginId: "assets", ViewerProtocolPolicy: "redirect-to-https", CachePolicyId: "658327ea-f89d-4fab-a63d-7e88639e58f6" }] },
    PriceClass: "PriceClass_100",
    ...overrides,
  };
}

describe.each<StoreKind>(["sqlite", "memory"])("distributions through @aws-sdk/client-cloudfront (%s store)", (kind) => {
  let t: TestServer;
  beforeEach(async () => {
    t = await startTestServer(kind);
  });
  afterEach(async () => {
    await t.close();
  });

  async function publishedFunction(name: string): Promise<string> {
    const created = await t.client.send(new CreateFunctionCommand({ Name: name, FunctionConfig: { Comment: "", Runtime: "cloudfront-js-2.0" }, FunctionCode: encode(HANDLER) }));
    await t.client.send(new PublishFunctionCommand({ Name: name, IfMatch: created.ETag }));
    return created.FunctionSummary!.FunctionMetadata!.FunctionARN!;
  }

  it("creates, reads, updates, lists and deletes a distribution, returning the config as sent", async () => {
    const created = await t.client.send(new CreateDistributionCommand({ DistributionConfig: config("ref-1") }));
    expect(created.$metadata.httpStatusCode).toBe(201);
    const distribution = created.Distribution!;
    expect(distribution.Id).toMatch(/^E[0-9A-Z]{13}$/);
    expect(distribution.DomainName).toMatch(/^d[0-9a-z]{13}\.cloudfront\.localhost$/);
    expect(distribution.ARN).toBe(`arn:aws:cloudfront::123456789012:distribution/${distribution.Id}`);
    expect(distribution.Status).toBe("Deployed");
    expect(created.ETag).toBe("ETVPDKIKX0DER");
    expect(created.Location).toBe(`https://cloudfront.amazonaws.com/2020-05-31/distribution/${distribution.Id}`);
    expect(distribution.DistributionConfig).toMatchObject({ CallerReference: "ref-1", PriceClass: "PriceClass_100", DefaultRootObject: "index.html" });
    expect(distribution.DistributionConfig?.CacheBehaviors?.Items?.[0]?.PathPattern).toBe("/static/*");

    const got = await t.client.send(new GetDistributionCommand({ Id: distribution.Id }));
    expect(got.Distribution?.DistributionConfig).toEqual(distribution.DistributionConfig);
    const gotConfig = await t.client.send(new GetDistributionConfigCommand({ Id: distribution.Id }));
    expect(gotConfig.DistributionConfig).toEqual(distribution.DistributionConfig);
    expect(gotConfig.ETag).toBe("ETVPDKIKX0DER");

    expect(await t.client.send(new UpdateDistributionCommand({ Id: distribution.Id, IfMatch: "WRONG", DistributionConfig: config("ref-1") })).catch((e: Error) => e)).toBeInstanceOf(PreconditionFailed);
    const updated = await t.client.send(new UpdateDistributionCommand({ Id: distribution.Id, IfMatch: "ETVPDKIKX0DER", DistributionConfig: config("ref-1", undefined, { Comment: "changed" }) }));
    expect(updated.ETag).toBe("E3UN6WX5RRO2AG");
    expect(updated.Distribution?.DistributionConfig?.Comment).toBe("changed");

    const listed = await t.client.send(new ListDistributionsCommand({}));
    expect(listed.DistributionList?.Quantity).toBe(1);
    expect(listed.DistributionList?.Items?.[0]).toMatchObject({ Id: distribution.Id, DomainName: distribution.DomainName, Enabled: true, Comment: "changed" });

    expect(await t.client.send(new DeleteDistributionCommand({ Id: distribution.Id, IfMatch: "E3UN6WX5RRO2AG" })).catch((e: Error) => e)).toBeInstanceOf(DistributionNotDisabled);
    const disabled = await t.client.send(new UpdateDistributionCommand({ Id: distribution.Id, IfMatch: "E3UN6WX5RRO2AG", DistributionConfig: config("ref-1", undefined, { Enabled: false }) }));
    const deleted = await t.client.send(new DeleteDistributionCommand({ Id: distribution.Id, IfMatch: disabled.ETag }));
    expect(deleted.$metadata.httpStatusCode).toBe(204);
    expect(await t.client.send(new GetDistributionCommand({ Id: distribution.Id })).catch((e: Error) => e)).toBeInstanceOf(NoSuchDistribution);
  });

  it("refuses a repeated caller reference, an unknown target origin and unpublished functions", async () => {
    await t.client.send(new CreateDistributionCommand({ DistributionConfig: config("same") }));
    expect(await t.client.send(new CreateDistributionCommand({ DistributionConfig: config("same") })).catch((e: Error) => e)).toBeInstanceOf(DistributionAlreadyExists);
    const badOrigin = config("bad-origin");
    badOrigin.DefaultCacheBehavior!.TargetOriginId = "nowhere";
    expect(await t.client.send(new CreateDistributionCommand({ DistributionConfig: badOrigin })).catch((e: Error) => e)).toBeInstanceOf(NoSuchOrigin);
    await t.client.send(new CreateFunctionCommand({ Name: "draft", FunctionConfig: { Comment: "", Runtime: "cloudfront-js-2.0" }, FunctionCode: encode(HANDLER) }));
    const draftArn = "arn:aws:cloudfront::123456789012:function/draft";
    expect(await t.client.send(new CreateDistributionCommand({ DistributionConfig: config("draft", draftArn) })).catch((e: Error) => e)).toBeInstanceOf(InvalidFunctionAssociation);
  });

  it("marks an associated function DEPLOYED and refuses to delete it while in use", async () => {
    const arn = await publishedFunction("edge-fn");
    const created = await t.client.send(new CreateDistributionCommand({ DistributionConfig: config("with-fn", arn) }));
    expect((await t.client.send(new DescribeFunctionCommand({ Name: "edge-fn", Stage: "LIVE" }))).FunctionSummary?.Status).toBe("DEPLOYED");
    expect((await t.client.send(new DescribeFunctionCommand({ Name: "edge-fn" }))).FunctionSummary?.Status).toBe("DEPLOYED");
    const inUse = await t.client.send(new DeleteFunctionCommand({ Name: "edge-fn", IfMatch: "ETVPDKIKX0DER" })).catch((e: Error) => e);
    expect(inUse).toBeInstanceOf(FunctionInUse);
    expect((inUse as Error).message).toBe("Cannot delete function edge-fn, it is in use by 1 distributions");
    await t.client.send(new UpdateDistributionCommand({ Id: created.Distribution!.Id, IfMatch: created.ETag, DistributionConfig: config("with-fn") }));
    expect((await t.client.send(new DescribeFunctionCommand({ Name: "edge-fn", Stage: "LIVE" }))).FunctionSummary?.Status).toBe("UNASSOCIATED");
    await t.client.send(new DeleteFunctionCommand({ Name: "edge-fn", IfMatch: "ETVPDKIKX0DER" }));
  });
});
