import { CreateDistributionCommand } from "@aws-sdk/client-cloudfront";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { http, startTestServer, type TestServer } from "./helpers.js";

/** The front door decides once per request, by its Host, who answers: the edge, the health check or the API. */
describe("startServer routes each request once by its Host", () => {
  let t: TestServer;
  let origin: Server;
  let domain: string;
  const lookups: string[] = [];

  beforeAll(async () => {
    t = await startTestServer("memory");
    origin = createServer((req, res) => res.writeHead(200, { "content-type": "text/plain" }).end(`origin ${req.url}`));
    await new Promise<void>((resolve) => origin.listen(0, "127.0.0.1", resolve));
    const created = await t.client.send(
      new CreateDistributionCommand({
        DistributionConfig: {
          CallerReference: "routing",
          Comment: "",
          Enabled: true,
          Origins: { Quantity: 1, Items: [{ Id: "o", DomainName: "127.0.0.1", CustomOriginConfig: { HTTPPort: (origin.address() as AddressInfo).port, HTTPSPort: 443, OriginProtocolPolicy: "http-only" } }] },
          DefaultCacheBehavior: { TargetOriginId: "o", ViewerProtocolPolicy: "allow-all" },
        },
      }),
    );
    domain = created.Distribution!.DomainName!;
    const { edge } = t.server.app;
    const resolve = edge.resolve.bind(edge);
    edge.resolve = (host: string) => {
      lookups.push(host);
      return resolve(host);
    };
  });
  afterAll(async () => {
    await t.close();
    origin.close();
  });

  const get = async (path: string, host: string) => {
    lookups.length = 0;
    const reply = await http(t.url, "GET", path, { headers: { host } });
    return { reply, lookups: [...lookups] };
  };

  it("hands a Host naming a distribution to the edge, after one lookup", async () => {
    const { reply, lookups } = await get("/page", `${domain}:${t.server.port}`);
    expect(reply.body).toBe("origin /page");
    expect(reply.headers["x-cache"]).toBe("Miss from cloudfront");
    expect(lookups).toEqual([`${domain}:${t.server.port}`]);
    // The distribution's own path, even the health check's, is the origin's.
    expect((await get("/_edgelite/health", domain)).reply.body).toBe("origin /_edgelite/health");
  });

  it("hands a Host naming no distribution to the API, after one lookup", async () => {
    const { reply, lookups } = await get("/2020-05-31/function", "localhost.example");
    expect(reply.headers["x-amzn-requestid"]).toMatch(/^[0-9a-f-]{36}$/);
    expect(reply.body).toContain("<ErrorResponse");
    expect(lookups).toEqual(["localhost.example"]);
  });

  it("does not look up a Host that cannot name a distribution (an address, localhost)", async () => {
    for (const host of [`127.0.0.1:${t.server.port}`, `localhost:${t.server.port}`, "[::1]"]) {
      const { reply, lookups } = await get("/_edgelite/health", host);
      expect(reply.status).toBe(200);
      expect(JSON.parse(reply.body)).toMatchObject({ status: "ok", service: "edgelite", storage: "memory" });
      expect(lookups).toEqual([]);
    }
  });
});
