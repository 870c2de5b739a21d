import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { EdgeLogEntry } from "../../src/edge/edge.js";
import { createLiveFunction, http, httpLines, startTestServer, type TestServer } from "../helpers.js";
import { ALL_VIEWER_AND_CLOUDFRONT_HEADERS, CACHING_DISABLED, createDistribution, startOrigin, type TestOrigin } from "./viewerRulesSetup.js";

/**
 * Geographic restrictions over real HTTP, distributions created through the SDK: the viewer's country is the
 * server's --viewer-country (US here) or the request's X-Edgelite-Viewer-Country, which edgelite takes off
 * the request before the function, the origin or the log could see it.
 */

const SENTENCE = "The Amazon CloudFront distribution is configured to block access from your country.";
const HEADER = "x-edgelite-viewer-country";

const restriction = (type: "whitelist" | "blacklist", items: string[]) => ({ GeoRestriction: { RestrictionType: type, Quantity: items.length, Items: items } });

describe("geographic restriction (refuseGeo) and the viewer's country", () => {
  let t: TestServer;
  let origin: TestOrigin;
  const log: EdgeLogEntry[] = [];
  const hosts = { whitelist: "", blacklist: "", pages: "", echo: "" };

  beforeAll(async () => {
    origin = await startOrigin((req, res) => {
      if (req.url === "/blocked.html") {
        res.setHeader("content-type", "text/html");
        return void res.end("<p>not in your country</p>");
      }
      res.end(`country ${req.headers["cloudfront-viewer-country"] ?? "-"}`);
    });
    t = await startTestServer("memory", { onEdgeRequest: (entry) => log.push(entry) });
    // The function shows what it was given: the header names and the CloudFront-Viewer-Country it saw.
    const echo = await createLiveFunction(
      t.client,
      "echo-headers",
      `function handler(event) { var h = event.request.headers; if (event.request.uri === "/echo") return { statusCode: 200, statusDescription: "OK", body: Object.keys(h).sort().join(",") + " " + (h["cloudfront-viewer-country"] ? h["cloudfront-viewer-country"].value : "-") }; return event.request; }`,
    );
    const defaults = { TargetOriginId: "o", ViewerProtocolPolicy: "allow-all" as const, CachePolicyId: CACHING_DISABLED, OriginRequestPolicyId: ALL_VIEWER_AND_CLOUDFRONT_HEADERS };
    hosts.whitelist = (await createDistribution(t.client, origin.port, { DefaultCacheBehavior: defaults, Restrictions: restriction("whitelist", ["FR", "DE"]) })).host;
    hosts.blacklist = (await createDistribution(t.client, origin.port, { DefaultCacheBehavior: defaults, Restrictions: restriction("blacklist", ["FR"]) })).host;
    hosts.pages = (
      await createDistribution(t.client, origin.port, {
        DefaultCacheBehavior: defaults,
        Restrictions: restriction("whitelist", ["FR"]),
        CustomErrorResponses: { Quantity: 1, Items: [{ ErrorCode: 403, ResponsePagePath: "/blocked.html", ResponseCode: "403" }] },
      })
    ).host;
    hosts.echo = (await createDistribution(t.client, origin.port, { DefaultCacheBehavior: { ...defaults, FunctionAssociations: { Quantity: 1, Items: [{ FunctionARN: echo, EventType: "viewer-request" }] } } })).host;
  });
  afterAll(async () => {
    await t.close();
    await origin.close();
  });

  const get = (host: string, path = "/", country?: string) => http(t.url, "GET", path, { headers: { host, ...(country !== undefined ? { [HEADER]: country } : {}) } });

  it("answers a US viewer 403 on a whitelist of FR and DE, with CloudFront's page and sentence and X-Cache Error", async () => {
    const before = origin.seen.length;
    const res = await get(hosts.whitelist);
    expect(res.status).toBe(403);
    expect(res.headers["x-cache"]).toBe("Error from cloudfront");
    expect(res.headers["content-type"]).toBe("text/html");
    expect(res.body).toContain("<H1>403 ERROR</H1>");
    expect(res.body).toContain(`${SENTENCE}\n`);
    expect(origin.seen.length).toBe(before);
    expect(log.find((e) => e.requestId === res.headers["x-amz-cf-id"])?.detail).toBe("the viewer's country US is not on the geographic restriction's whitelist");
  });

  it("serves a viewer whose X-Edgelite-Viewer-Country is on the whitelist (either case), and the origin sees that country", async () => {
    const res = await get(hosts.whitelist, "/", "FR");
    expect(res.status).toBe(200);
    expect(res.body).toBe("country FR");
    expect((await get(hosts.whitelist, "/", "de")).body).toBe("country DE");
  });

  it("answers 403 to a blacklisted country and serves the others", async () => {
    expect((await get(hosts.blacklist, "/", "FR")).status).toBe(403);
    expect((await get(hosts.blacklist)).body).toBe("country US");
    expect((await get(hosts.blacklist, "/", "JP")).body).toBe("country JP");
  });

  it("ignores a header that is not two letters (the server's country stands) and says so in the log", async () => {
    for (const value of ["FRA", "F", "12", "", "F R"]) {
      const res = await get(hosts.whitelist, "/", value);
      expect(res.status, JSON.stringify(value)).toBe(403);
      expect(log.find((e) => e.requestId === res.headers["x-amz-cf-id"])?.detail).toContain("X-Edgelite-Viewer-Country ignored (expected two letters such as FR); the viewer's country is US");
    }
  });

  it("ignores the header sent twice, even with two valid values", async () => {
    const res = await httpLines(t.url, "GET", "/", [["Host", hosts.whitelist], ["X-Edgelite-Viewer-Country", "FR"], ["X-Edgelite-Viewer-Country", "DE"]]);
    expect(res.status).toBe(403);
    expect(log.find((e) => e.requestId === res.headers["x-amz-cf-id"])?.detail).toContain("X-Edgelite-Viewer-Country ignored (sent more than once)");
  });

  it("takes the header off the request: the origin never gets it", async () => {
    await get(hosts.blacklist, "/strip", "JP");
    const seen = origin.seen.find((r) => r.url === "/strip");
    expect(seen?.headers["cloudfront-viewer-country"]).toBe("JP");
    expect(Object.keys(seen?.headers ?? {})).not.toContain(HEADER);
  });

  it("takes the header off the request: the viewer-request function never sees it, but sees the country", async () => {
    const res = await get(hosts.echo, "/echo", "BR");
    expect(res.body.split(" ")[1]).toBe("BR");
    expect(res.body.split(" ")[0]!.split(",")).not.toContain(HEADER);
    expect(res.body.split(" ")[0]!.split(",")).toContain("cloudfront-viewer-country");
  });

  it("answers with the distribution's custom error page for 403 when it has one", async () => {
    const res = await get(hosts.pages, "/anything");
    expect(res.status).toBe(403);
    expect(res.body).toBe("<p>not in your country</p>");
    expect(res.headers["x-cache"]).toBe("Error from cloudfront");
    expect((await get(hosts.pages, "/", "FR")).status).toBe(200);
  });
});

describe("--viewer-country as the default country", () => {
  it("serves a whitelist of FR when the server's country is FR, and the header still overrides it", async () => {
    const origin = await startOrigin();
    const t = await startTestServer("memory", { viewerCountry: "FR" });
    try {
      const { host } = await createDistribution(t.client, origin.port, {
        DefaultCacheBehavior: { TargetOriginId: "o", ViewerProtocolPolicy: "allow-all", CachePolicyId: CACHING_DISABLED },
        Restrictions: restriction("whitelist", ["FR"]),
      });
      expect((await http(t.url, "GET", "/", { headers: { host } })).status).toBe(200);
      expect((await http(t.url, "GET", "/", { headers: { host, [HEADER]: "US" } })).status).toBe(403);
    } finally {
      await t.close();
      await origin.close();
    }
  });
});
