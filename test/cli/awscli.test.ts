import { execFile } from "node:child_process";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestServer, tempDir, type TestServer } from "../helpers.js";

const run = promisify(execFile);
/** Debian's awscli package (v2, older model); .ci/run installs it. */
const DEBIAN_AWS = "/usr/bin/aws";
/** Debian's python3 with Debian's python3-boto3, which .ci/run installs (another python3 on PATH may lack it). */
const DEBIAN_PYTHON = "/usr/bin/python3";
const ENV = { ...process.env, AWS_ACCESS_KEY_ID: "AKIDEXAMPLE", AWS_SECRET_ACCESS_KEY: "secret", AWS_DEFAULT_REGION: "us-east-1", AWS_PAGER: "" };

describe("official command-line clients", () => {
  let t: TestServer;
  const dir = tempDir();
  beforeAll(async () => {
    t = await startTestServer("sqlite");
    writeFileSync(join(dir.path, "fn.js"), "function handler(event) { return event.request; }\n");
  });
  afterAll(async () => {
    await t.close();
    dir.remove();
  });

  const aws = async (...args: string[]) => {
    const { stdout } = await run(DEBIAN_AWS, [...args, "--endpoint-url", t.url, "--output", "json"], { env: ENV, cwd: dir.path });
    return JSON.parse(stdout || "{}") as Record<string, any>;
  };

  it("is installed (Debian awscli)", () => {
    expect(existsSync(DEBIAN_AWS)).toBe(true);
  });

  it("drives create, describe, update, publish, list, get and delete with the AWS CLI", async () => {
    const created = await aws("cloudfront", "create-function", "--name", "cli-fn", "--function-config", "Comment=from the CLI,Runtime=cloudfront-js-1.0", "--function-code", "fileb://fn.js");
    expect(created.ETag).toBe("ETVPDKIKX0DER");
    expect(created.FunctionSummary.Status).toBe("UNPUBLISHED");
    const described = await aws("cloudfront", "describe-function", "--name", "cli-fn");
    expect(described.FunctionSummary.FunctionConfig.Comment).toBe("from the CLI");
    const updated = await aws("cloudfront", "update-function", "--name", "cli-fn", "--if-match", "ETVPDKIKX0DER", "--function-config", "Comment=v2,Runtime=cloudfront-js-1.0", "--function-code", "fileb://fn.js");
    expect(updated.ETag).toBe("E3UN6WX5RRO2AG");
    const published = await aws("cloudfront", "publish-function", "--name", "cli-fn", "--if-match", "E3UN6WX5RRO2AG");
    expect(published.FunctionSummary.FunctionMetadata.Stage).toBe("LIVE");
    const listed = await aws("cloudfront", "list-functions");
    expect(listed.FunctionList.Items.map((i: any) => `${i.Name}/${i.FunctionMetadata.Stage}`)).toEqual(["cli-fn/DEVELOPMENT", "cli-fn/LIVE"]);
    const fetched = await run(DEBIAN_AWS, ["cloudfront", "get-function", "--name", "cli-fn", "--stage", "LIVE", "--endpoint-url", t.url, "--output", "json", "out.js"], { env: ENV, cwd: dir.path });
    // The CLI writes the code it fetched to the outfile, byte for byte, and prints the metadata.
    expect(readFileSync(join(dir.path, "out.js"), "utf8")).toBe(readFileSync(join(dir.path, "fn.js"), "utf8"));
    expect(JSON.parse(fetched.stdout)).toMatchObject({ ETag: "E3UN6WX5RRO2AG", ContentType: "application/octet-stream" });
    const error = await run(DEBIAN_AWS, ["cloudfront", "delete-function", "--name", "cli-fn", "--if-match", "WRONG", "--endpoint-url", t.url], { env: ENV }).catch((e: { stderr: string }) => e);
    expect((error as { stderr: string }).stderr).toContain("PreconditionFailed");
    await run(DEBIAN_AWS, ["cloudfront", "delete-function", "--name", "cli-fn", "--if-match", "E3UN6WX5RRO2AG", "--endpoint-url", t.url], { env: ENV });
    const empty = await aws("cloudfront", "list-functions");
    expect(empty.FunctionList.Quantity).toBe(0);
  });

  it("creates, reads and lists a distribution with the AWS CLI", async () => {
    const distributionConfig = {
      CallerReference: "cli-ref",
      Comment: "from the CLI",
      Enabled: true,
      Origins: { Quantity: 1, Items: [{ Id: "app", DomainName: "localhost", CustomOriginConfig: { HTTPPort: 8080, HTTPSPort: 443, OriginProtocolPolicy: "http-only" } }] },
      DefaultCacheBehavior: { TargetOriginId: "app", ViewerProtocolPolicy: "allow-all", CachePolicyId: "4135ea2d-6df8-44a3-9df3-4b5a84be39ad" },
    };
    writeFileSync(join(dir.path, "distribution.json"), JSON.stringify(distributionConfig));
    const created = await aws("cloudfront", "create-distribution", "--distribution-config", "file://distribution.json");
    expect(created.Distribution.Id).toMatch(/^E[0-9A-Z]{13}$/);
    expect(created.Distribution.DistributionConfig.Comment).toBe("from the CLI");
    const got = await aws("cloudfront", "get-distribution-config", "--id", created.Distribution.Id);
    expect(got.DistributionConfig.Origins.Items[0].DomainName).toBe("localhost");
    const listed = await aws("cloudfront", "list-distributions");
    expect(listed.DistributionList.Items.map((d: any) => d.Id)).toContain(created.Distribution.Id);
  });

  it("works with boto3", async () => {
    const script = `
import boto3, json, sys
cf = boto3.client("cloudfront", endpoint_url=sys.argv[1], region_name="us-east-1", aws_access_key_id="x", aws_secret_access_key="y")
out = cf.create_function(Name="boto", FunctionConfig={"Comment": "py", "Runtime": "cloudfront-js-2.0"}, FunctionCode=b"function handler(e) { return e.request; }")
up = cf.update_function(Name="boto", IfMatch=out["ETag"], FunctionConfig={"Comment": "py2", "Runtime": "cloudfront-js-2.0"}, FunctionCode=b"function handler(e) { return e.request; } // 2")
got = cf.get_function(Name="boto")
try:
    cf.describe_function(Name="boto", Stage="LIVE")
    missing = None
except cf.exceptions.NoSuchFunctionExists as e:
    missing = e.response["Error"]["Code"]
print(json.dumps({"etag": out["ETag"], "updated": up["ETag"], "code": got["FunctionCode"].read().decode(), "missing": missing,
  "requestId": out["ResponseMetadata"]["RequestId"]}))
`;
    const { stdout } = await run(DEBIAN_PYTHON, ["-c", script, t.url]);
    const result = JSON.parse(stdout);
    expect(result).toMatchObject({ etag: "ETVPDKIKX0DER", updated: "E3UN6WX5RRO2AG", code: "function handler(e) { return e.request; } // 2", missing: "NoSuchFunctionExists" });
    expect(result.requestId).toMatch(/^[0-9a-f-]{36}$/);
  });
});
