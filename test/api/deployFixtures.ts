import type { DistributionConfig, Origin } from "@aws-sdk/client-cloudfront";
import { execFile } from "node:child_process";
import { join } from "node:path";
import { promisify } from "node:util";
import { startServer, type RunningServer, type ServerOptions } from "../../src/server.js";
import { SqliteStore } from "../../src/store/sqlite.js";
import { cloudFrontClient, tempDir } from "../helpers.js";

/** The smallest DistributionConfig a deploy script sends: one origin (a custom one unless `origin` says otherwise). */
export function simpleDistributionConfig(reference: string, origin: Partial<Origin> = {}): DistributionConfig {
  return {
    CallerReference: reference,
    Comment: "deploy test",
    Enabled: true,
    Origins: {
      Quantity: 1,
      Items: [{ Id: "app", DomainName: "127.0.0.1", CustomOriginConfig: { HTTPPort: 8080, HTTPSPort: 443, OriginProtocolPolicy: "http-only" }, ...origin }],
    },
    DefaultCacheBehavior: { TargetOriginId: "app", ViewerProtocolPolicy: "allow-all", CachePolicyId: "658327ea-f89d-4fab-a63d-7e88639e58f6" },
  };
}

/** An S3 origin that names an origin access control (OAI empty, as CloudFront requires with an OAC). */
export function s3OriginWithOac(oacId: string): Partial<Origin> {
  return { DomainName: "bucket.s3.us-east-1.amazonaws.com", CustomOriginConfig: undefined, S3OriginConfig: { OriginAccessIdentity: "" }, OriginAccessControlId: oacId };
}

/** A server on a SQLite data dir that can be stopped and started again on the same dir (persistence checks). */
export function restartableServer(options: Partial<ServerOptions> = {}) {
  const dir = tempDir();
  let server: RunningServer | undefined;
  let client: ReturnType<typeof cloudFrontClient> | undefined;
  return {
    async start() {
      server = await startServer({ store: new SqliteStore(join(dir.path, "edgelite.sqlite")), port: 0, ...options });
      client = cloudFrontClient(server.url);
      return { server, client };
    },
    async stop() {
      client?.destroy();
      await server?.close();
      server = undefined;
    },
    async remove() {
      await this.stop();
      dir.remove();
    },
  };
}

/** Debian's AWS CLI (v2; .ci/run installs it), as test/cli/awscli.test.ts runs it: `aws cloudfront <args>` against `endpoint`, its JSON output parsed. */
export async function awsCloudFront<T = Record<string, unknown>>(endpoint: string, ...args: string[]): Promise<T> {
  const env = { ...process.env, AWS_ACCESS_KEY_ID: "AKIDEXAMPLE", AWS_SECRET_ACCESS_KEY: "secret", AWS_DEFAULT_REGION: "us-east-1", AWS_PAGER: "" };
  const { stdout } = await promisify(execFile)("/usr/bin/aws", ["cloudfront", ...args, "--endpoint-url", endpoint, "--output", "json"], { env });
  return JSON.parse(stdout || "{}") as T;
}
