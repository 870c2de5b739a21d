import { CreateFunctionCommand, CreateKeyValueStoreCommand, DescribeFunctionCommand, GetFunctionCommand, PublishFunctionCommand, UpdateFunctionCommand } from "@aws-sdk/client-cloudfront";
import { DescribeKeyValueStoreCommand as DescribeDataCommand, GetKeyCommand, ListKeysCommand, UpdateKeysCommand } from "@aws-sdk/client-cloudfront-keyvaluestore";
import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { sqliteDriver } from "../../src/store/sqliteDatabase.js";
import { keyValueStoreClient } from "../../src/clients.js";
import { cloudFrontClient, decode, encode, tempDir } from "../helpers.js";
import { spawnServer, type ServerProcess } from "../process.js";

const config = (comment: string) => ({ Comment: comment, Runtime: "cloudfront-js-2.0" as const });
const code = (tag: string) => encode(`function handler(e) { return e.request; } // ${tag}`);

/**
 * A real write failure, on any Linux machine and without root: the server process gets a file-size
 * limit (RLIMIT_FSIZE, set with prlimit once it is up), so that SQLite's write-ahead log cannot grow past
 * it. Node ignores SIGXFSZ, so the write fails with EFBIG inside SQLite and the commit is refused. What
 * must hold: a refused write was not acknowledged, is not visible (reads come from the mirror), and is not
 * in the file after a restart; everything acknowledged is.
 */
const HAS_PRLIMIT = spawnSync("prlimit", ["--version"]).status === 0;
/** Function code near the 10 KB limit, so each update needs a few pages of log. */
const bigCode = (tag: string) => encode(`function handler(e) { return e.request; } // ${tag} ${"x".repeat(9000)}`);
const batchOf = (n: number) => Array.from({ length: 50 }, (_, i) => ({ Key: `b${n}-${i}`, Value: `${n}`.padEnd(1000, ".") }));

type Write = { kind: "keys"; batch: number } | { kind: "function"; comment: string };

/**
 * Where the kills land comes from a seed, printed with each test: a failure names the seed, and
 * EDGELITE_DURABILITY_SEED=<seed> replays the same kill points.
 */
const SEED = Number(process.env["EDGELITE_DURABILITY_SEED"] ?? Math.floor(Math.random() * 2 ** 31));

/** mulberry32: a small seeded generator, good enough to pick kill points. */
function seeded(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 2 ** 32;
  };
}

/** A kill point in [from, from + span), logged with the seed that chose it. */
function killPoint(test: string, from: number, span: number): number {
  const at = from + Math.floor(seeded(SEED + from)() * span);
  console.log(`durability: ${test}: kill after ${at} (EDGELITE_DURABILITY_SEED=${SEED})`);
  return at;
}

/** What a request in flight meets when its server is killed: the connection reset, or refused when it had to open one. */
function isConnectionLoss(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return code === "ECONNRESET" || code === "ECONNREFUSED" || code === "EPIPE";
}

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

  /** Both API clients for a server, destroyed after the test; no retries, so a refusal is seen as it is. */
  async function clientsOf(server: ServerProcess) {
    const client = cloudFrontClient(server.url);
    const kvs = await keyValueStoreClient({ endpoint: server.url, config: { maxAttempts: 1 } });
    cleanups.push(() => {
      client.destroy();
      kvs.destroy();
    });
    return { client, kvs };
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
    const killAt = killPoint("updates", 150, 100);
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
          } catch (error) {
            // Only the requests in flight when the server was killed may fail, and only by losing their connection.
            if (killed && isConnectionLoss(error)) return;
            throw error;
          }
        }
      }),
    );
    expect((await server.exited).signal).toBe("SIGKILL");
    client.destroy();

    const db = new (sqliteDriver())(join(dir.path, "edgelite.sqlite"));
    expect(db.pragma("integrity_check", { simple: true })).toBe("ok");
    db.close();

    const restarted = await start(dir.path);
    const again = cloudFrontClient(restarted.url);
    for (const name of writers) {
      const { count } = acknowledged.get(name)!;
      const described = await again.send(new DescribeFunctionCommand({ Name: name }));
      const stored = Number(described.FunctionSummary!.FunctionConfig!.Comment);
      // Every acknowledged update is there; at most the one in flight at the kill may also have landed.
      expect([count, count + 1], `${name} (seed ${SEED})`).toContain(stored);
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
    const killAt = killPoint("UpdateKeys batches", 20, 20);
    for (let batch = 1; ; batch++) {
      if (batch === killAt) {
        // Kill while this batch is in flight: it is either acknowledged (it committed first) or loses its connection.
        const inFlight = kvs.send(new UpdateKeysCommand({ KvsARN: arn, IfMatch: etag, Puts: Array.from({ length: 50 }, (_, i) => ({ Key: `b${batch}-${i}`, Value: String(batch) })) }));
        server.child.kill("SIGKILL");
        const acknowledgedInFlight = await inFlight.then(
          () => true,
          (error: unknown) => {
            if (isConnectionLoss(error)) return false;
            throw error;
          },
        );
        if (acknowledgedInFlight) acknowledged = batch;
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
    for (let batch = 1; batch <= acknowledged; batch++) expect(counts.get(String(batch)), `batch ${batch} (seed ${SEED})`).toBe(50);
    for (const [batch, count] of counts) {
      expect(count, `batch ${batch} (seed ${SEED})`).toBe(50);
      expect(Number(batch), `seed ${SEED}`).toBeLessThanOrEqual(acknowledged + 1);
    }
    again.destroy();
  });

  it.skipIf(!HAS_PRLIMIT)("under a file-size limit (a write the disk refuses), acknowledges nothing it could not write, shows none of it, and loses nothing it acknowledged across a kill -9", async () => {
    const dir = tempDir();
    cleanups.push(dir.remove);
    const server = await start(dir.path);
    const { client, kvs } = await clientsOf(server);
    const arn = (await client.send(new CreateKeyValueStoreCommand({ Name: "limited" }))).KeyValueStore!.ARN!;
    let functionEtag = (await client.send(new CreateFunctionCommand({ Name: "limited", FunctionConfig: config("0"), FunctionCode: bigCode("0") }))).ETag!;
    let keysEtag = (await kvs.send(new DescribeDataCommand({ KvsARN: arn }))).ETag!;

    // From now on no file of the server may grow past 400 kB: the log, at a few kB now, fills within some dozen writes.
    expect(spawnSync("prlimit", ["--pid", String(server.child.pid), "--fsize=400000:400000"]).status).toBe(0);

    const acknowledged: Write[] = [];
    const refused: Write[] = [];
    let functionComment = "0";
    let keyBatches = 0;
    // Alternate key batches and function updates until one of each has been refused.
    for (let n = 1; n <= 200 && !(refused.some((w) => w.kind === "keys") && refused.some((w) => w.kind === "function")); n++) {
      const write: Write = n % 2 === 1 ? { kind: "keys", batch: n } : { kind: "function", comment: String(n) };
      try {
        if (write.kind === "keys") {
          keysEtag = (await kvs.send(new UpdateKeysCommand({ KvsARN: arn, IfMatch: keysEtag, Puts: batchOf(write.batch) }))).ETag!;
          keyBatches++;
        } else {
          functionEtag = (await client.send(new UpdateFunctionCommand({ Name: "limited", IfMatch: functionEtag, FunctionConfig: config(write.comment), FunctionCode: bigCode(write.comment) }))).ETag!;
          functionComment = write.comment;
        }
        acknowledged.push(write);
      } catch (error) {
        // Refused as a storage failure (503), and said so in the protocol of the request.
        expect(error).toMatchObject({ name: "ServiceUnavailable", $metadata: { httpStatusCode: 503 } });
        expect((error as Error).message).toMatch(/\((SQLITE_IOERR\w*|SQLITE_FULL)\)/);
        refused.push(write);
      }
    }
    expect(acknowledged.filter((w) => w.kind === "keys").length).toBeGreaterThan(0);
    expect(refused.filter((w) => w.kind === "keys").length).toBeGreaterThan(0);
    expect(refused.filter((w) => w.kind === "function").length).toBeGreaterThan(0);

    // Nothing refused is visible: the ETags did not move, the refused batches' keys are not there.
    const described = await kvs.send(new DescribeDataCommand({ KvsARN: arn }));
    expect(described.ETag).toBe(keysEtag);
    expect(described.ItemCount).toBe(50 * keyBatches);
    for (const write of refused) {
      if (write.kind === "keys") await expect(kvs.send(new GetKeyCommand({ KvsARN: arn, Key: `b${write.batch}-0` }))).rejects.toMatchObject({ name: "ResourceNotFoundException" });
    }
    const dev = await client.send(new DescribeFunctionCommand({ Name: "limited" }));
    expect(dev.ETag).toBe(functionEtag);
    expect(dev.FunctionSummary!.FunctionConfig!.Comment).toBe(functionComment);

    // kill -9, then start again without the limit: what was acknowledged is there, what was refused is not.
    server.child.kill("SIGKILL");
    await server.exited;
    const restarted = await start(dir.path);
    const { client: again, kvs: kvsAgain } = await clientsOf(restarted);
    expect((await kvsAgain.send(new DescribeDataCommand({ KvsARN: arn }))).ItemCount).toBe(50 * keyBatches);
    for (const write of acknowledged) {
      if (write.kind === "keys") expect((await kvsAgain.send(new GetKeyCommand({ KvsARN: arn, Key: `b${write.batch}-49` }))).Value).toBe(`${write.batch}`.padEnd(1000, "."));
    }
    for (const write of refused) {
      if (write.kind === "keys") await expect(kvsAgain.send(new GetKeyCommand({ KvsARN: arn, Key: `b${write.batch}-0` }))).rejects.toMatchObject({ name: "ResourceNotFoundException" });
    }
    const devAgain = await again.send(new DescribeFunctionCommand({ Name: "limited" }));
    expect(devAgain.ETag).toBe(functionEtag);
    expect(decode((await again.send(new GetFunctionCommand({ Name: "limited" }))).FunctionCode)).toContain(`// ${functionComment} `);
    // And the store takes writes again.
    expect((await again.send(new UpdateFunctionCommand({ Name: "limited", IfMatch: functionEtag, FunctionConfig: config("after"), FunctionCode: bigCode("after") }))).ETag).toBeDefined();
  });
});
