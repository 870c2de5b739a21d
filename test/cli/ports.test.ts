import { CreateDistributionCommand } from "@aws-sdk/client-cloudfront";
import { mkdirSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { cloudFrontClient, tempDir } from "../helpers.js";
import { freePortRange } from "../portRange.js";
import { runCli, spawnServer, until, type ServerProcess } from "../process.js";

const CACHING_OPTIMIZED = "658327ea-f89d-4fab-a63d-7e88639e58f6";

describe("serve: plain URLs on distributions' own ports", () => {
  const running: ServerProcess[] = [];
  const dir = tempDir();
  afterAll(() => {
    for (const server of running) server.child.kill("SIGKILL");
    dir.remove();
  });

  const stop = async (server: ServerProcess) => {
    server.child.kill("SIGTERM");
    await server.exited;
  };
  const plainLine = (output: string, id: string) => new RegExp(`distribution ${id} serving at (http://\\S+) and (http://127\\.0\\.0\\.1:\\d+/)`).exec(output);

  it("prints each distribution's plain URL at creation and at start, serves it to Node's fetch without a Host, keeps its port across restarts", async () => {
    const site = join(dir.path, "site");
    mkdirSync(site);
    writeFileSync(join(site, "index.html"), "<p>plain</p>");
    const range = await freePortRange(3);
    const args = ["--data-dir", join(dir.path, "data"), "--s3", `my-site=${site}`, "--distribution-ports", range.flag];
    const server = await spawnServer(args);
    running.push(server);
    const client = cloudFrontClient(server.url);
    const created = await client.send(
      new CreateDistributionCommand({
        DistributionConfig: {
          CallerReference: "plain",
          Comment: "",
          Enabled: true,
          DefaultRootObject: "index.html",
          Origins: { Quantity: 1, Items: [{ Id: "s3", DomainName: "my-site.s3.amazonaws.com", S3OriginConfig: { OriginAccessIdentity: "" } }] },
          DefaultCacheBehavior: { TargetOriginId: "s3", ViewerProtocolPolicy: "allow-all", CachePolicyId: CACHING_OPTIMIZED },
        },
      }),
    );
    client.destroy();
    const { Id: id, DomainName: domain } = created.Distribution!;
    await until("the creation line", () => plainLine(server.stdout(), id!) !== null, server.stdout);
    const [, hostUrl, plainUrl] = plainLine(server.stdout(), id!)!;
    expect(hostUrl).toBe(`http://${domain}:${new URL(server.url).port}/`);
    expect(plainUrl).toBe(`http://127.0.0.1:${range.from}/`);
    const page = await fetch(plainUrl!);
    expect(page.status).toBe(200);
    expect(await page.text()).toBe("<p>plain</p>");

    const listing = await runCli(["ls", "--endpoint", server.url, "--json"]);
    expect(listing.code).toBe(0);
    expect(JSON.parse(listing.stdout).distributions).toEqual([expect.objectContaining({ id, plainUrl })]);
    const table = await runCli(["ls", "--endpoint", server.url]);
    expect(table.stdout).toContain("PLAIN URL");
    expect(table.stdout).toContain(plainUrl);
    await stop(server);

    // The same data dir: the same port, printed at start.
    const again = await spawnServer(args);
    running.push(again);
    await until("the start line", () => plainLine(again.stdout(), id!) !== null, again.stdout);
    expect(plainLine(again.stdout(), id!)![2]).toBe(plainUrl);
    expect(await (await fetch(plainUrl!)).text()).toBe("<p>plain</p>");
    await stop(again);

    // Its port taken by another process: the next free one for this run, said so; its own again once free.
    const squatter = createServer();
    await new Promise<void>((resolve) => squatter.listen(range.from, "127.0.0.1", resolve));
    try {
      const moved = await spawnServer(args);
      running.push(moved);
      await until("the start line", () => plainLine(moved.stdout(), id!) !== null, moved.stdout);
      expect(moved.stdout()).toContain(`distribution ${id}: its port ${range.from} is taken by another process; serving it on ${range.from + 1} for now`);
      expect(plainLine(moved.stdout(), id!)![2]).toBe(`http://127.0.0.1:${range.from + 1}/`);
      expect(await (await fetch(`http://127.0.0.1:${range.from + 1}/`)).text()).toBe("<p>plain</p>");
      await stop(moved);
    } finally {
      await new Promise((resolve) => squatter.close(resolve));
    }
    const back = await spawnServer(args);
    running.push(back);
    await until("the start line", () => plainLine(back.stdout(), id!) !== null, back.stdout);
    expect(plainLine(back.stdout(), id!)![2]).toBe(plainUrl);
    await stop(back);
  });

  it.each([
    ["4700", "expected <from>-<to>"],
    ["4700-4600", "the first port must not be above the last"],
    ["0-10", "ports are from 1 to 65535"],
    ["4600-70000", "ports are from 1 to 65535"],
  ])("refuses --distribution-ports %s with exit 64 and says why", async (value, message) => {
    const result = await runCli(["serve", "--in-memory", "--port", "0", "--distribution-ports", value]);
    expect(result.code).toBe(64);
    expect(result.stderr).toContain("--distribution-ports");
    expect(result.stderr).toContain(message);
  });
});
