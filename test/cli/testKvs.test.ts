import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { tempDir } from "../helpers.js";
import { runCli } from "../process.js";

describe("edgelite test --kvs", () => {
  const dir = tempDir();
  afterAll(() => dir.remove());
  const file = (name: string, content: string) => {
    const path = join(dir.path, name);
    writeFileSync(path, content);
    return path;
  };
  const redirects = `import cf from 'cloudfront';
async function handler(event) {
  const kvs = cf.kvs();
  const target = await kvs.get(event.request.uri).catch(() => undefined);
  if (!target) return event.request;
  return { statusCode: 301, statusDescription: 'Moved', headers: { location: { value: target } } };
}`;

  it("lets cf.kvs() read the file, in the import format of dev --kvs and CreateKeyValueStore", async () => {
    const fn = file("redirects.js", redirects);
    const data = file("redirects.json", JSON.stringify({ data: [{ key: "/old", value: "/new" }] }));
    const hit = await runCli(["test", fn, "--kvs", data, "--uri", "/old", "--json"]);
    expect(hit.code).toBe(0);
    expect(JSON.parse(hit.stdout).output.response.headers.location.value).toBe("/new");
    const miss = await runCli(["test", fn, "--kvs", data, "--uri", "/other", "--json"]);
    expect(JSON.parse(miss.stdout).output.request.uri).toBe("/other");
  });

  it("without --kvs, cf.kvs() fails as for a function with no store", async () => {
    const fn = file("noStore.js", "import cf from 'cloudfront';\nasync function handler(event) { await cf.kvs().get('k'); return event.request; }");
    const result = await runCli(["test", fn, "--json"]);
    expect(result.code).toBe(1);
  });

  it("refuses a file that is not JSON with its position, and the 1.0 runtime", async () => {
    const fn = file("fn.js", redirects);
    const bad = file("bad.json", '{"data": [\n  {"key": "a", "value": "1"},\n]}');
    const invalid = await runCli(["test", fn, "--kvs", bad]);
    expect(invalid.code).toBe(65);
    expect(invalid.stderr).toContain(`--kvs: The import source ${bad} is not valid JSON (line 3, column 1)`);
    const shape = await runCli(["test", fn, "--kvs", file("shape.json", '{"keys": []}')]);
    expect(shape.code).toBe(65);
    expect(shape.stderr).toContain('{"data": [{"key": "…", "value": "…"}, …]}');
    const missing = await runCli(["test", fn, "--kvs", join(dir.path, "none.json")]);
    expect(missing.code).toBe(66);
    const old = await runCli(["test", fn, "--kvs", file("ok.json", '{"data": []}'), "--runtime", "1.0"]);
    expect(old.code).toBe(64);
    expect(old.stderr).toContain("--kvs needs the cloudfront-js-2.0 runtime");
  });
});
