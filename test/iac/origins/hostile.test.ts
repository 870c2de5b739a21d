import { existsSync, lstatSync, mkdirSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { zipSync } from "fflate";
import { CloudFrontClient } from "@aws-sdk/client-cloudfront";
import { afterAll, describe, expect, it } from "vitest";
import { MAX_DEPLOYMENT_BYTES } from "../../../src/iac/origins/archive.js";
import { LocalOrigins } from "../../../src/iac/origins/localOrigins.js";
import { IacError, type LocalObject, type TemplateObject } from "../../../src/iac/types.js";
import { tempDir } from "../../helpers.js";
import { applyContext, recordingLog } from "./support.js";

const ASSETS = "assets-bucket";

/** A zip whose entries are named as given (fflate writes names as they are, `..` and `/` included). */
function zipOf(entries: Record<string, string>): Uint8Array {
  const files: Record<string, Uint8Array> = Object.create(null) as Record<string, Uint8Array>;
  for (const [name, text] of Object.entries(entries)) files[name] = new TextEncoder().encode(text);
  return zipSync(files);
}

/** Rewrites every central directory entry's compression method. */
function declareMethod(zip: Uint8Array, method: number): Uint8Array {
  const out = new Uint8Array(zip);
  const view = new DataView(out.buffer);
  for (let at = 0; at + 46 <= out.length; at++) if (view.getUint32(at, true) === 0x02014b50) view.setUint16(at + 10, method, true);
  return out;
}

/** Rewrites every central directory entry's declared uncompressed size (a zip that lies about its size). */
function declareSize(zip: Uint8Array, size: number): Uint8Array {
  const out = new Uint8Array(zip);
  const view = new DataView(out.buffer);
  for (let at = 0; at + 46 <= out.length; at++) if (view.getUint32(at, true) === 0x02014b50) view.setUint32(at + 24, size, true);
  return out;
}

describe("hostile sources, names and keys: IacError, nothing written outside the work folder", () => {
  const root = tempDir("edgelite-origins-hostile-");
  const work = join(root.path, "work");
  const sources = join(root.path, "sources");
  mkdirSync(sources);
  const assets = new Map<string, LocalObject>();
  const s3Sources = new Map<string, string>();
  const log = recordingLog();
  const origins = new LocalOrigins({ originFlags: new Map(), s3Flags: new Map(), s3Sources, workDir: work, log });
  origins.setAssets({ locate: (bucket, key) => (bucket === ASSETS ? assets.get(key) : undefined) });
  const client = new CloudFrontClient({ region: "us-east-1", endpoint: "http://127.0.0.1:9", credentials: { accessKeyId: "a", secretAccessKey: "b" }, maxAttempts: 1 });
  const context = applyContext(client, "Hostile", log, origins, origins);
  const deployment = origins.handlers.get("Custom::CDKBucketDeployment");
  afterAll(() => root.remove());

  function zipAsset(key: string, zip: Uint8Array): void {
    const path = join(sources, key);
    writeFileSync(path, zip);
    assets.set(key, { path, packaging: "file" });
  }

  const deploy = (keys: string[], extra: Record<string, unknown> = {}) =>
    deployment?.apply(context, "Deploy", { SourceBucketNames: keys.map(() => ASSETS), SourceObjectKeys: keys, DestinationBucketName: "site-bucket", ...extra } as TemplateObject, undefined);

  async function refusal(promise: Promise<unknown> | undefined): Promise<IacError> {
    const error = await promise?.then(() => undefined, (caught: unknown) => caught);
    expect(error).toBeInstanceOf(IacError);
    return error as IacError;
  }

  /** Nothing anywhere under the root but the sources and the work folder's buckets. */
  const strays = () => readdirSync(root.path).filter((name) => name !== "work" && name !== "sources");

  it.each([
    ["../escape.txt", "has a . or .. segment"],
    ["a/../../escape.txt", "has a . or .. segment"],
    ["/etc/escape.txt", "is absolute"],
    ["..\\escape.txt", "has a . or .. segment"],
    ["C:/escape.txt", "is absolute"],
    ["a//b.txt", "empty segment"],
  ])("refuses a zip entry named %s before writing anything", async (name, problem) => {
    zipAsset("bad.zip", zipOf({ "fine.txt": "ok", [name]: "escaped" }));
    const error = await refusal(deploy(["bad.zip"]));
    expect(error.message).toContain(problem);
    expect(error.message).toContain("Hostile/Deploy");
    expect(strays()).toEqual([]);
    expect(existsSync(join(work, "site-bucket", "fine.txt"))).toBe(false);
  });

  it("refuses a zip whose entries declare more than the cap before inflating it", async () => {
    zipAsset("bomb.zip", declareSize(zipOf({ "a.bin": "x".repeat(1000), "b.bin": "y" }), Math.floor(MAX_DEPLOYMENT_BYTES / 2) + 1));
    const error = await refusal(deploy(["bomb.zip"]));
    expect(error.message).toContain(`more than ${MAX_DEPLOYMENT_BYTES} bytes`);
  });

  it("refuses a compression method it cannot read, naming the entry", async () => {
    zipAsset("bzip2.zip", declareMethod(zipOf({ "a.txt": "a".repeat(100) }), 12));
    const error = await refusal(deploy(["bzip2.zip"]));
    expect(error.message).toContain('"a.txt" uses compression method 12');
  });

  it("never inflates past what an entry declares (a zip that understates its size writes at most that much)", async () => {
    zipAsset("liar.zip", declareSize(zipOf({ "big.txt": "z".repeat(100_000) }), 10));
    await deploy(["liar.zip"]);
    expect(readFileSync(join(work, "site-bucket", "big.txt")).length).toBeLessThanOrEqual(10);
  });

  it("writes a symbolic link stored in a zip as a file holding its target, never as a link", async () => {
    const link = zipSync({ "link": [new TextEncoder().encode("/etc/passwd"), { os: 3, attrs: (0o120777 << 16) >>> 0 }], "plain.txt": new TextEncoder().encode("p") });
    zipAsset("link.zip", link);
    await deploy(["link.zip"]);
    const written = join(work, "site-bucket", "link");
    expect(lstatSync(written).isSymbolicLink()).toBe(false);
    expect(readFileSync(written, "utf8")).toBe("/etc/passwd");
  });

  it("copies a staged folder asset, following links only to files inside it and telling which it skipped", async () => {
    const folder = join(sources, "staged");
    mkdirSync(join(folder, "sub"), { recursive: true });
    writeFileSync(join(folder, "index.html"), "home");
    writeFileSync(join(folder, "sub", "inner.txt"), "inner");
    writeFileSync(join(sources, "secret.txt"), "secret");
    symlinkSync(join(sources, "secret.txt"), join(folder, "outside"));
    symlinkSync(join(folder, "sub", "inner.txt"), join(folder, "inside"));
    assets.set("staged.zip", { path: folder, packaging: "zip" });
    await deploy(["staged.zip"], { DestinationBucketName: "folder-bucket" });
    const bucket = join(work, "folder-bucket");
    expect(readFileSync(join(bucket, "inside"), "utf8")).toBe("inner");
    expect(lstatSync(join(bucket, "inside")).isSymbolicLink()).toBe(false);
    expect(existsSync(join(bucket, "outside"))).toBe(false);
    expect(log.lines.some((line) => line.startsWith("warn") && line.includes("skipped outside"))).toBe(true);
    expect(s3Sources.get("folder-bucket")).toBe(bucket);
  });

  it.each(["Has_Upper", "a", "-leading", "two..dots", "192.168.0.1", "xn--punycode", "name-s3alias", "../up", "a/b", "x".repeat(64)])("refuses the bucket name %s", async (name) => {
    zipAsset("ok.zip", zipOf({ "a.txt": "a" }));
    const error = await refusal(deploy(["ok.zip"], { DestinationBucketName: name }));
    expect(error.message).toContain("DestinationBucketName");
    const bucket = origins.handlers.get("AWS::S3::Bucket");
    const named = await refusal(bucket?.apply(context, "Named", { BucketName: name } as TemplateObject, undefined));
    expect(named.message).toContain("Hostile/Named");
    expect(strays()).toEqual([]);
  });

  it.each(["../", "a/../../b/", "/abs/", "a//b/"])("refuses the key prefix %s", async (prefix) => {
    zipAsset("ok.zip", zipOf({ "a.txt": "a" }));
    const error = await refusal(deploy(["ok.zip"], { DestinationBucketKeyPrefix: prefix }));
    expect(error.message).toContain("DestinationBucketKeyPrefix");
  });

  it("refuses hostile property shapes, and a source nothing local stands for, with what to do", async () => {
    expect((await refusal(deploy(["x.zip"], { SourceBucketNames: "not-a-list" }))).message).toContain("SourceBucketNames must be a list");
    expect((await refusal(deploy(["x.zip"], { SourceBucketNames: [ASSETS, ASSETS] }))).message).toContain("they go in pairs");
    expect((await refusal(deploy(["x.zip"], { DestinationBucketName: { Ref: "X" } }))).message).toContain("DestinationBucketName is required");
    expect((await refusal(deploy(["nothing-here.zip"]))).message).toContain(`--s3 ${ASSETS}=<folder>`);
    writeFileSync(join(sources, "not-a.zip"), "plain text");
    assets.set("not-a.zip", { path: join(sources, "not-a.zip"), packaging: "file" });
    expect((await refusal(deploy(["not-a.zip"]))).message).toContain("not a zip file");
  });

  it("refuses an unextracted source whose key has no usable base name", async () => {
    zipAsset("ok.zip", zipOf({ "a.txt": "a" }));
    assets.set("..", { path: join(sources, "ok.zip"), packaging: "file" });
    const error = await refusal(deploy([".."], { Extract: "false" }));
    expect(error.message).toContain("has a . or .. segment");
    expect(strays()).toEqual([]);
  });

  it("locates objects only inside a --s3 folder", () => {
    const site = join(root.path, "s3site");
    mkdirSync(site);
    writeFileSync(join(site, "data.json"), "{}");
    writeFileSync(join(root.path, "beside.json"), "{}");
    symlinkSync(join(root.path, "beside.json"), join(site, "link.json"));
    const flagged = new LocalOrigins({ originFlags: new Map(), s3Flags: new Map([["kvs-bucket", site]]), s3Sources: undefined, workDir: join(root.path, "work2"), log });
    expect(flagged.locate("kvs-bucket", "data.json")).toEqual({ path: join(site, "data.json"), packaging: "file" });
    for (const key of ["../beside.json", "/etc/passwd", "link.json", "a/../data.json", "", "missing.json"]) expect(flagged.locate("kvs-bucket", key)).toBeUndefined();
    expect(flagged.locate("other-bucket", "data.json")).toBeUndefined();
  });
});
