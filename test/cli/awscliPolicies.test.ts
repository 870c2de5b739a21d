import { execFile } from "node:child_process";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestServer, tempDir, type TestServer } from "../helpers.js";

const run = promisify(execFile);
/** Debian's awscli package (v2); .ci/run installs it (test/cli/awscli.test.ts checks it is there). */
const DEBIAN_AWS = "/usr/bin/aws";
const ENV = { ...process.env, AWS_ACCESS_KEY_ID: "AKIDEXAMPLE", AWS_SECRET_ACCESS_KEY: "secret", AWS_DEFAULT_REGION: "us-east-1", AWS_PAGER: "" };

interface CachePolicyReply {
  ETag: string;
  Location?: string;
  CachePolicy: { Id: string; CachePolicyConfig: { Name: string; MinTTL: number; DefaultTTL: number; MaxTTL: number } };
}

describe("custom cache policies with the AWS CLI", () => {
  let t: TestServer;
  const dir = tempDir();
  beforeAll(async () => {
    t = await startTestServer("sqlite");
  });
  afterAll(async () => {
    await t.close();
    dir.remove();
  });

  const aws = async <T>(...args: string[]): Promise<T> => {
    const { stdout } = await run(DEBIAN_AWS, ["cloudfront", ...args, "--endpoint-url", t.url, "--output", "json"], { env: ENV, cwd: dir.path });
    return JSON.parse(stdout || "{}") as T;
  };
  const failure = (...args: string[]) => run(DEBIAN_AWS, ["cloudfront", ...args, "--endpoint-url", t.url], { env: ENV, cwd: dir.path }).then(() => "", (e: { stderr: string }) => e.stderr);

  it("create-cache-policy, get-cache-policy-config, update-cache-policy, list-cache-policies and delete-cache-policy", async () => {
    const config = (maxTtl: number) => ({
      Name: "cli-policy",
      Comment: "from the CLI",
      MinTTL: 0,
      DefaultTTL: 300,
      MaxTTL: maxTtl,
      ParametersInCacheKeyAndForwardedToOrigin: {
        EnableAcceptEncodingGzip: true,
        EnableAcceptEncodingBrotli: true,
        HeadersConfig: { HeaderBehavior: "none" },
        CookiesConfig: { CookieBehavior: "none" },
        QueryStringsConfig: { QueryStringBehavior: "whitelist", QueryStrings: { Quantity: 1, Items: ["v"] } },
      },
    });
    writeFileSync(join(dir.path, "policy.json"), JSON.stringify(config(3600)));
    const created = await aws<CachePolicyReply>("create-cache-policy", "--cache-policy-config", "file://policy.json");
    const id = created.CachePolicy.Id;
    expect(created.ETag).toBe("ETVPDKIKX0DER");
    expect(created.Location).toBe(`https://cloudfront.amazonaws.com/2020-05-31/cache-policy/${id}`);
    const got = await aws<{ CachePolicyConfig: { MaxTTL: number; ParametersInCacheKeyAndForwardedToOrigin: unknown } }>("get-cache-policy-config", "--id", id);
    expect(got.CachePolicyConfig.MaxTTL).toBe(3600);
    expect(got.CachePolicyConfig.ParametersInCacheKeyAndForwardedToOrigin).toEqual(config(3600).ParametersInCacheKeyAndForwardedToOrigin);

    expect(await failure("create-cache-policy", "--cache-policy-config", "file://policy.json")).toContain("CachePolicyAlreadyExists");
    writeFileSync(join(dir.path, "policy.json"), JSON.stringify(config(7200)));
    expect(await failure("update-cache-policy", "--id", id, "--if-match", "EWRONG", "--cache-policy-config", "file://policy.json")).toContain("PreconditionFailed");
    const updated = await aws<CachePolicyReply>("update-cache-policy", "--id", id, "--if-match", created.ETag, "--cache-policy-config", "file://policy.json");
    expect(updated.CachePolicy.CachePolicyConfig.MaxTTL).toBe(7200);

    const listed = await aws<{ CachePolicyList: { Items: Array<{ Type: string; CachePolicy: { Id: string } }> } }>("list-cache-policies", "--type", "custom");
    expect(listed.CachePolicyList.Items.map((s) => [s.Type, s.CachePolicy.Id])).toEqual([["custom", id]]);
    expect(await failure("delete-cache-policy", "--id", "658327ea-f89d-4fab-a63d-7e88639e58f6", "--if-match", "ETVPDKIKX0DER")).toContain("IllegalDelete");
    await aws("delete-cache-policy", "--id", id, "--if-match", updated.ETag);
    expect(await failure("get-cache-policy", "--id", id)).toContain("NoSuchCachePolicy");
  });
});
