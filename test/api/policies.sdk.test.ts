import {
  GetCachePolicyCommand,
  GetCachePolicyConfigCommand,
  GetOriginRequestPolicyCommand,
  ListCachePoliciesCommand,
  ListOriginRequestPoliciesCommand,
  NoSuchCachePolicy,
  NoSuchOriginRequestPolicy,
} from "@aws-sdk/client-cloudfront";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestServer, type TestServer } from "../helpers.js";

describe("managed cache and origin request policies through the SDK (read-only)", () => {
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer("memory");
  });
  afterAll(async () => t.close());

  it("describes a managed cache policy and its config", async () => {
    const policy = await t.client.send(new GetCachePolicyCommand({ Id: "658327ea-f89d-4fab-a63d-7e88639e58f6" }));
    expect(policy.ETag).toMatch(/^E[A-Z0-9]+$/);
    const config = policy.CachePolicy!.CachePolicyConfig!;
    expect(config.Name).toBe("Managed-CachingOptimized");
    expect(config.MinTTL).toBe(1);
    expect(config.DefaultTTL).toBe(86400);
    expect(config.ParametersInCacheKeyAndForwardedToOrigin).toMatchObject({
      EnableAcceptEncodingGzip: true,
      EnableAcceptEncodingBrotli: true,
      HeadersConfig: { HeaderBehavior: "none" },
      CookiesConfig: { CookieBehavior: "none" },
      QueryStringsConfig: { QueryStringBehavior: "none" },
    });
    const amplify = await t.client.send(new GetCachePolicyConfigCommand({ Id: "2e54312d-136d-493c-8eb9-b001f22f67d2" }));
    expect(amplify.CachePolicyConfig!.ParametersInCacheKeyAndForwardedToOrigin!.HeadersConfig).toEqual({
      HeaderBehavior: "whitelist",
      Headers: { Quantity: 3, Items: ["authorization", "cloudfront-viewer-country", "host"] },
    });
  });

  it("lists managed policies by name (what Terraform's aws_cloudfront_cache_policy data source does), and no custom ones", async () => {
    const managed = await t.client.send(new ListCachePoliciesCommand({ Type: "managed" }));
    const names = managed.CachePolicyList!.Items!.map((s) => s.CachePolicy!.CachePolicyConfig!.Name);
    expect(names).toContain("Managed-CachingDisabled");
    expect(managed.CachePolicyList!.Items!.every((s) => s.Type === "managed")).toBe(true);
    const custom = await t.client.send(new ListCachePoliciesCommand({ Type: "custom" }));
    expect(custom.CachePolicyList!.Quantity).toBe(0);
    const first = await t.client.send(new ListCachePoliciesCommand({ MaxItems: 2 }));
    expect(first.CachePolicyList!.Items).toHaveLength(2);
    const second = await t.client.send(new ListCachePoliciesCommand({ MaxItems: 2, Marker: first.CachePolicyList!.NextMarker }));
    expect(second.CachePolicyList!.Items![0]!.CachePolicy!.Id).not.toBe(first.CachePolicyList!.Items![0]!.CachePolicy!.Id);
  });

  it("describes and lists managed origin request policies", async () => {
    const allViewer = await t.client.send(new GetOriginRequestPolicyCommand({ Id: "216adef6-5c7f-47e4-b989-5492eafa07d3" }));
    expect(allViewer.OriginRequestPolicy!.OriginRequestPolicyConfig).toMatchObject({
      Name: "Managed-AllViewer",
      HeadersConfig: { HeaderBehavior: "allViewer" },
      CookiesConfig: { CookieBehavior: "all" },
      QueryStringsConfig: { QueryStringBehavior: "all" },
    });
    const list = await t.client.send(new ListOriginRequestPoliciesCommand({ Type: "managed" }));
    expect(list.OriginRequestPolicyList!.Items!.map((s) => s.OriginRequestPolicy!.OriginRequestPolicyConfig!.Name)).toContain("Managed-AllViewerExceptHostHeader");
  });

  it("answers NoSuchCachePolicy / NoSuchOriginRequestPolicy (404) for unknown ids", async () => {
    const cache = await t.client.send(new GetCachePolicyCommand({ Id: "00000000-0000-0000-0000-000000000000" })).catch((e: Error) => e);
    expect(cache).toBeInstanceOf(NoSuchCachePolicy);
    expect((cache as NoSuchCachePolicy).$metadata.httpStatusCode).toBe(404);
    const request = await t.client.send(new GetOriginRequestPolicyCommand({ Id: "nope" })).catch((e: Error) => e);
    expect(request).toBeInstanceOf(NoSuchOriginRequestPolicy);
  });
});
