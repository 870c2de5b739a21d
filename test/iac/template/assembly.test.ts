import { execFile } from "node:child_process";
import { existsSync, mkdirSync, readdirSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadStacks, MISSING_INPUT, StackModel, type AttributeSource, type LoadedStacks } from "../../../src/iac/template/index.js";
import { MAX_ASSEMBLY_DEPTH, MAX_TEMPLATE_BYTES } from "../../../src/iac/template/limits.js";
import { IacError, type TemplateObject } from "../../../src/iac/types.js";
import { tempDir } from "../../helpers.js";
import { prototypeGuard } from "../../prototypeGuard.js";

const ROOT = join(import.meta.dirname, "../../..");
const REGION = "eu-west-1";
const ACCOUNT = "111122223333";
const options = { region: REGION, accountId: ACCOUNT };
const ASSETS_BUCKET = `cdk-hnb659fds-assets-${ACCOUNT}-${REGION}`;

/** A CDK app with a BucketDeployment (a folder and a data source), a key value store from a file, a stack using another's export, and a Stage. */
const APP = `
import * as cdk from "aws-cdk-lib";
import * as cloudfront from "aws-cdk-lib/aws-cloudfront";
import * as s3 from "aws-cdk-lib/aws-s3";
import * as s3deploy from "aws-cdk-lib/aws-s3-deployment";
const app = new cdk.App();
const web = new cdk.Stack(app, "Web", { stackName: "web-stack" });
const bucket = new s3.Bucket(web, "Site");
new s3deploy.BucketDeployment(web, "Deploy", { sources: [s3deploy.Source.asset("site"), s3deploy.Source.data("x.txt", "hello")], destinationBucket: bucket, destinationKeyPrefix: "web/" });
new cloudfront.KeyValueStore(web, "Store", { source: cloudfront.ImportSource.fromAsset("kvs.json") });
const api = new cdk.Stack(app, "Api");
new cdk.CfnOutput(api, "BucketName", { value: bucket.bucketName });
const edge = new cdk.Stack(new cdk.Stage(app, "Prod"), "Edge");
new cloudfront.Function(edge, "Fn", { code: cloudfront.FunctionCode.fromInline("function handler(e) { return e.request; }") });
app.synth();
`;

/** Answers Ref and GetAtt as an engine would once resources are applied (bucket names for buckets). */
const applied: AttributeSource = { ref: (logicalId) => `ref-${logicalId.toLowerCase()}`, getAtt: (logicalId, attribute) => `${logicalId}.${attribute}` };

function failure(work: () => unknown): IacError {
  try {
    work();
  } catch (error) {
    expect(error).toBeInstanceOf(IacError);
    return error as IacError;
  }
  throw new Error("expected an IacError");
}

describe("loadStacks: a cloud assembly synthesized by the real cdk CLI", () => {
  const dir = tempDir("edgelite-iac-");
  let loaded: LoadedStacks;
  beforeAll(async () => {
    symlinkSync(join(ROOT, "node_modules"), join(dir.path, "node_modules"));
    mkdirSync(join(dir.path, "site"));
    writeFileSync(join(dir.path, "site", "index.html"), "<h1>hi</h1>");
    writeFileSync(join(dir.path, "kvs.json"), JSON.stringify({ data: [{ key: "k", value: "v" }] }));
    writeFileSync(join(dir.path, "app.mjs"), APP);
    await promisify(execFile)(join(ROOT, "node_modules", ".bin", "cdk"), ["synth", "--app", "node app.mjs", "-o", "cdk.out", "--no-notices", "-q"], {
      cwd: dir.path,
      env: { ...process.env, CDK_DISABLE_VERSION_CHECK: "1" },
    });
    loaded = loadStacks(dir.path, options);
  }, 120_000);
  afterAll(() => dir.remove());

  it("reads every stack (nested Stage assemblies too), each after the stacks it depends on", () => {
    expect(loaded.kind).toBe("cloud-assembly");
    const names = loaded.stacks.map((stack) => stack.stackName);
    expect([...names].sort()).toEqual(["Api", "Prod-Edge", "web-stack"]);
    expect(names.indexOf("web-stack")).toBeLessThan(names.indexOf("Api"));
    const out = join(dir.path, "cdk.out");
    expect(loaded.watchPaths).toEqual(expect.arrayContaining([join(out, "manifest.json"), join(out, "assembly-Prod", "manifest.json"), join(out, "Web.template.json"), join(out, "Api.template.json")]));
    expect(loaded.stacks.find((stack) => stack.stackName === "web-stack")!.templateFile).toBe(join(out, "Web.template.json"));
  });

  it("reads the same assembly from the app folder, the cdk.out folder or its manifest.json", () => {
    const out = join(dir.path, "cdk.out");
    for (const path of [out, join(out, "manifest.json")]) {
      expect(loadStacks(path, options).stacks.map((stack) => stack.stackName)).toEqual(loaded.stacks.map((stack) => stack.stackName));
    }
  });

  it("--stack picks stacks by stack name, artifact id, display name or pattern, and lists the stacks for a name that matches none", () => {
    const pick = (...stacks: string[]) => loadStacks(dir.path, { ...options, stacks }).stacks.map((stack) => stack.stackName);
    expect(pick("web-stack")).toEqual(["web-stack"]);
    expect(pick("Web")).toEqual(["web-stack"]);
    expect(pick("Prod/Edge")).toEqual(["Prod-Edge"]);
    expect(pick("Prod/*", "Api")).toEqual(expect.arrayContaining(["Prod-Edge", "Api"]));
    const error = failure(() => pick("Nope"));
    expect(error.message).toMatch(/--stack Nope matches no stack; the stacks are: .*web-stack \(Web\)/);
    expect(error.message).toContain("Prod-Edge (Prod/Edge)");
  });

  it("locates the key value store's import file and the BucketDeployment's sources from the template's own references", () => {
    const web = loaded.stacks.find((stack) => stack.stackName === "web-stack")!;
    const model = StackModel.build(web, { ...options, parameters: new Map(), imports: new Map() });
    const byType = (type: string) => [...model.resources.values()].find((resource) => resource.type === type)!.logicalId;

    const store = model.resolve(byType("AWS::CloudFront::KeyValueStore"), applied);
    const arn = (store.ImportSource as TemplateObject).SourceArn as string;
    const [, bucket, key] = /^arn:aws:s3:::([^/]+)\/(.+)$/.exec(arn)!;
    expect(bucket).toBe(ASSETS_BUCKET);
    const storeFile = loaded.assets.locate(bucket!, key!);
    expect(storeFile).toEqual({ path: expect.stringMatching(/\.json$/) as unknown, packaging: "file" });
    expect(existsSync(storeFile!.path)).toBe(true);

    const deployment = model.resolve(byType("Custom::CDKBucketDeployment"), applied);
    const buckets = deployment.SourceBucketNames as string[];
    const keys = deployment.SourceObjectKeys as string[];
    const sources = keys.map((objectKey, index) => loaded.assets.locate(buckets[index]!, objectKey));
    expect(sources.map((source) => source?.packaging)).toEqual(["zip", "zip"]);
    expect(sources.map((source) => readdirSync(source!.path))).toEqual([["index.html"], ["x.txt"]]);
    expect(deployment.DestinationBucketKeyPrefix).toBe("web/");
    expect(loaded.assets.locate(`cdk-hnb659fds-assets-${ACCOUNT}-us-east-1`, key!)).toBeUndefined();
  });

  it("builds every stack's model; CDK's SSM BootstrapVersion parameter is no problem, a cross-stack import needs --import", () => {
    for (const stack of loaded.stacks) StackModel.build(stack, { ...options, parameters: new Map(), imports: new Map() });
    const api = loaded.stacks.find((stack) => stack.stackName === "Api")!;
    const [output] = StackModel.build(api, { ...options, parameters: new Map(), imports: new Map() }).outputs(applied);
    expect(output!.error).toMatch(/add --import web-stack:ExportsOutputRef\w+=<value>/);
    const exportName = /--import ([^=]+)=/.exec(output!.error!)![1]!;
    const imported = StackModel.build(api, { ...options, parameters: new Map(), imports: new Map([[exportName, "my-bucket"]]) }).outputs(applied);
    expect(imported).toEqual([{ name: "BucketName", value: "my-bucket" }]);
  });
});

describe("loadStacks: template files and hostile cloud assemblies", () => {
  const dir = tempDir("edgelite-iac-");
  afterAll(() => dir.remove());
  let count = 0;
  const folder = () => {
    const path = join(dir.path, `case${count++}`);
    mkdirSync(path);
    return path;
  };
  const manifest = (path: string, artifacts: Record<string, unknown>) => writeFileSync(join(path, "manifest.json"), JSON.stringify({ version: "55.0.0", artifacts }));
  const template = JSON.stringify({ Resources: { R: { Type: "AWS::SNS::Topic" } } });

  it("a template file is one stack named after the file; --stack must name it", () => {
    const file = join(folder(), "my_site.v2.yaml");
    writeFileSync(file, "Resources:\n  R:\n    Type: AWS::SNS::Topic\n");
    const loaded = loadStacks(file, options);
    expect(loaded).toMatchObject({ kind: "template", watchPaths: [file] });
    expect(loaded.stacks.map((stack) => stack.stackName)).toEqual(["my-site-v2"]);
    expect(loaded.assets.locate("any", "thing")).toBeUndefined();
    expect(loadStacks(file, { ...options, stacks: ["my-site-v2"] }).stacks).toHaveLength(1);
    expect(failure(() => loadStacks(file, { ...options, stacks: ["other"] })).message).toMatch(/--stack other matches no stack; the stacks are: my-site-v2/);
    const numbered = join(folder(), "2024.json");
    writeFileSync(numbered, template);
    expect(loadStacks(numbered, options).stacks[0]!.stackName).toBe("stack-2024");
  });

  it("a missing path, or a folder with no assembly, is a missing input; an oversized template is refused", () => {
    expect(failure(() => loadStacks(join(dir.path, "nowhere.yaml"), options)).code).toBe(MISSING_INPUT);
    const empty = folder();
    const error = failure(() => loadStacks(empty, options));
    expect(error.code).toBe(MISSING_INPUT);
    expect(error.message).toMatch(/run cdk synth first/);
    const big = join(folder(), "big.json");
    writeFileSync(big, `{"Resources": {}, "Pad": "${"x".repeat(MAX_TEMPLATE_BYTES)}"}`);
    expect(failure(() => loadStacks(big, options)).message).toMatch(/edgelite reads at most 1048576/);
  });

  it("refuses a manifest naming files outside its folder: .., absolute, or through a symbolic link", () => {
    const outside = join(dir.path, "outside.template.json");
    writeFileSync(outside, template);
    for (const templateFile of ["../outside.template.json", outside, "link.template.json", "linked/outside.template.json"]) {
      const path = folder();
      symlinkSync(outside, join(path, "link.template.json"));
      symlinkSync(dir.path, join(path, "linked"));
      manifest(path, { S: { type: "aws:cloudformation:stack", properties: { templateFile } } });
      expect(failure(() => loadStacks(path, options)).message, templateFile).toMatch(/is not a name inside/);
    }
    const nested = folder();
    manifest(nested, { Up: { type: "cdk:cloud-assembly", properties: { directoryName: ".." } } });
    expect(failure(() => loadStacks(nested, options)).message).toMatch(/directoryName ".." is not a name inside/);
  });

  it("skips assets whose source is outside the assembly, substitutes placeholders in the others", () => {
    const path = folder();
    writeFileSync(join(path, "S.template.json"), template);
    writeFileSync(join(path, "asset.json"), "{}");
    writeFileSync(join(path, "S.assets.json"), JSON.stringify({
      version: "55.0.0",
      files: {
        good: { source: { path: "asset.json", packaging: "file" }, destinations: { d: { bucketName: "b-${AWS::AccountId}-${AWS::Region}-${AWS::Partition}", objectKey: "k.json" } } },
        escape: { source: { path: "../outside.template.json", packaging: "file" }, destinations: { d: { bucketName: "b", objectKey: "escape" } } },
        built: { source: { executable: ["sh", "-c", "echo"] }, destinations: { d: { bucketName: "b", objectKey: "built" } } },
        PROTO: { source: { path: "asset.json", packaging: "file" }, destinations: { constructor: { bucketName: "b", objectKey: "proto" } } },
      },
    }).replace('"PROTO"', '"__proto__"'));
    manifest(path, { "S.assets": { type: "cdk:asset-manifest", properties: { file: "S.assets.json" } }, S: { type: "aws:cloudformation:stack", properties: { templateFile: "S.template.json" } } });
    const guard = prototypeGuard();
    const loaded = loadStacks(path, options);
    guard.check();
    expect(loaded.assets.locate(`b-${ACCOUNT}-${REGION}-aws`, "k.json")).toEqual({ path: join(path, "asset.json"), packaging: "file" });
    expect(loaded.assets.locate("b", "escape")).toBeUndefined();
    expect(loaded.assets.locate("b", "built")).toBeUndefined();
    expect(loaded.assets.locate("b", "proto")).toEqual({ path: join(path, "asset.json"), packaging: "file" });
  });

  it("orders stacks by their dependencies, refuses circular ones, duplicate stack names and assemblies nested without end", () => {
    const path = folder();
    writeFileSync(join(path, "t.json"), template);
    const stack = (stackName: string, dependencies: string[] = []) => ({ type: "aws:cloudformation:stack", properties: { templateFile: "t.json", stackName }, dependencies });
    manifest(path, { B: stack("b", ["A", "Missing"]), A: stack("a"), C: stack("c") });
    expect(loadStacks(path, options).stacks.map((source) => source.stackName)).toEqual(["a", "b", "c"]);
    manifest(path, { B: stack("b", ["A"]), A: stack("a", ["B"]) });
    expect(failure(() => loadStacks(path, options)).message).toMatch(/stacks depend on one another in a circle: B → A → B/);
    manifest(path, { A: stack("same"), B: stack("same") });
    expect(failure(() => loadStacks(path, options)).message).toMatch(/stacks A and B are both named same/);
    expect(loadStacks(path, { ...options, stacks: ["A"] }).stacks).toHaveLength(1);

    const deep = folder();
    let current = deep;
    for (let level = 0; level <= MAX_ASSEMBLY_DEPTH; level++) {
      manifest(current, { Next: { type: "cdk:cloud-assembly", properties: { directoryName: "next" } } });
      current = join(current, "next");
      mkdirSync(current);
    }
    manifest(current, {});
    expect(failure(() => loadStacks(deep, options)).message).toMatch(/cloud assemblies nested more than 8 deep/);
  });

  it("says what is wrong with a manifest that is not one", () => {
    const path = folder();
    writeFileSync(join(path, "manifest.json"), "{not json");
    expect(failure(() => loadStacks(path, options)).message).toMatch(/manifest.json is not valid JSON/);
    manifest(path, {});
    expect(failure(() => loadStacks(path, options)).message).toMatch(/lists no CloudFormation stacks/);
    manifest(path, { S: { type: "aws:cloudformation:stack", properties: {} } });
    expect(failure(() => loadStacks(path, options)).message).toMatch(/artifact S \(aws:cloudformation:stack\) has no properties.templateFile/);
    manifest(path, { S: { type: "aws:cloudformation:stack", properties: { templateFile: "missing.json" } } });
    expect(failure(() => loadStacks(path, options)).code).toBe(MISSING_INPUT);
  });
});
