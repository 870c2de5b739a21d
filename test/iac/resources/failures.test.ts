import { GetKeyCommand } from "@aws-sdk/client-cloudfront-keyvaluestore";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { CLOUDFRONT_HANDLERS } from "../../../src/iac/resources/index.js";
import { IacError } from "../../../src/iac/types.js";
import { cloudFrontClient, tempDir } from "../../helpers.js";
import { harness, template, type Harness } from "./context.js";

const STORE = CLOUDFRONT_HANDLERS.get("AWS::CloudFront::KeyValueStore")!;
const OAC = CLOUDFRONT_HANDLERS.get("AWS::CloudFront::OriginAccessControl")!;

describe("a server that is slow or gone", () => {
  const files = tempDir();
  let h: Harness | undefined;
  afterAll(async () => {
    await h?.close();
    files.remove();
  });

  it("waits for a store to be READY before putting its ImportSource's keys", async () => {
    h = await harness("Site", { kvsProvisioningMs: 300 });
    const data = join(files.path, "keys.json");
    writeFileSync(data, JSON.stringify({ data: [{ key: "k", value: "v" }] }));
    h.locator.objects.set("bucket/keys.json", { path: data, packaging: "file" });
    const store = await STORE.apply(h.context, "Store", template({ Name: "slow", ImportSource: { SourceType: "S3", SourceArn: "arn:aws:s3:::bucket/keys.json" } }), undefined);
    expect(store.attributes.get("Status")).toBe("READY");
    expect((await h.kvs.send(new GetKeyCommand({ KvsARN: store.attributes.get("Arn") as string, Key: "k" }))).Value).toBe("v");
  });

  it("answers an IacError naming the resource and the call when the server cannot be reached", async () => {
    const client = cloudFrontClient("http://127.0.0.1:9");
    try {
      const context = { ...h!.context, cloudfront: client };
      const properties = template({ OriginAccessControlConfig: { Name: "x", OriginAccessControlOriginType: "s3", SigningBehavior: "always", SigningProtocol: "sigv4" } });
      const error = await OAC.apply(context, "Oac", properties, undefined).catch((thrown: unknown) => thrown);
      expect(error).toBeInstanceOf(IacError);
      expect((error as IacError).message).toMatch(/^Site\/Oac \(AWS::CloudFront::OriginAccessControl\): CreateOriginAccessControl failed: /);
    } finally {
      client.destroy();
    }
  });
});
