import { CreateDistributionCommand, DeleteDistributionCommand, GetDistributionConfigCommand, UpdateDistributionCommand, type DistributionConfig } from "@aws-sdk/client-cloudfront";
import { createServer, type IncomingHttpHeaders, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { EdgeLogEntry } from "../../src/edge/edge.js";
import { DistributionPorts } from "../../src/distributionPorts.js";
import { startServer } from "../../src/server.js";
import { cloudFrontClient, http, makeStore, startTestServer, tempDir, type TestServer } from "../helpers.js";
import { freePortRange } from "../portRange.js";

const ALL_VIEWER = "216adef6-5c7f-47e4-b989-5492eafa07d3";
const CACHING_DISABLED = "4135ea2d-6df8-44a3-9df3-4b5a84be39ad";

describe("each distribution on a port of its own (--distribution-ports)", () => {
  let t: TestServer;
  let origin: Server;
  let originPort: number;
  const seen: IncomingHttpHeaders[] = [];
  const notices: string[] = [];
  const created: Array<{ id: string; plainUrl?: string }> = [];
  const logs: EdgeLogEntry[] = [];
  let range: { from: number; to: number };

  const config = (reference: string): DistributionConfig => ({
    CallerReference: reference,
    Comment: "",
    Enabled: true,
    Origins: { Quantity: 1, Items: [{ Id: "o", DomainName: "127.0.0.1", CustomOriginConfig: { HTTPPort: originPort, HTTPSPort: 443, OriginProtocolPolicy: "http-only" } }] },
    DefaultCacheBehavior: { TargetOriginId: "o", ViewerProtocolPolicy: "allow-all", CachePolicyId: CACHING_DISABLED, OriginRequestPolicyId: ALL_VIEWER },
  });
  const create = async (reference: string) => (await t.client.send(new CreateDistributionCommand({ DistributionConfig: config(reference) }))).Distribution!;

  beforeAll(async () => {
    origin = createServer((req, res) => {
      seen.push(req.headers);
      res.writeHead(200, { "content-type": "text/plain" }).end(`origin ${req.url}`);
    });
    await new Promise<void>((resolve) => origin.listen(0, "127.0.0.1", resolve));
    originPort = (origin.address() as AddressInfo).port;
    range = await freePortRange(2);
    t = await startTestServer("memory", {
      distributionPorts: range,
      onDistributionPortNotice: (message) => notices.push(message),
      onDistributionCreated: (d) => created.push(d),
      onEdgeRequest: (entry) => logs.push(entry),
    });
  });
  afterAll(async () => {
    await t.close();
    origin.close();
  });

  it("opens a port at creation: every request on it is the distribution's, whatever the Host, and the event shows its DomainName", async () => {
    const distribution = await create("first");
    const plainUrl = `http://127.0.0.1:${range.from}/`;
    expect(created.find((d) => d.id === distribution.Id)?.plainUrl).toBe(plainUrl);
    expect(t.server.plainUrl(distribution.Id!)).toBe(plainUrl);

    const plain = await fetch(`${plainUrl}page?x=1`);
    expect(plain.status).toBe(200);
    expect(await plain.text()).toBe("origin /page?x=1");
    expect(plain.headers.get("x-cache")).toBe("Miss from cloudfront");
    // AllViewer forwards the viewer's Host: CloudFront's is the distribution's name, not 127.0.0.1:<port>.
    expect(seen.at(-1)!.host).toBe(distribution.DomainName);

    const otherHost = await http(plainUrl, "GET", "/other", { headers: { host: "example.com" } });
    expect(otherHost.body).toBe("origin /other");
    expect(seen.at(-1)!.host).toBe(distribution.DomainName);
    // The health check stays edgelite's; the API is not on this port.
    const health = await http(plainUrl, "GET", "/_edgelite/health");
    expect(JSON.parse(health.body)).toMatchObject({ status: "ok", service: "edgelite" });
    expect((await http(plainUrl, "GET", "/2020-05-31/distribution")).body).toBe("origin /2020-05-31/distribution");
    // The Host URL keeps working.
    expect((await http(t.url, "GET", "/by-host", { headers: { host: distribution.DomainName! } })).body).toBe("origin /by-host");
  });

  it("says so when the range is exhausted; that distribution is still served through its Host", async () => {
    const second = await create("second");
    expect(t.server.plainUrl(second.Id!)).toBe(`http://127.0.0.1:${range.to}/`);
    const third = await create("third");
    expect(t.server.plainUrl(third.Id!)).toBeUndefined();
    expect(created.find((d) => d.id === third.Id)).not.toHaveProperty("plainUrl");
    expect(notices.at(-1)).toContain(`distribution ${third.Id}: no free port in ${range.from}-${range.to}`);
    expect(notices.at(-1)).toContain("--distribution-ports");
    expect((await http(t.url, "GET", "/third", { headers: { host: third.DomainName! } })).body).toBe("origin /third");
    const listed = JSON.parse((await http(t.url, "GET", "/_edgelite/distributions")).body) as { Distributions: Array<{ Id: string; EdgePort?: number }> };
    expect(listed.Distributions.find((d) => d.Id === second.Id)?.EdgePort).toBe(range.to);
    expect(listed.Distributions.find((d) => d.Id === third.Id)).not.toHaveProperty("EdgePort");
  });

  it("a disabled distribution answers CloudFront's 403 on its port; deleting it closes the port, and a new one takes it", async () => {
    const second = created.find((d) => d.plainUrl === `http://127.0.0.1:${range.to}/`)!;
    const { DistributionConfig: current, ETag } = await t.client.send(new GetDistributionConfigCommand({ Id: second.id }));
    const disabled = await t.client.send(new UpdateDistributionCommand({ Id: second.id, IfMatch: ETag, DistributionConfig: { ...current!, Enabled: false } }));
    const refused = await fetch(second.plainUrl!);
    expect(refused.status).toBe(403);
    expect(await refused.text()).toContain("Bad request.");
    expect(refused.headers.get("x-cache")).toBe("Error from cloudfront");
    expect(logs.at(-1)).toMatchObject({ status: 403, distributionId: second.id });
    expect(logs.at(-1)!.detail).toContain("disabled");

    await t.client.send(new DeleteDistributionCommand({ Id: second.id, IfMatch: disabled.ETag }));
    await expect(fetch(second.plainUrl!)).rejects.toThrow();
    const fourth = await create("fourth");
    expect(t.server.plainUrl(fourth.Id!)).toBe(second.plainUrl);
    expect((await fetch(`${second.plainUrl!}again`)).status).toBe(200);
  });

  it("a distribution stored without a port gets one at the next start, recorded for the ones after", async () => {
    const dir = tempDir();
    try {
      const before = await startServer({ store: makeStore("sqlite", dir.path), port: 0 });
      const client = cloudFrontClient(before.url);
      const { Distribution: stored } = await client.send(new CreateDistributionCommand({ DistributionConfig: config("stored-before") }));
      client.destroy();
      expect(before.plainUrl(stored!.Id!)).toBeUndefined();
      await before.close();

      const own = await freePortRange(1);
      for (let start = 0; start < 2; start++) {
        const server = await startServer({ store: makeStore("sqlite", dir.path), port: 0, distributionPorts: own });
        expect(server.plainUrl(stored!.Id!)).toBe(`http://127.0.0.1:${own.from}/`);
        expect((await server.app.store.getDistribution(stored!.Id!))?.edgePort).toBe(own.from);
        expect((await fetch(`http://127.0.0.1:${own.from}/x`)).status).toBe(200);
        await server.close();
      }
    } finally {
      dir.remove();
    }
  });
});

describe("DistributionPorts", () => {
  it("does not give a new distribution a port another one keeps while that port is away, and says when none is left", async () => {
    const range = await freePortRange(2);
    const notices: string[] = [];
    const ports = new DistributionPorts({ host: "127.0.0.1", range, createServer: () => createServer(), notice: (message) => notices.push(message) });
    const kept = new Set([range.from]);
    expect(await ports.listen({ id: "E1", domainName: "d1.cloudfront.localhost", avoid: kept })).toBe(range.to);
    expect(await ports.listen({ id: "E2", domainName: "d2.cloudfront.localhost", avoid: kept })).toBeUndefined();
    expect(notices).toEqual([expect.stringContaining(`distribution E2: no free port in ${range.from}-${range.to}`)]);
    // The one that keeps it gets it.
    expect(await ports.listen({ id: "E0", domainName: "d0.cloudfront.localhost", preferred: range.from, exact: true })).toBe(range.from);
    await ports.closeAll().closed;
  });
});
