import { GetFunctionCommand } from "@aws-sdk/client-cloudfront";
import { mkdirSync, renameSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { UpSession } from "../../../src/iac/engine/session.js";
import { sourceFilter } from "../../../src/iac/engine/sources.js";
import { WATCH_DEBOUNCE_MS, WATCH_POLL_MS } from "../../../src/iac/engine/watchFiles.js";
import { startTestServer, tempDir, type TestServer } from "../../helpers.js";
import { engineWith, recorder } from "./recorder.js";
import { functionHandler, loadTemplateFile } from "./standIns.js";

const template = (marker: string, name = "watched") =>
  JSON.stringify({
    Resources: {
      Rewrite: { Type: "AWS::CloudFront::Function", Properties: { Name: name, FunctionCode: `function handler(event) { var marker = "${marker}"; return event.request; }`, FunctionConfig: { Comment: "", Runtime: "cloudfront-js-2.0" } } },
    },
  });

/**
 * The issue asks for a change live within 1 s; WATCH_POLL_MS + WATCH_DEBOUNCE_MS plus an apply (~100 ms) is what
 * meets it (measured figures in docs/iac.md). A test asserts a bound with slack for a loaded CI machine, so it
 * fails on a watch that is broken or slow by design, not on a noisy moment.
 */
const SECOND_WITH_SLACK_MS = 2_500;

let server: TestServer;
const dir = tempDir("edgelite-up-watch-");
beforeAll(async () => {
  server = await startTestServer("memory");
});
afterAll(async () => {
  await server.close();
  dir.remove();
});

const liveCode = async (name = "watched") => new TextDecoder().decode((await server.client.send(new GetFunctionCommand({ Name: name, Stage: "LIVE" }))).FunctionCode);
const synthedCode = () => liveCode("synthed");

/** Milliseconds until the LIVE code holds `marker` (polled every 10 ms, up to `limitMs`). */
async function msUntilLive(marker: string, since: number, limitMs = 3000): Promise<number> {
  while (Date.now() - since < limitMs) {
    if ((await liveCode()).includes(marker)) return Date.now() - since;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  throw new Error(`${marker} not live after ${limitMs} ms`);
}

describe("--watch", () => {
  it("polls and settles well inside a second (the budget the issue sets)", () => {
    expect(WATCH_POLL_MS + WATCH_DEBOUNCE_MS).toBeLessThan(500);
  });


  it("applies a saved template within a second, however it is saved, and keeps the last good state on a broken one", async () => {
    const file = join(dir.path, "site.json");
    writeFileSync(file, template("one"));
    const report = recorder();
    const session = new UpSession({ load: () => loadTemplateFile(file), engine: engineWith(server.client, [functionHandler], report), report });
    await session.applyOnce();
    expect(await liveCode()).toContain('"one"');
    session.watch();
    try {
      // Written in place.
      let since = Date.now();
      writeFileSync(file, template("two"));
      expect(await msUntilLive('"two"', since)).toBeLessThan(SECOND_WITH_SLACK_MS);
      // Replaced by a rename (atomic-save editors, cdk synth's staging).
      since = Date.now();
      writeFileSync(`${file}.tmp`, template("three"));
      renameSync(`${file}.tmp`, file);
      expect(await msUntilLive('"three"', since)).toBeLessThan(SECOND_WITH_SLACK_MS);
      expect(report.told.filter((t) => t.kind === "reloaded").map((t) => t.kind === "reloaded" && t.summary.updated)).toEqual([1, 1]);

      // A broken template: told, and the function keeps its code.
      writeFileSync(file, "{ not json");
      await expect.poll(() => report.told.some((t) => t.kind === "reloadFailed"), { timeout: 2000 }).toBe(true);
      expect(await liveCode()).toContain('"three"');
      since = Date.now();
      writeFileSync(file, template("four"));
      expect(await msUntilLive('"four"', since)).toBeLessThan(SECOND_WITH_SLACK_MS);
    } finally {
      session.close();
    }
  });

  it("watches a template that was broken at start until it is fixed", async () => {
    const file = join(dir.path, "late.json");
    writeFileSync(file, "{ broken");
    const report = recorder();
    const session = new UpSession({ load: () => loadTemplateFile(file), engine: engineWith(server.client, [functionHandler], report), report, initialWatchPaths: [file] });
    await expect(session.applyOnce()).rejects.toThrow(SyntaxError);
    session.watch();
    try {
      const since = Date.now();
      writeFileSync(file, template("late", "late"));
      await expect.poll(() => liveCode("late").catch(() => ""), { timeout: 3000, interval: 20 }).toContain('"late"');
      expect(Date.now() - since).toBeLessThan(SECOND_WITH_SLACK_MS);
    } finally {
      session.close();
    }
  });

  it("--synth reruns the command when a source changes, applies what it made, and tells a failed synth with its output", async () => {
    const app = join(dir.path, "app");
    mkdirSync(join(app, "out"), { recursive: true });
    const source = join(app, "marker.txt");
    const output = join(app, "out", "stack.json");
    writeFileSync(source, "alpha");
    // A "synth" that fails on the word "fail", else writes the template from the source.
    const synthScript = join(app, "synth.cjs");
    writeFileSync(
      synthScript,
      `const fs = require("fs"); const m = fs.readFileSync(${JSON.stringify(source)}, "utf8").trim();
       if (m === "fail") { console.error("synth: the app threw"); process.exit(3); }
       fs.writeFileSync(${JSON.stringify(output)}, ${JSON.stringify(template("MARK", "synthed"))}.replace("MARK", m));`,
    );
    writeFileSync(output, template("alpha", "synthed"));
    const report = recorder();
    const filter = await sourceFilter(app, [join(app, "out")]);
    const session = new UpSession({
      load: () => loadTemplateFile(output),
      engine: engineWith(server.client, [functionHandler], report),
      report,
      synth: { command: `"${process.execPath}" synth.cjs`, appFolder: app, filter },
    });
    await session.applyOnce();
    session.watch();
    try {
      writeFileSync(source, "beta");
      await expect.poll(synthedCode, { timeout: 5000, interval: 20 }).toContain('"beta"');
      writeFileSync(source, "fail");
      await expect.poll(() => report.told.find((t) => t.kind === "synthFailed"), { timeout: 5000 }).toEqual({ kind: "synthFailed", status: "exit status 3", output: "synth: the app threw" });
      expect(await synthedCode()).toContain('"beta"');
      // What the synth writes (out/) does not start another synth.
      const synths = report.told.filter((t) => t.kind === "synthStarted").length;
      await new Promise((resolve) => setTimeout(resolve, 400));
      expect(report.told.filter((t) => t.kind === "synthStarted").length).toBe(synths);
    } finally {
      session.close();
    }
  });
});
