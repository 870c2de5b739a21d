import { CreateDistributionCommand, DeleteFunctionCommand, FunctionInUse, PublishFunctionCommand, UpdateFunctionCommand } from "@aws-sdk/client-cloudfront";
import { createServer, type IncomingHttpHeaders, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createLiveFunction, encode, http, startTestServer, type TestServer } from "../helpers.js";

interface Seen {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
}

/** A real origin: answers by path, records what reached it. */
async function startOrigin(label: string): Promise<{ port: number; seen: Seen[]; server: Server }> {
  const seen: Seen[] = [];
  const server = createServer((req, res) => {
    seen.push({ method: req.method ?? "", url: req.url ?? "", headers: req.headers });
    if (req.url?.startsWith("/missing")) {
      res.writeHead(404, { "content-type": "text/plain" }).end("not here");
      return;
    }
    res.writeHead(200, [["Content-Type", "text/plain"], ["Set-Cookie", "session=abc; Path=/"], ["X-Origin", label]]);
    res.end(`${label} ${req.method} ${req.url}`);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return { port: (server.address() as AddressInfo).port, seen, server };
}

describe("the edge: LIVE functions on real HTTP traffic", () => {
  let t: TestServer;
  let app: Awaited<ReturnType<typeof startOrigin>>;
  let assets: Awaited<ReturnType<typeof startOrigin>>;
  let domain: string;

  const fn = (name: string, code: string) => createLiveFunction(t.client, name, code);
  const get = (path: string, headers: Record<string, string> = {}) => http(t.url, "GET", path, { headers: { host: domain, ...headers } });

  beforeAll(async () => {
    t = await startTestServer("memory");
    app = await startOrigin("app");
    assets = await startOrigin("assets");
    const request = await fn(
      "viewer-req",
      `function handler(event) {
  var r = event.request;
  if (r.uri === '/old') return { statusCode: 301, statusDescription: 'Moved Permanently', headers: { location: { value: '/new' } } };
  if (r.uri === '/throw') throw new Error('boom');
  if (r.uri === '/readonly') { r.headers['host'] = { value: 'evil.example' }; return r; }
  if (r.uri.endsWith('/')) r.uri += 'index.html';
  r.headers['x-from-function'] = { value: 'yes' };
  return r;
}`,
    );
    const response = await fn("viewer-res", `function handler(event) { event.response.headers['x-viewer-response'] = { value: 'ran' }; return event.response; }`);
    const created = await t.client.send(
      new CreateDistributionCommand({
        DistributionConfig: {
          CallerReference: "edge-test",
          Comment: "",
          Enabled: true,
          Origins: {
            Quantity: 2,
            Items: [
              { Id: "app", DomainName: "127.0.0.1", CustomOriginConfig: { HTTPPort: app.port, HTTPSPort: 443, OriginProtocolPolicy: "http-only" } },
              { Id: "assets", DomainName: "127.0.0.1", CustomOriginConfig: { HTTPPort: assets.port, HTTPSPort: 443, OriginProtocolPolicy: "http-only" } },
            ],
          },
          DefaultCacheBehavior: {
            TargetOriginId: "app",
            ViewerProtocolPolicy: "allow-all",
            FunctionAssociations: { Quantity: 2, Items: [{ FunctionARN: request, EventType: "viewer-request" }, { FunctionARN: response, EventType: "viewer-response" }] },
          },
          CacheBehaviors: { Quantity: 1, Items: [{ PathPattern: "/static/*", TargetOriginId: "assets", ViewerProtocolPolicy: "allow-all" }] },
        },
      }),
    );
    domain = created.Distribution!.DomainName!;
  });
  afterAll(async () => {
    await t.close();
    app.server.close();
    assets.server.close();
  });

  it("runs viewer-request, forwards the changed request to the origin, runs viewer-response and adds CloudFront's headers", async () => {
    const res = await get("/blog/?page=2&page=3", { cookie: "a=1; b=2", "user-agent": "test-agent" });
    expect(res.status).toBe(200);
    expect(res.body).toBe("app GET /blog/index.html?page=2&page=3");
    const seen = app.seen.at(-1)!;
    expect(seen.headers["x-from-function"]).toBe("yes");
    expect(seen.headers.cookie).toBe("a=1; b=2");
    expect(seen.headers["user-agent"]).toBe("test-agent");
    expect(seen.headers["x-forwarded-for"]).toBe("127.0.0.1");
    expect(seen.headers["x-amz-cf-id"]).toBe(res.headers["x-amz-cf-id"]);
    expect(seen.headers.via).toMatch(/^1\.1 [0-9a-f]{32}\.cloudfront\.net \(CloudFront\)$/);
    expect(res.headers["x-viewer-response"]).toBe("ran");
    expect(res.headers["x-origin"]).toBe("app");
    expect(res.headers["set-cookie"]).toEqual(["session=abc; Path=/"]);
    expect(res.headers["x-cache"]).toBe("Miss from cloudfront");
    expect(res.headers["x-amz-cf-pop"]).toMatch(/^[A-Z]{3}\d+-[CP]\d+$/);
    expect(res.headers["x-amz-cf-id"]).toMatch(/^[A-Za-z0-9_-]{54}==$/);
  });

  it("answers a generated response without reaching the origin", async () => {
    const before = app.seen.length;
    const res = await get("/old");
    expect(res.status).toBe(301);
    expect(res.headers.location).toBe("/new");
    expect(res.headers["x-cache"]).toBe("FunctionGeneratedResponse from cloudfront");
    expect(res.headers.server).toBe("CloudFront");
    expect(app.seen.length).toBe(before);
  });

  it("answers 503 for a throwing function and 502 for a read-only header change", async () => {
    const thrown = await get("/throw");
    expect(thrown.status).toBe(503);
    expect(thrown.headers["x-cache"]).toBe("FunctionExecutionError from cloudfront");
    expect(thrown.body).toContain("The CloudFront function associated with the CloudFront distribution is invalid or could not run.");
    expect(thrown.body).toContain(`Request ID: ${thrown.headers["x-amz-cf-id"]}`);
    const invalid = await get("/readonly");
    expect(invalid.status).toBe(502);
    expect(invalid.headers["x-cache"]).toBe("FunctionValidationError from cloudfront");
    expect(invalid.body).toContain("<H1>502 ERROR</H1>");
    expect(invalid.body).toContain('The CloudFront function returned an invalid value: The header &#34;host&#34; is read-only in this event.');
  });

  it("skips viewer-response when the origin answers 400 or above", async () => {
    const res = await get("/missing");
    expect(res.status).toBe(404);
    expect(res.headers["x-viewer-response"]).toBeUndefined();
    expect(res.headers["x-cache"]).toBe("Error from cloudfront");
  });

  it("routes by path pattern to another origin (no functions on that behaviour)", async () => {
    const res = await get("/static/app.css");
    expect(res.body).toBe("assets GET /static/app.css");
    expect(res.headers["x-viewer-response"]).toBeUndefined();
  });

  it("serves a newly published version on the next request, and the function cannot be deleted while in use", async () => {
    await t.client.send(new UpdateFunctionCommand({ Name: "viewer-res", IfMatch: "ETVPDKIKX0DER", FunctionConfig: { Comment: "", Runtime: "cloudfront-js-2.0" }, FunctionCode: encode(`function handler(event) { event.response.headers['x-viewer-response'] = { value: 'v2' }; return event.response; }`) }));
    expect((await get("/page")).headers["x-viewer-response"]).toBe("ran");
    await t.client.send(new PublishFunctionCommand({ Name: "viewer-res", IfMatch: "E3UN6WX5RRO2AG" }));
    expect((await get("/page")).headers["x-viewer-response"]).toBe("v2");
    expect(await t.client.send(new DeleteFunctionCommand({ Name: "viewer-res", IfMatch: "E3UN6WX5RRO2AG" })).catch((e: Error) => e)).toBeInstanceOf(FunctionInUse);
  });

  it("leaves other hosts to the API", async () => {
    expect((await http(t.url, "GET", "/_edgelite/health")).status).toBe(200);
  });
});
