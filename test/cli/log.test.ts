import { spawn, type ChildProcessWithoutNullStreams } from "node:child_process";
import { writeFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { hostname } from "node:os";
import { join } from "node:path";
import { afterAll, afterEach, describe, expect, it } from "vitest";
import { CACHING_DISABLED, createDistribution, startOrigin } from "../edge/viewerRulesSetup.js";
import { cloudFrontClient, http, tempDir } from "../helpers.js";
import { BIN, runCli, spawnServer, type ServerProcess } from "../process.js";

type Line = Record<string, unknown>;

interface JsonProcess {
  child: ChildProcessWithoutNullStreams;
  /** The line whose msg was awaited (the ready line). */
  ready: Line;
  /** Stops the process with SIGTERM and returns every stdout line, each parsed as JSON, and the exit code. */
  stop(): Promise<{ code: number | null; lines: Line[]; stdout: string }>;
}

/** Runs the CLI and waits for a stdout JSON line with this msg; any stdout line that is not JSON fails the test. */
function spawnJson(args: string[], readyMsg: string): Promise<JsonProcess> {
  const child = spawn(process.execPath, [BIN, ...args], { env: { ...process.env, NO_COLOR: "1" } });
  let out = "";
  let err = "";
  const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
  const parse = (text: string): Line[] => text.split("\n").filter((line) => line !== "").map((line) => JSON.parse(line) as Line);
  return new Promise((resolve, reject) => {
    child.stderr.on("data", (chunk: Buffer) => (err += chunk.toString()));
    child.stdout.on("data", (chunk: Buffer) => {
      out += chunk.toString();
      const complete = out.slice(0, out.lastIndexOf("\n") + 1);
      const ready = parse(complete).find((line) => line.msg === readyMsg);
      if (ready) {
        resolve({
          child,
          ready,
          async stop() {
            child.kill("SIGTERM");
            const code = await exited;
            return { code, lines: parse(out), stdout: out };
          },
        });
      }
    });
    void exited.then((code) => reject(new Error(`exited (${code}) before "${readyMsg}":\n${out}\n${err}`)));
  });
}

const PINO_BASE = { pid: expect.any(Number), hostname: hostname(), time: expect.any(Number) };

describe("request log", () => {
  const dir = tempDir();
  const children: ChildProcessWithoutNullStreams[] = [];
  const servers: ServerProcess[] = [];
  let origin: Server | undefined;
  afterEach(() => {
    for (const child of children.splice(0)) if (child.exitCode === null) child.kill("SIGKILL");
    for (const server of servers.splice(0)) if (server.child.exitCode === null) server.child.kill("SIGKILL");
  });
  afterAll(() => {
    origin?.close();
    dir.remove();
  });

  it("serve --log-format json: one pino object per line on stdout, the ready line included", async () => {
    const server = await spawnJson(["serve", "--port", "0", "--in-memory", "--log-format", "json"], "listening");
    children.push(server.child);
    expect(server.ready).toMatchObject({ ...PINO_BASE, level: 30, msg: "listening", storage: "memory", accountId: "123456789012" });
    const url = server.ready.url as string;
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);

    const list = await http(url, "GET", "/2020-05-31/function");
    expect(list.status).toBe(200);
    const missing = await http(url, "GET", "/2020-05-31/function/nope");
    expect(missing.status).toBe(404);

    const { code, lines } = await server.stop();
    expect(code).toBe(0);
    const api = lines.filter((line) => line.kind === "api");
    expect(api).toHaveLength(2);
    expect(api[0]).toEqual({
      ...PINO_BASE,
      level: 30,
      kind: "api",
      requestId: list.headers["x-amzn-requestid"],
      method: "GET",
      path: "/2020-05-31/function",
      operation: "ListFunctions",
      status: 200,
      durationMs: expect.any(Number),
      msg: "GET /2020-05-31/function 200",
    });
    expect(api[1]).toMatchObject({ level: 40, kind: "api", status: 404, operation: "GetFunction", errorCode: "NoSuchFunctionExists", msg: "GET /2020-05-31/function/nope 404" });
    // Nothing but the ready line and the two calls: stdout is pure JSON (errors and shutdown notes go to stderr).
    expect(lines).toHaveLength(3);
  });

  it("serve --log-format json --quiet: a distribution's notice once, as a warn line with kind notice", async () => {
    const server = await spawnJson(["serve", "--port", "0", "--in-memory", "--log-format", "json", "--quiet"], "listening");
    children.push(server.child);
    const url = server.ready.url as string;
    const noticed = await startOrigin();
    const client = cloudFrontClient(url);
    let id = "";
    try {
      let host: string;
      ({ id, host } = await createDistribution(client, noticed.port, { DefaultCacheBehavior: { TargetOriginId: "o", ViewerProtocolPolicy: "redirect-to-https", CachePolicyId: CACHING_DISABLED } }));
      for (let i = 0; i < 2; i++) expect((await http(url, "GET", "/", { headers: { host } })).status).toBe(200);
    } finally {
      client.destroy();
      await noticed.close();
    }
    const notices = (await server.stop()).lines.filter((line) => line.kind === "notice");
    expect(notices).toHaveLength(1);
    expect(notices[0]).toMatchObject({ ...PINO_BASE, level: 40, kind: "notice", notice: "viewer-protocol-policy", distributionId: id });
    expect(notices[0]!.msg).toContain("ViewerProtocolPolicy redirect-to-https");
  });

  it("dev --log-format json: edge requests with their result, functions, compute and detail", async () => {
    origin = createServer((req, res) => res.writeHead(200, { "content-type": "text/plain" }).end(`origin ${req.url}`));
    await new Promise<void>((resolve) => origin!.listen(0, "127.0.0.1", resolve));
    const originUrl = `http://127.0.0.1:${(origin.address() as AddressInfo).port}`;
    const file = join(dir.path, "fn.js");
    writeFileSync(file, "function handler(event) { if (event.request.uri === '/boom') throw new Error('boom'); return event.request; }");

    const dev = await spawnJson(["dev", file, "--origin", originUrl, "--port", "0", "--log-format", "json"], "serving");
    children.push(dev.child);
    expect(dev.ready).toMatchObject({ ...PINO_BASE, level: 30, msg: "serving", origin: originUrl, runtime: "cloudfront-js-2.0", files: [file] });
    const url = dev.ready.url as string;

    const page = await http(url, "GET", "/page?x=1");
    expect(page.body).toBe("origin /page?x=1");
    const boom = await http(url, "GET", "/boom");
    expect(boom.status).toBe(503);

    const { code, lines } = await dev.stop();
    expect(code).toBe(0);
    const edge = lines.filter((line) => line.kind === "edge");
    expect(edge).toHaveLength(2);
    expect(edge[0]).toEqual({
      ...PINO_BASE,
      level: 30,
      kind: "edge",
      requestId: page.headers["x-amz-cf-id"],
      distributionId: expect.stringMatching(/^E[A-Z0-9]+$/),
      method: "GET",
      uri: "/page?x=1",
      status: 200,
      result: "Miss",
      detailedResult: "Miss",
      functions: ["viewer-request:fn"],
      computeUtilization: expect.any(Number),
      durationMs: expect.any(Number),
      msg: "GET /page?x=1 200",
    });
    expect(edge[1]).toMatchObject({ level: 50, kind: "edge", uri: "/boom", status: 503, result: "FunctionExecutionError", detail: expect.stringContaining("boom"), msg: "GET /boom 503" });
    expect(lines).toHaveLength(3);
  });

  it("pretty (the default): human lines, API calls on stderr, and --quiet silences them", async () => {
    const server = await spawnServer(["--in-memory"]);
    servers.push(server);
    await http(server.url, "GET", "/2020-05-31/function");
    server.child.kill("SIGTERM");
    expect((await server.exited).code).toBe(0);
    const notJson = (line: string) => expect(() => JSON.parse(line)).toThrow();
    expect(server.stdout()).toMatch(/^edgelite listening on http:\/\/\S+ \(in memory, account 123456789012\)\n$/);
    notJson(server.stdout().trim());
    const apiLine = server.stderr().split("\n").find((line) => line.startsWith("GET /2020-05-31/function"));
    expect(apiLine).toMatch(/^GET \/2020-05-31\/function 200 ListFunctions \d+\.\dms$/);
    notJson(apiLine!);

    const quiet = await spawnJson(["serve", "--port", "0", "--in-memory", "--log-format", "json", "--quiet"], "listening");
    children.push(quiet.child);
    await http(quiet.ready.url as string, "GET", "/2020-05-31/function");
    const { lines } = await quiet.stop();
    expect(lines.map((line) => line.msg)).toEqual(["listening"]);
  });

  it("pretty: a function's error text cannot write escape sequences or forged lines to the terminal", async () => {
    const file = join(dir.path, "escape.js");
    writeFileSync(file, "function handler(event) { throw new Error('\\x1b[2J\\x1b[31mforged\\nGET / 200 Miss\\u0007'); }");
    const child = spawn(process.execPath, [BIN, "dev", file, "--origin", "http://127.0.0.1:9", "--port", "0"], { env: { ...process.env, NO_COLOR: "1" } });
    children.push(child);
    let out = "";
    const url = await new Promise<string>((resolve, reject) => {
      child.stdout.on("data", (chunk: Buffer) => {
        out += chunk.toString();
        const match = /(http:\/\/127\.0\.0\.1:\d+)/.exec(out);
        if (match) resolve(match[1]!);
      });
      child.on("exit", (code) => reject(new Error(`dev exited (${code}):\n${out}`)));
    });
    expect((await http(url, "GET", "/")).status).toBe(503);
    await new Promise<void>((resolve) => {
      const poll = () => (out.includes("forged") ? resolve() : setTimeout(poll, 20));
      poll();
    });
    const line = out.split("\n").find((text) => text.includes("forged"))!;
    expect(line).toContain("\\x1b[2J\\x1b[31mforged\\x0aGET / 200 Miss\\x07");
    expect(out).not.toMatch(/[\x00-\x08\x0b-\x1f\x7f]/);
    expect(out.split("\n").filter((text) => text.startsWith("GET / 200"))).toEqual([]);
  });

  it("offers --log-format in help and rejects unknown formats", async () => {
    for (const command of ["serve", "dev"]) expect((await runCli([command, "--help"])).stdout).toContain("--log-format <format>");
    const bad = await runCli(["serve", "--in-memory", "--log-format", "xml"]);
    expect(bad.code).not.toBe(0);
    expect(bad.stderr).toContain("Allowed choices are pretty, json");
  });
});
