import { afterEach, describe, expect, it } from "vitest";
import { http, tempDir } from "../helpers.js";
import { runCli, spawnServer, type ServerProcess } from "../process.js";

describe("edgelite CLI", () => {
  const running: ServerProcess[] = [];
  afterEach(() => {
    for (const server of running.splice(0)) if (server.child.exitCode === null) server.child.kill("SIGKILL");
  });

  it("explains itself with --help", async () => {
    const top = await runCli(["--help"]);
    expect(top.code).toBe(0);
    expect(top.stdout).toContain("serve");
    expect(top.stdout).toContain("Quick start");
    const serve = await runCli(["serve", "--help"]);
    expect(serve.code).toBe(0);
    for (const flag of ["--host", "--port", "--data-dir", "--in-memory", "--account-id", "--max-functions"]) expect(serve.stdout).toContain(flag);
  });

  it("rejects bad options with a clear message", async () => {
    const result = await runCli(["serve", "--account-id", "42"]);
    expect(result.code).not.toBe(0);
    expect(result.stderr).toContain("12 digits");
  });

  it("prints one ready line, serves health, logs requests and stops cleanly on SIGINT", async () => {
    const dir = tempDir();
    const server = await spawnServer(["--data-dir", dir.path, "--account-id", "111122223333"]);
    running.push(server);
    expect(server.stdout().trim().split("\n")).toHaveLength(1);
    expect(server.stdout()).toContain("111122223333");
    const health = await http(server.url, "GET", "/_edgelite/health");
    expect(health.status).toBe(200);
    expect(JSON.parse(health.body).storage).toBe("sqlite");
    await http(server.url, "GET", "/2020-05-31/function");
    server.child.kill("SIGINT");
    const exit = await server.exited;
    expect(exit.code).toBe(0);
    expect(server.stderr()).toMatch(/GET \/2020-05-31\/function 200 ListFunctions/);
    dir.remove();
  });

  it("runs in memory when asked", async () => {
    const server = await spawnServer(["--in-memory", "--quiet"]);
    running.push(server);
    expect(server.stdout()).toContain("in memory");
    expect(JSON.parse((await http(server.url, "GET", "/_edgelite/health")).body).storage).toBe("memory");
    server.child.kill("SIGTERM");
    expect((await server.exited).code).toBe(0);
  });

  it("lets in-flight requests finish when stopped", async () => {
    const server = await spawnServer(["--in-memory", "--quiet"]);
    running.push(server);
    const pending = Array.from({ length: 20 }, () => http(server.url, "GET", "/2020-05-31/function"));
    await new Promise((resolve) => setTimeout(resolve, 5));
    server.child.kill("SIGTERM");
    const results = await Promise.allSettled(pending);
    // Requests already accepted complete with a real answer; none gets a half-written reply.
    for (const result of results) if (result.status === "fulfilled") expect(result.value.status).toBe(200);
    expect((await server.exited).code).toBe(0);
  });
});
