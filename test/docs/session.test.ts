import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { runnableSnippets, showsExpected } from "./markdown.js";
import { freePort, ReaderSession } from "./session.js";

describe("a reader's session over a document's runnable blocks", () => {
  let folder: string;
  let session: ReaderSession | undefined;
  let port: number;
  beforeAll(async () => {
    folder = mkdtempSync(join(tmpdir(), "edgelite-session-"));
    port = await freePort();
  });
  afterEach(async () => session?.close());
  afterAll(() => rmSync(folder, { recursive: true, force: true }));

  const run = async (markdown: string) => {
    session = new ReaderSession(folder, { PATH: process.env.PATH ?? "" }, new Map([[4599, port]]));
    for (const snippet of runnableSnippets("doc.md", markdown)) await session.run(snippet);
  };

  it("carries shell variables and the working folder from block to block, into JavaScript too", async () => {
    await run(
      [
        "```sh runnable",
        "mkdir -p sub && cd sub",
        "NAME=carried",
        "```",
        "```sh runnable",
        'test "$NAME" = carried && test "$(basename "$PWD")" = sub',
        "```",
        "```js runnable",
        'if (process.env.NAME !== "carried" || !process.cwd().endsWith("sub")) process.exit(3);',
        "```",
      ].join("\n"),
    );
  });

  it("fails on a failing command with the block's file, line and output", async () => {
    await expect(run(["text", "```sh runnable", "echo before", "false", "echo after", "```"].join("\n"))).rejects.toThrow(
      /the block at doc\.md:2 failed \(exit 1\):[\s\S]*--- output ---\nbefore\n$/,
    );
  });

  it("checks the text output block that follows, with … for anything", async () => {
    await run(["```sh runnable", "echo 'id E2ABC123 created'", "echo done", "```", "", "```text output", "id E… created", "done", "```"].join("\n"));
    await expect(run(["```sh runnable", "echo done", "```", "```text output", "not printed", "```"].join("\n"))).rejects.toThrow('did not print "not printed"');
  });

  it("runs a background block on the document's port in place of 4599, until the document ends", async () => {
    await run(
      [
        "```sh runnable background",
        `node -e "require('node:http').createServer((q, s) => s.end('up')).listen(4599, '127.0.0.1')"`,
        "```",
        "```sh runnable",
        "curl -fsS http://127.0.0.1:4599/",
        "```",
        "```text output",
        "up",
        "```",
      ].join("\n"),
    );
    await session?.close();
    await expect(fetch(`http://127.0.0.1:${port}/`)).rejects.toThrow();
  });

  it("gives a background `edgelite up` the document's port, as `serve`, lets it replace a running `serve` and waits for its apply", async () => {
    // A stand-in `edgelite` on PATH that listens on its --port and answers with its arguments.
    const bin = join(folder, "fake-bin");
    mkdirSync(bin, { recursive: true });
    writeFileSync(
      join(bin, "edgelite"),
      [
        "#!/bin/sh",
        "exec node -e '",
        "const a = process.argv.slice(1);",
        // As up: listening first, its stacks applied (and its distribution's URL printed) a moment later.
        'let applied = a[0] !== "up";',
        'require("node:http").createServer((q, s) => s.end(applied ? a.join(" ") : "not applied yet")).listen(Number(a[a.indexOf("--port") + 1]), "127.0.0.1", () => {',
        '  if (!applied) setTimeout(() => { applied = true; console.log("distribution E1 serving at http://d1.cloudfront.localhost/"); }, 500);',
        "});",
        `' -- "$@"`,
        "",
      ].join("\n"),
    );
    chmodSync(join(bin, "edgelite"), 0o755);
    session = new ReaderSession(folder, { PATH: `${bin}:${process.env.PATH ?? ""}` }, new Map([[4599, port]]));
    const markdown = [
      "```sh runnable background",
      "edgelite serve --in-memory",
      "```",
      "```sh runnable background",
      "edgelite up cdk.out",
      "```",
      "```sh runnable",
      "curl -fsS http://127.0.0.1:4599/",
      "```",
      "```text output",
      "up --port 4599 cdk.out",
      "```",
    ].join("\n");
    for (const snippet of runnableSnippets("doc.md", markdown)) await session.run(snippet);
  });

  it("refuses a background block with no port to wait for", async () => {
    await expect(run(["```sh runnable background", "sleep 30", "```"].join("\n"))).rejects.toThrow("the background block at doc.md:1 names no port to wait for");
  });

  it("reports a background block that exits instead of listening", async () => {
    await expect(run(["```sh runnable background", "echo no server here; exit 2   # port 4599", "```"].join("\n"))).rejects.toThrow(/exited on port \d+:[\s\S]*no server here/);
  });
});

describe("expected output", () => {
  it("matches lines in order, … standing for anything within a line", () => {
    expect(showsExpected("a 1\nb 22\nc\n", ["a …", "b 2…", "c"])).toEqual({ ok: true });
    expect(showsExpected("c\na\n", ["a", "c"])).toEqual({ ok: false, missing: "c" });
    expect(showsExpected("x(y)\n", ["x(y)"])).toEqual({ ok: true });
  });
});
