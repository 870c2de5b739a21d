import { spawn, type ChildProcessWithoutNullStreams } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { http, tempDir } from "../helpers.js";
import { BIN, runCli, spawnServer, type ServerProcess } from "../process.js";

const MANAGED_CACHING_DISABLED = "4135ea2d-6df8-44a3-9df3-4b5a84be39ad";
/** Managed-AllViewer: the header the function adds reaches the origin. */
const MANAGED_ALL_VIEWER = "216adef6-5c7f-47e4-b989-5492eafa07d3";

function template(greeting: string, runtime = "cloudfront-js-2.0"): string {
  return JSON.stringify({
    Resources: {
      Greet: {
        Type: "AWS::CloudFront::Function",
        Properties: {
          Name: "up-cli-greet",
          AutoPublish: true,
          FunctionConfig: { Comment: "", Runtime: runtime },
          FunctionCode: `function handler(event) { event.request.headers['x-greeting'] = { value: '${greeting}' }; return event.request; }`,
        },
      },
      Topic: { Type: "AWS::SNS::Topic" },
      Site: {
        Type: "AWS::CloudFront::Distribution",
        Properties: {
          DistributionConfig: {
            Enabled: true,
            Origins: [{ Id: "app", DomainName: "app.example.com", CustomOriginConfig: { OriginProtocolPolicy: "http-only" } }],
            DefaultCacheBehavior: {
              TargetOriginId: "app",
              ViewerProtocolPolicy: "allow-all",
              CachePolicyId: MANAGED_CACHING_DISABLED,
              OriginRequestPolicyId: MANAGED_ALL_VIEWER,
              FunctionAssociations: [{ EventType: "viewer-request", FunctionARN: { "Fn::GetAtt": ["Greet", "FunctionARN"] } }],
            },
          },
        },
      },
    },
    Outputs: { Domain: { Value: { "Fn::GetAtt": ["Site", "DomainName"] } } },
  });
}

describe("edgelite up: the command line", () => {
  it("explains itself, with serve's flags and examples", async () => {
    const help = await runCli(["up", "--help"]);
    expect(help.code).toBe(0);
    for (const flag of ["--stack", "--parameter", "--import", "--origin", "--region", "--watch", "--synth", "--endpoint", "--s3", "--account-id", "--port", "--in-memory", "--auth"]) expect(help.stdout).toContain(flag);
    expect(help.stdout).toContain("Examples:");
    expect((await runCli(["--help"])).stdout).toMatch(/^ {2}up \[options\] <path>/m);
  });

  it("says what to do about a missing path (66) and flags that mean nothing (64)", async () => {
    const missing = await runCli(["up", "no-such-template.yaml", "--in-memory", "--port", "0"]);
    expect(missing.code).toBe(66);
    expect(missing.stderr).toContain("error: no-such-template.yaml does not exist: give a CloudFormation template");
    const serverFlags = await runCli(["up", "t.json", "--endpoint", "http://127.0.0.1:4599", "--port", "4600", "--in-memory"]);
    expect(serverFlags.code).toBe(64);
    expect(serverFlags.stderr).toContain("--port, --in-memory shape the server edgelite up starts, and --endpoint starts none");
    const region = await runCli(["up", "t.json", "--region", "mars"]);
    expect(region.code).toBe(64);
    expect(region.stderr).toContain("expected a region such as us-east-1");
    const parameter = await runCli(["up", "t.json", "--parameter", "novalue"]);
    expect(parameter.code).toBe(64);
    expect(parameter.stderr).toContain('expected <parameter>=<value>, got "novalue"');
    const origin = await runCli(["up", "t.json", "--origin", "app=./not-a-folder"]);
    expect(origin.code).toBe(64);
    expect(origin.stderr).toContain("./not-a-folder is neither an http:// or https:// URL nor a folder");
  });
});

describe("edgelite up: a template, served", () => {
  const dir = tempDir("edgelite-up-cli-");
  let origin: Server;
  let originUrl: string;
  const children: Array<ChildProcessWithoutNullStreams | ServerProcess["child"]> = [];
  beforeAll(async () => {
    // Answers with the greeting the viewer-request function added.
    origin = createServer((req, res) => res.end(`greeting=${String(req.headers["x-greeting"])}`));
    await new Promise<void>((resolve) => origin.listen(0, "127.0.0.1", resolve));
    originUrl = `http://127.0.0.1:${(origin.address() as AddressInfo).port}`;
  });
  afterEach(() => {
    for (const child of children.splice(0)) if (child.exitCode === null) child.kill("SIGKILL");
  });
  afterAll(async () => {
    await new Promise((resolve) => origin.close(resolve));
    dir.remove();
  });

  /** Starts `up` and waits for the distribution's line. */
  function startUp(args: string[]): Promise<{ child: ChildProcessWithoutNullStreams; url: string; domain: string; output: () => string }> {
    const child = spawn(process.execPath, [BIN, "up", ...args], { env: { ...process.env, NO_COLOR: "1" } });
    children.push(child);
    let out = "";
    child.stdout.on("data", (chunk: Buffer) => (out += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (out += chunk.toString()));
    return new Promise((resolve, reject) => {
      const timer = setInterval(() => {
        const listening = /listening on (http:\/\/\S+)/.exec(out);
        const serving = /distribution \S+ serving at http:\/\/(\S+?):\d+\//.exec(out);
        if (listening && serving) {
          clearInterval(timer);
          resolve({ child, url: listening[1]!, domain: serving[1]!, output: () => out });
        }
      }, 20);
      child.on("exit", () => {
        clearInterval(timer);
        reject(new Error(out));
      });
    });
  }

  it("creates the stack, lists what it skips, prints outputs and URLs, serves, and applies a saved change within a second", async () => {
    const file = join(dir.path, "site.json");
    writeFileSync(file, template("hello"));
    const up = await startUp([file, "--in-memory", "--port", "0", "-q", "--origin", `app=${originUrl}`, "--watch"]);
    const lines = up.output();
    expect(lines).toMatch(/^created +site\/Greet AWS::CloudFront::Function up-cli-greet/m);
    expect(lines).toMatch(/^not emulated site\/Topic AWS::SNS::Topic/m);
    expect(lines).toMatch(/^created +site\/Site AWS::CloudFront::Distribution /m);
    expect(lines).toContain(`output site.Domain = ${up.domain}`);
    expect(lines).not.toContain("Node.js");
    const get = () => http(up.url, "GET", "/", { headers: { host: up.domain } });
    expect((await get()).body).toBe("greeting=hello");

    const since = Date.now();
    writeFileSync(file, template("bonjour"));
    let body = "";
    while (Date.now() - since < 5000 && body !== "greeting=bonjour") body = (await get()).body;
    expect(body).toBe("greeting=bonjour");
    // Within 1 s on a quiet machine (test/iac/engine/watch.test.ts keeps the bound, with slack for CI).
    expect(Date.now() - since).toBeLessThan(2_500);
    await expect.poll(up.output).toMatch(/reloaded 1 updated/);
    // The not-emulated line is told once, not on every reload.
    expect(up.output().match(/not emulated/g)).toHaveLength(1);

    up.child.kill("SIGINT");
    expect(await new Promise((resolve) => up.child.on("exit", resolve))).toBe(0);
  });

  it("logs API calls as serve does, except its own while it applies the template", async () => {
    const file = join(dir.path, "logged.json");
    writeFileSync(file, template("logged"));
    const up = await startUp([file, "--in-memory", "--port", "0", "--origin", `app=${originUrl}`]);
    expect(up.output()).not.toMatch(/CreateFunction|PublishFunction|CreateDistribution/);
    expect(up.output()).not.toContain("matched no origin");
    expect((await http(up.url, "GET", "/2020-05-31/function")).status).toBe(200);
    await expect.poll(up.output).toMatch(/GET \/2020-05-31\/function 200 ListFunctions/);
    up.child.kill("SIGINT");
    await new Promise((resolve) => up.child.on("exit", resolve));
  });

  it("warns of an --origin flag that matches no origin, naming the keys that would", async () => {
    const file = join(dir.path, "typo.json");
    writeFileSync(file, template("typo"));
    const up = await startUp([file, "--in-memory", "--port", "0", "-q", "--origin", `app=${originUrl}`, "--origin", `apo=${originUrl}`]);
    await expect.poll(up.output).toMatch(/--origin apo=… matched no origin: a key is an origin's Id.*\(the origins here answer to app, /);
    expect(up.output()).not.toContain("--origin app=… matched");
    up.child.kill("SIGINT");
    await new Promise((resolve) => up.child.on("exit", resolve));
  });

  it("applies to a running server with --endpoint, twice (the second run takes over the first's), then exits", async () => {
    const server = await spawnServer(["--in-memory", "-q"]);
    children.push(server.child);
    const file = join(dir.path, "endpoint.json");
    writeFileSync(file, template("from-endpoint"));
    for (const round of [1, 2]) {
      const run = await runCli(["up", file, "--endpoint", server.url, "--origin", `app=${originUrl}`]);
      expect(run.code, `round ${round}: ${run.stderr}`).toBe(0);
      expect(run.stdout).toMatch(/^created +endpoint\/Site AWS::CloudFront::Distribution /m);
      const domain = /distribution \S+ serving at http:\/\/(\S+?):\d+\//.exec(run.stdout)![1]!;
      expect((await http(server.url, "GET", "/", { headers: { host: domain } })).body).toBe("greeting=from-endpoint");
    }
  });

  it("--synth synthesizes at start, reruns on a source edit, applies what it made, and reports a failed synth", async () => {
    const app = join(dir.path, "synth-app");
    mkdirSync(app);
    const marker = join(app, "greeting.txt");
    writeFileSync(marker, "first");
    // The "app": fails on "fail", else writes the template from greeting.txt.
    writeFileSync(
      join(app, "synth.cjs"),
      `const fs = require("fs"); const g = fs.readFileSync("greeting.txt", "utf8").trim();
       if (g === "fail") { console.error("the app threw: " + g); process.exit(2); }
       fs.writeFileSync("site.json", ${JSON.stringify(template("GREETING"))}.replace("GREETING", g));`,
    );
    const up = await startUp([join(app, "site.json"), "--in-memory", "--port", "0", "-q", "--origin", `app=${originUrl}`, "--synth", `"${process.execPath}" synth.cjs`]);
    const get = async () => (await http(up.url, "GET", "/", { headers: { host: up.domain } })).body;
    expect(await get()).toBe("greeting=first");
    writeFileSync(marker, "second");
    await expect.poll(get, { timeout: 5000, interval: 25 }).toBe("greeting=second");
    writeFileSync(marker, "fail");
    await expect.poll(up.output, { timeout: 5000 }).toMatch(/synth failed .*synth\.cjs \(exit status 2\):\n {2}the app threw: fail\nstill serving what was applied before/);
    expect(await get()).toBe("greeting=second");
  });

  it("ends with 69 when --endpoint does not answer, even with --watch", async () => {
    const file = join(dir.path, "unreachable.json");
    writeFileSync(file, template("x"));
    const run = await runCli(["up", file, "--endpoint", "http://127.0.0.1:1", "--watch"]);
    expect(run.code).toBe(69);
    expect(run.stderr).toContain("error: no edgelite server answered at http://127.0.0.1:1");
  });

  it("fails with 65, naming the resource and the server's words, when the template cannot be applied", async () => {
    const file = join(dir.path, "broken.json");
    writeFileSync(file, template("x", "cloudfront-js-9.0"));
    const run = await runCli(["up", file, "--in-memory", "--port", "0", "-q"]);
    expect(run.code).toBe(65);
    expect(run.stderr).toMatch(/^error: .*broken.*Greet/m);
  });
});
