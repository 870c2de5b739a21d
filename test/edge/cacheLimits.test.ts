import { CreateDistributionCommand, type CloudFrontClient } from "@aws-sdk/client-cloudfront";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cloudFrontClient, http, startTestServer, type TestServer } from "../helpers.js";
import { runCli, spawnServer } from "../process.js";
import { startCountingOrigin } from "./cacheOrigin.js";

const CACHING_OPTIMIZED = "658327ea-f89d-4fab-a63d-7e88639e58f6";

async function cachedDistribution(client: CloudFrontClient, port: number, reference: string): Promise<string> {
  const created = await client.send(
    new CreateDistributionCommand({
      DistributionConfig: {
        CallerReference: reference,
        Comment: "",
        Enabled: true,
        Origins: { Quantity: 1, Items: [{ Id: "o", DomainName: "127.0.0.1", CustomOriginConfig: { HTTPPort: port, HTTPSPort: 443, OriginProtocolPolicy: "http-only" } }] },
        DefaultCacheBehavior: { TargetOriginId: "o", ViewerProtocolPolicy: "allow-all", CachePolicyId: CACHING_OPTIMIZED },
      },
    }),
  );
  return created.Distribution!.DomainName!;
}

describe("the edge cache's bounds and switches", () => {
  let o: Awaited<ReturnType<typeof startCountingOrigin>>;
  // 10 KB bodies: a 64 KB cache keeps a few (each object may be at most a quarter of the cache).
  beforeAll(async () => {
    o = await startCountingOrigin((url) => (url.startsWith("/big/") ? { body: Buffer.alloc(10 * 1024, 97) } : url === "/huge" ? { body: Buffer.alloc(20 * 1024, 98) } : undefined));
  });
  afterAll(() => o.close());

  describe("a 64 KB cache", () => {
    let t: TestServer;
    let domain: string;
    const get = (path: string) => http(t.url, "GET", path, { headers: { host: domain } });
    beforeAll(async () => {
      t = await startTestServer("memory", { cache: { maxBytes: 64 * 1024 } });
      domain = await cachedDistribution(t.client, o.port, "small-cache");
    });
    afterAll(() => t.close());

    it("evicts the least recently used objects to make room, and keeps the one just used", async () => {
      await get("/big/1");
      for (let i = 2; i <= 10; i++) {
        await get(`/big/${i}`);
        // /big/1 is used between each store: it stays the most recent and is never the one evicted.
        expect(xCacheOf(await get("/big/1"))).toBe("Hit from cloudfront");
      }
      expect(xCacheOf(await get("/big/10"))).toBe("Hit from cloudfront");
      expect(xCacheOf(await get("/big/2"))).toBe("Miss from cloudfront");
      expect(o.count("/big/1")).toBe(1);
    });

    it("passes an object larger than the per-object limit on without keeping it", async () => {
      const first = await get("/huge");
      expect(first.body).toHaveLength(20 * 1024);
      expect(xCacheOf(await get("/huge"))).toBe("Miss from cloudfront");
      expect(o.count("/huge")).toBe(2);
    });
  });

  it("cache: false (serve --no-cache) sends every request to the origin", async () => {
    const t = await startTestServer("memory", { cache: false });
    try {
      const domain = await cachedDistribution(t.client, o.port, "no-cache");
      for (let i = 0; i < 2; i++) expect(xCacheOf(await http(t.url, "GET", "/off", { headers: { host: domain } }))).toBe("Miss from cloudfront");
      expect(o.count("/off")).toBe(2);
    } finally {
      await t.close();
    }
  });

  it("edgelite serve --no-cache and --cache-size: the flags reach the edge, a size out of range is refused", async () => {
    const server = await spawnServer(["--in-memory", "--quiet", "--no-cache"]);
    const client = cloudFrontClient(server.url);
    try {
      const domain = await cachedDistribution(client, o.port, "cli-no-cache");
      for (let i = 0; i < 2; i++) expect(xCacheOf(await http(server.url, "GET", "/cli", { headers: { host: domain } }))).toBe("Miss from cloudfront");
      expect(o.count("/cli")).toBe(2);
    } finally {
      client.destroy();
      server.child.kill("SIGTERM");
      await server.exited;
    }
    const refused = await runCli(["serve", "--in-memory", "--cache-size", "0"]);
    expect(refused.code).not.toBe(0);
    expect(refused.stderr).toContain("the cache size is 1 to");
    const help = await runCli(["serve", "--help"]);
    expect(help.stdout).toContain("--no-cache");
    expect(help.stdout).toContain("--cache-size <MB>");
  });
});

function xCacheOf(res: { headers: Record<string, string | string[] | undefined> }) {
  return res.headers["x-cache"];
}
