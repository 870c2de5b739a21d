import { spawn, type ChildProcessWithoutNullStreams } from "node:child_process";
import { existsSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createLiveFunction, http, startTestServer, type TestServer } from "../helpers.js";
import { distributionRunning } from "./logsHelpers.js";

/** Debian's awscli package (v2.9.19; .ci/run installs it): its `logs tail --follow` polls FilterLogEvents every 5 s. */
const DEBIAN_AWS = "/usr/bin/aws";
const ENV = { ...process.env, AWS_ACCESS_KEY_ID: "AKIDEXAMPLE", AWS_SECRET_ACCESS_KEY: "secret", AWS_DEFAULT_REGION: "us-east-1", AWS_PAGER: "", PYTHONUNBUFFERED: "1" };

describe("aws logs tail --follow against edgelite", () => {
  let t: TestServer;
  let domain: string;
  let tail: ChildProcessWithoutNullStreams | undefined;
  beforeAll(async () => {
    t = await startTestServer("memory");
    const code = "function handler(event) { console.log('tail sees ' + event.request.uri); return { statusCode: 200 }; }";
    ({ domain } = await distributionRunning(t, await createLiveFunction(t.client, "tailed", code), "tailed"));
  });
  afterAll(async () => {
    if (tail && tail.exitCode === null) tail.kill("SIGKILL");
    await t.close();
  });

  it("is installed (Debian awscli)", () => {
    expect(existsSync(DEBIAN_AWS)).toBe(true);
  });

  it("prints the lines of runs made before and while it follows", async () => {
    const get = (path: string) => http(t.url, "GET", path, { headers: { host: domain } });
    // The group exists once a run has logged (tail, like AWS, fails on a group that does not exist).
    const before = String((await get("/before")).headers["x-amz-cf-id"]);
    tail = spawn(DEBIAN_AWS, ["logs", "tail", "/aws/cloudfront/function/tailed", "--follow", "--format", "short", "--endpoint-url", t.url], { env: ENV });
    let out = "";
    let err = "";
    tail.stdout.on("data", (chunk: Buffer) => (out += chunk.toString()));
    tail.stderr.on("data", (chunk: Buffer) => (err += chunk.toString()));
    const exited = new Promise<number | null>((resolve) => tail!.on("exit", (code) => resolve(code)));
    const seen = (text: string) =>
      new Promise<void>((resolve, reject) => {
        const poll = () => (out.includes(text) ? resolve() : tail!.exitCode !== null ? reject(new Error(`aws logs tail exited (${tail!.exitCode}):\n${out}\n${err}`)) : setTimeout(poll, 50));
        poll();
      });
    await seen(`${before} tail sees /before`);
    const during = String((await get("/during")).headers["x-amz-cf-id"]);
    await seen(`${during} END`);
    tail.kill("SIGTERM");
    await exited;
    const lines = out.split("\n").filter((line) => line !== "");
    // Short format: `<timestamp> <message>`, each event once although the CLI polls from the newest timestamp again.
    expect(lines.map((line) => line.replace(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d /, ""))).toEqual([
      expect.stringMatching(/ START DistributionID: E[A-Z0-9]+$/),
      `${before} tail sees /before`,
      `${before} END`,
      expect.stringMatching(/ START DistributionID: E[A-Z0-9]+$/),
      `${during} tail sees /during`,
      `${during} END`,
    ]);
  }, 40_000);
});
