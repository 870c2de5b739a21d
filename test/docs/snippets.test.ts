import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { delimiter, join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runnableSnippets, type Snippet } from "./markdown.js";
import { awsCliWithKeyValueStore, freePort, prepareProjectFolder, REPO, ReaderSession } from "./session.js";

/**
 * The code blocks of README.md and docs/*.md marked runnable (```` ```sh runnable ````, see markdown.ts) run as
 * written, in order, each document in a fresh folder as a reader following it would (session.ts: shell state
 * carried from block to block, servers in the background, the document's own ports). A block that fails fails
 * the test with its file and line.
 */
const DOCUMENTS = ["README.md", ...readdirSync(join(REPO, "docs")).filter((name) => name.endsWith(".md")).sort().map((name) => `docs/${name}`)];
const snippetsOf = new Map<string, Snippet[]>(DOCUMENTS.map((file) => [file, runnableSnippets(file, readFileSync(join(REPO, file), "utf8"))]));

/** A reader's environment: dummy credentials and a region, no AWS configuration of the developer's. */
function readerEnvironment(root: string, awsDir: string): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [name, value] of Object.entries(process.env)) {
    if (!name.startsWith("AWS_") && !name.startsWith("EDGELITE_") && !name.startsWith("npm_") && !name.startsWith("VITEST")) env[name] = value;
  }
  return {
    ...env,
    PATH: `${awsDir}${delimiter}${process.env.PATH ?? ""}`,
    AWS_ACCESS_KEY_ID: "local",
    AWS_SECRET_ACCESS_KEY: "local",
    AWS_DEFAULT_REGION: "us-east-1",
    AWS_CONFIG_FILE: join(root, "no-aws-config"),
    AWS_SHARED_CREDENTIALS_FILE: join(root, "no-aws-credentials"),
    AWS_PAGER: "",
    NO_COLOR: "1",
    // The SDK's Node-version notice, as in the rest of the suite (vitest.config.ts).
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: "true",
  };
}

describe("runnable snippets in the documentation", () => {
  let root: string;
  let awsDir: string;
  beforeAll(async () => {
    root = mkdtempSync(join(tmpdir(), "edgelite-docs-"));
    prepareProjectFolder(root);
    awsDir = await awsCliWithKeyValueStore(process.env.PATH ?? "");
  }, 180_000);
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it("the README has runnable blocks (the marker is in use)", () => {
    const readme = snippetsOf.get("README.md") ?? [];
    expect(readme.filter((s) => s.language === "sh").length).toBeGreaterThan(3);
    expect(readme.some((s) => s.language === "js")).toBe(true);
    expect(readme.some((s) => s.language === "python")).toBe(true);
    expect(readme.some((s) => s.background)).toBe(true);
  });

  for (const [file, snippets] of snippetsOf) {
    if (snippets.length === 0) continue;
    it(`${file}: ${snippets.length} blocks run as written`, { timeout: 600_000 }, async () => {
      const folder = join(root, file.replace(/[^A-Za-z0-9.-]/g, "_"));
      mkdirSync(folder);
      const ports = new Map<number, number>([
        [4599, await freePort()],
        [8080, await freePort()],
      ]);
      const session = new ReaderSession(folder, readerEnvironment(root, awsDir), ports);
      try {
        for (const snippet of snippets) await session.run(snippet);
      } finally {
        await session.close();
      }
    });
  }
});
