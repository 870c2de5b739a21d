import { DescribeFunctionCommand, GetDistributionConfigCommand } from "@aws-sdk/client-cloudfront";
import { GetKeyCommand } from "@aws-sdk/client-cloudfront-keyvaluestore";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CLOUDFRONT_HANDLERS } from "../../../src/iac/resources/index.js";
import type { Applied, TemplateObject, TemplateValue } from "../../../src/iac/types.js";
import { tempDir } from "../../helpers.js";
import { harness, template, type Harness } from "./context.js";

/**
 * Real `cdk synth` output (cdkSiteStack.template.json) applied resource by resource, its intrinsics resolved
 * by a stand-in for the template helper's resolver that knows only what this template uses.
 */

const ACCOUNT = "123456789012";
const REGION = "us-east-1";
const BUCKET_DOMAIN = "sitebucket.s3.us-east-1.amazonaws.com";

function resolver(applied: Map<string, Applied>) {
  const pseudo: Record<string, string> = { "AWS::Partition": "aws", "AWS::Region": REGION, "AWS::AccountId": ACCOUNT };
  const resolve = (value: TemplateValue): TemplateValue => {
    if (Array.isArray(value)) return value.map(resolve);
    if (typeof value !== "object" || value === null) return value;
    if ("Ref" in value) return pseudo[value.Ref as string] ?? applied.get(value.Ref as string)!.ref;
    if ("Fn::GetAtt" in value) {
      const [id, attribute] = value["Fn::GetAtt"] as [string, string];
      return id === "SiteE53D7754" ? BUCKET_DOMAIN : applied.get(id)!.attributes.get(attribute)!;
    }
    if ("Fn::Join" in value) {
      const [separator, parts] = value["Fn::Join"] as [string, TemplateValue[]];
      return parts.map(resolve).join(separator);
    }
    if ("Fn::Sub" in value) return (value["Fn::Sub"] as string).replace(/\$\{([^}]+)\}/g, (_, name: string) => pseudo[name]!);
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, resolve(item)]));
  };
  return resolve;
}

describe("a CDK app's CloudFront resources (cdk synth output) against a real server", () => {
  let h: Harness;
  const files = tempDir();
  const resources = (JSON.parse(readFileSync(join(import.meta.dirname, "cdkSiteStack.template.json"), "utf8")) as { Resources: Record<string, { Type: string; Properties: TemplateObject }> }).Resources;
  const applied = new Map<string, Applied>();

  beforeAll(async () => {
    h = await harness("SiteStack");
    const data = join(files.path, "kvs.json");
    writeFileSync(data, JSON.stringify({ data: [{ key: "/", value: "/index.html" }] }));
    h.locator.objects.set(`cdk-hnb659fds-assets-${ACCOUNT}-${REGION}/6d0fb2b0d8c6fb11b53ef6df861113698cd49d28b2ab029c481e06203c7d76b2.json`, { path: data, packaging: "file" });
  });
  afterAll(async () => {
    await h.close();
    files.remove();
  });

  it("applies the store, the function, the OAC and the distribution in dependency order", async () => {
    const resolve = resolver(applied);
    for (const logicalId of ["Store1D2A845B", "Fn9270CBC0", "DistOrigin1S3OriginAccessControlF1706B20", "DistB3B78991"]) {
      const resource = resources[logicalId]!;
      const handler = CLOUDFRONT_HANDLERS.get(resource.Type)!;
      applied.set(logicalId, await handler.apply(h.context, logicalId, template(resolve(resource.Properties)), undefined));
    }
    const store = applied.get("Store1D2A845B")!;
    expect(store.ref).toBe("SiteStackStore65A94765");
    expect((await h.kvs.send(new GetKeyCommand({ KvsARN: store.attributes.get("Arn") as string, Key: "/" }))).Value).toBe("/index.html");
    expect(applied.get("Fn9270CBC0")!.attributes.get("Stage")).toBe("LIVE");
    const distribution = applied.get("DistB3B78991")!;
    const { DistributionConfig: config } = await h.server.client.send(new GetDistributionConfigCommand({ Id: distribution.ref }));
    expect(config?.DefaultCacheBehavior?.FunctionAssociations?.Items?.[0]?.FunctionARN).toBe(applied.get("Fn9270CBC0")!.ref);
    expect(config?.Origins?.Items?.[0]).toMatchObject({ DomainName: BUCKET_DOMAIN, OriginAccessControlId: applied.get("DistOrigin1S3OriginAccessControlF1706B20")!.ref });
    expect(config?.IsIPV6Enabled).toBe(true);
    expect(config?.CallerReference).toBe("SiteStack/DistB3B78991");
  });

  it("applies it all again as a second run on the same data would (adopting, no errors)", async () => {
    const resolve = resolver(applied);
    for (const logicalId of ["Store1D2A845B", "Fn9270CBC0", "DistOrigin1S3OriginAccessControlF1706B20", "DistB3B78991"]) {
      const resource = resources[logicalId]!;
      const again = await CLOUDFRONT_HANDLERS.get(resource.Type)!.apply(h.context, logicalId, template(resolve(resource.Properties)), undefined);
      expect(again.physicalId).toBe(applied.get(logicalId)!.physicalId);
    }
  });

  it("deletes them in reverse order", async () => {
    for (const logicalId of ["DistB3B78991", "DistOrigin1S3OriginAccessControlF1706B20", "Fn9270CBC0", "Store1D2A845B"]) {
      const previous = applied.get(logicalId)!;
      await CLOUDFRONT_HANDLERS.get(previous.type)!.delete(h.context, previous);
    }
    await expect(h.server.client.send(new GetDistributionConfigCommand({ Id: applied.get("DistB3B78991")!.ref }))).rejects.toMatchObject({ name: "NoSuchDistribution" });
    await expect(h.server.client.send(new DescribeFunctionCommand({ Name: applied.get("Fn9270CBC0")!.physicalId }))).rejects.toMatchObject({ name: "NoSuchFunctionExists" });
  });
});
