import { CreateFunctionCommand, CreateKeyValueStoreCommand, GetFunctionCommand, ListFunctionsCommand } from "@aws-sdk/client-cloudfront";
import { DescribeKeyValueStoreCommand as DescribeDataCommand, UpdateKeysCommand } from "@aws-sdk/client-cloudfront-keyvaluestore";
import { spawnSync } from "node:child_process";
import { chmodSync, copyFileSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, afterEach, describe, expect, it } from "vitest";
import { keyValueStoreClient } from "../../src/clients.js";
import { cloudFrontClient, decode, encode, tempDir } from "../helpers.js";
import { BIN, runCli, spawnServer, UNPRIVILEGED, UNPRIVILEGED_CAN_RUN, type ServerProcess } from "../process.js";

const DB = "edgelite.sqlite";
const config = { Comment: "", Runtime: "cloudfront-js-2.0" as const };


describe("storage states, told plainly (real server processes)", () => {
  const cleanups: Array<() => Promise<void> | void> = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });

  function dataDir(): string {
    const dir = tempDir();
    cleanups.push(dir.remove);
    return dir.path;
  }

  function track(server: ServerProcess): ServerProcess {
    cleanups.push(() => {
      if (server.child.exitCode === null && server.child.signalCode === null) server.child.kill("SIGKILL");
    });
    return server;
  }

  /** Starts `edgelite serve`; resolves with the server once it listens, or with its output once it exits instead. */
  async function startOrRefuse(args: string[]): Promise<{ server: ServerProcess } | { refused: string }> {
    try {
      return { server: track(await spawnServer(args)) };
    } catch (error) {
      return { refused: (error as Error).message };
    }
  }

  /** A real database with one function in it, made by a real server. */
  async function populatedDatabase(): Promise<string> {
    const dir = dataDir();
    const server = track(await spawnServer(["--data-dir", dir, "--quiet"]));
    const client = cloudFrontClient(server.url);
    await client.send(new CreateFunctionCommand({ Name: "kept", FunctionConfig: config, FunctionCode: encode("function handler(e) { return e.request; }") }));
    client.destroy();
    server.child.kill("SIGTERM");
    await server.exited;
    return join(dir, DB);
  }

  async function expectRefusedAtStart(dir: string, mentions: RegExp[], as: Parameters<typeof runCli>[2] = {}): Promise<string> {
    const result = await runCli(["serve", "--port", "0", "--data-dir", dir], {}, as);
    expect(result.code).not.toBe(0);
    expect(result.stdout).not.toContain("listening on");
    for (const mention of mentions) expect(result.stderr).toMatch(mention);
    // A message, not a stack trace.
    expect(result.stderr).not.toMatch(/^\s+at /m);
    return result.stderr;
  }

  it("lets exactly one of two servers started at the same moment on one --data-dir come up; the other names the directory and the owner's pid; kill -9 frees it", async () => {
    for (let trial = 0; trial < 5; trial++) {
      const dir = dataDir();
      const args = ["--data-dir", dir, "--quiet"];
      const outcomes = await Promise.all([startOrRefuse(args), startOrRefuse(args)]);
      const up = outcomes.flatMap((outcome) => ("server" in outcome ? [outcome.server] : []));
      const refusals = outcomes.flatMap((outcome) => ("refused" in outcome ? [outcome.refused] : []));
      expect(up).toHaveLength(1);
      expect(refusals).toHaveLength(1);
      const winner = up[0]!;
      // 73: the data directory cannot be used (docs/cli.md, "Exit status").
      expect(refusals[0]).toMatch(/server exited \(73\)/);
      expect(refusals[0]).toContain(dir);
      expect(refusals[0]).toContain(`edgelite process ${winner.child.pid}`);
      expect(refusals[0]).toContain("--data-dir");
      // The winner really owns the data: its writes work.
      const client = cloudFrontClient(winner.url);
      await client.send(new CreateFunctionCommand({ Name: `owned-${trial}`, FunctionConfig: config, FunctionCode: encode("function handler(e) { return e.request; }") }));
      client.destroy();

      winner.child.kill("SIGKILL");
      await winner.exited;
      const next = track(await spawnServer(args));
      const again = cloudFrontClient(next.url);
      expect((await again.send(new ListFunctionsCommand({}))).FunctionList?.Items?.map((item) => item.Name)).toEqual([`owned-${trial}`]);
      again.destroy();
      next.child.kill("SIGKILL");
      await next.exited;
    }
  });

  it("refuses an empty (0-byte) database file at start, saying to delete it to start fresh", async () => {
    const dir = dataDir();
    writeFileSync(join(dir, DB), "");
    await expectRefusedAtStart(dir, [new RegExp(`${join(dir, DB)}: it is empty \\(0 bytes\\)`), /delete it and start again/]);
    // Deleting it is enough to start fresh.
    rmSync(join(dir, DB));
    const server = track(await spawnServer(["--data-dir", dir, "--quiet"]));
    server.child.kill("SIGKILL");
  });

  it("refuses a corrupt database at start (random bytes, text, a truncated SQLite file) with its path and what to do", async () => {
    const real = await populatedDatabase();
    const contents: Array<[string, Buffer]> = [
      ["random bytes", Buffer.from(Array.from({ length: 40_000 }, () => Math.floor(Math.random() * 256)))],
      ["not a database", Buffer.from("this is not a database\n")],
      ["truncated header", readFileSync(real).subarray(0, 100)],
      ["truncated pages", readFileSync(real).subarray(0, 10_000)],
    ];
    for (const [, bytes] of contents) {
      const dir = dataDir();
      writeFileSync(join(dir, DB), bytes);
      await expectRefusedAtStart(dir, [new RegExp(`${join(dir, DB)}: it is not a readable edgelite database \\(SQLITE_(NOTADB|CORRUPT)`), /Move it aside/]);
    }
  });

  it.skipIf(!UNPRIVILEGED_CAN_RUN)("refuses a read-only database file and a read-only data directory at start", async () => {
    const file = await populatedDatabase();
    const readOnlyFile = dataDir();
    chmodSync(readOnlyFile, 0o777);
    copyFileSync(file, join(readOnlyFile, DB));
    chmodSync(join(readOnlyFile, DB), 0o444);
    await expectRefusedAtStart(readOnlyFile, [new RegExp(`${join(readOnlyFile, DB)}: it cannot be written \\(EACCES`), /writable/], UNPRIVILEGED);

    const readOnlyDir = dataDir();
    chmodSync(readOnlyDir, 0o555);
    await expectRefusedAtStart(readOnlyDir, [new RegExp(`${readOnlyDir}\\S*: it cannot be written`), /writable/], UNPRIVILEGED);
    await expectRefusedAtStart(join(readOnlyDir, "inside"), [new RegExp(`${join(readOnlyDir, "inside")}: it cannot be written \\(EACCES`)], UNPRIVILEGED);
  });

  describe("on a full disk (a small tmpfs; mounting one needs root)", () => {
    const disk = tempDir();
    const mounted = spawnSync("mount", ["-t", "tmpfs", "-o", "size=768k", "tmpfs", disk.path]).status === 0;
    const filler = join(disk.path, "filler");
    afterEach(() => {
      rmSync(filler, { force: true });
    });
    afterAll(() => {
      if (mounted) spawnSync("umount", ["-l", disk.path]);
      disk.remove();
    });

    /** Fills what is left of the disk, but for `leave` bytes. */
    function fillDisk(leave: number): void {
      const free = Number(spawnSync("df", ["--output=avail", "-B1", disk.path], { encoding: "utf8" }).stdout.trim().split("\n").pop());
      writeFileSync(filler, Buffer.alloc(Math.max(0, free - leave)));
    }

    it.skipIf(!mounted)("refuses to start, naming the file and the full disk", async () => {
      const dir = join(disk.path, "start");
      mkdirSync(dir);
      fillDisk(0);
      await expectRefusedAtStart(dir, [new RegExp(`${dir}\\S*: it is on a full disk \\(SQLITE_FULL`), /Free some space/]);
      rmSync(dir, { recursive: true, force: true });
    });

    it.skipIf(!mounted)("answers writes with 503 ServiceUnavailable when the disk fills, keeps serving reads, and loses nothing it acknowledged", async () => {
      const dir = join(disk.path, "runtime");
      const server = track(await spawnServer(["--data-dir", dir, "--quiet"]));
      const client = cloudFrontClient(server.url);
      const kvsArn = (await client.send(new CreateKeyValueStoreCommand({ Name: "full" }))).KeyValueStore!.ARN!;
      const kvs = await keyValueStoreClient({ endpoint: server.url });
      const kvsEtag = (await kvs.send(new DescribeDataCommand({ KvsARN: kvsArn }))).ETag!;
      fillDisk(128 * 1024);

      const acknowledged: string[] = [];
      let refusal: unknown;
      for (let i = 0; i < 100 && refusal === undefined; i++) {
        const code = `function handler(e) { return e.request; } // ${i} ${"x".repeat(8000)}`;
        try {
          await client.send(new CreateFunctionCommand({ Name: `f${i}`, FunctionConfig: config, FunctionCode: encode(code) }));
          acknowledged.push(`f${i}`);
        } catch (error) {
          refusal = error;
        }
      }
      expect(refusal).toMatchObject({ name: "ServiceUnavailable", $metadata: { httpStatusCode: 503 } });
      expect((refusal as Error).message).toMatch(/the disk is full \(SQLITE_FULL\)/);
      expect((refusal as Error).message).not.toContain(dir);
      expect(acknowledged.length).toBeGreaterThan(0);
      // The data plane says the same, in JSON.
      await expect(kvs.send(new UpdateKeysCommand({ KvsARN: kvsArn, IfMatch: kvsEtag, Puts: Array.from({ length: 50 }, (_, i) => ({ Key: `k${i}`, Value: "v".repeat(1000) })) }))).rejects.toMatchObject({
        name: "ServiceUnavailable",
        $metadata: { httpStatusCode: 503 },
      });
      kvs.destroy();
      // Reads still answer, from what was acknowledged.
      expect((await client.send(new ListFunctionsCommand({}))).FunctionList?.Items?.map((item) => item.Name).sort()).toEqual([...acknowledged].sort());
      // The server's log names the file.
      expect(server.stderr()).toContain(join(dir, DB));
      client.destroy();
      server.child.kill("SIGTERM");
      await server.exited;

      rmSync(filler);
      const restarted = track(await spawnServer(["--data-dir", dir, "--quiet"]));
      const again = cloudFrontClient(restarted.url);
      const names = (await again.send(new ListFunctionsCommand({}))).FunctionList?.Items?.map((item) => item.Name) ?? [];
      expect(names.sort()).toEqual([...acknowledged].sort());
      for (const name of acknowledged) {
        expect(decode((await again.send(new GetFunctionCommand({ Name: name }))).FunctionCode)).toContain(`// ${name.slice(1)} `);
      }
      again.destroy();
      restarted.child.kill("SIGTERM");
      await restarted.exited;
    });
  });
});
