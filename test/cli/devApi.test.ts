import { CloudFrontClient, ListFunctionsCommand, ListKeyValueStoresCommand } from "@aws-sdk/client-cloudfront";
import { DescribeKeyValueStoreCommand, PutKeyCommand } from "@aws-sdk/client-cloudfront-keyvaluestore";
import { execFile } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, afterEach, describe, expect, it } from "vitest";
import { keyValueStoreClient } from "../../src/clients.js";
import { http, tempDir } from "../helpers.js";
import { startDev, until } from "../process.js";

const run = promisify(execFile);
/** Debian's awscli package (v2), as in test/cli/awscli.test.ts. */
const DEBIAN_AWS = "/usr/bin/aws";
const ENV = { ...process.env, AWS_ACCESS_KEY_ID: "AKIDEXAMPLE", AWS_SECRET_ACCESS_KEY: "secret", AWS_DEFAULT_REGION: "us-east-1", AWS_PAGER: "" };

/** Answers with the value of key `greeting` in the associated store, or `(none)`. */
const GREETER = `import cf from 'cloudfront';
const kvs = cf.kvs();
async function handler(event) {
  let greeting = '(none)';
  try { greeting = await kvs.get('greeting'); } catch (e) {}
  return { statusCode: 200, statusDescription: 'OK', headers: { 'x-greeting': { value: greeting } } };
}
`;

const importFile = (entries: Record<string, string>) => JSON.stringify({ data: Object.entries(entries).map(([key, value]) => ({ key, value })) }, null, 2);

describe("edgelite dev: the key value store in the loop, and the AWS API on the dev port", () => {
  const dir = tempDir();
  const site = join(dir.path, "public");
  mkdirSync(site);
  let stop: (() => void) | undefined;
  afterEach(() => stop?.());
  afterAll(() => dir.remove());

  const start = async (args: string[]) => {
    const dev = await startDev([...args, "--origin", site]);
    stop = () => dev.child.kill("SIGTERM");
    const greeting = async () => (await http(dev.url, "GET", "/")).headers["x-greeting"];
    return { ...dev, greeting };
  };

  it("reloads the --kvs file on save: keys written, keys removed from the file deleted, invalid JSON refused with its position", async () => {
    const fn = join(dir.path, "greeter.js");
    const data = join(dir.path, "greetings.json");
    writeFileSync(fn, GREETER);
    writeFileSync(data, importFile({ greeting: "hello", other: "x" }));
    const dev = await start([fn, "--kvs", data]);
    expect(await dev.greeting()).toBe("hello");

    writeFileSync(data, importFile({ greeting: "bonjour", other: "x" }));
    await until("bonjour", async () => (await dev.greeting()) === "bonjour", dev.output);
    expect(dev.output()).toContain(`reloaded ${data} (2 keys; 1 written, 0 deleted)`);

    writeFileSync(data, '{"data": [\n  {"key": "greeting", "value": "hola"}\n  {"key": "other"}\n]}');
    await until("the refusal", () => dev.output().includes(`cannot reload ${data}`), dev.output);
    const refusal = dev.output().split("\n").find((line) => line.startsWith("cannot reload"));
    expect(refusal).toContain("not valid JSON (line 3, column 3)");
    expect(refusal).toContain("the previous keys are kept");
    expect(await dev.greeting()).toBe("bonjour");

    writeFileSync(data, importFile({ other: "y" }));
    await until("the deletion", async () => (await dev.greeting()) === "(none)", dev.output);
    expect(dev.output()).toContain(`reloaded ${data} (1 key; 1 written, 1 deleted)`);
  });

  it("answers the AWS CLI on the dev port: the functions named after their files, the store after its file", async () => {
    const first = join(dir.path, "my rewrite.v2.js");
    mkdirSync(join(dir.path, "other"));
    const second = join(dir.path, "other", "my rewrite.v2.js");
    const data = join(dir.path, "flags.json");
    writeFileSync(first, "function handler(event) { return event.request; }\n");
    writeFileSync(second, "function handler(event) { return event.response; }\n");
    writeFileSync(data, importFile({ greeting: "hi" }));
    const dev = await start([first, "--viewer-response", second, "--kvs", data]);
    expect(dev.output()).toContain(`key value store flags`);
    expect(dev.output()).toContain(`function my-rewrite-v2-2: ${second} (my-rewrite-v2 is taken by another file)`);

    const aws = async (...args: string[]) => JSON.parse((await run(DEBIAN_AWS, [...args, "--endpoint-url", dev.url, "--output", "json"], { env: ENV })).stdout) as Record<string, any>;
    const functions = await aws("cloudfront", "list-functions", "--stage", "LIVE");
    expect(functions.FunctionList.Items.map((item: any) => item.Name).sort()).toEqual(["my-rewrite-v2", "my-rewrite-v2-2"]);
    const described = await aws("cloudfront", "describe-function", "--name", "my-rewrite-v2", "--stage", "LIVE");
    expect(described.FunctionSummary.FunctionConfig.Comment).toBe("edgelite dev");
    expect(described.FunctionSummary.FunctionConfig.Runtime).toBe("cloudfront-js-2.0");
    // (Debian's awscli predates key value stores: the store is checked with the SDK below.)
    // A browser's request (no signature) is still the edge's; a presigned URL or an X-Amz-Target is the API's.
    const page = await http(dev.url, "GET", "/2020-05-31/function");
    expect(page.body).not.toContain("FunctionList");
    const presigned = await http(dev.url, "GET", "/2020-05-31/function?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Date=20260101T000000Z&X-Amz-Signature=00");
    expect(presigned.body).toContain("<FunctionList");
    const targeted = await http(dev.url, "POST", "/", { headers: { "x-amz-target": "Nothing.Here", "content-type": "application/x-amz-json-1.1" }, body: "{}" });
    expect(targeted.headers["x-amzn-requestid"] ?? targeted.headers["x-amz-request-id"]).toBeDefined();
  });

  it("lets the SDKs change the store: a PutKey through the data plane is seen by the next request", async () => {
    const fn = join(dir.path, "sdk-greeter.js");
    const data = join(dir.path, "sdk.json");
    writeFileSync(fn, GREETER);
    writeFileSync(data, importFile({ greeting: "from the file" }));
    const dev = await start([fn, "--kvs", data]);
    expect(await dev.greeting()).toBe("from the file");

    const cloudfront = new CloudFrontClient({ endpoint: dev.url, region: "us-east-1", credentials: { accessKeyId: "AKIDEXAMPLE", secretAccessKey: "secret" }, maxAttempts: 1 });
    const kvs = await keyValueStoreClient({ endpoint: dev.url });
    try {
      const functions = await cloudfront.send(new ListFunctionsCommand({ Stage: "LIVE" }));
      expect(functions.FunctionList?.Items?.map((item) => item.Name)).toEqual(["sdk-greeter"]);
      const store = (await cloudfront.send(new ListKeyValueStoresCommand({}))).KeyValueStoreList?.Items?.[0];
      expect(store?.Name).toBe("sdk");
      const { ETag } = await kvs.send(new DescribeKeyValueStoreCommand({ KvsARN: store!.ARN! }));
      await kvs.send(new PutKeyCommand({ KvsARN: store!.ARN!, Key: "greeting", Value: "from the SDK", IfMatch: ETag! }));
      expect(await dev.greeting()).toBe("from the SDK");
    } finally {
      cloudfront.destroy();
      kvs.destroy();
    }
  });
});
