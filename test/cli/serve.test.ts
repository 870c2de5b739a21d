import { afterEach, describe, expect, it } from "vitest";
import { CreateDistributionCommand } from "@aws-sdk/client-cloudfront";
import { mkdirSync, writeFileSync } from "node:fs";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { cloudFrontClient, http, tempDir } from "../helpers.js";
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
    // An origin that holds every request until released: the requests are surely in flight when the signal comes.
    let release!: () => void;
    const released = new Promise<void>((resolve) => (release = resolve));
    let arrived = 0;
    const origin = createServer((req, res) => {
      arrived++;
      void released.then(() => res.writeHead(200, { "content-type": "text/plain" }).end(`answer ${req.url}`));
    });
    await new Promise<void>((resolve) => origin.listen(0, "127.0.0.1", resolve));
    try {
      const server = await spawnServer(["--in-memory", "--quiet"]);
      running.push(server);
      const client = cloudFrontClient(server.url);
      const created = await client.send(
        new CreateDistributionCommand({
          DistributionConfig: {
            CallerReference: "in-flight",
            Comment: "",
            Enabled: true,
            Origins: { Quantity: 1, Items: [{ Id: "held", DomainName: "127.0.0.1", CustomOriginConfig: { HTTPPort: (origin.address() as AddressInfo).port, HTTPSPort: 443, OriginProtocolPolicy: "http-only" } }] },
            DefaultCacheBehavior: { TargetOriginId: "held", ViewerProtocolPolicy: "allow-all", CachePolicyId: "4135ea2d-6df8-44a3-9df3-4b5a84be39ad" },
          },
        }),
      );
      client.destroy();
      const host = created.Distribution!.DomainName!;
      const pending = Array.from({ length: 20 }, (_, i) => http(server.url, "GET", `/r${i}`, { headers: { host } }));
      for (let i = 0; i < 500 && arrived < 20; i++) await new Promise((resolve) => setTimeout(resolve, 10));
      expect(arrived).toBe(20);
      server.child.kill("SIGTERM");
      // The server stops listening at once but keeps the requests it holds open until their answers are written.
      let refused = false;
      for (let i = 0; i < 500 && !refused; i++) {
        refused = await http(server.url, "GET", "/_edgelite/health").then(
          () => false,
          () => true,
        );
        if (!refused) await new Promise((resolve) => setTimeout(resolve, 10));
      }
      expect(refused).toBe(true);
      expect(server.child.exitCode).toBeNull();
      release();
      const results = await Promise.allSettled(pending);
      const answers = results.map((result) => (result.status === "fulfilled" ? `${result.value.status} ${result.value.body}` : String(result.reason)));
      expect(answers).toEqual(Array.from({ length: 20 }, (_, i) => `200 answer /r${i}`));
      expect((await server.exited).code).toBe(0);
    } finally {
      release();
      origin.close();
    }
  });

  it("serves an S3 origin from --s3 <bucket>=<folder> and prints each distribution's URL, on creation and at start", async () => {
    const dir = tempDir();
    const site = join(dir.path, "site");
    mkdirSync(site);
    writeFileSync(join(site, "index.html"), "<p>hi</p>");
    const args = ["--data-dir", join(dir.path, "data"), "--s3", `my-site=${site}`];
    const server = await spawnServer(args);
    running.push(server);
    const client = cloudFrontClient(server.url);
    const created = await client.send(
      new CreateDistributionCommand({
        DistributionConfig: {
          CallerReference: "s3-cli",
          Comment: "",
          Enabled: true,
          DefaultRootObject: "index.html",
          Origins: { Quantity: 1, Items: [{ Id: "s3", DomainName: "my-site.s3.amazonaws.com", S3OriginConfig: { OriginAccessIdentity: "" } }] },
          DefaultCacheBehavior: { TargetOriginId: "s3", ViewerProtocolPolicy: "allow-all", CachePolicyId: "658327ea-f89d-4fab-a63d-7e88639e58f6" },
        },
      }),
    );
    client.destroy();
    const { Id: id, DomainName: domain } = created.Distribution!;
    const url = `http://${domain}:${new URL(server.url).port}/`;
    for (let i = 0; i < 100 && !server.stdout().includes(url); i++) await new Promise((resolve) => setTimeout(resolve, 20));
    expect(server.stdout()).toContain(`distribution ${id} serving at ${url}`);
    const page = await http(server.url, "GET", "/", { headers: { host: domain! } });
    expect(page.status).toBe(200);
    expect(page.body).toBe("<p>hi</p>");
    expect(page.headers["content-type"]).toBe("text/html");
    server.child.kill("SIGTERM");
    await server.exited;

    const again = await spawnServer(args);
    running.push(again);
    for (let i = 0; i < 100 && !again.stdout().includes("distribution "); i++) await new Promise((resolve) => setTimeout(resolve, 20));
    expect(again.stdout()).toContain(`distribution ${id} serving at http://${domain}:${new URL(again.url).port}/`);
    again.child.kill("SIGTERM");
    await again.exited;
    dir.remove();
  });

  it("rejects an --s3 source that is neither a folder nor a URL", async () => {
    const result = await runCli(["serve", "--s3", "bucket=/nonexistent/folder"]);
    expect(result.code).not.toBe(0);
    expect(result.stderr).toContain("is not a folder");
  });
});
