import {
  CachePolicyAlreadyExists,
  CachePolicyInUse,
  CreateCachePolicyCommand,
  CreateDistributionCommand,
  DeleteCachePolicyCommand,
  DeleteDistributionCommand,
  GetCachePolicyCommand,
  GetCachePolicyConfigCommand,
  GetDistributionConfigCommand,
  IllegalDelete,
  IllegalUpdate,
  InconsistentQuantities,
  InvalidArgument,
  InvalidIfMatchVersion,
  ListCachePoliciesCommand,
  NoSuchCachePolicy,
  PreconditionFailed,
  TooManyCachePolicies,
  TooManyCookiesInCachePolicy,
  TooManyHeadersInCachePolicy,
  TooManyQueryStringsInCachePolicy,
  UpdateCachePolicyCommand,
  UpdateDistributionCommand,
  type CachePolicyConfig,
} from "@aws-sdk/client-cloudfront";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { MAX_CACHE_POLICIES_PER_ACCOUNT } from "../../src/limits.js";
import { rejection, startTestServer, type StoreKind, type TestServer } from "../helpers.js";
import { distributionConfig } from "./policyFixtures.js";

const CACHING_OPTIMIZED = "658327ea-f89d-4fab-a63d-7e88639e58f6";

function cachePolicyConfig(name: string, overrides: Partial<CachePolicyConfig> = {}): CachePolicyConfig {
  return {
    Name: name,
    Comment: "by the test",
    MinTTL: 1,
    DefaultTTL: 60,
    MaxTTL: 3600,
    ParametersInCacheKeyAndForwardedToOrigin: {
      EnableAcceptEncodingGzip: true,
      EnableAcceptEncodingBrotli: false,
      HeadersConfig: { HeaderBehavior: "whitelist", Headers: { Quantity: 1, Items: ["X-Tenant"] } },
      CookiesConfig: { CookieBehavior: "none" },
      QueryStringsConfig: { QueryStringBehavior: "whitelist", QueryStrings: { Quantity: 2, Items: ["page", "sort"] } },
    },
    ...overrides,
  };
}

function parameters(overrides: Partial<NonNullable<CachePolicyConfig["ParametersInCacheKeyAndForwardedToOrigin"]>>): Partial<CachePolicyConfig> {
  return { ParametersInCacheKeyAndForwardedToOrigin: { ...cachePolicyConfig("x").ParametersInCacheKeyAndForwardedToOrigin!, ...overrides } };
}

const names = (n: number, prefix: string) => Array.from({ length: n }, (_, i) => `${prefix}${i}`);

describe.each<StoreKind>(["sqlite", "memory"])("custom cache policies through @aws-sdk/client-cloudfront (%s store)", (kind) => {
  let t: TestServer;
  beforeEach(async () => {
    t = await startTestServer(kind);
  });
  afterEach(async () => t.close());

  it("creates, gets, gets the config, updates, lists and deletes a cache policy, the ETag moving with each write", async () => {
    const created = await t.client.send(new CreateCachePolicyCommand({ CachePolicyConfig: cachePolicyConfig("api-cache") }));
    const id = created.CachePolicy!.Id!;
    expect(id).toMatch(/^[0-9a-f-]{36}$/);
    expect(created.$metadata.httpStatusCode).toBe(201);
    expect(created.Location).toBe(`https://cloudfront.amazonaws.com/2020-05-31/cache-policy/${id}`);
    expect(created.ETag).toBe("ETVPDKIKX0DER");
    expect(created.CachePolicy!.CachePolicyConfig).toEqual(cachePolicyConfig("api-cache"));

    const got = await t.client.send(new GetCachePolicyCommand({ Id: id }));
    expect(got.ETag).toBe(created.ETag);
    expect(got.CachePolicy!.LastModifiedTime).toBeInstanceOf(Date);
    const config = await t.client.send(new GetCachePolicyConfigCommand({ Id: id }));
    expect(config.CachePolicyConfig).toEqual(cachePolicyConfig("api-cache"));

    const updated = await t.client.send(new UpdateCachePolicyCommand({ Id: id, IfMatch: created.ETag, CachePolicyConfig: cachePolicyConfig("api-cache-2", { MaxTTL: 7200 }) }));
    expect(updated.ETag).not.toBe(created.ETag);
    expect(updated.CachePolicy!.CachePolicyConfig!.MaxTTL).toBe(7200);
    expect(updated.CachePolicy!.CachePolicyConfig!.Name).toBe("api-cache-2");

    const custom = await t.client.send(new ListCachePoliciesCommand({ Type: "custom" }));
    expect(custom.CachePolicyList!.Items!.map((s) => [s.Type, s.CachePolicy!.Id])).toEqual([["custom", id]]);
    const all = await t.client.send(new ListCachePoliciesCommand({}));
    expect(all.CachePolicyList!.Items!.filter((s) => s.Type === "managed").length).toBeGreaterThan(0);
    expect(all.CachePolicyList!.Items!.at(-1)!.CachePolicy!.Id).toBe(id);

    expect(await rejection(t.client.send(new DeleteCachePolicyCommand({ Id: id, IfMatch: created.ETag })))).toBeInstanceOf(PreconditionFailed);
    const deleted = await t.client.send(new DeleteCachePolicyCommand({ Id: id, IfMatch: updated.ETag }));
    expect(deleted.$metadata.httpStatusCode).toBe(204);
    expect(await rejection(t.client.send(new GetCachePolicyCommand({ Id: id })))).toBeInstanceOf(NoSuchCachePolicy);
  });

  it("fills DefaultTTL and MaxTTL as CloudFront does when they are left out", async () => {
    const { DefaultTTL: _d, MaxTTL: _m, ...rest } = cachePolicyConfig("defaults");
    const created = await t.client.send(new CreateCachePolicyCommand({ CachePolicyConfig: rest as CachePolicyConfig }));
    expect(created.CachePolicy!.CachePolicyConfig).toMatchObject({ MinTTL: 1, DefaultTTL: 86400, MaxTTL: 31536000 });
  });

  it("refuses a name taken, and the quotas on names and policies", async () => {
    await t.client.send(new CreateCachePolicyCommand({ CachePolicyConfig: cachePolicyConfig("taken") }));
    expect(await rejection(t.client.send(new CreateCachePolicyCommand({ CachePolicyConfig: cachePolicyConfig("taken") })))).toBeInstanceOf(CachePolicyAlreadyExists);

    const tooManyHeaders = parameters({ HeadersConfig: { HeaderBehavior: "whitelist", Headers: { Quantity: 11, Items: names(11, "x-h") } } });
    expect(await rejection(t.client.send(new CreateCachePolicyCommand({ CachePolicyConfig: cachePolicyConfig("h", tooManyHeaders) })))).toBeInstanceOf(TooManyHeadersInCachePolicy);
    const tooManyCookies = parameters({ CookiesConfig: { CookieBehavior: "allExcept", Cookies: { Quantity: 11, Items: names(11, "c") } } });
    expect(await rejection(t.client.send(new CreateCachePolicyCommand({ CachePolicyConfig: cachePolicyConfig("c", tooManyCookies) })))).toBeInstanceOf(TooManyCookiesInCachePolicy);
    const tooManyQueries = parameters({ QueryStringsConfig: { QueryStringBehavior: "whitelist", QueryStrings: { Quantity: 11, Items: names(11, "q") } } });
    expect(await rejection(t.client.send(new CreateCachePolicyCommand({ CachePolicyConfig: cachePolicyConfig("q", tooManyQueries) })))).toBeInstanceOf(TooManyQueryStringsInCachePolicy);

    for (let i = 1; i < MAX_CACHE_POLICIES_PER_ACCOUNT; i++) await t.client.send(new CreateCachePolicyCommand({ CachePolicyConfig: cachePolicyConfig(`p${i}`) }));
    const over = await rejection(t.client.send(new CreateCachePolicyCommand({ CachePolicyConfig: cachePolicyConfig("one-too-many") })));
    expect(over).toBeInstanceOf(TooManyCachePolicies);
    expect(over.$metadata.httpStatusCode).toBe(400);
  });

  it("refuses TTLs out of order, names with a behaviour that takes none, and counts that disagree", async () => {
    const invalid = [
      cachePolicyConfig("ttl", { MinTTL: 100, DefaultTTL: 50 }),
      cachePolicyConfig("ttl", { DefaultTTL: 5000, MaxTTL: 3600 }),
      cachePolicyConfig("bad name!"),
      cachePolicyConfig("disabled", { MinTTL: 0, DefaultTTL: 0, MaxTTL: 0 }),
      cachePolicyConfig("empty", parameters({ HeadersConfig: { HeaderBehavior: "whitelist", Headers: { Quantity: 0, Items: [] } } })),
      cachePolicyConfig("extra", parameters({ CookiesConfig: { CookieBehavior: "all", Cookies: { Quantity: 1, Items: ["a"] } } })),
    ];
    for (const config of invalid) {
      const error = await rejection(t.client.send(new CreateCachePolicyCommand({ CachePolicyConfig: config })));
      expect(error, JSON.stringify(config)).toBeInstanceOf(InvalidArgument);
      expect(error.message.length).toBeGreaterThan(20);
    }
    const inconsistent = parameters({ HeadersConfig: { HeaderBehavior: "whitelist", Headers: { Quantity: 2, Items: ["a"] } } });
    expect(await rejection(t.client.send(new CreateCachePolicyCommand({ CachePolicyConfig: cachePolicyConfig("n", inconsistent) })))).toBeInstanceOf(InconsistentQuantities);
  });

  it("answers If-Match errors, NoSuchCachePolicy, and IllegalUpdate/IllegalDelete for managed policies", async () => {
    const created = await t.client.send(new CreateCachePolicyCommand({ CachePolicyConfig: cachePolicyConfig("cond") }));
    const id = created.CachePolicy!.Id!;
    expect(await rejection(t.client.send(new UpdateCachePolicyCommand({ Id: id, CachePolicyConfig: cachePolicyConfig("cond") })))).toBeInstanceOf(InvalidIfMatchVersion);
    expect(await rejection(t.client.send(new UpdateCachePolicyCommand({ Id: id, IfMatch: "E3UN6WX5RRO2AG", CachePolicyConfig: cachePolicyConfig("cond") })))).toBeInstanceOf(PreconditionFailed);
    expect(await rejection(t.client.send(new DeleteCachePolicyCommand({ Id: id })))).toBeInstanceOf(InvalidIfMatchVersion);
    const missing = "00000000-0000-0000-0000-000000000000";
    expect(await rejection(t.client.send(new UpdateCachePolicyCommand({ Id: missing, IfMatch: "ETVPDKIKX0DER", CachePolicyConfig: cachePolicyConfig("x") })))).toBeInstanceOf(NoSuchCachePolicy);
    expect(await rejection(t.client.send(new DeleteCachePolicyCommand({ Id: missing, IfMatch: "ETVPDKIKX0DER" })))).toBeInstanceOf(NoSuchCachePolicy);

    const managed = await t.client.send(new GetCachePolicyCommand({ Id: CACHING_OPTIMIZED }));
    expect(await rejection(t.client.send(new UpdateCachePolicyCommand({ Id: CACHING_OPTIMIZED, IfMatch: managed.ETag, CachePolicyConfig: cachePolicyConfig("mine") })))).toBeInstanceOf(IllegalUpdate);
    expect(await rejection(t.client.send(new DeleteCachePolicyCommand({ Id: CACHING_OPTIMIZED, IfMatch: managed.ETag })))).toBeInstanceOf(IllegalDelete);

    const second = await t.client.send(new CreateCachePolicyCommand({ CachePolicyConfig: cachePolicyConfig("other") }));
    const clash = t.client.send(new UpdateCachePolicyCommand({ Id: second.CachePolicy!.Id!, IfMatch: second.ETag, CachePolicyConfig: cachePolicyConfig("cond") }));
    expect(await rejection(clash)).toBeInstanceOf(CachePolicyAlreadyExists);
  });

  it("refuses a distribution naming an unknown cache policy, and a policy in use cannot be deleted", async () => {
    const unknown = await rejection(t.client.send(new CreateDistributionCommand({ DistributionConfig: distributionConfig("d1", "00000000-0000-0000-0000-000000000000") })));
    expect(unknown).toBeInstanceOf(NoSuchCachePolicy);
    expect(unknown.$metadata.httpStatusCode).toBe(404);

    const policy = await t.client.send(new CreateCachePolicyCommand({ CachePolicyConfig: cachePolicyConfig("used") }));
    const id = policy.CachePolicy!.Id!;
    const distribution = await t.client.send(new CreateDistributionCommand({ DistributionConfig: distributionConfig("d2", id) }));
    const inUse = await rejection(t.client.send(new DeleteCachePolicyCommand({ Id: id, IfMatch: policy.ETag })));
    expect(inUse).toBeInstanceOf(CachePolicyInUse);
    expect(inUse.$metadata.httpStatusCode).toBe(409);

    const distributionId = distribution.Distribution!.Id!;
    const current = await t.client.send(new GetDistributionConfigCommand({ Id: distributionId }));
    const badUpdate = t.client.send(new UpdateDistributionCommand({ Id: distributionId, IfMatch: current.ETag, DistributionConfig: distributionConfig("d2", "11111111-0000-0000-0000-000000000000") }));
    expect(await rejection(badUpdate)).toBeInstanceOf(NoSuchCachePolicy);
    const moved = await t.client.send(new UpdateDistributionCommand({ Id: distributionId, IfMatch: current.ETag, DistributionConfig: distributionConfig("d2", CACHING_OPTIMIZED) }));
    await t.client.send(new DeleteCachePolicyCommand({ Id: id, IfMatch: policy.ETag }));
    await t.client.send(new DeleteDistributionCommand({ Id: distributionId, IfMatch: moved.ETag }));
  });
});
