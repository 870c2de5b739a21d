import { DescribeFunctionCommand, GetFunctionCommand, ListTagsForResourceCommand } from "@aws-sdk/client-cloudfront";
import { GetKeyCommand, ListKeysCommand } from "@aws-sdk/client-cloudfront-keyvaluestore";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CLOUDFRONT_HANDLERS } from "../../../src/iac/resources/index.js";
import { UP_TAG_KEY, type Applied, type ResourceHandler } from "../../../src/iac/types.js";
import { tempDir } from "../../helpers.js";
import { harness, rejection, template, type Harness } from "./context.js";

const FUNCTION = CLOUDFRONT_HANDLERS.get("AWS::CloudFront::Function")!;
const STORE = CLOUDFRONT_HANDLERS.get("AWS::CloudFront::KeyValueStore")!;
const ASSETS = "cdk-hnb659fds-assets-123456789012-us-east-1";

function code(body: string): string {
  return `import cf from 'cloudfront'; async function handler(event) { ${body} }`;
}

function functionProperties(name: string, body: string, extra: Record<string, unknown> = {}) {
  return template({ AutoPublish: true, FunctionCode: code(body), FunctionConfig: { Comment: "from up", Runtime: "cloudfront-js-2.0" }, Name: name, ...extra });
}

describe("AWS::CloudFront::KeyValueStore and ::Function against a real server", () => {
  let h: Harness;
  const files = tempDir();
  let store: Applied;

  beforeAll(async () => {
    h = await harness();
    const data = join(files.path, "data.json");
    writeFileSync(data, JSON.stringify({ data: [{ key: "/old", value: "/new" }, { key: "greeting", value: "hello" }] }));
    h.locator.objects.set(`${ASSETS}/6d0f.json`, { path: data, packaging: "file" });
  });
  afterAll(async () => {
    await h.close();
    files.remove();
  });

  it("creates a store, loads its ImportSource through the data plane, and answers Ref = name, GetAtt Arn, Id, Status", async () => {
    store = await STORE.apply(h.context, "Store", template({ Name: "SiteStore", ImportSource: { SourceType: "S3", SourceArn: `arn:aws:s3:::${ASSETS}/6d0f.json` } }), undefined);
    expect(store.ref).toBe("SiteStore");
    expect(store.physicalId).toBe("SiteStore");
    const arn = store.attributes.get("Arn") as string;
    expect(arn).toMatch(/^arn:aws:cloudfront::\d{12}:key-value-store\/[0-9a-f-]{36}$/);
    expect(arn.endsWith(store.attributes.get("Id") as string)).toBe(true);
    expect(store.attributes.get("Status")).toBe("READY");
    expect((await h.kvs.send(new GetKeyCommand({ KvsARN: arn, Key: "/old" }))).Value).toBe("/new");
    const tags = await h.server.client.send(new ListTagsForResourceCommand({ Resource: arn }));
    expect(tags.Tags?.Items).toContainEqual({ Key: UP_TAG_KEY, Value: "Site/Store" });
  });

  it("replaces the keys when the ImportSource changes, and leaves them alone when only the Comment does", async () => {
    const data = join(files.path, "data2.json");
    writeFileSync(data, JSON.stringify({ data: [{ key: "greeting", value: "hi" }] }));
    h.locator.objects.set(`${ASSETS}/7e1a.json`, { path: data, packaging: "file" });
    const arn = store.attributes.get("Arn") as string;
    const changed = await STORE.apply(h.context, "Store", template({ Name: "SiteStore", ImportSource: { SourceType: "S3", SourceArn: `arn:aws:s3:::${ASSETS}/7e1a.json` } }), store);
    const keys = await h.kvs.send(new ListKeysCommand({ KvsARN: arn }));
    expect(keys.Items?.map((item) => [item.Key, item.Value])).toEqual([["greeting", "hi"]]);
    expect(changed.summary).toBe("SiteStore (1 key)");
    const commented = await STORE.apply(h.context, "Store", template({ ...changed.properties, Comment: "now with a comment" }), changed);
    expect(commented.attributes.get("Arn")).toBe(arn);
    expect((await h.kvs.send(new ListKeysCommand({ KvsARN: arn }))).Items).toHaveLength(1);
    store = commented;
  });

  it("names the --s3 flag when nothing stands for the ImportSource's object, and changes nothing", async () => {
    const error = await rejection(
      STORE.apply(h.context, "Other", template({ Name: "OtherStore", ImportSource: { SourceType: "S3", SourceArn: "arn:aws:s3:::my-bucket/keys/data.json" } }), undefined),
    );
    expect(error.message).toContain("Site/Other (AWS::CloudFront::KeyValueStore)");
    expect(error.message).toContain("--s3 my-bucket=<folder>");
    expect(error.logicalId).toBe("Other");
  });

  it("publishes a function with AutoPublish, associated with the store by its GetAtt Arn; Ref = ARN, GetAtt FunctionARN, FunctionMetadata.FunctionARN, Stage", async () => {
    const properties = functionProperties("site-fn", "return event.request;", {
      FunctionConfig: { Comment: "c", Runtime: "cloudfront-js-2.0", KeyValueStoreAssociations: [{ KeyValueStoreARN: store.attributes.get("Arn") }] },
    });
    const fn = await FUNCTION.apply(h.context, "Fn", properties, undefined);
    expect(fn.ref).toMatch(/^arn:aws:cloudfront::\d{12}:function\/site-fn$/);
    expect(fn.attributes.get("FunctionARN")).toBe(fn.ref);
    expect(fn.attributes.get("FunctionMetadata.FunctionARN")).toBe(fn.ref);
    expect(fn.attributes.get("Stage")).toBe("LIVE");
    const live = await h.server.client.send(new DescribeFunctionCommand({ Name: "site-fn", Stage: "LIVE" }));
    expect(live.FunctionSummary?.FunctionConfig?.KeyValueStoreAssociations?.Items?.[0]?.KeyValueStoreARN).toBe(store.attributes.get("Arn"));
  });

  it("updates and republishes on a code change", async () => {
    const first = await FUNCTION.apply(h.context, "Fn2", functionProperties("fn-two", "return event.request;"), undefined);
    const second = await FUNCTION.apply(h.context, "Fn2", functionProperties("fn-two", "event.request.uri = '/x'; return event.request;"), first);
    expect(second.physicalId).toBe("fn-two");
    const live = await h.server.client.send(new GetFunctionCommand({ Name: "fn-two", Stage: "LIVE" }));
    expect(new TextDecoder().decode(live.FunctionCode)).toContain("'/x'");
  });

  it("leaves a function in DEVELOPMENT without AutoPublish, and says a distribution needs LIVE", async () => {
    const fn = await FUNCTION.apply(h.context, "Dev", functionProperties("dev-fn", "return event.request;", { AutoPublish: false }), undefined);
    expect(fn.attributes.get("Stage")).toBe("DEVELOPMENT");
    expect(h.log.lines.some((line) => line.startsWith("warn Site/Dev (AWS::CloudFront::Function)") && line.includes("AutoPublish: true"))).toBe(true);
    await expect(h.server.client.send(new DescribeFunctionCommand({ Name: "dev-fn", Stage: "LIVE" }))).rejects.toMatchObject({ name: "NoSuchFunctionExists" });
  });

  it("adopts what an earlier up made (no previous: found by name) instead of failing", async () => {
    const again = await FUNCTION.apply(h.context, "Fn2", functionProperties("fn-two", "return event.request; // again"), undefined);
    expect(again.physicalId).toBe("fn-two");
    const live = await h.server.client.send(new GetFunctionCommand({ Name: "fn-two", Stage: "LIVE" }));
    expect(new TextDecoder().decode(live.FunctionCode)).toContain("again");
    const storeAgain = await STORE.apply(h.context, "Store", store.properties, undefined);
    expect(storeAgain.attributes.get("Arn")).toBe(store.attributes.get("Arn"));
  });

  it("makes a new function on a Name change (replacement) and deletes the previous one when asked", async () => {
    const before = await FUNCTION.apply(h.context, "Renamed", functionProperties("name-a", "return event.request;"), undefined);
    const after = await FUNCTION.apply(h.context, "Renamed", functionProperties("name-b", "return event.request;"), before);
    expect(after.physicalId).toBe("name-b");
    await h.server.client.send(new DescribeFunctionCommand({ Name: "name-a" }));
    await FUNCTION.delete(h.context, before);
    await expect(h.server.client.send(new DescribeFunctionCommand({ Name: "name-a" }))).rejects.toMatchObject({ name: "NoSuchFunctionExists" });
    // Deleting what is already gone is not an error.
    await FUNCTION.delete(h.context, before);
  });

  it("makes the function again when it was deleted behind up's back", async () => {
    const before = await FUNCTION.apply(h.context, "Gone", functionProperties("gone-fn", "return event.request;"), undefined);
    await FUNCTION.delete(h.context, before);
    const again = await FUNCTION.apply(h.context, "Gone", functionProperties("gone-fn", "return event.request; // back"), before);
    expect(again.attributes.get("Stage")).toBe("LIVE");
    await h.server.client.send(new DescribeFunctionCommand({ Name: "gone-fn", Stage: "LIVE" }));
  });

  it("surfaces CloudFront's code and message with the logical id", async () => {
    const error = await rejection(FUNCTION.apply(h.context, "Bad", functionProperties("bad-fn", "return event.request;", { FunctionConfig: { Comment: "", Runtime: "python3.13" } }), undefined));
    expect(error.logicalId).toBe("Bad");
    expect(error.code).toBeDefined();
    expect(error.message).toMatch(/^Site\/Bad \(AWS::CloudFront::Function\): CreateFunction bad-fn: CloudFront answered \w+: /);
  });

  it.each<[string, Record<string, unknown>, RegExp]>([
    ["an unknown property", { Nmae: "x" }, /Nmae is not a property of AWS::CloudFront::Function/],
    ["a Name that is not a string", { Name: { Ref: "X" } }, /Name must be a non-empty string/],
    ["an unknown FunctionConfig member", { FunctionConfig: { Runtime: "cloudfront-js-2.0", Memory: 128 } }, /FunctionConfig.Memory is not a property of FunctionConfig/],
    ["associations that are not a list", { FunctionConfig: { Runtime: "cloudfront-js-2.0", KeyValueStoreAssociations: "arn" } }, /KeyValueStoreAssociations must be a list/],
    ["a __proto__ member", { FunctionConfig: JSON.parse('{"Runtime":"cloudfront-js-2.0","__proto__":{"Comment":"x"}}') }, /__proto__ is not a property/],
    ["AutoPublish that is not a boolean", { AutoPublish: "yes" }, /AutoPublish must be true or false/],
    ["FunctionCode missing", { FunctionCode: null }, /FunctionCode is required/],
  ])("refuses %s with an IacError", async (_, change, message) => {
    const error = await rejection(FUNCTION.apply(h.context, "Hostile", template({ ...functionProperties("hostile", "return event.request;"), ...change }), undefined));
    expect(error.message).toMatch(message);
    expect(error.message).toContain("Site/Hostile");
  });

  it.each<[string, unknown, RegExp]>([
    ["a SourceType other than S3", { SourceType: "FILE", SourceArn: "arn:aws:s3:::b/k" }, /SourceType must be S3/],
    ["a SourceArn that is not an S3 object", { SourceType: "S3", SourceArn: "file:///etc/passwd" }, /must be an S3 object's ARN/],
    ["an ImportSource that is a string", "arn:aws:s3:::b/k", /must be an object/],
  ])("refuses an ImportSource with %s", async (_, source, message) => {
    const error = await rejection(STORE.apply(h.context, "Hostile", template({ Name: "hostile-store", ImportSource: source }), undefined));
    expect(error.message).toMatch(message);
  });

  it("refuses an import file that is not CloudFront's import format, naming the object", async () => {
    const bad = join(files.path, "bad.json");
    writeFileSync(bad, '{"data": [{"key": 1}]}');
    h.locator.objects.set("b/bad.json", { path: bad, packaging: "file" });
    const error = await rejection(STORE.apply(h.context, "BadData", template({ Name: "bad-data", ImportSource: { SourceType: "S3", SourceArn: "arn:aws:s3:::b/bad.json" } }), undefined));
    expect(error.message).toContain("s3://b/bad.json");
    expect(error.message).toContain('needs a string "key" and "value"');
  });

  it("deletes a store", async () => {
    const temporary = await STORE.apply(h.context, "Temp", template({ Name: "temp-store" }), undefined);
    await STORE.delete(h.context, temporary);
    const deleteAgain: ResourceHandler["delete"] = STORE.delete.bind(STORE);
    await deleteAgain(h.context, temporary);
    const arn = temporary.attributes.get("Arn") as string;
    await expect(h.server.client.send(new ListTagsForResourceCommand({ Resource: arn }))).rejects.toThrow();
  });
});
