import { CreateDistributionCommand, ListDistributionsCommand } from "@aws-sdk/client-cloudfront";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { EdgeLogEntry } from "../../src/edge/edge.js";
import { http, rawExchange, startTestServer, type TestServer } from "../helpers.js";

/** A real origin that answers with the path it was asked for, and counts requests whose body never completed. */
async function startOrigin(): Promise<{ port: number; server: Server; abandoned: () => number }> {
  let abandoned = 0;
  const server = createServer((req, res) => {
    req.resume();
    req.on("end", () => res.writeHead(200, { "content-type": "text/plain" }).end(`origin ${req.url}`));
    req.on("close", () => {
      if (!req.complete) abandoned++;
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return { port: (server.address() as AddressInfo).port, server, abandoned: () => abandoned };
}

describe("bounded work at the edge", () => {
  let t: TestServer;
  let origin: Awaited<ReturnType<typeof startOrigin>>;
  let domain: string;
  const logs: EdgeLogEntry[] = [];
  /** `*a*a*a…!`: a backtracking regex takes exponential time on a path of a's. */
  const hostilePattern = `${"*a".repeat(40)}!`;

  beforeAll(async () => {
    origin = await startOrigin();
    t = await startTestServer("memory", { clientTimeouts: { bodyIdleMs: 500, checkIntervalMs: 50 }, onEdgeRequest: (entry) => logs.push(entry) });
    const created = await t.client.send(
      new CreateDistributionCommand({
        DistributionConfig: {
          CallerReference: "bounds",
          Comment: "",
          Enabled: true,
          Origins: { Quantity: 1, Items: [{ Id: "app", DomainName: "127.0.0.1", CustomOriginConfig: { HTTPPort: origin.port, HTTPSPort: 443, OriginProtocolPolicy: "http-only" } }] },
          // All seven methods: the stalled-body case POSTs to the origin.
          DefaultCacheBehavior: {
            TargetOriginId: "app",
            ViewerProtocolPolicy: "allow-all",
            CachePolicyId: "4135ea2d-6df8-44a3-9df3-4b5a84be39ad",
            AllowedMethods: { Quantity: 7, Items: ["GET", "HEAD", "OPTIONS", "PUT", "PATCH", "POST", "DELETE"], CachedMethods: { Quantity: 2, Items: ["GET", "HEAD"] } },
          },
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

  it("answers a URL over 8,192 bytes with CloudFront's 413 page and closes the connection", async () => {
    const answer = await http(t.url, "GET", `/${"a".repeat(8_192)}`, { headers: { host: domain } });
    expect(answer.status).toBe(413);
    expect(answer.headers.connection).toBe("close");
    expect(answer.headers["x-cache"]).toBe("Error from cloudfront");
    expect(answer.headers.server).toBe("CloudFront");
    expect(answer.body).toContain("<H1>413 ERROR</H1>");
    expect(answer.body).toContain(`Request ID: ${answer.headers["x-amz-cf-id"]}`);
    const longest = await http(t.url, "GET", `/${"a".repeat(8_191)}`, { headers: { host: domain } });
    expect(longest.status).toBe(200);
  });

  it("answers a request line and headers of 20,481 bytes with 413 and of 20,480 with 200 (raw HTTP)", async () => {
    const head = (size: number) => {
      const start = `GET /x HTTP/1.1\r\nHost: ${domain}\r\nConnection: close\r\nX-Pad: `;
      return `${start}${"p".repeat(size - start.length - 4)}\r\n\r\n`;
    };
    expect(head(20_481)).toHaveLength(20_481);
    const over = await rawExchange(t.url, [head(20_481)]);
    expect(over.text).toMatch(/^HTTP\/1\.1 413 /);
    expect(over.text).toContain("<H1>413 ERROR</H1>");
    const within = await rawExchange(t.url, [head(20_480)]);
    expect(within.text).toMatch(/^HTTP\/1\.1 200 /);
  });

  it("closes a viewer whose body stalls and abandons the origin request it was streaming to", async () => {
    const head = `POST /upload HTTP/1.1\r\nHost: ${domain}\r\nContent-Length: 1000\r\n\r\n`;
    const before = origin.abandoned();
    const { text } = await rawExchange(t.url, [head, "first bytes"]);
    expect(text).toBe("");
    await expect.poll(() => origin.abandoned()).toBe(before + 1);
    expect((await http(t.url, "GET", "/after", { headers: { host: domain } })).status).toBe(200);
  });

  it("tries a refused origin ConnectionAttempts times before answering 502", async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, "127.0.0.1", resolve));
    const closedPort = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));
    const answers: Record<string, { status: number; detail: string | undefined }> = {};
    for (const attempts of [1, 3]) {
      const created = await t.client.send(
        new CreateDistributionCommand({
          DistributionConfig: {
            CallerReference: `attempts-${attempts}`,
            Comment: "",
            Enabled: true,
            Origins: { Quantity: 1, Items: [{ Id: "gone", DomainName: "127.0.0.1", ConnectionAttempts: attempts, ConnectionTimeout: 1, CustomOriginConfig: { HTTPPort: closedPort, HTTPSPort: 443, OriginProtocolPolicy: "http-only" } }] },
            DefaultCacheBehavior: { TargetOriginId: "gone", ViewerProtocolPolicy: "allow-all", CachePolicyId: "4135ea2d-6df8-44a3-9df3-4b5a84be39ad" },
          },
        }),
      );
      const answer = await http(t.url, "GET", "/", { headers: { host: created.Distribution!.DomainName! } });
      const entry = logs.find((log) => log.distributionId === created.Distribution!.Id);
      answers[attempts] = { status: answer.status, detail: entry?.detail };
    }
    expect(answers[1]!.status).toBe(502);
    expect(answers[1]!.detail).toContain("(1 attempt)");
    expect(answers[3]!.status).toBe(502);
    expect(answers[3]!.detail).toContain("(3 attempts)");
  });
});
