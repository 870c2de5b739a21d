import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { unzipSync } from "fflate";
import { CloudFrontClient } from "@aws-sdk/client-cloudfront";
import { afterAll, describe, expect, it } from "vitest";
import { filterPattern, included } from "../../../src/iac/origins/deployment.js";
import { LocalOrigins } from "../../../src/iac/origins/localOrigins.js";
import { encodeMarkerValue, pythonJsonDumps } from "../../../src/iac/origins/markers.js";
import { bucketNameProblem, generatedBucketName } from "../../../src/iac/origins/names.js";
import type { TemplateObject, TemplateValue } from "../../../src/iac/types.js";
import { tempDir } from "../../helpers.js";
import { applyContext, recordingLog } from "./support.js";

const object = (entries: Record<string, TemplateValue>): TemplateObject => Object.assign(Object.create(null) as TemplateObject, entries);

describe("the handler's rules: marker encodings, sync filters, generated names", () => {
  it("encodes marker values as Python's json.dumps does (ensure_ascii, separators)", () => {
    expect(pythonJsonDumps(object({ a: ["1", "é"], b: null }))).toBe('{"a": ["1", "\\u00e9"], "b": null}');
    expect(pythonJsonDumps("line\n\u007f😀")).toBe('"line\\n\\u007f\\ud83d\\ude00"');
    const config = (entries: Record<string, TemplateValue>) => object(entries);
    expect(encodeMarkerValue("m", 'say "hi"', config({}), "w")).toBe('say "hi"');
    expect(encodeMarkerValue("m", 'say "hi"', config({ jsonEscape: "true" }), "w")).toBe('say \\"hi\\"');
    expect(encodeMarkerValue("m", ["80", "443"], config({ jsonEscape: "true" }), "w")).toBe('["80", "443"]');
    expect(encodeMarkerValue("m", "x", config({ markerEncodings: object({ m: "JSON_VALUE" }) }), "w")).toBe('"x"');
    expect(encodeMarkerValue("m", "plain.value", config({ markerEncodings: object({ m: "YAML_STRING" }) }), "w")).toBe("plain.value");
    expect(encodeMarkerValue("m", "yes", config({ markerEncodings: object({ m: "YAML_STRING" }) }), "w")).toBe('"yes"');
    expect(() => encodeMarkerValue("m", ["a"], config({}), "w")).toThrow(/LITERAL/);
    expect(() => encodeMarkerValue("m", "a", config({ markerEncodings: object({ m: "BASE64" }) }), "w")).toThrow(/unknown marker encoding/);
  });

  it("reads aws s3 sync filters: * crosses slashes, the last matching filter decides, excludes before includes", () => {
    const filters = [
      { include: false, pattern: filterPattern("*.map") },
      { include: false, pattern: filterPattern("drafts/*") },
      { include: true, pattern: filterPattern("drafts/keep?.txt") },
    ];
    expect(included(filters, "js/app.js.map")).toBe(false);
    expect(included(filters, "drafts/a/b.txt")).toBe(false);
    expect(included(filters, "drafts/keep1.txt")).toBe(true);
    expect(included(filters, "index.html")).toBe(true);
    expect(filterPattern("[!a]b").test("cb")).toBe(true);
    expect(filterPattern("[!a]b").test("ab")).toBe(false);
    expect(filterPattern("a.(b)").test("a.(b)")).toBe(true);
  });

  it("generates S3-valid bucket names within 63 characters for any stack and logical id", () => {
    for (const [stack, id] of [["S", "B"], ["A".repeat(128), "B".repeat(255)], ["my-stack--x", "Bucket-"], ["-", "9"]] as const) {
      const name = generatedBucketName(stack, id);
      expect(bucketNameProblem(name)).toBeUndefined();
      expect(name).toBe(generatedBucketName(stack, id));
    }
  });
});

describe("a deployment's options: Exclude and Include with Prune, Extract false, RetainOnDelete, DistributionId", () => {
  const root = tempDir("edgelite-origins-rules-");
  const work = join(root.path, "work");
  const asset = join(root.path, "asset");
  mkdirSync(join(asset, "drafts"), { recursive: true });
  writeFileSync(join(asset, "index.html"), "home");
  writeFileSync(join(asset, "app.js.map"), "map");
  writeFileSync(join(asset, "drafts", "d.txt"), "draft");
  const log = recordingLog();
  const origins = new LocalOrigins({ originFlags: new Map(), s3Flags: new Map(), s3Sources: new Map(), workDir: work, log });
  origins.setAssets({ locate: (bucket) => (bucket === "assets" ? { path: asset, packaging: "zip" } : undefined) });
  const client = new CloudFrontClient({ region: "us-east-1", endpoint: "http://127.0.0.1:9", credentials: { accessKeyId: "a", secretAccessKey: "b" }, maxAttempts: 1 });
  const context = applyContext(client, "Rules", log, origins, origins);
  const handler = origins.handlers.get("Custom::CDKBucketDeployment");
  const bucket = join(work, "rules-bucket");
  afterAll(() => root.remove());
  const props = (extra: Record<string, TemplateValue>) => object({ SourceBucketNames: ["assets"], SourceObjectKeys: ["site.zip"], DestinationBucketName: "rules-bucket", ...extra });

  it("excluded files are neither written nor pruned", async () => {
    mkdirSync(join(bucket, "drafts"), { recursive: true });
    writeFileSync(join(bucket, "drafts", "old.txt"), "kept: excluded from the sync");
    writeFileSync(join(bucket, "stale.txt"), "pruned");
    await handler?.apply(context, "Deploy", props({ Exclude: ["*.map", "drafts/*"] }), undefined);
    expect(readdirSync(bucket).sort()).toEqual(["drafts", "index.html"]);
    expect(readFileSync(join(bucket, "drafts", "old.txt"), "utf8")).toBe("kept: excluded from the sync");
    expect(existsSync(join(bucket, "drafts", "d.txt"))).toBe(false);
  });

  it("Extract false deploys the source as one object named after its key (a staged folder zipped again)", async () => {
    await handler?.apply(context, "Raw", props({ Extract: false, DestinationBucketKeyPrefix: "raw", Prune: false }), undefined);
    const files = unzipSync(new Uint8Array(readFileSync(join(bucket, "raw", "site.zip"))));
    expect(Object.keys(files).sort()).toEqual(["app.js.map", "drafts/d.txt", "index.html"]);
  });

  it("deleting keeps the objects unless RetainOnDelete is false; DistributionId asks for an invalidation (a failure only warns)", async () => {
    const retained = await handler?.apply(context, "Keep", props({ DestinationBucketKeyPrefix: "keep/", Prune: false }), undefined);
    if (retained) await handler?.delete(context, retained);
    expect(existsSync(join(bucket, "keep", "index.html"))).toBe(true);
    const dropped = await handler?.apply(context, "Drop", props({ DestinationBucketKeyPrefix: "drop/", RetainOnDelete: "false", DistributionId: "E123", Prune: false }), undefined);
    expect(log.lines.some((line) => line.startsWith("warn Rules/Drop: invalidating /drop/* on distribution E123 failed"))).toBe(true);
    if (dropped) await handler?.delete(context, dropped);
    expect(existsSync(join(bucket, "drop"))).toBe(false);
    expect(existsSync(join(bucket, "keep", "index.html"))).toBe(true);
  });
});
