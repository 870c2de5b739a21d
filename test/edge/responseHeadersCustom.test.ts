import {
  CreateDistributionCommand,
  CreateResponseHeadersPolicyCommand,
  GetResponseHeadersPolicyConfigCommand,
  UpdateResponseHeadersPolicyCommand,
  type CacheBehavior,
  type ResponseHeadersPolicyConfig,
} from "@aws-sdk/client-cloudfront";
import { existsSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it, type TestContext } from "vitest";
import { http, startTestServer, type RawResponse, type TestServer } from "../helpers.js";

/**
 * Custom response headers policies, created through the SDK, applied by the edge over real HTTP: CORS with
 * named origins and OriginOverride, security, custom and remove headers, Server-Timing.
 *
 * Written alongside the policies service (CreateResponseHeadersPolicy) and the edge cache, which land on
 * their own branches: until the API implements CreateResponseHeadersPolicy these tests skip, and the
 * cache-hit test also skips until src/edge/cache exists. Once both are in the tree every test runs.
 */
const CACHE_IN_TREE = existsSync(new URL("../../src/edge/cache/", import.meta.url));

async function startOrigin(): Promise<{ port: number; seen: string[]; server: Server }> {
  const seen: string[] = [];
  const server = createServer((req, res) => {
    seen.push(`${req.method} ${req.url}`);
    res
      .writeHead(200, [
        ["Content-Type", "text/plain"],
        ["Server", "origin-server/1.0"],
        ["X-Powered-By", "Express"],
        ["X-Keep", "origin"],
        ["X-Env", "origin"],
        ["Content-Security-Policy", "default-src 'none'"],
        ["Strict-Transport-Security", "max-age=1"],
        ["Access-Control-Allow-Origin", "https://origin.example"],
        ["Server-Timing", "app;dur=47.2"],
      ])
      .end("hello");
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return { port: (server.address() as AddressInfo).port, seen, server };
}

const CACHING_OPTIMIZED = "658327ea-f89d-4fab-a63d-7e88639e58f6";

const CUSTOM: ResponseHeadersPolicyConfig = {
  Name: "edge-custom",
  Comment: "custom policy for the edge test",
  CorsConfig: {
    AccessControlAllowOrigins: { Quantity: 2, Items: ["https://app.example", "https://*.example.org"] },
    AccessControlAllowHeaders: { Quantity: 1, Items: ["X-Token"] },
    AccessControlAllowMethods: { Quantity: 2, Items: ["GET", "PUT"] },
    AccessControlAllowCredentials: true,
    AccessControlExposeHeaders: { Quantity: 1, Items: ["X-Request-Id"] },
    AccessControlMaxAgeSec: 600,
    OriginOverride: true,
  },
  SecurityHeadersConfig: {
    ContentSecurityPolicy: { Override: false, ContentSecurityPolicy: "default-src 'self'" },
    StrictTransportSecurity: { Override: true, AccessControlMaxAgeSec: 63072000, IncludeSubdomains: true, Preload: true },
    FrameOptions: { Override: false, FrameOption: "DENY" },
  },
  CustomHeadersConfig: { Quantity: 2, Items: [{ Header: "X-Env", Value: "edge", Override: true }, { Header: "X-Keep", Value: "edge", Override: false }] },
  RemoveHeadersConfig: { Quantity: 2, Items: [{ Header: "X-Powered-By" }, { Header: "Server" }] },
  ServerTimingHeadersConfig: { Enabled: true, SamplingRate: 100 },
};

const ON_REQUEST: ResponseHeadersPolicyConfig = {
  Name: "edge-timing-on-request",
  CorsConfig: {
    AccessControlAllowOrigins: { Quantity: 1, Items: ["https://app.example"] },
    AccessControlAllowHeaders: { Quantity: 1, Items: ["*"] },
    AccessControlAllowMethods: { Quantity: 1, Items: ["ALL"] },
    AccessControlAllowCredentials: false,
    OriginOverride: false,
  },
  ServerTimingHeadersConfig: { Enabled: true, SamplingRate: 0 },
};

/** Server-Timing's metrics as name → parameters (`dur`, `desc`), in order. */
function metricsOf(value: string): Array<{ name: string; params: Record<string, string> }> {
  return value.split(",").map((metric) => {
    const [name, ...params] = metric.split(";").map((part) => part.trim());
    const pairs = params.map((param) => {
      const at = param.indexOf("=");
      return [param.slice(0, at), param.slice(at + 1).replace(/^"|"$/g, "")];
    });
    return { name: name!, params: Object.fromEntries(pairs) };
  });
}

const corsOf = (response: RawResponse) => Object.fromEntries(Object.entries(response.headers).filter(([name]) => name.startsWith("access-control-")));

describe("custom response headers policies at the edge", () => {
  let t: TestServer;
  let origin: Awaited<ReturnType<typeof startOrigin>>;
  let domain: string;
  let customId: string;
  /** Whether the API implements CreateResponseHeadersPolicy (see the note above). */
  let apiReady = false;
  const needsApi = (ctx: TestContext) => {
    if (!apiReady) ctx.skip();
  };

  const send = (method: string, path: string, headers: Record<string, string> = {}) => http(t.url, method, path, { headers: { host: domain, ...headers } });

  beforeAll(async () => {
    t = await startTestServer("memory");
    origin = await startOrigin();
    try {
      customId = (await t.client.send(new CreateResponseHeadersPolicyCommand({ ResponseHeadersPolicyConfig: CUSTOM }))).ResponseHeadersPolicy!.Id!;
    } catch (error) {
      if ((error as Error).name === "NotImplemented") return;
      throw error;
    }
    apiReady = true;
    const onRequestId = (await t.client.send(new CreateResponseHeadersPolicyCommand({ ResponseHeadersPolicyConfig: ON_REQUEST }))).ResponseHeadersPolicy!.Id!;
    const behaviour = (pathPattern: string, policyId: string): CacheBehavior => ({
      PathPattern: pathPattern,
      TargetOriginId: "app",
      ViewerProtocolPolicy: "allow-all",
      ResponseHeadersPolicyId: policyId,
      AllowedMethods: { Quantity: 7, Items: ["GET", "HEAD", "OPTIONS", "PUT", "POST", "PATCH", "DELETE"], CachedMethods: { Quantity: 2, Items: ["GET", "HEAD"] } },
    });
    const created = await t.client.send(
      new CreateDistributionCommand({
        DistributionConfig: {
          CallerReference: "custom-response-headers",
          Comment: "",
          Enabled: true,
          Origins: { Quantity: 1, Items: [{ Id: "app", DomainName: "127.0.0.1", CustomOriginConfig: { HTTPPort: origin.port, HTTPSPort: 443, OriginProtocolPolicy: "http-only" } }] },
          DefaultCacheBehavior: { TargetOriginId: "app", ViewerProtocolPolicy: "allow-all" },
          CacheBehaviors: {
            Quantity: 3,
            Items: [behaviour("/custom/*", customId), behaviour("/on-request/*", onRequestId), { ...behaviour("/cached/*", customId), CachePolicyId: CACHING_OPTIMIZED }],
          },
        },
      }),
    );
    domain = created.Distribution!.DomainName!;
  });
  afterAll(async () => {
    await t.close();
    await new Promise((resolve) => origin.server.close(resolve));
  });

  it("CORS for a named or wildcard origin, replacing the origin's (OriginOverride true); nothing for another origin", async (ctx) => {
    needsApi(ctx);
    const named = await send("GET", "/custom/a", { origin: "https://app.example" });
    expect(corsOf(named)).toEqual({ "access-control-allow-origin": "https://app.example", "access-control-allow-credentials": "true" });
    expect(corsOf(await send("GET", "/custom/a", { origin: "https://shop.example.org" }))).toEqual({
      "access-control-allow-origin": "https://shop.example.org",
      "access-control-allow-credentials": "true",
    });
    // An origin the policy does not allow gets none of the policy's CORS headers; the origin's own stays.
    expect(corsOf(await send("GET", "/custom/a", { origin: "https://evil.example" }))).toEqual({ "access-control-allow-origin": "https://origin.example" });
    const before = origin.seen.length;
    const preflight = await send("OPTIONS", "/custom/a", { origin: "https://app.example", "access-control-request-method": "PUT" });
    expect(origin.seen.slice(before)).toEqual(["OPTIONS /custom/a"]);
    expect(corsOf(preflight)).toEqual({
      "access-control-allow-origin": "https://app.example",
      "access-control-allow-credentials": "true",
      "access-control-allow-methods": "GET, PUT",
      "access-control-allow-headers": "X-Token",
      "access-control-expose-headers": "X-Request-Id",
      "access-control-max-age": "600",
    });
  });

  it("security headers with their Override, custom headers, removed headers (Server becomes CloudFront's)", async (ctx) => {
    needsApi(ctx);
    const response = await send("GET", "/custom/a");
    expect(response.headers["content-security-policy"]).toBe("default-src 'none'");
    expect(response.headers["strict-transport-security"]).toBe("max-age=63072000; includeSubDomains; preload");
    expect(response.headers["x-frame-options"]).toBe("DENY");
    expect(response.headers["x-env"]).toBe("edge");
    expect(response.headers["x-keep"]).toBe("origin");
    expect(response.headers["x-powered-by"]).toBeUndefined();
    expect(response.headers["server"]).toBe("CloudFront");
    expect(response.body).toBe("hello");
  });

  it("Server-Timing on every response at SamplingRate 100: CloudFront's metrics, then the origin's", async (ctx) => {
    needsApi(ctx);
    const response = await send("GET", "/custom/timing");
    const metrics = metricsOf(String(response.headers["server-timing"]));
    expect(metrics.map((metric) => metric.name)).toEqual([
      "cdn-upstream-layer",
      "cdn-upstream-dns",
      "cdn-upstream-connect",
      "cdn-upstream-fbl",
      "cdn-cache-miss",
      "cdn-pop",
      "cdn-rid",
      "cdn-downstream-fbl",
      "app",
    ]);
    const byName = new Map(metrics.map((metric) => [metric.name, metric.params]));
    expect(byName.get("cdn-upstream-layer")).toEqual({ desc: "EDGE" });
    expect(byName.get("cdn-rid")).toEqual({ desc: response.headers["x-amz-cf-id"] });
    expect(byName.get("cdn-pop")).toEqual({ desc: response.headers["x-amz-cf-pop"] });
    for (const name of ["cdn-upstream-dns", "cdn-upstream-connect", "cdn-upstream-fbl", "cdn-downstream-fbl"]) expect(byName.get(name)!.dur).toMatch(/^\d+$/);
    expect(byName.get("app")).toEqual({ dur: "47.2" });
  });

  it("Server-Timing at SamplingRate 0 only when the request says Pragma: server-timing", async (ctx) => {
    needsApi(ctx);
    expect((await send("GET", "/on-request/a")).headers["server-timing"]).toBe("app;dur=47.2");
    const asked = await send("GET", "/on-request/a", { pragma: "server-timing" });
    expect(String(asked.headers["server-timing"])).toMatch(/^cdn-upstream-layer;desc="EDGE",.*,cdn-cache-miss,.*,app;dur=47\.2$/);
    // ALL methods and `*` headers on a preflight; the origin's own Allow-Origin kept (OriginOverride false).
    expect(corsOf(await send("OPTIONS", "/on-request/a", { origin: "https://app.example", "access-control-request-method": "DELETE" }))).toEqual({
      "access-control-allow-origin": "https://origin.example",
      "access-control-allow-methods": "DELETE, GET, HEAD, OPTIONS, PATCH, POST, PUT",
      "access-control-allow-headers": "*",
    });
  });

  it("applies to cache hits too: the request's own Origin, Server-Timing says hit without the origin's metrics", async (ctx) => {
    needsApi(ctx);
    if (!CACHE_IN_TREE) ctx.skip();
    const miss = await send("GET", "/cached/object", { origin: "https://app.example" });
    expect(miss.headers["x-cache"]).toBe("Miss from cloudfront");
    const before = origin.seen.length;
    const hit = await send("GET", "/cached/object", { origin: "https://www.example.org" });
    expect(origin.seen.length).toBe(before);
    expect(hit.headers["x-cache"]).toBe("Hit from cloudfront");
    expect(corsOf(hit)).toEqual({ "access-control-allow-origin": "https://www.example.org", "access-control-allow-credentials": "true" });
    expect(hit.headers["x-env"]).toBe("edge");
    expect(hit.headers["server"]).toBe("CloudFront");
    expect(metricsOf(String(hit.headers["server-timing"])).map((metric) => metric.name)).toEqual(["cdn-cache-hit", "cdn-pop", "cdn-rid", "cdn-hit-layer", "cdn-downstream-fbl"]);
    // The cached object keeps the origin's headers: the policy is applied anew on each hit.
    const again = await send("GET", "/cached/object");
    expect(corsOf(again)).toEqual({ "access-control-allow-origin": "https://origin.example" });
  });

  it("an updated policy applies from the next request", async (ctx) => {
    needsApi(ctx);
    const { ETag } = await t.client.send(new GetResponseHeadersPolicyConfigCommand({ Id: customId }));
    const changed: ResponseHeadersPolicyConfig = { ...CUSTOM, CustomHeadersConfig: { Quantity: 1, Items: [{ Header: "X-Env", Value: "edge-v2", Override: true }] } };
    await t.client.send(new UpdateResponseHeadersPolicyCommand({ Id: customId, IfMatch: ETag, ResponseHeadersPolicyConfig: changed }));
    const response = await send("GET", "/custom/a");
    expect(response.headers["x-env"]).toBe("edge-v2");
    expect(response.headers["x-keep"]).toBe("origin");
  });
});
