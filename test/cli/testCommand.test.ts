import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { tempDir } from "../helpers.js";
import { runCli } from "../process.js";

describe("edgelite test <file>", () => {
  const dir = tempDir();
  afterAll(() => dir.remove());
  const file = (name: string, code: string) => {
    const path = join(dir.path, name);
    writeFileSync(path, code);
    return path;
  };

  it("runs a function against a built event and prints output, logs and utilization (exit 0)", async () => {
    const fn = file("ok.js", "function handler(event) { var r = event.request; r.headers['x-seen'] = { value: r.uri }; console.log('saw ' + r.uri); return r; }");
    const result = await runCli(["test", fn, "--uri", "/a/b?x=1", "-H", "host=example.org", "--json"]);
    expect(result.code).toBe(0);
    const report = JSON.parse(result.stdout);
    expect(report.logs).toEqual(["saw /a/b"]);
    expect(report.output.request.headers).toEqual({ host: { value: "example.org" }, "x-seen": { value: "/a/b" } });
    expect(report.output.request.querystring).toEqual({ x: { value: "1" } });
    // Deterministic (src/runtime/meter.ts): 2.0's base 6, plus 0.001 per code byte and 0.02 per statement run, rounded.
    expect(report.computeUtilization).toBe(6);
  });

  it("says what production would reject with a 502 (exit 2)", async () => {
    const fn = file("readonly.js", "function handler(event) { event.request.headers['x-forwarded-proto'] = { value: 'http' }; return event.request; }");
    const result = await runCli(["test", fn, "--runtime", "1.0"]);
    expect(result.code).toBe(2);
    expect(result.stdout).toContain('would return 502 in production: The header "x-forwarded-proto" cannot be added or changed by a function.');
  });

  it("reports syntax and execution errors in CloudFront's words (exit 1)", async () => {
    const fn = file("bad.js", "function handler(event) {\n  let x = 1;\n  return event.request;\n}");
    const result = await runCli(["test", fn, "--runtime", "cloudfront-js-1.0"]);
    expect(result.code).toBe(1);
    expect(result.stdout).toContain('SyntaxError: Token "let" not supported in this version in 2');
  });

  it("takes an event file, and viewer-response events", async () => {
    const fn = file("resp.js", "function handler(event) { event.response.headers['cache-control'] = { value: 'max-age=60' }; return event.response; }");
    const byFlags = await runCli(["test", fn, "--event", "viewer-response", "--status", "404", "--json"]);
    expect(JSON.parse(byFlags.stdout).output.response).toMatchObject({ statusCode: 404, headers: { "cache-control": { value: "max-age=60" } } });
    const eventFile = file("event.json", JSON.stringify({ version: "1.0", context: { eventType: "viewer-response" }, viewer: { ip: "1.2.3.4" }, request: { method: "GET", uri: "/" }, response: { statusCode: 200 } }));
    const byFile = await runCli(["test", fn, "--event", eventFile, "--json"]);
    expect(JSON.parse(byFile.stdout).output.response.statusCode).toBe(200);
    const notAnEvent = await runCli(["test", fn, "--event", file("bad.json", "{}")]);
    expect(notAnEvent.code).not.toBe(0);
    expect(notAnEvent.stderr).toContain("is not a valid CloudFront Functions event");
  });
});
