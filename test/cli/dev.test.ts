import { mkdirSync, writeFileSync } from "node:fs";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { http, tempDir } from "../helpers.js";
import { runCli, startDev } from "../process.js";

describe("edgelite dev", () => {
  const dir = tempDir();
  afterAll(() => dir.remove());

  it("serves the function in front of the origin, reloads on save and reports syntax errors without dying", async () => {
    const origin = createServer((req, res) => res.writeHead(200, { "content-type": "text/plain" }).end(`origin ${req.url} ${req.headers["x-version"] ?? "-"}`));
    await new Promise<void>((resolve) => origin.listen(0, "127.0.0.1", resolve));
    const originUrl = `http://127.0.0.1:${(origin.address() as AddressInfo).port}`;
    const file = join(dir.path, "fn.js");
    const version = (v: string) => `function handler(event) { event.request.headers['x-version'] = { value: '${v}' }; return event.request; }`;
    writeFileSync(file, version("one"));
    const { child, url, output } = await startDev([file, "--origin", originUrl]);
    try {
      expect((await http(url, "GET", "/page?x=1")).body).toBe("origin /page?x=1 one");

      // Saving the file is enough; poll until the new version answers.
      writeFileSync(file, version("two"));
      let body = "";
      for (let i = 0; i < 200 && !body.endsWith("two"); i++) {
        await new Promise((resolve) => setTimeout(resolve, 20));
        body = (await http(url, "GET", "/page")).body;
      }
      expect(body).toBe("origin /page two");

      writeFileSync(file, "function handler(event) { for (const x of []) {} return event.request; }");
      let status = 200;
      for (let i = 0; i < 200 && status === 200; i++) {
        await new Promise((resolve) => setTimeout(resolve, 20));
        status = (await http(url, "GET", "/page")).status;
      }
      expect(status).toBe(503);
      expect(output()).toContain('SyntaxError: Token "of" not supported in this version in 1');
      expect(output()).toMatch(/GET \/page\?x=1 200 Miss viewer-request/);
      expect(child.exitCode).toBeNull();
    } finally {
      child.kill("SIGTERM");
      origin.close();
    }
  });

  it("serves a folder given as --origin like an S3 origin, / answered by index.html", async () => {
    const site = join(dir.path, "public");
    mkdirSync(site);
    writeFileSync(join(site, "index.html"), "<h1>home</h1>");
    const file = join(dir.path, "headers.js");
    writeFileSync(file, "function handler(event) { return event.request; }");
    const { child, url } = await startDev([file, "--origin", site]);
    try {
      const home = await http(url, "GET", "/");
      expect(home.status).toBe(200);
      expect(home.body).toBe("<h1>home</h1>");
      expect(home.headers["content-type"]).toBe("text/html");
      const missing = await http(url, "GET", "/nope.html");
      expect(missing.status).toBe(403);
      expect(missing.body).toContain("AccessDenied");
    } finally {
      child.kill("SIGTERM");
    }
  });

  it("refuses an --origin that is neither a URL nor a folder", async () => {
    const result = await runCli(["dev", join(dir.path, "fn.js"), "--origin", join(dir.path, "no-such-folder")]);
    expect(result.code).not.toBe(0);
    expect(result.stderr).toContain("neither");
  });
});
