import { CreateKeyValueStoreCommand, InvalidArgument } from "@aws-sdk/client-cloudfront";
import { execFileSync } from "node:child_process";
import { mkdirSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { cloudFrontClient, http, tempDir, XMLNS } from "../helpers.js";
import { runCli, spawnServer, startDev, type ServerProcess } from "../process.js";

const SECRET = "edgelite-cli-secret-91e2";
const importFile = (entries: Array<[string, string]>) => JSON.stringify({ data: entries.map(([key, value]) => ({ key, value })) });

async function stop(server: ServerProcess): Promise<void> {
  server.child.kill("SIGTERM");
  await server.exited;
}

describe("the CLI and files: serve --import-dir, dev --kvs, kvs import", () => {
  const dir = tempDir();
  const allowed = join(dir.path, "allowed");
  const elsewhere = join(dir.path, "elsewhere");
  mkdirSync(allowed);
  mkdirSync(elsewhere);
  writeFileSync(join(allowed, "data.json"), importFile([["greeting", "hello"], ["b", "2"]]));
  writeFileSync(join(elsewhere, "secret.json"), importFile([[SECRET, SECRET]]));
  afterAll(() => dir.remove());

  const createStore = (url: string, name: string, source: string) =>
    cloudFrontClient(url).send(new CreateKeyValueStoreCommand({ Name: name, ImportSource: { SourceType: "S3", SourceARN: source } }));

  it("names --import-dir in serve's help and refuses a folder that does not exist", async () => {
    const help = await runCli(["serve", "--help"]);
    expect(help.stdout).toContain("--import-dir <folder>");
    const bad = await runCli(["serve", "--in-memory", "--port", "0", "--import-dir", join(dir.path, "missing")]);
    expect(bad.code).not.toBe(0);
    expect(bad.stderr).toContain("is not a folder");
  });

  it("serve reads import sources only from --import-dir folders", async () => {
    const without = await spawnServer(["--in-memory", "--quiet"]);
    try {
      const error = await createStore(without.url, "off", pathToFileURL(join(allowed, "data.json")).href).catch((e: unknown) => e as InvalidArgument);
      expect(error).toBeInstanceOf(InvalidArgument);
      expect((error as InvalidArgument).message).toContain("--import-dir");
    } finally {
      await stop(without);
    }
    const server = await spawnServer(["--in-memory", "--quiet", "--import-dir", allowed]);
    try {
      const created = await createStore(server.url, "on", pathToFileURL(join(allowed, "data.json")).href);
      const data = JSON.parse((await http(server.url, "GET", `/key-value-stores/${encodeURIComponent(created.KeyValueStore!.ARN!)}`)).body);
      expect(data.ItemCount).toBe(2);
      const outside = await createStore(server.url, "out", pathToFileURL(join(elsewhere, "secret.json")).href).catch((e: unknown) => e as InvalidArgument);
      expect(outside).toBeInstanceOf(InvalidArgument);
      expect((outside as InvalidArgument).message).not.toContain(SECRET);
    } finally {
      await stop(server);
    }
  });

  it("dev --kvs loads the file it is given (also through a symlink from another folder) for cf.kvs()", async () => {
    const site = join(dir.path, "site");
    mkdirSync(site);
    writeFileSync(join(site, "index.html"), "home");
    const fn = join(dir.path, "fn.js");
    writeFileSync(fn, "import cf from 'cloudfront';\nasync function handler(event) {\n  var value = await cf.kvs().get('greeting');\n  return { statusCode: 200, statusDescription: 'OK', body: value };\n}");
    const link = join(elsewhere, "link.json");
    symlinkSync(join(allowed, "data.json"), link);
    for (const kvsFile of [join(allowed, "data.json"), link]) {
      const { child, url, output } = await startDev([fn, "--origin", site, "--kvs", kvsFile]);
      try {
        expect(output()).toContain("2 keys from");
        expect((await http(url, "GET", "/")).body).toBe("hello");
      } finally {
        child.kill("SIGTERM");
      }
    }
    const missing = await runCli(["dev", fn, "--origin", site, "--kvs", join(dir.path, "nope.json"), "--port", "0"]);
    expect(missing.code).not.toBe(0);
    expect(missing.stderr).toContain("--kvs");
  });

  it("kvs import reads a regular file and refuses a FIFO at once", async () => {
    const server = await spawnServer(["--in-memory", "--quiet"]);
    try {
      await http(server.url, "POST", "/2020-05-31/key-value-store", { body: `<CreateKeyValueStoreRequest ${XMLNS}><Name>cli</Name></CreateKeyValueStoreRequest>` });
      const fifo = join(dir.path, "pipe.json");
      execFileSync("mkfifo", [fifo]);
      const refused = await runCli(["kvs", "import", "cli", fifo, "--endpoint", server.url]);
      expect(refused.code).not.toBe(0);
      expect(refused.stderr).toContain("a FIFO, not a regular file");
      const imported = await runCli(["kvs", "import", "cli", join(allowed, "data.json"), "--endpoint", server.url]);
      expect(imported.code).toBe(0);
      expect(imported.stdout).toContain("imported 2 keys into cli");
    } finally {
      await stop(server);
    }
  });
});
