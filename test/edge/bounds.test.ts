import { CreateDistributionCommand, ListDistributionsCommand } from "@aws-sdk/client-cloudfront";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { http, startTestServer, type TestServer } from "../helpers.js";

/** A real origin that answers with the path it was asked for. */
async function startOrigin(): Promise<{ port: number; server: Server }> {
  const server = createServer((req, res) => {
    req.resume();
    req.on("end", () => res.writeHead(200, { "content-type": "text/plain" }).end(`origin ${req.url}`));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return { port: (server.address() as AddressInfo).port, server };
}

describe("bounded work at the edge", () => {
  let t: TestServer;
  let origin: Awaited<ReturnType<typeof startOrigin>>;
  let domain: string;
  /** `*a*a*a…!`: a backtracking regex takes exponential time on a path of a's. */
  const hostilePattern = `${"*a".repeat(40)}!`;

  beforeAll(async () => {
    origin = await startOrigin();
    t = await startTestServer("memory");
    const created = await t.client.send(
      new CreateDistributionCommand({
        DistributionConfig: {
          CallerReference: "bounds",
          Comment: "",
          Enabled: true,
          Origins: { Quantity: 1, Items: [{ Id: "app", DomainName: "127.0.0.1", CustomOriginConfig: { HTTPPort: origin.port, HTTPSPort: 443, OriginProtocolPolicy: "http-only" } }] },
          DefaultCacheBehavior: { TargetOriginId: "app", ViewerProtocolPolicy: "allow-all", CachePolicyId: "4135ea2d-6df8-44a3-9df3-4b5a84be39ad" },
          CacheBehaviors: { Quantity: 1, Items: [{ PathPattern: hostilePattern, TargetOriginId: "app", ViewerProtocolPolicy: "allow-all", CachePolicyId: "4135ea2d-6df8-44a3-9df3-4b5a84be39ad" }] },
        },
      }),
    );
    domain = created.Distribution!.DomainName!;
  });
  afterAll(async () => {
    await t.close();
    await new Promise((resolve) => origin.server.close(resolve));
  });

  it("matches a hostile PathPattern against a long path without blocking the API", async () => {
    const hostilePaths = [35, 60, 200, 4000].map((n) => `/${"a".repeat(n)}`);
    const [edgeAnswers, api] = await Promise.all([
      Promise.all(hostilePaths.map((path) => http(t.url, "GET", path, { headers: { host: domain } }))),
      t.client.send(new ListDistributionsCommand({})),
    ]);
    for (const [i, answer] of edgeAnswers.entries()) {
      expect(answer.status).toBe(200);
      expect(answer.body).toBe(`origin ${hostilePaths[i]}`);
    }
    expect(api.DistributionList?.Quantity).toBe(1);
  });
});
