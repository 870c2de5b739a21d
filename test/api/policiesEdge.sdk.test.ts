import {
  CreateCachePolicyCommand,
  CreateDistributionCommand,
  CreateOriginRequestPolicyCommand,
  GetCachePolicyCommand,
  GetOriginRequestPolicyConfigCommand,
  ListCachePoliciesCommand,
  UpdateCachePolicyCommand,
  type CachePolicyConfig,
  type CachePolicyQueryStringsConfig,
  type OriginRequestPolicyConfig,
} from "@aws-sdk/client-cloudfront";
import { createServer, type IncomingHttpHeaders, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startServer, type RunningServer } from "../../src/server.js";
import { cloudFrontClient, http, makeStore, tempDir } from "../helpers.js";

interface Seen {
  url: string;
  headers: IncomingHttpHeaders;
}

async function startOrigin(): Promise<{ port: number; seen: Seen[]; server: Server }> {
  const seen: Seen[] = [];
  const server = createServer((req, res) => {
    seen.push({ url: req.url ?? "", headers: req.headers });
    res.writeHead(200, { "content-type": "text/plain", "cache-control": "no-store" }).end("ok");
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return { port: (server.address() as AddressInfo).port, seen, server };
}

const cachePolicy = (queryStrings: CachePolicyQueryStringsConfig): CachePolicyConfig => ({
  Name: "tenant-pages",
  MinTTL: 0,
  DefaultTTL: 0,
  MaxTTL: 1,
  ParametersInCacheKeyAndForwardedToOrigin: {
    EnableAcceptEncodingGzip: false,
    HeadersConfig: { HeaderBehavior: "whitelist", Headers: { Quantity: 1, Items: ["X-Tenant"] } },
    CookiesConfig: { CookieBehavior: "none" },
    QueryStringsConfig: queryStrings,
  },
});

const originRequestPolicy: OriginRequestPolicyConfig = {
  Name: "session-and-extra",
  Comment: "",
  HeadersConfig: { HeaderBehavior: "whitelist", Headers: { Quantity: 1, Items: ["X-Extra"] } },
  CookiesConfig: { CookieBehavior: "whitelist", Cookies: { Quantity: 1, Items: ["session"] } },
  QueryStringsConfig: { QueryStringBehavior: "none" },
};

/**
 * A distribution on a custom cache policy and a custom origin request policy: what reaches the origin is
 * what the two name, an UpdateCachePolicy counts from the next request, and all of it survives a restart
 * on a SQLite data directory. Each request has its own path, so a cache (issue 13) cannot answer one.
 */
describe("custom policies at the edge, and across a restart", () => {
  const dir = tempDir();
  let origin: Awaited<ReturnType<typeof startOrigin>>;
  let server: RunningServer;
  let client: ReturnType<typeof cloudFrontClient>;
  let domain: string;
  let cachePolicyId: string;
  let originRequestPolicyId: string;

  const start = async () => {
    server = await startServer({ store: makeStore("sqlite", dir.path), port: 0 });
    client = cloudFrontClient(server.url);
  };
  const stop = async () => {
    client.destroy();
    await server.close();
  };
  const viewerRequest = async (path: string) => {
    const response = await http(server.url, "GET", path, { headers: { host: domain, "x-tenant": "acme", "x-extra": "yes", "x-other": "no", cookie: "session=s1; theme=dark" } });
    expect(response.status).toBe(200);
    return origin.seen.at(-1)!;
  };

  beforeAll(async () => {
    origin = await startOrigin();
    await start();
    const cache = await client.send(new CreateCachePolicyCommand({ CachePolicyConfig: cachePolicy({ QueryStringBehavior: "whitelist", QueryStrings: { Quantity: 1, Items: ["page"] } }) }));
    cachePolicyId = cache.CachePolicy!.Id!;
    const request = await client.send(new CreateOriginRequestPolicyCommand({ OriginRequestPolicyConfig: originRequestPolicy }));
    originRequestPolicyId = request.OriginRequestPolicy!.Id!;
    const distribution = await client.send(
      new CreateDistributionCommand({
        DistributionConfig: {
          CallerReference: "custom-policies",
          Comment: "",
          Enabled: true,
          Origins: { Quantity: 1, Items: [{ Id: "app", DomainName: "127.0.0.1", CustomOriginConfig: { HTTPPort: origin.port, HTTPSPort: 443, OriginProtocolPolicy: "http-only" } }] },
          DefaultCacheBehavior: { TargetOriginId: "app", ViewerProtocolPolicy: "allow-all", CachePolicyId: cachePolicyId, OriginRequestPolicyId: originRequestPolicyId },
        },
      }),
    );
    domain = distribution.Distribution!.DomainName!;
  });
  afterAll(async () => {
    await stop();
    await new Promise((resolve) => origin.server.close(resolve));
    dir.remove();
  });

  it("forwards what the custom cache policy and origin request policy name, and nothing else", async () => {
    const seen = await viewerRequest("/first?page=2&utm=x");
    expect(seen.url).toBe("/first?page=2");
    expect(seen.headers["x-tenant"]).toBe("acme");
    expect(seen.headers["x-extra"]).toBe("yes");
    expect(seen.headers["x-other"]).toBeUndefined();
    expect(seen.headers.cookie).toBe("session=s1");
  });

  it("applies an UpdateCachePolicy from the next request on", async () => {
    const current = await client.send(new GetCachePolicyCommand({ Id: cachePolicyId }));
    await client.send(new UpdateCachePolicyCommand({ Id: cachePolicyId, IfMatch: current.ETag, CachePolicyConfig: cachePolicy({ QueryStringBehavior: "all" }) }));
    const seen = await viewerRequest("/second?page=2&utm=x");
    expect(seen.url).toBe("/second?page=2&utm=x");
    expect(seen.headers["x-tenant"]).toBe("acme");
    expect(seen.headers.cookie).toBe("session=s1");
  });

  it("keeps custom policies, their ETags and the distribution's use of them across a restart (SQLite)", async () => {
    const before = await client.send(new GetCachePolicyCommand({ Id: cachePolicyId }));
    await stop();
    await start();
    const after = await client.send(new GetCachePolicyCommand({ Id: cachePolicyId }));
    expect(after.ETag).toBe(before.ETag);
    expect(after.CachePolicy).toEqual(before.CachePolicy);
    expect((await client.send(new GetOriginRequestPolicyConfigCommand({ Id: originRequestPolicyId }))).OriginRequestPolicyConfig).toEqual(originRequestPolicy);
    const custom = await client.send(new ListCachePoliciesCommand({ Type: "custom" }));
    expect(custom.CachePolicyList!.Items!.map((s) => s.CachePolicy!.Id)).toEqual([cachePolicyId]);
    const seen = await viewerRequest("/third?page=3&utm=y");
    expect(seen.url).toBe("/third?page=3&utm=y");
    expect(seen.headers["x-other"]).toBeUndefined();
  });
});
