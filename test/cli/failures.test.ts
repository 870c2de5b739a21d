import { execFileSync } from "node:child_process";
import { chmodSync, mkdirSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:net";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { closest, CliError, EXIT, failureOf } from "../../src/cli/failures.js";
import { tempDir } from "../helpers.js";
import { runCli, UNPRIVILEGED, UNPRIVILEGED_CAN_RUN } from "../process.js";

/**
 * Each mistake a user can make on the command line, provoked through the real CLI: what stderr says (what
 * went wrong, which flag or file, what to do), that no stack trace is shown, and the documented exit status.
 */

const noStack = (stderr: string) => expect(stderr).not.toMatch(/\n\s+at /);

describe("the CLI speaks plainly when something is wrong", () => {
  const dir = tempDir();
  const file = (name: string, content: string) => {
    const path = join(dir.path, name);
    writeFileSync(path, content);
    return path;
  };
  let fn: string;
  let taken: Server;
  let takenPort: number;
  beforeAll(async () => {
    fn = file("fn.js", "function handler(event) { return event.request; }");
    taken = createServer();
    await new Promise<void>((resolve) => taken.listen(0, "127.0.0.1", resolve));
    takenPort = (taken.address() as { port: number }).port;
  });
  afterAll(async () => {
    await new Promise((resolve) => taken.close(resolve));
    dir.remove();
  });

  it("prints help with no command, and every command's help has examples", async () => {
    const bare = await runCli([]);
    expect(bare.code).toBe(0);
    expect(bare.stdout).toContain("Usage: edgelite");
    expect(bare.stdout).toContain("Exit status:");
    for (const command of [["serve"], ["test"], ["dev"], ["kvs"], ["kvs", "import"], ["ls"]]) {
      const help = await runCli([...command, "--help"]);
      expect(help.code, command.join(" ")).toBe(0);
      expect(help.stdout, command.join(" ")).toMatch(/Examples?:\n {2}\$ edgelite/);
    }
  });

  it("usage mistakes exit 64", async () => {
    const unknown = await runCli(["bogus"]);
    expect(unknown.code).toBe(64);
    expect(unknown.stderr).toContain("unknown command 'bogus'");
    const flag = await runCli(["test", fn, "--bogus"]);
    expect(flag.code).toBe(64);
    expect(flag.stderr).toContain("unknown option '--bogus'");
  });

  it("a port in use names the port and suggests --port, for serve and dev", async () => {
    for (const args of [["serve", "--in-memory", "--port", String(takenPort)], ["dev", fn, "--origin", "http://127.0.0.1:9", "--port", String(takenPort)]]) {
      const result = await runCli(args);
      expect(result.code, args[0]).toBe(69);
      expect(result.stderr).toContain(`port ${takenPort} on 127.0.0.1 is already in use`);
      expect(result.stderr).toContain("--port");
      expect(result.stderr).not.toContain("EADDRINUSE:");
      noStack(result.stderr);
    }
  });

  it("a --data-dir that is a file, a database that is not one, or a folder that cannot be opened: the path (exit 73)", async () => {
    const aFile = file("not-a-dir", "x");
    const fileResult = await runCli(["serve", "--data-dir", aFile, "--port", "0"]);
    expect(fileResult.code).toBe(73);
    expect(fileResult.stderr).toContain(aFile);
    expect(fileResult.stderr).toContain("Give --data-dir a folder");
    noStack(fileResult.stderr);

    const corrupt = join(dir.path, "corrupt");
    mkdirSync(corrupt);
    writeFileSync(join(corrupt, "edgelite.sqlite"), Buffer.alloc(8192, 7));
    const corruptResult = await runCli(["serve", "--data-dir", corrupt, "--port", "0"]);
    expect(corruptResult.code).toBe(73);
    expect(corruptResult.stderr).toContain(join(corrupt, "edgelite.sqlite"));
    expect(corruptResult.stderr).toContain("file is not a database");
    noStack(corruptResult.stderr);

    const unopenable = join(dir.path, "unopenable");
    mkdirSync(join(unopenable, "edgelite.sqlite"), { recursive: true });
    const unopenableResult = await runCli(["serve", "--data-dir", unopenable, "--port", "0"]);
    expect(unopenableResult.code).toBe(73);
    expect(unopenableResult.stderr).toContain(join(unopenable, "edgelite.sqlite"));
    noStack(unopenableResult.stderr);
  });

  it.skipIf(process.getuid?.() !== 0 || !UNPRIVILEGED_CAN_RUN)("a --data-dir this user cannot write: the path and what to do (run as nobody)", async () => {
    const locked = join(dir.path, "locked");
    mkdirSync(locked);
    chmodSync(dir.path, 0o755);
    chmodSync(locked, 0o555);
    const result = await runCli(["serve", "--data-dir", join(locked, "data"), "--port", "0"], {}, UNPRIVILEGED);
    expect(result.code).toBe(73);
    expect(result.stderr).toContain(join(locked, "data"));
    expect(result.stderr).toContain("writable");
    noStack(result.stderr);
  });

  it("a function file that is missing or a folder, for test and dev (exit 66)", async () => {
    const missing = join(dir.path, "nope.js");
    for (const args of [["test", missing], ["dev", missing, "--origin", "http://127.0.0.1:9", "--port", "0"]]) {
      const result = await runCli(args);
      expect(result.code, args[0]).toBe(66);
      expect(result.stderr).toContain(missing);
      expect(result.stderr).toContain("no such file");
      noStack(result.stderr);
    }
    const folder = await runCli(["test", dir.path]);
    expect(folder.code).toBe(66);
    expect(folder.stderr).toContain(`${dir.path} is a folder`);
    const devFolder = await runCli(["dev", dir.path, "--origin", "http://127.0.0.1:9", "--port", "0"]);
    expect(devFolder.code).toBe(66);
    expect(devFolder.stderr).toContain("is a folder");
    noStack(devFolder.stderr);
  });

  it.skipIf(process.getuid?.() !== 0 || !UNPRIVILEGED_CAN_RUN)("an unreadable function file (run as nobody)", async () => {
    const secret = file("secret.js", "function handler(e) { return e.request; }");
    chmodSync(dir.path, 0o755);
    chmodSync(secret, 0o600);
    const result = await runCli(["test", secret], {}, UNPRIVILEGED);
    expect(result.code).toBe(66);
    expect(result.stderr).toContain(secret);
    expect(result.stderr).toContain("permission denied");
  });

  it("--event: a misspelt event type gets a suggestion; a missing file is named", async () => {
    const typo = await runCli(["test", fn, "--event", "viewer-reponse"]);
    expect(typo.code).toBe(64);
    expect(typo.stderr).toContain("--event viewer-reponse is neither an event type nor a file");
    expect(typo.stderr).toContain("Did you mean viewer-response?");
    noStack(typo.stderr);
    const missing = await runCli(["test", fn, "--event", join(dir.path, "missing.json")]);
    expect(missing.code).toBe(66);
    expect(missing.stderr).toContain(join(dir.path, "missing.json"));
  });

  it("--event: invalid JSON is told with its position, valid JSON that is no event in TestFunction's words (exit 65)", async () => {
    const broken = file("broken.json", '{\n  "version": "1.0",\n  "context": {\n}');
    const invalid = await runCli(["test", fn, "--event", broken]);
    expect(invalid.code).toBe(65);
    expect(invalid.stderr).toContain(`--event ${broken} is not valid JSON (line 4, column 2)`);
    expect(invalid.stderr).not.toContain("not a valid CloudFront Functions event");
    const notEvent = await runCli(["test", fn, "--event", file("other.json", '{"hello": 1}')]);
    expect(notEvent.code).toBe(65);
    expect(notEvent.stderr).toContain('is not a valid CloudFront Functions event (TestFunction would answer "The provided event object is not valid.")');
  });

  it("an invalid --runtime or --now is a usage error that names the flag", async () => {
    const runtime = await runCli(["test", fn, "--runtime", "3.0"]);
    expect(runtime.code).toBe(64);
    expect(runtime.stderr).toContain("--runtime");
    expect(runtime.stderr).toContain("expected 1.0, 2.0");
    const devRuntime = await runCli(["dev", fn, "--origin", "http://127.0.0.1:9", "--port", "0", "--runtime", "3.0"]);
    expect(devRuntime.code).toBe(64);
    expect(devRuntime.stderr).toContain("--runtime");
    const now = await runCli(["test", fn, "--now", "yesterday"]);
    expect(now.code).toBe(64);
    expect(now.stderr).toContain("--now");
    expect(now.stderr).toContain("2025-01-31T12:00:00Z");
  });

  it("kvs import and ls with no server: the URL tried and how to start one (exit 69)", async () => {
    const data = file("data.json", '{"data":[{"key":"a","value":"1"}]}');
    const url = `http://127.0.0.1:${await freePort()}`;
    for (const args of [["kvs", "import", "s", data, "--endpoint", url], ["ls", "--endpoint", url]]) {
      const result = await runCli(args);
      expect(result.code, args[0]).toBe(69);
      expect(result.stderr).toContain(`no edgelite server answered at ${url}`);
      expect(result.stderr).toContain("edgelite serve");
      expect(result.stderr).not.toContain("fetch failed");
      noStack(result.stderr);
    }
    const fromEnv = await runCli(["ls"], { AWS_ENDPOINT_URL: url });
    expect(fromEnv.stderr).toContain(url);
  });
});

describe("failureOf: expected failures against bugs", () => {
  it("keeps the stack, and asks for a report, only for an error nobody foresaw (exit 70)", () => {
    const bug = failureOf(new TypeError("cannot read properties of undefined"));
    expect(bug).toMatchObject({ exitCode: EXIT.internal, bug: true });
    expect(bug.message).toContain("please report it");
    expect(bug.message).toMatch(/TypeError: cannot read properties of undefined\n\s+at /);
    const plain = failureOf(new Error("the SQLite writer thread stopped"));
    expect(plain.bug).toBe(true);
    expect(failureOf(new CliError("--kvs needs 2.0", EXIT.usage))).toEqual({ message: "--kvs needs 2.0", exitCode: 64, bug: false });
    expect(failureOf(new Error("--origin must be an http:// URL"))).toMatchObject({ exitCode: 64, bug: false });
  });

  it("suggests the closest choice only when it is close", () => {
    expect(closest("viewer-reponse", ["viewer-request", "viewer-response"])).toBe("viewer-response");
    expect(closest("Viewer-Request", ["viewer-request", "viewer-response"])).toBe("viewer-request");
    expect(closest("origin-request", ["viewer-request", "viewer-response"])).toBeUndefined();
  });
});

describe("more plain failures", () => {
  it("a --host that is not this machine's, an --endpoint or AWS_ENDPOINT_URL that is not a URL", async () => {
    const host = await runCli(["serve", "--in-memory", "--host", "192.0.2.1", "--port", "0"]);
    expect(host.code).toBe(69);
    expect(host.stderr).toContain("cannot listen on 192.0.2.1: it is not an address of this machine");
    noStack(host.stderr);
    const endpoint = await runCli(["ls", "--endpoint", "localhost-4599"]);
    expect(endpoint.code).toBe(64);
    expect(endpoint.stderr).toContain("--endpoint localhost-4599 is not a URL");
    const fromEnv = await runCli(["ls"], { AWS_ENDPOINT_URL: "ftp://127.0.0.1" });
    expect(fromEnv.code).toBe(64);
    expect(fromEnv.stderr).toContain("AWS_ENDPOINT_URL ftp://127.0.0.1 is not an http:// or https:// URL");
  });

  it.skipIf(process.platform === "win32")("a FIFO given as the function file is refused, not waited on", async () => {
    const dir = tempDir();
    try {
      const fifo = join(dir.path, "fifo.js");
      execFileSync("mkfifo", [fifo]);
      const result = await runCli(["test", fifo]);
      expect(result.code).toBe(66);
      expect(result.stderr).toContain("is not a regular file");
    } finally {
      dir.remove();
    }
  });
});

/** A port nothing listens on: one the system handed out and took back. */
async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as { port: number }).port;
  await new Promise((resolve) => server.close(resolve));
  return port;
}
