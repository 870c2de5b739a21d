import { CreateDistributionCommand, CreateKeyValueStoreCommand, CreateFunctionCommand } from "@aws-sdk/client-cloudfront";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cloudFrontClient, createLiveFunction, encode, HANDLER } from "../helpers.js";
import { runCli, spawnServer, type ServerProcess } from "../process.js";

describe("edgelite ls", () => {
  let server: ServerProcess;
  let distributionId: string;
  let domainName: string;
  beforeAll(async () => {
    server = await spawnServer(["--in-memory", "--quiet", "--kvs-provisioning-ms", "0"]);
    const client = cloudFrontClient(server.url);
    await createLiveFunction(client, "live-fn", HANDLER);
    await client.send(new CreateFunctionCommand({ Name: "draft-fn", FunctionConfig: { Comment: "a draft", Runtime: "cloudfront-js-1.0" }, FunctionCode: encode(HANDLER) }));
    await client.send(new CreateKeyValueStoreCommand({ Name: "redirects", Comment: "old paths" }));
    const created = await client.send(
      new CreateDistributionCommand({
        DistributionConfig: {
          CallerReference: "ls",
          Comment: "the site",
          Enabled: true,
          Origins: { Quantity: 1, Items: [{ Id: "o", DomainName: "example.org", CustomOriginConfig: { HTTPPort: 80, HTTPSPort: 443, OriginProtocolPolicy: "http-only" } }] },
          DefaultCacheBehavior: { TargetOriginId: "o", ViewerProtocolPolicy: "allow-all", CachePolicyId: "4135ea2d-6df8-44a3-9df3-4b5a84be39ad" },
        },
      }),
    );
    distributionId = created.Distribution!.Id!;
    domainName = created.Distribution!.DomainName!;
    client.destroy();
  });
  afterAll(async () => {
    server.child.kill("SIGTERM");
    await server.exited;
  });

  it("lists functions, stores and distributions as JSON", async () => {
    const result = await runCli(["ls", "--endpoint", server.url, "--json"]);
    expect(result.code).toBe(0);
    const listing = JSON.parse(result.stdout);
    expect(listing.functions).toEqual([
      { name: "draft-fn", stages: ["DEVELOPMENT"], status: "UNPUBLISHED", runtime: "cloudfront-js-1.0", comment: "a draft" },
      { name: "live-fn", stages: ["DEVELOPMENT", "LIVE"], status: "UNASSOCIATED", runtime: "cloudfront-js-2.0", comment: "" },
    ]);
    expect(listing.keyValueStores).toHaveLength(1);
    expect(listing.keyValueStores[0]).toMatchObject({ name: "redirects", status: "READY", itemCount: 0, comment: "old paths" });
    const port = new URL(server.url).port;
    expect(listing.distributions).toEqual([{ id: distributionId, status: expect.any(String), enabled: true, domainName, url: `http://${domainName}:${port}/`, plainUrl: expect.stringMatching(/^http:\/\/127\.0\.0\.1:\d+\/$/), comment: "the site" }]);
  });

  it("prints aligned tables, and reads AWS_ENDPOINT_URL", async () => {
    const result = await runCli(["ls"], { AWS_ENDPOINT_URL: server.url });
    expect(result.code).toBe(0);
    const lines = result.stdout.split("\n");
    expect(lines).toContain("functions (2)");
    const header = lines.find((line) => line.startsWith("NAME") && line.includes("STAGES"))!;
    const live = lines.find((line) => line.startsWith("live-fn"))!;
    // Columns line up: each value starts where its header does.
    expect(live.indexOf("DEVELOPMENT,LIVE")).toBe(header.indexOf("STAGES"));
    expect(live.indexOf("UNASSOCIATED")).toBe(header.indexOf("STATUS"));
    expect(result.stdout).toContain(`http://${domainName}:${new URL(server.url).port}/`);
    expect(result.stdout).not.toContain("\x1b[");
  });

  it("signs its requests for a server started with --auth, and says what to set when unsigned", async () => {
    const guarded = await spawnServer(["--in-memory", "--quiet", "--auth", "AKIDLS:lssecret"]);
    try {
      const signed = await runCli(["ls", "--endpoint", guarded.url, "--json"], { AWS_ACCESS_KEY_ID: "AKIDLS", AWS_SECRET_ACCESS_KEY: "lssecret" });
      expect(signed.code).toBe(0);
      expect(JSON.parse(signed.stdout)).toMatchObject({ functions: [], keyValueStores: [], distributions: [] });
      const unsigned = await runCli(["ls", "--endpoint", guarded.url], { AWS_ACCESS_KEY_ID: "", AWS_SECRET_ACCESS_KEY: "" });
      expect(unsigned.code).toBe(1);
      expect(unsigned.stderr).toContain(`${guarded.url} refused the request (403`);
      expect(unsigned.stderr).toContain("AWS_ACCESS_KEY_ID");
    } finally {
      guarded.child.kill("SIGTERM");
      await guarded.exited;
    }
  });
});
