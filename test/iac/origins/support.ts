import { CreateDistributionCommand, type CloudFrontClient, type DistributionConfig, type Origin } from "@aws-sdk/client-cloudfront";
import { execFileSync } from "node:child_process";
import { mkdirSync, symlinkSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import type { ApplyContext, IacLog, S3ObjectLocator } from "../../../src/iac/types.js";

/** Lines the code under test logged, by level. */
export function recordingLog(): IacLog & { lines: string[] } {
  const lines: string[] = [];
  return { lines, info: (message) => void lines.push(`info ${message}`), warn: (message) => void lines.push(`warn ${message}`) };
}

export const REGION = "us-east-1";
export const ACCOUNT = "123456789012";

/** An ApplyContext for the handlers under test (only cloudfront, log and stackName are used by them). */
export function applyContext(cloudfront: CloudFrontClient, stackName: string, log: IacLog, origins: ApplyContext["origins"], s3Objects: S3ObjectLocator): ApplyContext {
  return { cloudfront, keyValueData: { replaceKeys: () => Promise.reject(new Error("not used")) }, s3Objects, origins, stackName, log };
}

/** Synthesizes a CDK app (plain .mjs source) with the real CLI into `<dir>/cdk.out`; answers that folder. */
export function synth(dir: string, app: string, files: Record<string, string>): string {
  mkdirSync(dir, { recursive: true });
  symlinkSync(resolve("node_modules"), join(dir, "node_modules"));
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(join(dir, name, ".."), { recursive: true });
    writeFileSync(join(dir, name), text);
  }
  writeFileSync(join(dir, "app.mjs"), app);
  const out = join(dir, "cdk.out");
  execFileSync(resolve("node_modules/.bin/cdk"), ["synth", "--app", "node app.mjs", "-o", out, "--no-notices", "-q"], { cwd: dir, env: { ...process.env, CDK_DISABLE_VERSION_CHECK: "1" }, stdio: "pipe" });
  return out;
}

/** A minimal API-shaped DistributionConfig around the given origins: default behaviour on the first, extra ones by path. */
export function distributionConfig(reference: string, origins: Origin[], behaviours: Array<[string, string]> = []): DistributionConfig {
  return {
    CallerReference: reference,
    Comment: "",
    Enabled: true,
    Origins: { Quantity: origins.length, Items: origins },
    DefaultCacheBehavior: { TargetOriginId: origins[0]?.Id ?? "", ViewerProtocolPolicy: "allow-all", CachePolicyId: "4135ea2d-6df8-44a3-9df3-4b5a84be39ad" },
    CacheBehaviors: { Quantity: behaviours.length, Items: behaviours.map(([PathPattern, TargetOriginId]) => ({ PathPattern, TargetOriginId, ViewerProtocolPolicy: "allow-all", CachePolicyId: "4135ea2d-6df8-44a3-9df3-4b5a84be39ad" })) },
  };
}

/** Creates the distribution; answers its domain. */
export async function createDistribution(client: CloudFrontClient, config: DistributionConfig): Promise<string> {
  const created = await client.send(new CreateDistributionCommand({ DistributionConfig: config }));
  return created.Distribution?.DomainName ?? "";
}
