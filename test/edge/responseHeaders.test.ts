import { CreateDistributionCommand, type CacheBehavior } from "@aws-sdk/client-cloudfront";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createLiveFunction, http, startTestServer, type RawResponse, type TestServer } from "../helpers.js";

/**
 * Response headers policies over real HTTP: a distribution created through the SDK whose behaviours name
 * AWS's managed policies by id, in front of a real origin that records what reaches it.
 */

const SIMPLE_CORS = "60669652-455b-4ae9-85a4-c4c02393f86c";
const CORS_WITH_PREFLIGHT = "5cc3b908-e619-4b99-88e5-2cf7f45965bd";
const SECURITY_HEADERS = "67f7725c-6f97-4210-82d7-5512b31e9d03";
const CORS_AND_SECURITY = "e61eb60c-9c35-4d20-a928-2b84e02af89c";
const CORS_PREFLIGHT_AND_SECURITY = "eaab4381-ed33-4a86-88ca-d9558dc6cd63";

/** An origin whose answer depends on the path's last segment: `/…/own` sends its own CORS and security headers. */
async function startOrigin(): Promise<{ port: number; seen: Array<{ method: string; url: string }>; server: Server }> {
  const seen: Array<{ method: string; url: string }> = [];
  const server = createServer((req, res) => {
    seen.push({ method: req.method ?? "", url: req.url ?? "" });
    const headers: Array<[string, string]> = [["Content-Type", "text/plain"], ["X-Powered-By", "origin"]];
    if (req.url?.endsWith("/own")) {
      headers.push(
        ["Access-Control-Allow-Origin", "https://origin.example"],
        ["Access-Control-Allow-Methods", "GET"],
        ["X-Frame-Options", "DENY"],
        ["X-Content-Type-Options", "origin-value"],
        ["Strict-Transport-Security", "max-age=60"],
      );
    }
    res.writeHead(req.url?.endsWith("/missing") ? 404 : 200, headers).end(`${req.method} ${req.url}`);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return { port: (server.address() as AddressInfo).port, seen, server };
}

/** The response's headers whose names start with `access-control-`, as name → value. */
const corsOf = (response: RawResponse) => Object.fromEntries(Object.entries(response.headers).filter(([name]) => name.startsWith("access-control-")));

const SECURITY = {
  "referrer-policy": "strict-origin-when-cross-origin",
  "strict-transport-security": "max-age=31536000",
  "x-content-type-options": "nosniff",
  "x-frame-options": "SAMEORIGIN",
  "x-xss-protection": "1; mode=block",
};
const securityOf = (response: RawResponse) => Object.fromEntries(Object.keys(SECURITY).map((name) => [name, response.headers[name]]));

describe("response headers policies at the edge (managed policies by id)", () => {
  let t: TestServer;
  let origin: Awaited<ReturnType<typeof startOrigin>>;
  let domain: string;

  const send = (method: string, path: string, headers: Record<string, string> = {}) => http(t.url, method, path, { headers: { host: domain, ...headers } });
  const preflight = (path: string) => send("OPTIONS", path, { origin: "https://app.example", "access-control-request-method": "PUT", "access-control-request-headers": "x-token" });

  beforeAll(async () => {
    t = await startTestServer("memory");
    origin = await startOrigin();
    const generator = await createLiveFunction(
      t.client,
      "rhp-generated",
      `function handler(event) { if (event.request.uri.endsWith('/generated')) return { statusCode: 200, statusDescription: 'OK', headers: { 'x-made-by': { value: 'function' } } }; return event.request; }`,
    );
    const withPolicy = (pathPattern: string, policyId: string): CacheBehavior => ({
      PathPattern: pathPattern,
      TargetOriginId: "app",
      ViewerProtocolPolicy: "allow-all",
      ResponseHeadersPolicyId: policyId,
      AllowedMethods: { Quantity: 3, Items: ["GET", "HEAD", "OPTIONS"], CachedMethods: { Quantity: 2, Items: ["GET", "HEAD"] } },
      FunctionAssociations: { Quantity: 1, Items: [{ FunctionARN: generator, EventType: "viewer-request" }] },
    });
    const behaviours = [
      withPolicy("/simple/*", SIMPLE_CORS),
      withPolicy("/preflight/*", CORS_WITH_PREFLIGHT),
      withPolicy("/security/*", SECURITY_HEADERS),
      withPolicy("/cors-security/*", CORS_AND_SECURITY),
      withPolicy("/all/*", CORS_PREFLIGHT_AND_SECURITY),
    ];
    const created = await t.client.send(
      new CreateDistributionCommand({
        DistributionConfig: {
          CallerReference: "response-headers-test",
          Comment: "",
          Enabled: true,
          Origins: { Quantity: 2, Items: [
            { Id: "app", DomainName: "127.0.0.1", CustomOriginConfig: { HTTPPort: origin.port, HTTPSPort: 443, OriginProtocolPolicy: "http-only" } },
            { Id: "nowhere", DomainName: "127.0.0.1", CustomOriginConfig: { HTTPPort: 9, HTTPSPort: 443, OriginProtocolPolicy: "http-only", OriginReadTimeout: 1 }, ConnectionAttempts: 1, ConnectionTimeout: 1 },
          ] },
          DefaultCacheBehavior: { TargetOriginId: "app", ViewerProtocolPolicy: "allow-all" },
          CacheBehaviors: {
            Quantity: behaviours.length + 2,
            Items: [
              ...behaviours,
              { ...withPolicy("/down/*", CORS_PREFLIGHT_AND_SECURITY), TargetOriginId: "nowhere" },
              { ...withPolicy("/get-only/*", CORS_PREFLIGHT_AND_SECURITY), AllowedMethods: { Quantity: 2, Items: ["GET", "HEAD"], CachedMethods: { Quantity: 2, Items: ["GET", "HEAD"] } } },
            ],
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

  it("Managed-SimpleCORS: Access-Control-Allow-Origin: * on CORS requests only, the origin's own kept", async () => {
    const cors = await send("GET", "/simple/a", { origin: "https://app.example" });
    expect(cors.status).toBe(200);
    expect(corsOf(cors)).toEqual({ "access-control-allow-origin": "*" });
    expect(cors.headers["x-powered-by"]).toBe("origin");
    expect(corsOf(await send("GET", "/simple/a"))).toEqual({});
    expect(corsOf(await send("GET", "/simple/own", { origin: "https://app.example" }))).toEqual({ "access-control-allow-origin": "https://origin.example", "access-control-allow-methods": "GET" });
    expect(securityOf(cors)).toEqual(Object.fromEntries(Object.keys(SECURITY).map((name) => [name, undefined])));
  });

  it("Managed-CORS-With-Preflight: Allow-Origin on a simple request; a preflight reaches the origin and gets the preflight headers", async () => {
    expect(corsOf(await send("GET", "/preflight/a", { origin: "https://app.example" }))).toEqual({ "access-control-allow-origin": "*" });
    const before = origin.seen.length;
    const answer = await preflight("/preflight/b");
    expect(origin.seen.slice(before)).toEqual([{ method: "OPTIONS", url: "/preflight/b" }]);
    expect(answer.status).toBe(200);
    expect(corsOf(answer)).toEqual({
      "access-control-allow-origin": "*",
      "access-control-allow-methods": "DELETE, GET, HEAD, OPTIONS, PATCH, POST, PUT",
      "access-control-expose-headers": "*",
    });
    // Override origin: No — the origin's own CORS headers win, the policy fills in the rest.
    expect(corsOf(await preflight("/preflight/own"))).toEqual({
      "access-control-allow-origin": "https://origin.example",
      "access-control-allow-methods": "GET",
      "access-control-expose-headers": "*",
    });
  });

  it("Managed-SecurityHeadersPolicy: five security headers; nosniff overrides the origin's, the others keep it", async () => {
    const plain = await send("GET", "/security/a");
    expect(securityOf(plain)).toEqual(SECURITY);
    expect(corsOf(await send("GET", "/security/a", { origin: "https://app.example" }))).toEqual({});
    const own = await send("GET", "/security/own");
    expect(securityOf(own)).toEqual({ ...SECURITY, "x-frame-options": "DENY", "strict-transport-security": "max-age=60" });
    // On origin error statuses too.
    const missing = await send("GET", "/security/missing");
    expect(missing.status).toBe(404);
    expect(securityOf(missing)).toEqual(SECURITY);
  });

  it("Managed-CORS-and-SecurityHeadersPolicy and Managed-CORS-with-preflight-and-SecurityHeadersPolicy combine both", async () => {
    const combined = await send("GET", "/cors-security/a", { origin: "https://app.example" });
    expect(corsOf(combined)).toEqual({ "access-control-allow-origin": "*" });
    expect(securityOf(combined)).toEqual(SECURITY);
    expect(corsOf(await preflight("/cors-security/b"))).toEqual({ "access-control-allow-origin": "*" });
    const all = await preflight("/all/b");
    expect(corsOf(all)).toEqual({ "access-control-allow-origin": "*", "access-control-allow-methods": "DELETE, GET, HEAD, OPTIONS, PATCH, POST, PUT", "access-control-expose-headers": "*" });
    expect(securityOf(all)).toEqual(SECURITY);
  });

  it("leaves CloudFront's own error pages and function-generated responses as they are", async () => {
    const generated = await send("GET", "/all/generated", { origin: "https://app.example" });
    expect(generated.headers["x-made-by"]).toBe("function");
    expect(corsOf(generated)).toEqual({});
    expect(generated.headers["x-content-type-options"]).toBeUndefined();
    const down = await send("GET", "/down/a", { origin: "https://app.example" });
    expect(down.status).toBe(502);
    expect(corsOf(down)).toEqual({});
    expect(down.headers["x-frame-options"]).toBeUndefined();
  });

  it("a preflight to a behaviour whose AllowedMethods lack OPTIONS is CloudFront's 403, without the policy's headers", async () => {
    const before = origin.seen.length;
    const refused = await preflight("/get-only/a");
    expect(refused.status).toBe(403);
    expect(origin.seen.length).toBe(before);
    expect(corsOf(refused)).toEqual({});
    expect(refused.headers["x-content-type-options"]).toBeUndefined();
    expect(corsOf(await send("GET", "/get-only/a", { origin: "https://app.example" }))).toEqual({ "access-control-allow-origin": "*" });
  });

  it("a behaviour without a policy is untouched", async () => {
    const plain = await send("GET", "/other", { origin: "https://app.example" });
    expect(corsOf(plain)).toEqual({});
    expect(plain.headers["x-content-type-options"]).toBeUndefined();
  });
});
