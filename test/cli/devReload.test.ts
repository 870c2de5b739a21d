import { spawnSync } from "node:child_process";
import { mkdirSync, renameSync, unlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, afterEach, describe, expect, it } from "vitest";
import { http, tempDir } from "../helpers.js";
import { pause, startDev, until } from "../process.js";

/** A viewer-request function that answers by itself, naming its version in a header. */
const version = (v: string) => `function handler(event) { return { statusCode: 200, statusDescription: 'OK', headers: { 'x-version': { value: '${v}' } } }; }\n`;

/** The ways editors and tools save a file. */
const SAVES = {
  "in place": (file: string, text: string) => writeFileSync(file, text),
  "write a temporary file, then rename it over": (file: string, text: string) => {
    writeFileSync(`${file}.tmp~`, text);
    renameSync(`${file}.tmp~`, file);
  },
  "sed -i": (file: string, text: string) => {
    // sed writes a new file and renames it over the old one, as atomic-save editors do.
    const result = spawnSync("sed", ["-i", `s/.*/${text.trim().replace(/[/&\\]/g, "\\$&")}/`, file]);
    if (result.status !== 0) throw new Error(`sed failed: ${result.stderr.toString()}`);
  },
  "delete, then create": (file: string, text: string) => {
    unlinkSync(file);
    writeFileSync(file, text);
  },
} satisfies Record<string, (file: string, text: string) => void>;


describe("edgelite dev reloads on every kind of save", () => {
  const dir = tempDir();
  const site = join(dir.path, "public");
  mkdirSync(site);
  writeFileSync(join(site, "index.html"), "<h1>home</h1>");
  let stop: (() => void) | undefined;
  afterEach(() => stop?.());
  afterAll(() => dir.remove());

  const start = async (file: string, extra: string[] = [], ready?: RegExp) => {
    const dev = await startDev([file, "--origin", site, ...extra], ready);
    stop = () => dev.child.kill("SIGTERM");
    const answer = async (path = "/") => http(dev.url, "GET", path);
    const live = (v: string) => until(`version ${v}`, async () => (await answer()).headers["x-version"] === v, dev.output);
    const lines = (text: string) => dev.output().split("\n").filter((line) => line === text).length;
    return { ...dev, answer, live, lines };
  };

  for (const [kind, save] of Object.entries(SAVES)) {
    it(`sees five saves made ${kind}, printing one "reloaded" line for each`, async () => {
      const file = join(dir.path, `${kind.replace(/\W+/g, "-")}.js`);
      writeFileSync(file, version("v0"));
      const dev = await start(file);
      await dev.live("v0");
      for (let i = 1; i <= 5; i++) {
        save(file, version(`v${i}`));
        await dev.live(`v${i}`);
      }
      expect(dev.lines(`reloaded ${file}`)).toBe(5);
      expect(dev.output()).not.toMatch(/gone|syntax error|cannot/);
      expect(dev.child.exitCode).toBeNull();
    });
  }

  it("takes the last of 20 saves in a row, and prints one line per reload: never two for one save", async () => {
    const file = join(dir.path, "burst.js");
    writeFileSync(file, version("b0"));
    const dev = await start(file);
    await dev.live("b0");
    // As fast as possible: the saves coalesce into fewer reloads, the last one wins.
    for (let i = 1; i <= 20; i++) SAVES["in place"](file, version(`b${i}`));
    await dev.live("b20");
    const afterBurst = dev.lines(`reloaded ${file}`);
    expect(afterBurst).toBeGreaterThanOrEqual(1);
    expect(afterBurst).toBeLessThanOrEqual(20);
    // One at a time, each awaited, every kind of save in turn: exactly one line each.
    const kinds = Object.values(SAVES);
    for (let i = 1; i <= 20; i++) {
      kinds[i % kinds.length]!(file, version(`s${i}`));
      await dev.live(`s${i}`);
    }
    expect(dev.lines(`reloaded ${file}`)).toBe(afterBurst + 20);
  });

  it("skips a save that changes nothing", async () => {
    const file = join(dir.path, "same.js");
    writeFileSync(file, version("same"));
    const dev = await start(file);
    SAVES["write a temporary file, then rename it over"](file, version("same"));
    SAVES["in place"](file, version("same"));
    await pause(300);
    SAVES["in place"](file, version("different"));
    await dev.live("different");
    expect(dev.lines(`reloaded ${file}`)).toBe(1);
  });

  it("says a syntax error is live (requests get a 503) instead of 'reloaded', then reloads the fix", async () => {
    const file = join(dir.path, "broken.js");
    writeFileSync(file, version("good"));
    const dev = await start(file);
    await dev.live("good");
    SAVES["write a temporary file, then rename it over"](file, "function handler(event) {\n  return event.request;\n");
    await until("the 503", async () => (await dev.answer()).status === 503, dev.output);
    const line = dev.output().split("\n").find((l) => l.startsWith("syntax error"));
    expect(line).toMatch(new RegExp(`^syntax error ${file.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}:3:\\d+: `));
    expect(line).toContain("SyntaxError: Unexpected end of input in 3");
    expect(line).toContain("503");
    expect(dev.output()).toMatch(/\n {4}> 3 \|.*\n {4} {4}\| \^/);
    expect(dev.lines(`reloaded ${file}`)).toBe(0);
    SAVES["in place"](file, version("fixed"));
    await dev.live("fixed");
    expect(dev.lines(`reloaded ${file}`)).toBe(1);
    expect(dev.output().split("\n").filter((l) => l.startsWith("syntax error"))).toHaveLength(1);
  });

  it("keeps serving a file that is gone, says so once, and reloads it when it is created again", async () => {
    const file = join(dir.path, "vanishing.js");
    writeFileSync(file, version("before"));
    const dev = await start(file);
    await dev.live("before");
    unlinkSync(file);
    await until("the gone line", () => dev.output().includes(`gone ${file}`), dev.output);
    expect((await dev.answer()).headers["x-version"]).toBe("before");
    // The poll and further events find it still missing: no second line.
    await pause(1200);
    expect(dev.output().split("\n").filter((l) => l.startsWith("gone"))).toHaveLength(1);
    writeFileSync(file, version("after"));
    await dev.live("after");
    expect(dev.lines(`reloaded ${file}`)).toBe(1);
    expect(dev.child.exitCode).toBeNull();
  });

  it("writes each reload as one JSON object with --log-format json", async () => {
    const file = join(dir.path, "json.js");
    writeFileSync(file, version("j0"));
    const dev = await start(file, ["--log-format", "json"], /"url":"(http:\/\/[^"]+?)\/".*"msg":"serving"/);
    SAVES["write a temporary file, then rename it over"](file, "function handler(event) {\n  return event.request;\n");
    await until("the 503", async () => (await dev.answer()).status === 503, dev.output);
    SAVES["in place"](file, version("j1"));
    await dev.live("j1");
    const entries = dev
      .output()
      .split("\n")
      .filter((line) => line.startsWith("{"))
      .map((line) => JSON.parse(line) as Record<string, unknown>)
      .filter((entry) => entry.file === file);
    expect(entries.map((entry) => entry.msg)).toEqual(["syntax error", "reloaded"]);
    expect(entries[0]).toMatchObject({ function: "json", line: 3, column: expect.any(Number), error: "SyntaxError: Unexpected end of input in 3" });
    expect(entries[0]!.codeFrame).toContain("> 3 |");
  });

  it("reloads the --viewer-response function too", async () => {
    const request = join(dir.path, "request.js");
    const response = join(dir.path, "response.js");
    writeFileSync(request, "function handler(event) { return event.request; }\n");
    const stamp = (v: string) => `function handler(event) { event.response.headers['x-response'] = { value: '${v}' }; return event.response; }\n`;
    writeFileSync(response, stamp("r1"));
    const dev = await start(request, ["--viewer-response", response]);
    await until("r1", async () => (await dev.answer()).headers["x-response"] === "r1", dev.output);
    SAVES["sed -i"](response, stamp("r2"));
    await until("r2", async () => (await dev.answer()).headers["x-response"] === "r2", dev.output);
    expect(dev.lines(`reloaded ${response}`)).toBe(1);
  });
});
