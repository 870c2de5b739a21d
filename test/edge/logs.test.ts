import { spawn, type ChildProcessWithoutNullStreams } from "node:child_process";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, afterEach, describe, expect, it } from "vitest";
import { http, tempDir } from "../helpers.js";
import { BIN } from "../process.js";

/** A viewer-request function that logs what it saw (a control character included) and answers itself. */
const CODE = `function handler(event) {
  if (event.request.uri === "/silent") return { statusCode: 204 };
  console.log("looking up " + event.request.uri);
  console.log("forged\\nGET / 200 Miss \\u001b[31m");
  return { statusCode: 200 };
}`;

/** `edgelite <args>` until its output contains `ready`; then its output so far, on demand. */
function start(args: string[], ready: RegExp): Promise<{ child: ChildProcessWithoutNullStreams; match: RegExpExecArray; output: () => string; seen: (text: RegExp) => Promise<void> }> {
  const child = spawn(process.execPath, [BIN, ...args], { env: { ...process.env, NO_COLOR: "1" } });
  let out = "";
  child.stdout.on("data", (chunk: Buffer) => (out += chunk.toString()));
  child.stderr.on("data", (chunk: Buffer) => (out += chunk.toString()));
  const seen = (text: RegExp) =>
    new Promise<void>((resolve, reject) => {
      const poll = () => (text.test(out) ? resolve() : child.exitCode !== null ? reject(new Error(`exited (${child.exitCode}):\n${out}`)) : setTimeout(poll, 20));
      poll();
    });
  return seen(ready).then(() => ({ child, match: ready.exec(out)!, output: () => out, seen }));
}

describe("the request log shows each run's console.log lines", () => {
  const dir = tempDir();
  const file = join(dir.path, "rewrite.js");
  writeFileSync(file, CODE);
  const children: ChildProcessWithoutNullStreams[] = [];
  afterEach(() => {
    for (const child of children.splice(0)) if (child.exitCode === null) child.kill("SIGKILL");
  });
  afterAll(() => dir.remove());

  it("pretty: indented under the request's line with the event type, function and stage, made printable", async () => {
    const dev = await start(["dev", file, "--origin", "http://127.0.0.1:9", "--port", "0"], /serving (http:\/\/\S+?)\/ /);
    children.push(dev.child);
    const url = dev.match[1]!;
    expect((await http(url, "GET", "/blog")).status).toBe(200);
    expect((await http(url, "GET", "/silent")).status).toBe(204);
    await dev.seen(/GET \/silent 204/);
    const lines = dev.output().split("\n");
    const at = lines.findIndex((line) => line.startsWith("GET /blog 200 "));
    expect(lines.slice(at + 1, at + 3)).toEqual([
      expect.stringMatching(/^ {4}↳ viewer-request \S+ \(LIVE\): looking up \/blog$/),
      expect.stringMatching(/^ {4}↳ viewer-request \S+ \(LIVE\): forged\\x0aGET \/ 200 Miss \\x1b\[31m$/),
    ]);
    // A run that logged nothing adds no line under its request.
    expect(lines[lines.findIndex((line) => line.startsWith("GET /silent 204")) + 1] ?? "").not.toMatch(/^ {4}↳/);
    expect(dev.output()).not.toMatch(/[\x00-\x08\x0b-\x1f\x7f]/);
  });

  it("json: a `logs` array of { function, stage, eventType, message } on the request's entry, absent when nothing was logged", async () => {
    const dev = await start(["dev", file, "--origin", "http://127.0.0.1:9", "--port", "0", "--log-format", "json"], /^(?=.*"msg":"serving").*"url":"(http:\/\/[^"]+?)\/"/m);
    children.push(dev.child);
    const url = dev.match[1]!;
    const blog = await http(url, "GET", "/blog");
    await http(url, "GET", "/silent");
    await dev.seen(/"msg":"GET \/silent 204"/);
    const entries = dev
      .output()
      .split("\n")
      .filter((line) => line.startsWith("{"))
      .map((line) => JSON.parse(line) as Record<string, unknown>)
      .filter((entry) => entry.kind === "edge");
    expect(entries).toHaveLength(2);
    expect(entries[0]).toMatchObject({
      requestId: blog.headers["x-amz-cf-id"],
      logs: [
        { function: expect.any(String), stage: "LIVE", eventType: "viewer-request", message: "looking up /blog" },
        { function: expect.any(String), stage: "LIVE", eventType: "viewer-request", message: "forged\nGET / 200 Miss \u001b[31m" },
      ],
    });
    expect(entries[1]).not.toHaveProperty("logs");
  });

  it("--quiet: neither request lines nor the functions' lines", async () => {
    const server = await start(["serve", "--port", "0", "--in-memory", "--quiet"], /listening on (http:\/\/\S+)/);
    children.push(server.child);
    // The quiet server still answers; nothing per request is written.
    expect((await http(server.match[1]!, "GET", "/2020-05-31/function")).status).toBe(200);
    expect(server.output().trim().split("\n")).toHaveLength(1);
  });
});
