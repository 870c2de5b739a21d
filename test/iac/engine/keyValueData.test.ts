import { CreateKeyValueStoreCommand } from "@aws-sdk/client-cloudfront";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { keyValueDataAt } from "../../../src/iac/engine/keyValueData.js";
import { IacError } from "../../../src/iac/types.js";
import { keyValueStoreClient } from "../../../src/clients.js";
import { cloudFrontClient, startTestServer, type TestServer } from "../../helpers.js";

const KEY = { accessKeyId: "AKIDUPTEST", secretAccessKey: "up-secret" };

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer("memory", { access: { allowedHosts: [], corsOrigins: [], credentials: new Map([[KEY.accessKeyId, KEY.secretAccessKey]]) } });
});
afterAll(async () => {
  await server.close();
});

/** Every key of a store, read through the data plane as a client would (signed). */
async function keysOf(arn: string): Promise<Map<string, string>> {
  const { ListKeysCommand } = await import("@aws-sdk/client-cloudfront-keyvaluestore");
  const client = await keyValueStoreClient({ endpoint: server.url, credentials: KEY });
  const keys = new Map<string, string>();
  let NextToken: string | undefined;
  do {
    const page = await client.send(new ListKeysCommand({ KvsARN: arn, ...(NextToken ? { NextToken } : {}) }));
    for (const item of page.Items ?? []) keys.set(item.Key!, item.Value!);
    NextToken = page.NextToken;
  } while (NextToken);
  client.destroy();
  return keys;
}

describe("the data plane, as up puts a store's keys", () => {
  it("makes a store hold exactly the given keys, in signed batches, sending only what differs", async () => {
    const client = cloudFrontClient(server.url, { credentials: KEY });
    const created = await client.send(new CreateKeyValueStoreCommand({ Name: "up-data" }));
    const arn = created.KeyValueStore!.ARN!;
    const data = keyValueDataAt(server.url, KEY);
    const first = Array.from({ length: 120 }, (_, i) => [`key-${i}`, `value-${i}`] as const);
    expect(await data.replaceKeys(arn, first)).toBe(120);
    expect(await keysOf(arn)).toEqual(new Map(first));
    // Half kept, some changed, the rest gone, new ones added.
    const second = [...first.slice(0, 50), ["key-60", "changed"] as const, ["new-key", "new"] as const];
    expect(await data.replaceKeys(arn, second)).toBe(52);
    expect(await keysOf(arn)).toEqual(new Map(second));
    expect(await data.replaceKeys(arn, second)).toBe(52);
    expect(await data.replaceKeys(arn, [])).toBe(0);
    expect((await keysOf(arn)).size).toBe(0);
    client.destroy();
  });

  it("tells the server's refusal (unsigned, an unknown store) as an IacError with its code", async () => {
    const client = cloudFrontClient(server.url, { credentials: KEY });
    const arn = (await client.send(new CreateKeyValueStoreCommand({ Name: "up-refused" }))).KeyValueStore!.ARN!;
    client.destroy();
    const unsigned = await keyValueDataAt(server.url, undefined).replaceKeys(arn, [["a", "b"]]).catch((error: unknown) => error);
    expect(unsigned).toBeInstanceOf(IacError);
    expect((unsigned as IacError).message).toMatch(new RegExp(`^the key value store ${arn.replace(/[/.]/g, "\\$&")} refused ListKeys: \\w+: `));
    const unknown = await keyValueDataAt(server.url, KEY).replaceKeys(arn.replace(/[0-9a-f-]{36}$/, "00000000-0000-0000-0000-000000000000"), [["a", "b"]]).catch((error: unknown) => error);
    expect(unknown).toBeInstanceOf(IacError);
    expect((unknown as IacError).code).toBe("ResourceNotFoundException");
  });
});
