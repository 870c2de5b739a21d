import { CreateDistributionCommand, type CacheBehavior, type DefaultCacheBehavior, type Origin } from "@aws-sdk/client-cloudfront";
import { mkdirSync, writeFileSync } from "node:fs";
import { createServer, type IncomingHttpHeaders, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { EdgeLogEntry } from "../../src/edge/edge.js";
import { createLiveFunction, http, startTestServer, tempDir, type TestServer } from "../helpers.js";

interface Seen {
  url: string;
  headers: IncomingHttpHeaders;
}

/** A real origin that records what reached it; the primary answers 500 to a path holding `/fail`. */
async function startOrigin(label: string): Promise<{ port: number; seen: Seen[]; server: Server }> {
  const seen: Seen[] = [];
  const server = createServer((req, res) => {
    seen.push({ url: req.url ?? "", headers: req.headers });
    if (label === "primary" && req.url?.includes("/fail")) return void res.writeHead(500).end(`${label} failed`);
    res.writeHead(200, { "content-type": "text/plain" }).end(`${label} ${req.url}`);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return { port: (server.address() as AddressInfo).port, seen, server };
}

const custom = (id: string, port: number): Origin => ({ Id: id, DomainName: "127.0.0.1", CustomOriginConfig: { HTTPPort: port, HTTPSPort: 443, OriginProtocolPolicy: "http-only" } });
const s3 = (id: string, bucket: string): Origin => ({ Id: id, DomainName: `${bucket}.s3.us-east-1.amazonaws.com`, S3OriginConfig: { OriginAccessIdentity: "" } });

describe("the edge: policies, origin groups, S3 origins, default root object", () => {
  let t: TestServer;
  let primary: Awaited<ReturnType<typeof startOrigin>>;
  let secondary: Awaited<ReturnType<typeof startOrigin>>;
  const site = tempDir();
  const logs: EdgeLogEntry[] = [];
  let domain: string;
  let closedPort: number;

  const fn = (name: string, code: string) => createLiveFunction(t.client, name, code);
  const get = (path: string, headers: Record<string, string> = {}) => http(t.url, "GET", path, { headers: { host: domain, ...headers } });
  const behaviour = (pattern: string, target: string, extra: Partial<CacheBehavior> = {}): CacheBehavior => ({ PathPattern: pattern, TargetOriginId: target, ViewerProtocolPolicy: "allow-all", ...extra });

  beforeAll(async () => {
    mkdirSync(join(site.path, "css"));
    writeFileSync(join(site.path, "index.html"), "<h1>home</h1>");
    writeFileSync(join(site.path, "hello.txt"), "hello from s3");
    writeFileSync(join(site.path, "css", "app.css"), "body{}");
    primary = await startOrigin("primary");
    secondary = await startOrigin("secondary");
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, "127.0.0.1", resolve));
    closedPort = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));

    t = await startTestServer("memory", { s3Sources: new Map([["site-bucket", site.path], ["proxied-bucket", `http://127.0.0.1:${secondary.port}/bucket-root`]]), onEdgeRequest: (entry) => logs.push(entry) });
    const grouping = await fn(
      "grouping",
      `import cf from 'cloudfront';
function handler(event) {
  var uri = event.request.uri;
  if (uri.startsWith('/fn-group')) cf.createRequestOriginGroup({ originIds: ['dead', 'secondary'], failoverCriteria: { statusCodes: [500, 502] } });
  if (uri.startsWith('/fn-select')) cf.selectRequestOriginById('nowhere');
  if (uri === '/') event.request.headers['x-saw-uri'] = { value: uri };
  return event.request;
}`,
    );
    const optimized = "658327ea-f89d-4fab-a63d-7e88639e58f6";
    const disabled = "4135ea2d-6df8-44a3-9df3-4b5a84be39ad";
    const allViewerExceptHost = "b689b0a8-53d0-40ab-baf2-68738e2966ac";
    const items: CacheBehavior[] = [
      behaviour("/optimized/*", "primary", { CachePolicyId: optimized }),
      behaviour("/except-host/*", "primary", { CachePolicyId: disabled, OriginRequestPolicyId: allViewerExceptHost }),
      behaviour("/legacy/*", "primary", {
        ForwardedValues: { QueryString: true, Cookies: { Forward: "whitelist", WhitelistedNames: { Quantity: 1, Items: ["a"] } }, Headers: { Quantity: 1, Items: ["Accept-Language"] } },
        MinTTL: 0,
      }),
      behaviour("/group/*", "failover"),
      behaviour("/dead-group/*", "dead-first"),
      behaviour("/dead/*", "dead"),
      behaviour("/assets/*", "site"),
      behaviour("/proxied/*", "proxied"),
      behaviour("/nosource/*", "nosource"),
      behaviour("/fn-*", "primary", { FunctionAssociations: { Quantity: 1, Items: [{ FunctionARN: grouping, EventType: "viewer-request" }] } }),
    ];
    const defaultBehaviour: DefaultCacheBehavior = { TargetOriginId: "primary", ViewerProtocolPolicy: "allow-all", FunctionAssociations: { Quantity: 1, Items: [{ FunctionARN: grouping, EventType: "viewer-request" }] } };
    const created = await t.client.send(
      new CreateDistributionCommand({
        DistributionConfig: {
          CallerReference: "origins",
          Comment: "",
          Enabled: true,
          DefaultRootObject: "index.html",
          Origins: { Quantity: 6, Items: [custom("primary", primary.port), custom("secondary", secondary.port), custom("dead", closedPort), s3("site", "site-bucket"), s3("proxied", "proxied-bucket"), s3("nosource", "unknown-bucket")] },
          OriginGroups: {
            Quantity: 2,
            Items: [
              { Id: "failover", FailoverCriteria: { StatusCodes: { Quantity: 2, Items: [500, 503] } }, Members: { Quantity: 2, Items: [{ OriginId: "primary" }, { OriginId: "secondary" }] } },
              { Id: "dead-first", FailoverCriteria: { StatusCodes: { Quantity: 1, Items: [500] } }, Members: { Quantity: 2, Items: [{ OriginId: "dead" }, { OriginId: "secondary" }] } },
            ],
          },
          DefaultCacheBehavior: defaultBehaviour,
          CacheBehaviors: { Quantity: items.length, Items: items },
        },
      }),
    );
    domain = created.Distribution!.DomainName!;
  });
  afterAll(async () => {
    await t.close();
    primary.server.close();
    secondary.server.close();
    site.remove();
  });

  it("a cache policy alone forwards no query, cookies or viewer headers; Host and User-Agent are CloudFront's", async () => {
    const res = await get("/optimized/a?x=1", { cookie: "a=1", "x-custom": "v", "user-agent": "curl/8", "accept-encoding": "gzip, deflate, br", "content-type": "text/plain" });
    expect(res.status).toBe(200);
    const seen = primary.seen.at(-1)!;
    expect(seen.url).toBe("/optimized/a");
    expect(seen.headers.cookie).toBeUndefined();
    expect(seen.headers["x-custom"]).toBeUndefined();
    expect(seen.headers.host).toBe("127.0.0.1");
    expect(seen.headers["user-agent"]).toBe("Amazon CloudFront");
    expect(seen.headers["accept-encoding"]).toBe("br,gzip");
    expect(seen.headers["content-type"]).toBe("text/plain");
    expect(seen.headers["x-amz-cf-id"]).toBe(res.headers["x-amz-cf-id"]);
  });

  it("AllViewerExceptHostHeader forwards everything but the viewer's Host", async () => {
    await get("/except-host/a?x=1&x=2", { cookie: "a=1; b=2", "x-custom": "v", "user-agent": "curl/8" });
    const seen = primary.seen.at(-1)!;
    expect(seen.url).toBe("/except-host/a?x=1&x=2");
    expect(seen.headers.cookie).toBe("a=1; b=2");
    expect(seen.headers["x-custom"]).toBe("v");
    expect(seen.headers["user-agent"]).toBe("curl/8");
    expect(seen.headers.host).toBe("127.0.0.1");
  });

  it("legacy ForwardedValues: query on, whitelisted cookies and headers, other headers pass, Accept/Referer removed", async () => {
    await get("/legacy/a?q=1", { cookie: "a=1; b=2", "accept-language": "fr", referer: "http://x/", accept: "text/html", "x-custom": "v" });
    const seen = primary.seen.at(-1)!;
    expect(seen.url).toBe("/legacy/a?q=1");
    expect(seen.headers.cookie).toBe("a=1");
    expect(seen.headers["accept-language"]).toBe("fr");
    expect(seen.headers["x-custom"]).toBe("v");
    expect(seen.headers.referer).toBeUndefined();
    expect(seen.headers.accept).toBeUndefined();
  });

  it("an origin group fails over on a listed status and on a connection failure", async () => {
    const before = primary.seen.length;
    expect((await get("/group/fail")).body).toBe("secondary /group/fail");
    expect(primary.seen.length).toBe(before + 1);
    expect((await get("/group/ok")).body).toBe("primary /group/ok");
    expect((await get("/dead-group/x")).body).toBe("secondary /dead-group/x");
  });

  it("answers 502 with CloudFront's page when the origin cannot be reached", async () => {
    const res = await get("/dead/x");
    expect(res.status).toBe(502);
    expect(res.headers["x-cache"]).toBe("Error from cloudfront");
    expect(res.body).toContain("<H1>502 ERROR</H1>");
    expect(res.body).toContain("CloudFront wasn't able to connect to the origin.");
    expect(logs.at(-1)?.detail).toMatch(/^OriginConnectError: /);
    expect(logs.at(-1)).toMatchObject({ result: "Error", detailedResult: "OriginConnectError" });
  });

  it("a function's createRequestOriginGroup is honoured; selecting an unknown origin is a 502", async () => {
    expect((await get("/fn-group/x")).body).toBe("secondary /fn-group/x");
    const res = await get("/fn-select");
    expect(res.status).toBe(502);
    expect(logs.at(-1)?.detail).toContain('no origin "nowhere"');
  });

  it("the default root object applies to / after the function, which saw /", async () => {
    const res = await get("/");
    expect(res.body).toBe("primary /index.html");
    expect(primary.seen.at(-1)!.headers["x-saw-uri"]).toBe("/");
    expect((await get("/sub/")).body).toBe("primary /sub/");
  });

  it("maps S3 keys to files, with S3's headers, ranges, conditional requests and AccessDenied", async () => {
    mkdirSync(join(site.path, "assets"), { recursive: true });
    writeFileSync(join(site.path, "assets", "a b.txt"), "0123456789");
    const file = await get("/assets/a%20b.txt");
    expect(file.status).toBe(200);
    expect(file.body).toBe("0123456789");
    expect(file.headers["content-type"]).toBe("text/plain");
    expect(file.headers.etag).toMatch(/^"[0-9a-f]{32}"$/);
    expect(file.headers["x-cache"]).toBe("Miss from cloudfront");
    const ranged = await get("/assets/a%20b.txt", { range: "bytes=2-4" });
    expect(ranged.status).toBe(206);
    expect(ranged.body).toBe("234");
    expect(ranged.headers["content-range"]).toBe("bytes 2-4/10");
    expect((await get("/assets/a%20b.txt", { "if-none-match": String(file.headers.etag) })).status).toBe(304);
    const missing = await get("/assets/nope.txt");
    expect(missing.status).toBe(403);
    expect(missing.statusMessage).toBe("Forbidden");
    expect(missing.body).toContain("<Code>AccessDenied</Code>");
    expect(missing.headers["x-cache"]).toBe("Error from cloudfront");
    expect((await get("/assets/..%2f..%2fetc%2fpasswd")).status).toBe(403);
    // S3 keys are literal: "assets/../hello.txt" is not the object "hello.txt".
    expect((await get("/assets/../hello.txt")).status).toBe(403);
  });

  it("proxies an S3 origin mapped to a URL, and answers 502 with a hint for a bucket with no source", async () => {
    const res = await get("/proxied/k.txt");
    expect(res.body).toBe("secondary /bucket-root/proxied/k.txt");
    const missing = await get("/nosource/x");
    expect(missing.status).toBe(502);
    expect(logs.at(-1)?.detail).toContain("--s3 unknown-bucket=");
  });

  it("answers CustomErrorResponses: an S3 403 becomes /index.html with 200 (the single-page-app setup)", async () => {
    const app = await fn("spa-noop", "function handler(event) { return event.request; }");
    const spa = await t.client.send(
      new CreateDistributionCommand({
        DistributionConfig: {
          CallerReference: "spa",
          Comment: "",
          Enabled: true,
          Origins: { Quantity: 2, Items: [s3("site", "site-bucket"), custom("dead", closedPort)] },
          CustomErrorResponses: {
            Quantity: 2,
            Items: [
              { ErrorCode: 403, ResponsePagePath: "/index.html", ResponseCode: "200", ErrorCachingMinTTL: 10 },
              { ErrorCode: 502, ResponsePagePath: "/hello.txt", ResponseCode: "503" },
            ],
          },
          DefaultCacheBehavior: { TargetOriginId: "site", ViewerProtocolPolicy: "allow-all", CachePolicyId: "658327ea-f89d-4fab-a63d-7e88639e58f6", FunctionAssociations: { Quantity: 1, Items: [{ FunctionARN: app, EventType: "viewer-request" }] } },
          CacheBehaviors: { Quantity: 1, Items: [behaviour("/api/*", "dead")] },
        },
      }),
    );
    const spaGet = (path: string) => http(t.url, "GET", path, { headers: { host: spa.Distribution!.DomainName! } });
    const route = await spaGet("/some/client/route");
    expect(route.status).toBe(200);
    expect(route.body).toBe("<h1>home</h1>");
    expect(route.headers["content-type"]).toBe("text/html");
    expect(route.headers["x-cache"]).toBe("Error from cloudfront");
    const down = await spaGet("/api/users");
    expect(down.status).toBe(503);
    expect(down.body).toBe("hello from s3");
  });

  it("rejects a CustomErrorResponse for a status CloudFront cannot customise", async () => {
    const error = await t.client
      .send(
        new CreateDistributionCommand({
          DistributionConfig: {
            CallerReference: "bad-error-code",
            Comment: "",
            Enabled: true,
            Origins: { Quantity: 1, Items: [custom("primary", primary.port)] },
            CustomErrorResponses: { Quantity: 1, Items: [{ ErrorCode: 418, ResponsePagePath: "/x.html", ResponseCode: "200" }] },
            DefaultCacheBehavior: { TargetOriginId: "primary", ViewerProtocolPolicy: "allow-all" },
          },
        }),
      )
      .then(() => undefined, (e: Error) => e);
    expect(error?.name).toBe("InvalidErrorCode");
  });
});

describe("serve --forward-all", () => {
  it("forwards every header, cookie and query string whatever the policies say", async () => {
    const origin = await startOrigin("origin");
    const t = await startTestServer("memory", { forwardAll: true });
    try {
      const created = await t.client.send(
        new CreateDistributionCommand({
          DistributionConfig: {
            CallerReference: "forward-all",
            Comment: "",
            Enabled: true,
            Origins: { Quantity: 1, Items: [custom("origin", origin.port)] },
            DefaultCacheBehavior: { TargetOriginId: "origin", ViewerProtocolPolicy: "allow-all", CachePolicyId: "658327ea-f89d-4fab-a63d-7e88639e58f6" },
          },
        }),
      );
      await http(t.url, "GET", "/a?x=1", { headers: { host: created.Distribution!.DomainName!, cookie: "a=1", "x-custom": "v" } });
      const seen = origin.seen.at(-1)!;
      expect(seen.url).toBe("/a?x=1");
      expect(seen.headers.cookie).toBe("a=1");
      expect(seen.headers["x-custom"]).toBe("v");
      expect(seen.headers.host).toBe(created.Distribution!.DomainName);
    } finally {
      await t.close();
      origin.server.close();
    }
  });
});

describe("CloudFront-* headers", () => {
  it("are added when a policy names them: the function sees them (a spoofed one is replaced) and so does the origin", async () => {
    const origin = await startOrigin("origin");
    const t = await startTestServer("memory", { viewerCountry: "FR" });
    try {
      const arn = await createLiveFunction(
        t.client,
        "geo",
        `function handler(event) {
  var h = event.request.headers;
  if (h['cloudfront-viewer-country'] && h['cloudfront-viewer-country'].value === 'FR' && !event.request.uri.startsWith('/fr/')) {
    return { statusCode: 302, statusDescription: 'Found', headers: { location: { value: '/fr' + event.request.uri } } };
  }
  return event.request;
}`,
      );
      const distribution = (amplify: boolean) =>
        t.client.send(
          new CreateDistributionCommand({
            DistributionConfig: {
              CallerReference: `geo-${amplify}`,
              Comment: "",
              Enabled: true,
              Origins: { Quantity: 1, Items: [custom("origin", origin.port)] },
              DefaultCacheBehavior: {
                TargetOriginId: "origin",
                ViewerProtocolPolicy: "allow-all",
                // Managed-Amplify names CloudFront-Viewer-Country; CachingDisabled names nothing.
                CachePolicyId: amplify ? "2e54312d-136d-493c-8eb9-b001f22f67d2" : "4135ea2d-6df8-44a3-9df3-4b5a84be39ad",
                FunctionAssociations: { Quantity: 1, Items: [{ FunctionARN: arn, EventType: "viewer-request" }] },
              },
            },
          }),
        );
      const withCountry = (await distribution(true)).Distribution!.DomainName!;
      const without = (await distribution(false)).Distribution!.DomainName!;
      const redirected = await http(t.url, "GET", "/page", { headers: { host: withCountry, "cloudfront-viewer-country": "US" } });
      expect(redirected.status).toBe(302);
      expect(redirected.headers.location).toBe("/fr/page");
      const followed = await http(t.url, "GET", "/fr/page", { headers: { host: withCountry, "cloudfront-viewer-country": "US" } });
      expect(followed.status).toBe(200);
      expect(origin.seen.at(-1)!.url).toBe("/fr/page");
      expect(origin.seen.at(-1)!.headers["cloudfront-viewer-country"]).toBe("FR");
      const plain = await http(t.url, "GET", "/page", { headers: { host: without } });
      expect(plain.status).toBe(200);
      expect(origin.seen.at(-1)!.url).toBe("/page");
      expect(origin.seen.at(-1)!.headers["cloudfront-viewer-country"]).toBeUndefined();
    } finally {
      await t.close();
      origin.server.close();
    }
  });
});
