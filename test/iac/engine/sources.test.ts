import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { globPattern, isSource, sourceFilter } from "../../../src/iac/engine/sources.js";
import { tempDir } from "../../helpers.js";

describe("what --synth watches", () => {
  it("reads globs as cdk.json's watch settings mean them", () => {
    expect(globPattern("**").test("a/b/c.ts")).toBe(true);
    expect(globPattern("**/*.js").test("lib/x.js")).toBe(true);
    expect(globPattern("**/*.js").test("x.js")).toBe(true);
    expect(globPattern("**/*.js").test("x.mjs")).toBe(false);
    expect(globPattern("src/*.ts").test("src/a/b.ts")).toBe(false);
    expect(globPattern("cdk*.json").test("cdk.context.json")).toBe(true);
    expect(globPattern("a?c").test("abc")).toBe(true);
    expect(globPattern("a.c").test("abc")).toBe(false);
  });

  it("takes cdk.json's include and exclude, and never the output, the data dir, dot files or node_modules", async () => {
    const dir = tempDir();
    try {
      writeFileSync(join(dir.path, "cdk.json"), JSON.stringify({ app: "node app.mjs", watch: { include: ["**"], exclude: ["README.md", "test"] } }));
      mkdirSync(join(dir.path, "cdk.out"));
      const filter = await sourceFilter(dir.path, [join(dir.path, "cdk.out"), join(dir.path, ".edgelite"), "/elsewhere"]);
      expect(isSource("app.mjs", filter)).toBe(true);
      expect(isSource("lib/stack.mjs", filter)).toBe(true);
      expect(isSource("README.md", filter)).toBe(false);
      expect(isSource("test/a.test.mjs", filter)).toBe(false);
      expect(isSource("cdk.out/manifest.json", filter)).toBe(false);
      expect(isSource("node_modules/x/index.js", filter)).toBe(false);
      expect(isSource("lib/node_modules/x.js", filter)).toBe(false);
      expect(isSource(".git/HEAD", filter)).toBe(false);
      expect(isSource(".edgelite/edgelite.sqlite", filter)).toBe(false);
      writeFileSync(join(dir.path, "cdk.json"), JSON.stringify({ watch: { include: "src/**" } }));
      const narrow = await sourceFilter(dir.path, []);
      expect(isSource("src/a.ts", narrow)).toBe(true);
      expect(isSource("app.mjs", narrow)).toBe(false);
    } finally {
      dir.remove();
    }
  });
});
