import { pathToFileURL } from "node:url";
import { fileURLToPath } from "node:url";
import { afterEach, describe, expect, it } from "vitest";
import { http } from "../helpers.js";
import { spawnServer, type ServerProcess } from "../process.js";

const ESCAPE = pathToFileURL(fileURLToPath(new URL("../fixtures/escape-on-request.mjs", import.meta.url))).href;

describe("the process guard of `edgelite serve`", () => {
  const running: ServerProcess[] = [];
  afterEach(() => {
    for (const server of running.splice(0)) if (server.child.exitCode === null) server.child.kill("SIGKILL");
  });

  it("logs an exception and a rejection that escaped a request, and keeps serving", async () => {
    const server = await spawnServer(["--in-memory", "--quiet"], { NODE_OPTIONS: `--import=${ESCAPE}` });
    running.push(server);
    for (let i = 0; i < 3; i++) {
      await http(server.url, "GET", "/_test/escape");
      // Let the escaped exception and rejection fire before the next request.
      await new Promise((resolve) => setTimeout(resolve, 50));
      expect(server.child.exitCode).toBeNull();
      expect((await http(server.url, "GET", "/_edgelite/health")).status).toBe(200);
      expect((await http(server.url, "GET", "/2020-05-31/function")).status).toBe(200);
    }
    expect(server.stderr()).toContain("uncaught exception (kept serving");
    expect(server.stderr()).toContain("escaped from a request handler");
    expect(server.stderr()).toContain("unhandled rejection (kept serving");
    server.child.kill("SIGTERM");
    expect((await server.exited).code).toBe(0);
  });
});
