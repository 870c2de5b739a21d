import { CreateDistributionCommand, type Origin } from "@aws-sdk/client-cloudfront";
import { createServer as createHttpServer, type IncomingHttpHeaders, type Server } from "node:http";
import { createServer as createHttpsServer } from "node:https";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { EdgeLogEntry } from "../../src/edge/edge.js";
import { cloudFrontClient, http, startTestServer, tempDir, type TestServer } from "../helpers.js";
import { runCli, spawnServer } from "../process.js";
import { makeTestCertificates, type TestCertificates } from "../tlsCertificates.js";

const CACHING_DISABLED = "4135ea2d-6df8-44a3-9df3-4b5a84be39ad";

interface Seen {
  scheme: string;
  url: string;
  headers: IncomingHttpHeaders;
}

async function listen(server: Server): Promise<number> {
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return (server.address() as AddressInfo).port;
}

describe("origins as configured: OriginPath, CustomHeaders, OriginProtocolPolicy and ports, HTTPS with a local CA", () => {
  const dir = tempDir();
  let certs: TestCertificates;
  const seen: Seen[] = [];
  let tls: Server;
  let plain: Server;
  let tlsPort: number;
  let plainPort: number;
  let trusting: TestServer;
  let untrusting: TestServer;
  const untrustingLogs: EdgeLogEntry[] = [];

  const answer = (scheme: string) => (req: { url?: string; headers: IncomingHttpHeaders }, res: { writeHead(status: number, headers: Record<string, string>): { end(body: string): void } }) => {
    seen.push({ scheme, url: req.url ?? "", headers: req.headers });
    res.writeHead(200, { "content-type": "text/plain" }).end(`${scheme} ${req.url}`);
  };
  const origin = (policy: "http-only" | "https-only" | "match-viewer", extra: Partial<Origin> = {}): Origin => ({
    Id: "o",
    DomainName: "127.0.0.1",
    CustomOriginConfig: { HTTPPort: plainPort, HTTPSPort: tlsPort, OriginProtocolPolicy: policy },
    ...extra,
  });
  const distribution = async (t: Pick<TestServer, "client">, reference: string, o: Origin) =>
    (
      await t.client.send(
        new CreateDistributionCommand({
          DistributionConfig: { CallerReference: reference, Comment: "", Enabled: true, Origins: { Quantity: 1, Items: [o] }, DefaultCacheBehavior: { TargetOriginId: "o", ViewerProtocolPolicy: "allow-all", CachePolicyId: CACHING_DISABLED } },
        }),
      )
    ).Distribution!.DomainName!;

  beforeAll(async () => {
    certs = makeTestCertificates(dir.path);
    tls = createHttpsServer({ cert: certs.cert, key: certs.key }, answer("https"));
    plain = createHttpServer(answer("http"));
    tlsPort = await listen(tls);
    plainPort = await listen(plain);
    trusting = await startTestServer("memory", { originCa: [certs.ca] });
    untrusting = await startTestServer("memory", { onEdgeRequest: (entry) => untrustingLogs.push(entry) });
  });
  afterAll(async () => {
    await trusting.close();
    await untrusting.close();
    tls.close();
    plain.close();
    dir.remove();
  });

  it("https-only reaches the origin's HTTPSPort over TLS, trusting the --origin-ca CA; OriginPath and CustomHeaders apply", async () => {
    const domain = await distribution(
      trusting,
      "https-only",
      origin("https-only", { OriginPath: "/v2", CustomHeaders: { Quantity: 2, Items: [{ HeaderName: "X-Origin-Secret", HeaderValue: "s3cret" }, { HeaderName: "X-Env", HeaderValue: "local" }] } }),
    );
    const res = await http(trusting.url, "GET", "/items?page=2", { headers: { host: domain } });
    expect(res.status).toBe(200);
    expect(res.body).toBe("https /v2/items");
    const at = seen.at(-1)!;
    expect(at.headers["x-origin-secret"]).toBe("s3cret");
    expect(at.headers["x-env"]).toBe("local");
    expect(at.headers.host).toBe("127.0.0.1");
  });

  it("http-only and match-viewer reach the HTTPPort over HTTP (the edge's viewers are HTTP)", async () => {
    for (const policy of ["http-only", "match-viewer"] as const) {
      const domain = await distribution(trusting, policy, origin(policy));
      const res = await http(trusting.url, "GET", "/which", { headers: { host: domain } });
      expect(`${policy}: ${res.body}`).toBe(`${policy}: http /which`);
    }
  });

  it("an origin certificate no trusted CA signed is CloudFront's 502, and the log names the flag that trusts it", async () => {
    const before = seen.length;
    const domain = await distribution(untrusting, "untrusted", origin("https-only"));
    const res = await http(untrusting.url, "GET", "/secret", { headers: { host: domain } });
    expect(res.status).toBe(502);
    expect(res.body).toContain("CloudFront wasn't able to connect to the origin.");
    expect(seen.length).toBe(before);
    const entry = untrustingLogs.at(-1)!;
    expect(entry.status).toBe(502);
    expect(entry.detail).toContain("TLS certificate is not trusted");
    expect(entry.detail).toContain("--origin-ca");
  });

  it("serve honours NODE_EXTRA_CA_CERTS, and --origin-ca refuses a file without a certificate (exit 64)", async () => {
    const server = await spawnServer(["--in-memory"], { NODE_EXTRA_CA_CERTS: certs.caFile });
    try {
      const client = cloudFrontClient(server.url);
      const domain = await distribution({ client }, "env-ca", origin("https-only"));
      client.destroy();
      const res = await http(server.url, "GET", "/via-env", { headers: { host: domain } });
      expect(res.body).toBe("https /via-env");
    } finally {
      server.child.kill("SIGTERM");
      await server.exited;
    }
    const refused = await runCli(["serve", "--in-memory", "--origin-ca", certs.caFile.replace("ca.pem", "server.ext")]);
    expect(refused.code).toBe(64);
    expect(refused.stderr).toContain("holds no PEM certificate");
  });
});
