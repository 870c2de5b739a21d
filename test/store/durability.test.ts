import { CreateFunctionCommand, DescribeFunctionCommand, GetFunctionCommand, PublishFunctionCommand, UpdateFunctionCommand } from "@aws-sdk/client-cloudfront";
import { Database } from "../../src/store/sqlite-database.js";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { CreateKeyValueStoreCommand } from "@aws-sdk/client-cloudfront";
import { DescribeKeyValueStoreCommand as DescribeDataCommand, ListKeysCommand, UpdateKeysCommand } from "@aws-sdk/client-cloudfront-keyvaluestore";
import { keyValueStoreClient } from "../../src/clients.js";
import { cloudFrontClient, decode, encode, tempDir } from "../helpers.js";
import { spawnServer, type ServerProcess } from "../process.js";

const config = (comment: string) => ({ Comment: comment, Runtime: "cloudfront-js-2.0" as const });
const code = (tag: string) => encode(`function handler(e) { return e.request; } // ${tag}`);

describe("durability of the SQLite store (real server process)", () => {
  const cleanups: Array<() => Promise<void> | void> = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });

  async function start(dataDir: string): Promise<ServerProcess> {
    const server = await spawnServer(["--data-dir", dataDir, "--quiet"]);
    cleanups.push(() => {
      if (server.child.exitCode === null) server.child.kill("SIGKILL");
    });
    return server;
  }

  it("keeps code, config, both stages and ETags across a clean restart", async () => {
    const dir = tempDir();
    cleanups.push(dir.remove);
    const first = await start(dir.path);
    const client = cloudFrontClient(first.url);
    await client.send(new CreateFunctionCommand({ Name: "keep", FunctionConfig: config("one"), FunctionCode: code("one") }));
    await client.send(new PublishFunctionCommand({ Name: "keep", IfMatch: "ETVPDKIKX0DER" }));
    await client.send(new UpdateFunctionCommand({ Name: "keep", IfMatch: "ETVPDKIKX0DER", FunctionConfig: config("two"), FunctionCode: code("two") }));
    const before = {
      dev: await client.send(new DescribeFunctionCommand({ Name: "keep", Stage: "DEVELOPMENT" })),
      live: await client.send(new DescribeFunctionCommand({ Name: "keep", Stage: "LIVE" })),
    };
    client.destroy();
    first.child.kill("SIGTERM");
    const exit = await first.exited;
    expect(exit.code).toBe(0);
    expect(first.stderr()).toContain("stopped");

    const second = await start(dir.path);
    const again = cloudFrontClient(second.url);
    const dev = await again.send(new DescribeFunctionCommand({ Name: "keep", Stage: "DEVELOPMENT" }));
    const live = await again.send(new DescribeFunctionCommand({ Name: "keep", Stage: "LIVE" }));
    expect(dev.ETag).toBe("E3UN6WX5RRO2AG");
    expect(live.ETag).toBe("ETVPDKIKX0DER");
    expect(dev.FunctionSummary).toEqual(before.dev.FunctionSummary);
    expect(live.FunctionSummary).toEqual(before.live.FunctionSummary);
    expect(decode((await again.send(new GetFunctionCommand({ Name: "keep", Stage: "LIVE" }))).FunctionCode)).toContain("// one");
    expect(decode((await again.send(new GetFunctionCommand({ Name: "keep" }))).FunctionCode)).toContain("// two");
    again.destroy();
  });

  it("loses no acknowledged update when killed with SIGKILL mid-stream", async () => {
    const dir = tempDir();
    cleanups.push(dir.remove);
    const server = await start(dir.path);
    const client = cloudFrontClient(server.url);
    const writers = ["w0", "w1", "w2", "w3"];
    for (const name of writers) await client.send(new CreateFunctionCommand({ Name: name, FunctionConfig: config("0"), FunctionCode: code("0") }));

    // Each writer updates its own function in a loop, remembering the last update the server acknowledged.
    const acknowledged = new Map<string, { count: number; etag: string }>(writers.map((name) => [name, { count: 0, etag: "ETVPDKIKX0DER" }]));
    let total = 0;
    let killed = false;
    const killAt = 150 + Math.floor(Math.random() * 100);
    await Promise.all(
      writers.map(async (name) => {
        for (let n = 1; !killed; n++) {
          try {
            const out = await client.send(
              new UpdateFunctionCommand({ Name: name, IfMatch: acknowledged.get(name)!.etag, FunctionConfig: config(String(n)), FunctionCode: code(String(n)) }),
            );
            acknowledged.set(name, { count: n, etag: out.ETag! });
            if (++total === killAt) {
              killed = true;
              server.child.kill("SIGKILL");
            }
          } catch {
            return; // the connection died with the server
          }
        }
      }),
    );
    expect((await server.exited).signal).toBe("SIGKILL");
    client.destroy();

    const db = new Database(join(dir.path, "edgelite.sqlite"));
    expect(db.pragma("integrity_check", { simple: true })).toBe("ok");
    db.close();

    const restarted = await start(dir.path);
    const again = cloudFrontClient(restarted.url);
    for (const name of writers) {
      const { count } = acknowledged.get(name)!;
      const described = await again.send(new DescribeFunctionCommand({ Name: name }));
      const stored = Number(described.FunctionSummary!.FunctionConfig!.Comment);
      // Every acknowledged update is there; at most the one in flight at the kill may also have landed.
      expect(stored === count || stored === count + 1).toBe(true);
      expect(decode((await again.send(new GetFunctionCommand({ Name: name }))).FunctionCode)).toContain(`// ${stored}`);
    }
    again.destroy();
  });

  it("keeps every UpdateKeys batch all-or-nothing when killed with SIGKILL mid-stream", async () => {
    const dir = tempDir();
    cleanups.push(dir.remove);
    const server = await start(dir.path);
    const client = cloudFrontClient(server.url);
    const arn = (await client.send(new CreateKeyValueStoreCommand({ Name: "batches" }))).KeyValueStore!.ARN!;
    client.destroy();
    const kvs = await keyValueStoreClient({ endpoint: server.url });
    let etag = (await kvs.send(new DescribeDataCommand({ KvsARN: arn }))).ETag!;
    let acknowledged = 0;
    const killAt = 20 + Math.floor(Math.random() * 20);
    for (let batch = 1; ; batch++) {
      if (batch === killAt) {
        // Kill while this batch is in flight.
        const inFlight = kvs.send(new UpdateKeysCommand({ KvsARN: arn, IfMatch: etag, Puts: Array.from({ length: 50 }, (_, i) => ({ Key: `b${batch}-${i}`, Value: String(batch) })) })).catch(() => undefined);
        server.child.kill("SIGKILL");
        await inFlight;
        break;
      }
      const out = await kvs.send(new UpdateKeysCommand({ KvsARN: arn, IfMatch: etag, Puts: Array.from({ length: 50 }, (_, i) => ({ Key: `b${batch}-${i}`, Value: String(batch) })) }));
      etag = out.ETag!;
      acknowledged = batch;
    }
    await server.exited;
    kvs.destroy();

    const restarted = await start(dir.path);
    const again = await keyValueStoreClient({ endpoint: restarted.url });
    const counts = new Map<string, number>();
    let token: string | undefined;
    do {
      const page = await again.send(new ListKeysCommand({ KvsARN: arn, MaxResults: 50, NextToken: token }));
      for (const item of page.Items ?? []) counts.set(item.Value!, (counts.get(item.Value!) ?? 0) + 1);
      token = page.NextToken;
    } while (token);
    for (let batch = 1; batch <= acknowledged; batch++) expect(counts.get(String(batch))).toBe(50);
    for (const [batch, count] of counts) {
      expect(count).toBe(50);
      expect(Number(batch)).toBeLessThanOrEqual(acknowledged + 1);
    }
    again.destroy();
  });
});
