import { CloudFrontClient, CreateDistributionCommand, type DistributionConfig, type Origin } from "@aws-sdk/client-cloudfront";
import { execFileSync } from "node:child_process";
import { mkdirSync, readFileSync, symlinkSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import type { ApplyContext, IacLog, LocalObject, S3ObjectLocator, TemplateObject, TemplateValue } from "../../../src/iac/types.js";

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

interface AssetManifest {
  files: Record<string, { source: { path: string; packaging?: "file" | "zip" }; destinations: Record<string, { bucketName: string; objectKey: string }> }>;
}

/** The file assets of a stack's asset manifest, as the template loader will find them (a stand-in for it). */
export function assetLocator(cdkOut: string, stack: string): S3ObjectLocator {
  const manifest = JSON.parse(readFileSync(join(cdkOut, `${stack}.assets.json`), "utf8")) as AssetManifest;
  const found = new Map<string, LocalObject>();
  for (const file of Object.values(manifest.files)) {
    for (const destination of Object.values(file.destinations)) {
      const bucket = destination.bucketName.replace("${AWS::AccountId}", ACCOUNT).replace("${AWS::Region}", REGION).replace("${AWS::Partition}", "aws");
      found.set(`${bucket}/${destination.objectKey}`, { path: join(cdkOut, file.source.path), packaging: file.source.packaging ?? "file" });
    }
  }
  return { locate: (bucket, key) => found.get(`${bucket}/${key}`) };
}

export interface Resolved {
  ref(logicalId: string): string;
  getAtt(logicalId: string, attribute: string): TemplateValue;
}

/** Enough of CloudFormation's intrinsics for the CDK output these tests use (the template room owns the real ones). */
export function resolveValue(value: TemplateValue, applied: Resolved): TemplateValue {
  if (Array.isArray(value)) return value.map((item) => resolveValue(item, applied));
  if (value === null || typeof value !== "object") return value;
  const keys = Object.keys(value);
  const only = keys.length === 1 ? keys[0] : undefined;
  const arg = only === undefined ? undefined : value[only];
  if (only === "Ref") return applied.ref(String(arg));
  if (only === "Fn::GetAtt" && Array.isArray(arg)) return applied.getAtt(String(arg[0]), String(arg[1]));
  if (only === "Fn::Sub") return String(arg).replace("${AWS::AccountId}", ACCOUNT).replace("${AWS::Region}", REGION);
  if (only === "Fn::Split" && Array.isArray(arg)) return String(resolveValue(arg[1] ?? "", applied)).split(String(arg[0]));
  if (only === "Fn::Select" && Array.isArray(arg)) return (resolveValue(arg[1] ?? [], applied) as TemplateValue[])[Number(arg[0])] ?? null;
  const out = Object.create(null) as TemplateObject;
  for (const key of keys) out[key] = resolveValue(value[key] ?? null, applied);
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
