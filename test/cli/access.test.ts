import { CreateKeyValueStoreCommand } from "@aws-sdk/client-cloudfront";
import { execFile, spawn } from "node:child_process";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { exposureWarning } from "../../src/cli/access.js";
import { cloudFrontClient, http, tempDir, XMLNS } from "../helpers.js";
import { BIN, runCli, spawnServer, type ServerProcess } from "../process.js";

const run = promisify(execFile);
const KEY = "AKIDCLITEST";
const SECRET = "cli/secret+value";

/** An AWS CLI: Debian's v2 (what .ci/run installs) or a v1 on PATH. */
async function findAwsCli(): Promise<string> {
  for (const candidate of ["/usr/bin/aws", "aws"]) {
    try {
      await run(candidate, ["--version"]);
      return candidate;
    } catch {
      // try the next one
    }
  }
  throw new Error("no AWS CLI found (install Debian's awscli, as .ci/run does)");
}

describe("serve --auth with command-line clients", () => {
  let server: ServerProcess;
  let aws: string;
  const dir = tempDir();
  const env = (secret: string) => ({ ...process.env, AWS_ACCESS_KEY_ID: KEY, AWS_SECRET_ACCESS_KEY: secret, AWS_DEFAULT_REGION: "us-east-1", AWS_PAGER: "", AWS_SESSION_TOKEN: "" });

  beforeAll(async () => {
    aws = await findAwsCli();
    server = await spawnServer(["--in-memory", "--quiet", "--auth", `${KEY}:${SECRET}`]);
  });
  afterAll(async () => {
    server.child.kill("SIGTERM");
    await server.exited;
    dir.remove();
  });

  it("serves the AWS CLI with the right credentials and refuses a wrong secret with SignatureDoesNotMatch", async () => {
    writeFileSync(join(dir.path, "fn.js"), "function handler(event) { return event.request; }\n");
    const created = await run(aws, ["cloudfront", "create-function", "--name", "cli-signed", "--function-config", "Comment=signed,Runtime=cloudfront-js-2.0", "--function-code", "fileb://fn.js", "--endpoint-url", server.url, "--output", "json"], { env: env(SECRET), cwd: dir.path });
    expect(JSON.parse(created.stdout).FunctionSummary.Name).toBe("cli-signed");
    const listed = await run(aws, ["cloudfront", "list-functions", "--endpoint-url", server.url, "--output", "json"], { env: env(SECRET) });
    expect(JSON.parse(listed.stdout).FunctionList.Quantity).toBe(1);
    const refused = await run(aws, ["cloudfront", "list-functions", "--endpoint-url", server.url], { env: env("wrong") }).catch((error: { stderr: string }) => error);
    expect((refused as { stderr: string }).stderr).toContain("SignatureDoesNotMatch");
  });

  it("kvs import signs with AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY (SigV4, then SigV4A for the data plane)", async () => {
    // Debian's AWS CLI (2.9) predates key value stores: the SDK creates this one.
    const client = cloudFrontClient(server.url, { credentials: { accessKeyId: KEY, secretAccessKey: SECRET } });
    await client.send(new CreateKeyValueStoreCommand({ Name: "cli-store" }));
    client.destroy();
    const file = join(dir.path, "keys.json");
    writeFileSync(file, JSON.stringify({ data: Array.from({ length: 60 }, (_, i) => ({ key: `k${i}`, value: `v${i}` })) }));
    const imported = await runCli(["kvs", "import", "cli-store", file, "--endpoint", server.url], { AWS_ACCESS_KEY_ID: KEY, AWS_SECRET_ACCESS_KEY: SECRET });
    expect(imported.stderr).toBe("");
    expect(imported.stdout).toContain("imported 60 keys into cli-store");
    const unsigned = await runCli(["kvs", "import", "cli-store", file, "--endpoint", server.url], { AWS_ACCESS_KEY_ID: "", AWS_SECRET_ACCESS_KEY: "" });
    expect(unsigned.code).not.toBe(0);
    expect(unsigned.stderr).toContain("Request is missing Authentication Token");
  });
});

describe("serve: EDGELITE_AUTH, bad flags and the exposure warning", () => {
  it("takes credentials from EDGELITE_AUTH", async () => {
    const server = await spawnServer(["--in-memory", "--quiet"], { EDGELITE_AUTH: `${KEY}:${SECRET},OTHERKEY:other` });
    try {
      const unsigned = await http(server.url, "POST", "/2020-05-31/key-value-store", { body: `<CreateKeyValueStoreRequest ${XMLNS}><Name>x</Name></CreateKeyValueStoreRequest>` });
      expect(unsigned.status).toBe(403);
      expect(unsigned.body).toContain("<Code>MissingAuthenticationToken</Code>");
      expect(server.stderr()).not.toContain("WARNING");
      expect(server.stdout()).toContain("signed requests only (2 keys)");
    } finally {
      server.child.kill("SIGTERM");
      await server.exited;
    }
  });

  it("refuses a malformed --auth, --allowed-host or --cors", async () => {
    for (const args of [["--auth", "no-colon"], ["--auth", "bad/key:secret"], ["--allowed-host", "a b"], ["--cors", "localhost:3000/path"]]) {
      const result = await runCli(["serve", "--in-memory", "--port", "0", ...args]);
      expect(result.code, args.join(" ")).not.toBe(0);
      expect(result.stderr).toContain(args[0]!);
    }
  });

  it("edgelite dev serves a Host given with --allowed-host and refuses others", async () => {
    const dir = tempDir();
    writeFileSync(join(dir.path, "fn.js"), "function handler(event) { return { statusCode: 200, statusDescription: 'OK', body: { encoding: 'text', data: 'dev ok' } }; }");
    const child = spawn(process.execPath, [BIN, "dev", join(dir.path, "fn.js"), "--origin", dir.path, "--port", "0", "--allowed-host", "devbox.lan"], { env: { ...process.env, NO_COLOR: "1" } });
    let out = "";
    child.stdout.on("data", (chunk: Buffer) => (out += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (out += chunk.toString()));
    try {
      for (let tries = 0; tries < 200 && !/serving (http:\/\/\S+?)\/ /.test(out); tries++) await new Promise((resolve) => setTimeout(resolve, 50));
      const url = /serving (http:\/\/\S+?)\/ /.exec(out)?.[1];
      expect(url, out).toBeDefined();
      expect((await http(url!, "GET", "/", { headers: { host: "devbox.lan:8080" } })).body).toBe("dev ok");
      expect((await http(url!, "GET", "/", { headers: { host: "127.0.0.1" } })).body).toBe("dev ok");
      expect((await http(url!, "GET", "/", { headers: { host: "evil.example" } })).status).toBe(403);
    } finally {
      child.kill("SIGTERM");
      await new Promise((resolve) => child.once("exit", resolve));
      dir.remove();
    }
  });

  it("warns loudly, naming --auth, when listening beyond loopback without it", async () => {
    const server = await spawnServer(["--in-memory", "--quiet", "--host", "0.0.0.0"]);
    try {
      // stderr and stdout are separate pipes: give the warning (written first) a moment to arrive.
      for (let tries = 0; tries < 50 && !server.stderr().includes("WARNING"); tries++) await new Promise((resolve) => setTimeout(resolve, 100));
      expect(server.stderr()).toContain("WARNING: listening on 0.0.0.0");
      expect(server.stderr()).toContain("--auth");
    } finally {
      server.child.kill("SIGTERM");
      await server.exited;
    }
    expect(exposureWarning("127.0.0.1", false)).toBeUndefined();
    expect(exposureWarning("localhost", false)).toBeUndefined();
    expect(exposureWarning("::1", false)).toBeUndefined();
    expect(exposureWarning("0.0.0.0", true)).toBeUndefined();
    expect(exposureWarning("::", false)).toContain("--auth");
    expect(exposureWarning("192.168.1.20", false)).toContain("--auth");
  });
});
