import { spawn } from "node:child_process";
import { writeFileSync } from "node:fs";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { http, tempDir } from "../helpers.js";
import { BIN } from "../process.js";

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
    const child = spawn(process.execPath, [BIN, "dev", file, "--origin", originUrl, "--port", "0"], { env: { ...process.env, NO_COLOR: "1" } });
    let out = "";
    child.stdout.on("data", (chunk: Buffer) => (out += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (out += chunk.toString()));
    try {
      const url = await new Promise<string>((resolve, reject) => {
        const timer = setInterval(() => {
          const match = /serving (http:\/\/\S+?)\/ /.exec(out);
          if (match) {
            clearInterval(timer);
            resolve(match[1]!);
          }
        }, 20);
        child.on("exit", () => reject(new Error(out)));
      });
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
      expect(out).toContain('SyntaxError: Token "of" not supported in this version in 1');
      expect(out).toMatch(/GET \/page\?x=1 200 Miss viewer-request/);
      expect(child.exitCode).toBeNull();
    } finally {
      child.kill("SIGTERM");
      origin.close();
    }
  });
});
