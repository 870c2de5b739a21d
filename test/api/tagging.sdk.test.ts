import {
  CreateFunctionCommand,
  CreateKeyValueStoreCommand,
  DescribeFunctionCommand,
  DescribeKeyValueStoreCommand,
  ListTagsForResourceCommand,
  NoSuchResource,
  TagResourceCommand,
  UntagResourceCommand,
} from "@aws-sdk/client-cloudfront";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { encode, HANDLER, startTestServer, type StoreKind, type TestServer } from "../helpers.js";

describe.each<StoreKind>(["sqlite", "memory"])("tagging functions and key value stores (%s store)", (kind) => {
  let t: TestServer;
  beforeEach(async () => {
    t = await startTestServer(kind);
  });
  afterEach(async () => {
    await t.close();
  });

  it("lists the tags given at creation, adds, replaces and removes tags, without moving the ETag", async () => {
    const created = await t.client.send(
      new CreateFunctionCommand({ Name: "tagged", FunctionConfig: { Comment: "", Runtime: "cloudfront-js-2.0" }, FunctionCode: encode(HANDLER), Tags: { Items: [{ Key: "team", Value: "edge" }] } }),
    );
    const arn = created.FunctionSummary!.FunctionMetadata!.FunctionARN!;
    expect((await t.client.send(new ListTagsForResourceCommand({ Resource: arn }))).Tags?.Items).toEqual([{ Key: "team", Value: "edge" }]);
    await t.client.send(new TagResourceCommand({ Resource: arn, Tags: { Items: [{ Key: "team", Value: "cdn" }, { Key: "env", Value: "dev" }] } }));
    expect((await t.client.send(new ListTagsForResourceCommand({ Resource: arn }))).Tags?.Items).toEqual([
      { Key: "team", Value: "cdn" },
      { Key: "env", Value: "dev" },
    ]);
    await t.client.send(new UntagResourceCommand({ Resource: arn, TagKeys: { Items: ["team"] } }));
    expect((await t.client.send(new ListTagsForResourceCommand({ Resource: arn }))).Tags?.Items).toEqual([{ Key: "env", Value: "dev" }]);
    expect((await t.client.send(new DescribeFunctionCommand({ Name: "tagged" }))).ETag).toBe("ETVPDKIKX0DER");
  });

  it("tags key value stores too", async () => {
    const store = (await t.client.send(new CreateKeyValueStoreCommand({ Name: "kv" }))).KeyValueStore!;
    await t.client.send(new TagResourceCommand({ Resource: store.ARN, Tags: { Items: [{ Key: "owner", Value: "me" }] } }));
    expect((await t.client.send(new ListTagsForResourceCommand({ Resource: store.ARN }))).Tags?.Items).toEqual([{ Key: "owner", Value: "me" }]);
    expect((await t.client.send(new DescribeKeyValueStoreCommand({ Name: "kv" }))).ETag).toBe("ETVPDKIKX0DER");
  });

  it("answers an unknown resource with NoSuchResource (404)", async () => {
    const error = await t.client.send(new ListTagsForResourceCommand({ Resource: "arn:aws:cloudfront::123456789012:function/nope" })).catch((e: Error) => e);
    expect(error).toBeInstanceOf(NoSuchResource);
  });
});
