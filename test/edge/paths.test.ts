import { CreateDistributionCommand, type AllowedMethods, type CacheBehavior, type DistributionConfig, type Origin } from "@aws-sdk/client-cloudfront";
import { writeFileSync } from "node:fs";
import { createServer, type IncomingHttpHeaders, type Server } from "node:http";
import type { AddressInfo, Socket } from "node:net";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createLiveFunction, http, startTestServer, tempDir, type TestServer } from "../helpers.js";

/**
 * Edge paths no other test walks, over real HTTP against a real server: an origin changed by
 * cf.updateRequestOrigin, generated responses with a body and cookies, a viewer-response function whose result
 * is not a response, an origin that never answers (504), and an S3 folder's refusals (405, 416, InvalidURI).
 */

interface Seen {
  url: string;
  headers: IncomingHttpHeaders;
}

async function listen(server: Server, host?: string): Promise<number> {
  await new Promise<void>((resolve) => (host ? server.listen(0, host, resolve) : server.listen(0, resolve)));
  return (server.address() as AddressInfo).port;
}

/** An origin that records what reached it and answers `<label> <url>`. */
async function startOrigin(label: string, host?: string): Promise<{ port: number; seen: Seen[]; server: Server }> {
  const seen: Seen[] = [];
  const server = createServer((req, res) => {
    seen.push({ url: req.url ?? "", headers: req.headers });
    res.writeHead(200, { "content-type": "text/plain" }).end(`${label} ${req.url}`);
  });
  return { port: await listen(server, host), seen, server };
}

const ALL_METHODS: AllowedMethods = { Quantity: 7, Items: ["GET", "HEAD", "OPTIONS", "PUT", "PATCH", "POST", "DELETE"], CachedMethods: { Quantity: 2, Items: ["GET", "HEAD"] } };
const CACHING_DISABLED = "4135ea2d-6df8-44a3-9df3-4b5a84be39ad";

describe("the edge's less travelled paths", () => {
  let t: TestServer;
  let primary: Awaited<ReturnType<typeof startOrigin>>;
  let moved: Awaited<ReturnType<typeof startOrigin>>;
  let silent: Server;
  let silentPort: number;
  const held: Socket[] = [];
  const site = tempDir();
  const hosts: Record<string, string> = {};

  const custom = (id: string, port: number, extra: Partial<NonNullable<Origin["CustomOriginConfig"]>> = {}): Origin => ({
    Id: id,
    DomainName: "127.0.0.1",
    CustomOriginConfig: { HTTPPort: port, HTTPSPort: 443, OriginProtocolPolicy: "http-only", ...extra },
  });
  const distribution = async (name: string, origin: Origin, behaviour: Partial<CacheBehavior> = {}) => {
    const config: DistributionConfig = {
      CallerReference: name,
      Comment: "",
      Enabled: true,
      Origins: { Quantity: 1, Items: [origin] },
      DefaultCacheBehavior: { TargetOriginId: origin.Id!, ViewerProtocolPolicy: "allow-all", CachePolicyId: CACHING_DISABLED, ...behaviour },
    };
    const created = await t.client.send(new CreateDistributionCommand({ DistributionConfig: config }));
    hosts[name] = created.Distribution!.DomainName!;
  };
  const get = (name: string, path: string, options: { method?: string; headers?: Record<string, string>; body?: string } = {}) =>
    http(t.url, options.method ?? "GET", path, { headers: { host: hosts[name]!, ...options.headers }, ...(options.body !== undefined ? { body: options.body } : {}) });
  const viewerRequest = async (name: string, code: string) => ({
    FunctionAssociations: { Quantity: 1, Items: [{ FunctionARN: await createLiveFunction(t.client, name, code), EventType: "viewer-request" as const }] },
  });

  beforeAll(async () => {
    writeFileSync(join(site.path, "five.txt"), "12345");
    primary = await startOrigin("primary", "127.0.0.1");
    // Every local address: the function names it "localhost", which may resolve to 127.0.0.1 or ::1.
    moved = await startOrigin("moved");
    silent = createServer();
    silent.on("connection", (socket) => held.push(socket));
    silentPort = await listen(silent, "127.0.0.1");
    t = await startTestServer("memory", { s3Sources: new Map([["site-bucket", site.path]]) });

    await distribution(
      "update-origin",
      custom("primary", primary.port),
      await viewerRequest(
        "update-origin",
        `import cf from 'cloudfront';
function handler(event) {
  cf.updateRequestOrigin({
    domainName: 'localhost',
    originPath: '/moved',
    customOriginConfig: { port: ${moved.port}, protocol: 'http', sslProtocols: ['TLSv1.2'] },
    customHeaders: { 'x-origin-secret': 'abc' },
  });
  return event.request;
}`,
      ),
    );
    await distribution(
      "generated",
      custom("primary", primary.port),
      await viewerRequest(
        "generated",
        `function handler(event) {
  if (event.request.uri === '/base64') return { statusCode: 201, statusDescription: 'Created', body: { encoding: 'base64', data: 'aGVsbG8gYmFzZTY0' } };
  return {
    statusCode: 200,
    statusDescription: 'OK',
    headers: { 'content-type': { value: 'text/plain' } },
    cookies: { session: { value: 'abc', attributes: 'Path=/; Secure' }, theme: { value: 'dark' } },
    body: 'hello from the function',
  };
}`,
      ),
    );
    await distribution("invalid-response", custom("primary", primary.port), {
      FunctionAssociations: {
        Quantity: 1,
        Items: [
          {
            FunctionARN: await createLiveFunction(
              t.client,
              "invalid-response",
              `function handler(event) {
  if (event.request.uri === '/request') return event.request;
  return { statusCode: 'two hundred' };
}`,
            ),
            EventType: "viewer-response",
          },
        ],
      },
    });
    await distribution("silent", custom("silent", silentPort, { OriginReadTimeout: 1 }));
    await distribution("s3", { Id: "s3", DomainName: "site-bucket.s3.us-east-1.amazonaws.com", S3OriginConfig: { OriginAccessIdentity: "" } }, { AllowedMethods: ALL_METHODS });
  });

  afterAll(async () => {
    await t.close();
    for (const socket of held) socket.destroy();
    for (const server of [primary.server, moved.server, silent]) server.close();
    site.remove();
  });

  it("sends the request to the origin cf.updateRequestOrigin names, with its path and custom headers", async () => {
    const res = await get("update-origin", "/page?x=1");
    expect(res.status).toBe(200);
    expect(res.body).toBe("moved /moved/page");
    expect(moved.seen.at(-1)!.headers["x-origin-secret"]).toBe("abc");
    expect(primary.seen.map((seen) => seen.url)).not.toContain("/page");
  });

  it("writes a generated response's body, headers and cookies (one Set-Cookie each, attributes kept)", async () => {
    const res = await get("generated", "/anything");
    expect(res.status).toBe(200);
    expect(res.body).toBe("hello from the function");
    expect(res.headers["content-type"]).toBe("text/plain");
    expect(res.headers["content-length"]).toBe(String(Buffer.byteLength("hello from the function")));
    expect(res.headers["set-cookie"]).toEqual(["session=abc; Path=/; Secure", "theme=dark"]);
    expect(res.headers["x-cache"]).toBe("FunctionGeneratedResponse from cloudfront");
    const encoded = await get("generated", "/base64");
    expect(encoded.status).toBe(201);
    expect(encoded.statusMessage).toBe("Created");
    expect(encoded.body).toBe("hello base64");
  });

  it("answers 502 FunctionValidationError when a viewer-response function returns no valid response", async () => {
    for (const path of ["/request", "/bad-status"]) {
      const res = await get("invalid-response", path);
      expect(res.status, path).toBe(502);
      expect(res.headers["x-cache"], path).toBe("FunctionValidationError from cloudfront");
      expect(res.headers["content-type"], path).toBe("text/html");
      expect(res.body, path).toContain("The CloudFront function returned an invalid value");
      expect(res.body, path).not.toContain("primary");
    }
  });

  it("answers 504 with CloudFront's page when the origin stays silent past OriginReadTimeout", async () => {
    const started = Date.now();
    const res = await get("silent", "/slow");
    const waited = Date.now() - started;
    expect(res.status).toBe(504);
    expect(res.headers["x-cache"]).toBe("Error from cloudfront");
    expect(res.headers["content-type"]).toBe("text/html");
    expect(res.body).toContain("504 ERROR");
    expect(res.body).toContain("CloudFront attempted to establish a connection with the origin, but either the attempt failed or the origin closed the connection.");
    // OriginReadTimeout is 1 s: not answered before it, and not long after.
    expect(waited).toBeGreaterThanOrEqual(1000);
    expect(waited).toBeLessThan(10_000);
  });

  describe("an S3 folder origin refuses as S3 does", () => {
    const s3Code = (body: string) => /<Code>([^<]+)<\/Code>/.exec(body)?.[1];

    it("answers a method other than GET and HEAD with 405 MethodNotAllowed", async () => {
      for (const method of ["POST", "PUT", "DELETE"]) {
        const res = await get("s3", "/five.txt", { method, body: "x" });
        expect(res.status, method).toBe(405);
        expect(s3Code(res.body), method).toBe("MethodNotAllowed");
        expect(res.body, method).toContain(`<Method>${method}</Method>`);
        expect(res.headers["x-cache"], method).toBe("Error from cloudfront");
      }
    });

    it("answers a range past the object's end with 416 InvalidRange, and a range within it with 206", async () => {
      const refused = await get("s3", "/five.txt", { headers: { range: "bytes=10-20" } });
      expect(refused.status).toBe(416);
      expect(s3Code(refused.body)).toBe("InvalidRange");
      expect(refused.body).toContain("<ActualObjectSize>5</ActualObjectSize>");
      const partial = await get("s3", "/five.txt", { headers: { range: "bytes=1-2" } });
      expect(partial.status).toBe(206);
      expect(partial.body).toBe("23");
      expect(partial.headers["content-range"]).toBe("bytes 1-2/5");
    });

    it("answers a key that is not valid percent-encoded UTF-8 with 400 InvalidURI", async () => {
      const res = await get("s3", "/five%E0%A4.txt");
      expect(res.status).toBe(400);
      expect(s3Code(res.body)).toBe("InvalidURI");
      expect(res.headers["x-cache"]).toBe("Error from cloudfront");
    });
  });
});
