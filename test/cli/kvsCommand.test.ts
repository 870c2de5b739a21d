import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { http, tempDir, XMLNS } from "../helpers.js";
import { runCli, spawnServer } from "../process.js";

describe("edgelite kvs import", () => {
  const dir = tempDir();
  afterAll(() => dir.remove());

  it("loads a CloudFront import file into a store of a running server, in batches", async () => {
    const server = await spawnServer(["--in-memory", "--quiet"]);
    try {
      const created = await http(server.url, "POST", "/2020-05-31/key-value-store", { body: `<CreateKeyValueStoreRequest ${XMLNS}><Name>redirects</Name></CreateKeyValueStoreRequest>` });
      const arn = /<ARN>([^<]+)<\/ARN>/.exec(created.body)![1]!;
      const file = join(dir.path, "redirects.json");
      writeFileSync(file, JSON.stringify({ data: Array.from({ length: 120 }, (_, i) => ({ key: `/old/${i}`, value: `/new/${i}` })) }));
      const result = await runCli(["kvs", "import", "redirects", file, "--endpoint", server.url]);
      expect(result.code).toBe(0);
      expect(result.stdout).toContain("imported 120 keys into redirects");
      const data = JSON.parse((await http(server.url, "GET", `/key-value-stores/${encodeURIComponent(arn)}`)).body);
      expect(data.ItemCount).toBe(120);
      const missing = await runCli(["kvs", "import", "nope", file, "--endpoint", server.url]);
      expect(missing.code).not.toBe(0);
      expect(missing.stderr).toContain("nope");
    } finally {
      server.child.kill("SIGTERM");
      await server.exited;
    }
  });
});

describe("edgelite kvs import's output", () => {
  it("is one clean line when stdout is not a terminal (no carriage returns, no progress)", async () => {
    const dir = tempDir();
    const server = await spawnServer(["--in-memory", "--quiet"]);
    try {
      await http(server.url, "POST", "/2020-05-31/key-value-store", { body: `<CreateKeyValueStoreRequest ${XMLNS}><Name>plain</Name></CreateKeyValueStoreRequest>` });
      const file = join(dir.path, "two.json");
      writeFileSync(file, JSON.stringify({ data: [{ key: "a", value: "1" }, { key: "b", value: "2" }] }));
      const result = await runCli(["kvs", "import", "plain", file, "--endpoint", server.url]);
      expect(result.code).toBe(0);
      expect(result.stdout).toBe("imported 2 keys into plain\n");
    } finally {
      server.child.kill("SIGTERM");
      await server.exited;
      dir.remove();
    }
  });
});
