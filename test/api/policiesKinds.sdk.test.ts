import {
  CreateDistributionCommand,
  CreateOriginRequestPolicyCommand,
  CreateResponseHeadersPolicyCommand,
  DeleteOriginRequestPolicyCommand,
  DeleteResponseHeadersPolicyCommand,
  GetOriginRequestPolicyCommand,
  GetOriginRequestPolicyConfigCommand,
  GetResponseHeadersPolicyCommand,
  GetResponseHeadersPolicyConfigCommand,
  IllegalDelete,
  IllegalUpdate,
  InconsistentQuantities,
  InvalidArgument,
  InvalidIfMatchVersion,
  ListOriginRequestPoliciesCommand,
  ListResponseHeadersPoliciesCommand,
  NoSuchOriginRequestPolicy,
  NoSuchResponseHeadersPolicy,
  OriginRequestPolicyAlreadyExists,
  OriginRequestPolicyInUse,
  PreconditionFailed,
  ResponseHeadersPolicyAlreadyExists,
  ResponseHeadersPolicyInUse,
  TooLongCSPInResponseHeadersPolicy,
  TooManyCookiesInOriginRequestPolicy,
  TooManyCustomHeadersInResponseHeadersPolicy,
  TooManyHeadersInOriginRequestPolicy,
  TooManyOriginRequestPolicies,
  TooManyQueryStringsInOriginRequestPolicy,
  TooManyRemoveHeadersInResponseHeadersPolicy,
  TooManyResponseHeadersPolicies,
  TooManyDistributionsAssociatedToOriginRequestPolicy,
  UpdateDistributionCommand,
  UpdateOriginRequestPolicyCommand,
  UpdateResponseHeadersPolicyCommand,
  type OriginRequestPolicyConfig,
  type ResponseHeadersPolicyConfig,
} from "@aws-sdk/client-cloudfront";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { MAX_DISTRIBUTIONS_PER_POLICY, MAX_ORIGIN_REQUEST_POLICIES_PER_ACCOUNT, MAX_RESPONSE_HEADERS_POLICIES_PER_ACCOUNT } from "../../src/limits.js";
import { MANAGED_RESPONSE_HEADERS_POLICIES } from "../../src/service/responseHeadersPolicy.js";
import { rejection, startTestServer, type TestServer } from "../helpers.js";
import { distributionConfig } from "./policyFixtures.js";

const names = (n: number, prefix: string) => Array.from({ length: n }, (_, i) => `${prefix}${i}`);
const MISSING = "00000000-0000-0000-0000-000000000000";
const CACHING_DISABLED = "4135ea2d-6df8-44a3-9df3-4b5a84be39ad";

function originRequestPolicy(name: string, overrides: Partial<OriginRequestPolicyConfig> = {}): OriginRequestPolicyConfig {
  return {
    Name: name,
    Comment: "forwarded, not in the key",
    HeadersConfig: { HeaderBehavior: "allExcept", Headers: { Quantity: 1, Items: ["Host"] } },
    CookiesConfig: { CookieBehavior: "whitelist", Cookies: { Quantity: 1, Items: ["session"] } },
    QueryStringsConfig: { QueryStringBehavior: "all" },
    ...overrides,
  };
}

function responseHeadersPolicy(name: string, overrides: Partial<ResponseHeadersPolicyConfig> = {}): ResponseHeadersPolicyConfig {
  return {
    Name: name,
    Comment: "site headers",
    CorsConfig: {
      AccessControlAllowOrigins: { Quantity: 1, Items: ["https://app.example.com"] },
      AccessControlAllowHeaders: { Quantity: 1, Items: ["*"] },
      AccessControlAllowMethods: { Quantity: 2, Items: ["GET", "POST"] },
      AccessControlAllowCredentials: true,
      AccessControlExposeHeaders: { Quantity: 1, Items: ["X-Request-Id"] },
      AccessControlMaxAgeSec: 600,
      OriginOverride: true,
    },
    SecurityHeadersConfig: {
      XSSProtection: { Override: true, Protection: true, ModeBlock: true },
      FrameOptions: { Override: true, FrameOption: "DENY" },
      ReferrerPolicy: { Override: false, ReferrerPolicy: "same-origin" },
      ContentSecurityPolicy: { Override: true, ContentSecurityPolicy: "default-src 'self'" },
      ContentTypeOptions: { Override: true },
      StrictTransportSecurity: { Override: true, IncludeSubdomains: true, Preload: false, AccessControlMaxAgeSec: 63072000 },
    },
    ServerTimingHeadersConfig: { Enabled: true, SamplingRate: 12.5 },
    CustomHeadersConfig: { Quantity: 1, Items: [{ Header: "X-Served-By", Value: "edgelite", Override: false }] },
    RemoveHeadersConfig: { Quantity: 1, Items: [{ Header: "X-Powered-By" }] },
    ...overrides,
  };
}

describe("custom origin request policies and response headers policies through @aws-sdk/client-cloudfront", () => {
  let t: TestServer;
  beforeEach(async () => {
    t = await startTestServer("memory");
  });
  afterEach(async () => t.close());

  it("round-trips an origin request policy: create, get, get config, update, list, delete", async () => {
    const created = await t.client.send(new CreateOriginRequestPolicyCommand({ OriginRequestPolicyConfig: originRequestPolicy("orp") }));
    const id = created.OriginRequestPolicy!.Id!;
    expect(created.$metadata.httpStatusCode).toBe(201);
    expect(created.Location).toBe(`https://cloudfront.amazonaws.com/2020-05-31/origin-request-policy/${id}`);
    expect(created.OriginRequestPolicy!.OriginRequestPolicyConfig).toEqual(originRequestPolicy("orp"));
    expect((await t.client.send(new GetOriginRequestPolicyCommand({ Id: id }))).ETag).toBe(created.ETag);
    expect((await t.client.send(new GetOriginRequestPolicyConfigCommand({ Id: id }))).OriginRequestPolicyConfig).toEqual(originRequestPolicy("orp"));

    const next = originRequestPolicy("orp", { HeadersConfig: { HeaderBehavior: "allViewerAndWhitelistCloudFront", Headers: { Quantity: 1, Items: ["CloudFront-Viewer-Country"] } } });
    const updated = await t.client.send(new UpdateOriginRequestPolicyCommand({ Id: id, IfMatch: created.ETag, OriginRequestPolicyConfig: next }));
    expect(updated.ETag).not.toBe(created.ETag);
    expect(updated.OriginRequestPolicy!.OriginRequestPolicyConfig).toEqual(next);
    const listed = await t.client.send(new ListOriginRequestPoliciesCommand({ Type: "custom" }));
    expect(listed.OriginRequestPolicyList!.Items!.map((s) => [s.Type, s.OriginRequestPolicy!.Id])).toEqual([["custom", id]]);

    expect(await rejection(t.client.send(new DeleteOriginRequestPolicyCommand({ Id: id })))).toBeInstanceOf(InvalidIfMatchVersion);
    expect(await rejection(t.client.send(new DeleteOriginRequestPolicyCommand({ Id: id, IfMatch: created.ETag })))).toBeInstanceOf(PreconditionFailed);
    await t.client.send(new DeleteOriginRequestPolicyCommand({ Id: id, IfMatch: updated.ETag }));
    expect(await rejection(t.client.send(new GetOriginRequestPolicyCommand({ Id: id })))).toBeInstanceOf(NoSuchOriginRequestPolicy);
  });

  it("answers the origin request policy errors the model lists", async () => {
    const send = (config: OriginRequestPolicyConfig) => rejection(t.client.send(new CreateOriginRequestPolicyCommand({ OriginRequestPolicyConfig: config })));
    expect(await send(originRequestPolicy("h", { HeadersConfig: { HeaderBehavior: "whitelist", Headers: { Quantity: 11, Items: names(11, "x-") } } }))).toBeInstanceOf(TooManyHeadersInOriginRequestPolicy);
    expect(await send(originRequestPolicy("c", { CookiesConfig: { CookieBehavior: "whitelist", Cookies: { Quantity: 11, Items: names(11, "c") } } }))).toBeInstanceOf(TooManyCookiesInOriginRequestPolicy);
    expect(await send(originRequestPolicy("q", { QueryStringsConfig: { QueryStringBehavior: "allExcept", QueryStrings: { Quantity: 11, Items: names(11, "q") } } }))).toBeInstanceOf(
      TooManyQueryStringsInOriginRequestPolicy,
    );
    expect(await send(originRequestPolicy("n", { CookiesConfig: { CookieBehavior: "whitelist", Cookies: { Quantity: 3, Items: ["a"] } } }))).toBeInstanceOf(InconsistentQuantities);
    expect(await send(originRequestPolicy("cf", { HeadersConfig: { HeaderBehavior: "allViewerAndWhitelistCloudFront", Headers: { Quantity: 1, Items: ["X-Mine"] } } }))).toBeInstanceOf(InvalidArgument);

    const managed = "216adef6-5c7f-47e4-b989-5492eafa07d3";
    expect(await rejection(t.client.send(new UpdateOriginRequestPolicyCommand({ Id: managed, IfMatch: "ETVPDKIKX0DER", OriginRequestPolicyConfig: originRequestPolicy("x") })))).toBeInstanceOf(IllegalUpdate);
    expect(await rejection(t.client.send(new DeleteOriginRequestPolicyCommand({ Id: managed, IfMatch: "ETVPDKIKX0DER" })))).toBeInstanceOf(IllegalDelete);
    expect(await rejection(t.client.send(new DeleteOriginRequestPolicyCommand({ Id: MISSING, IfMatch: "ETVPDKIKX0DER" })))).toBeInstanceOf(NoSuchOriginRequestPolicy);

    await t.client.send(new CreateOriginRequestPolicyCommand({ OriginRequestPolicyConfig: originRequestPolicy("dup") }));
    expect(await send(originRequestPolicy("dup"))).toBeInstanceOf(OriginRequestPolicyAlreadyExists);
    for (let i = 1; i < MAX_ORIGIN_REQUEST_POLICIES_PER_ACCOUNT; i++) await t.client.send(new CreateOriginRequestPolicyCommand({ OriginRequestPolicyConfig: originRequestPolicy(`o${i}`) }));
    expect(await send(originRequestPolicy("over"))).toBeInstanceOf(TooManyOriginRequestPolicies);
  });

  it("round-trips a response headers policy with every section", async () => {
    const created = await t.client.send(new CreateResponseHeadersPolicyCommand({ ResponseHeadersPolicyConfig: responseHeadersPolicy("site") }));
    const id = created.ResponseHeadersPolicy!.Id!;
    expect(created.$metadata.httpStatusCode).toBe(201);
    expect(created.Location).toBe(`https://cloudfront.amazonaws.com/2020-05-31/response-headers-policy/${id}`);
    expect(created.ResponseHeadersPolicy!.ResponseHeadersPolicyConfig).toEqual(responseHeadersPolicy("site"));
    const config = await t.client.send(new GetResponseHeadersPolicyConfigCommand({ Id: id }));
    expect(config.ResponseHeadersPolicyConfig).toEqual(responseHeadersPolicy("site"));
    expect(config.ETag).toBe(created.ETag);

    const smaller = responseHeadersPolicy("site", { CorsConfig: undefined, ServerTimingHeadersConfig: undefined, SecurityHeadersConfig: { ContentTypeOptions: { Override: false } } });
    const updated = await t.client.send(new UpdateResponseHeadersPolicyCommand({ Id: id, IfMatch: created.ETag, ResponseHeadersPolicyConfig: smaller }));
    expect(updated.ETag).not.toBe(created.ETag);
    const got = await t.client.send(new GetResponseHeadersPolicyCommand({ Id: id }));
    expect(got.ResponseHeadersPolicy!.ResponseHeadersPolicyConfig).toEqual(JSON.parse(JSON.stringify(smaller)));

    const all = await t.client.send(new ListResponseHeadersPoliciesCommand({}));
    const ids = all.ResponseHeadersPolicyList!.Items!.map((s) => s.ResponseHeadersPolicy!.Id);
    expect(ids).toEqual([...MANAGED_RESPONSE_HEADERS_POLICIES.map((p) => p.id), id]);
    expect(await rejection(t.client.send(new UpdateResponseHeadersPolicyCommand({ Id: id, IfMatch: created.ETag, ResponseHeadersPolicyConfig: smaller })))).toBeInstanceOf(PreconditionFailed);
    await t.client.send(new DeleteResponseHeadersPolicyCommand({ Id: id, IfMatch: updated.ETag }));
    expect(await rejection(t.client.send(new GetResponseHeadersPolicyCommand({ Id: id })))).toBeInstanceOf(NoSuchResponseHeadersPolicy);
  });

  it("describes the managed response headers policies, which cannot be changed or deleted", async () => {
    const managed = MANAGED_RESPONSE_HEADERS_POLICIES[0]!;
    const got = await t.client.send(new GetResponseHeadersPolicyCommand({ Id: managed.id }));
    expect(got.ResponseHeadersPolicy!.ResponseHeadersPolicyConfig!.Name).toBe(managed.name);
    expect(got.ResponseHeadersPolicy!.ResponseHeadersPolicyConfig!.SecurityHeadersConfig!.FrameOptions).toEqual({ Override: false, FrameOption: "SAMEORIGIN" });
    const listed = await t.client.send(new ListResponseHeadersPoliciesCommand({ Type: "managed" }));
    expect(listed.ResponseHeadersPolicyList!.Items!.map((s) => s.ResponseHeadersPolicy!.ResponseHeadersPolicyConfig!.Name)).toEqual(MANAGED_RESPONSE_HEADERS_POLICIES.map((p) => p.name));
    expect(await rejection(t.client.send(new UpdateResponseHeadersPolicyCommand({ Id: managed.id, IfMatch: got.ETag, ResponseHeadersPolicyConfig: responseHeadersPolicy("x") })))).toBeInstanceOf(IllegalUpdate);
    expect(await rejection(t.client.send(new DeleteResponseHeadersPolicyCommand({ Id: managed.id, IfMatch: got.ETag })))).toBeInstanceOf(IllegalDelete);
  });

  it("answers the response headers policy errors the model lists, and CloudFront's value rules", async () => {
    const send = (config: ResponseHeadersPolicyConfig) => rejection(t.client.send(new CreateResponseHeadersPolicyCommand({ ResponseHeadersPolicyConfig: config })));
    const custom = (n: number) => ({ Quantity: n, Items: names(n, "X-Custom-").map((Header) => ({ Header, Value: "v", Override: true })) });
    expect(await send(responseHeadersPolicy("c", { CustomHeadersConfig: custom(11) }))).toBeInstanceOf(TooManyCustomHeadersInResponseHeadersPolicy);
    expect(await send(responseHeadersPolicy("r", { RemoveHeadersConfig: { Quantity: 11, Items: names(11, "X-Gone-").map((Header) => ({ Header })) } }))).toBeInstanceOf(
      TooManyRemoveHeadersInResponseHeadersPolicy,
    );
    const longCsp = { ...responseHeadersPolicy("x").SecurityHeadersConfig!, ContentSecurityPolicy: { Override: true, ContentSecurityPolicy: `default-src ${"a".repeat(1784)}` } };
    expect(await send(responseHeadersPolicy("csp", { SecurityHeadersConfig: longCsp }))).toBeInstanceOf(TooLongCSPInResponseHeadersPolicy);
    expect(await send(responseHeadersPolicy("q", { CustomHeadersConfig: { Quantity: 2, Items: custom(1).Items } }))).toBeInstanceOf(InconsistentQuantities);

    const invalid: Array<[string, RegExp, Partial<ResponseHeadersPolicyConfig>]> = [
      ["an unremovable header", /does not remove the header Content-Length/, { RemoveHeadersConfig: { Quantity: 1, Items: [{ Header: "Content-Length" }] } }],
      ["an X-Amz-Cf-* header", /X-Amz-Cf-Pop/, { RemoveHeadersConfig: { Quantity: 1, Items: [{ Header: "X-Amz-Cf-Pop" }] } }],
      ["a custom header duplicating a security header", /SecurityHeadersConfig/, { CustomHeadersConfig: { Quantity: 1, Items: [{ Header: "X-Frame-Options", Value: "DENY", Override: true }] } }],
      ["a custom header duplicating a CORS header", /CorsConfig/, { CustomHeadersConfig: { Quantity: 1, Items: [{ Header: "Access-Control-Allow-Origin", Value: "*", Override: true }] } }],
      ["a header added and removed", /both added/, { CustomHeadersConfig: { Quantity: 1, Items: [{ Header: "X-Powered-By", Value: "me", Override: true }] } }],
      ["a header name with a space", /not a valid HTTP header name/, { CustomHeadersConfig: { Quantity: 1, Items: [{ Header: "X Bad", Value: "v", Override: true }] } }],
      ["credentials with any origin", /AccessControlAllowCredentials/, { CorsConfig: { ...responseHeadersPolicy("x").CorsConfig!, AccessControlAllowOrigins: { Quantity: 1, Items: ["*"] } } }],
      ["ALL beside other methods", /list it alone/, { CorsConfig: { ...responseHeadersPolicy("x").CorsConfig!, AccessControlAllowMethods: { Quantity: 2, Items: ["ALL", "GET"] } } }],
      ["ModeBlock with ReportUri", /not both/, { SecurityHeadersConfig: { XSSProtection: { Override: true, Protection: true, ModeBlock: true, ReportUri: "https://r.example.com" } } }],
      ["a sampling rate over 100", /SamplingRate/, { ServerTimingHeadersConfig: { Enabled: true, SamplingRate: 101 } }],
      ["a name with a slash", /Name must be/, { Name: "a/b" }],
    ];
    for (const [what, message, overrides] of invalid) {
      const error = await send(responseHeadersPolicy("bad", overrides));
      expect(error, what).toBeInstanceOf(InvalidArgument);
      expect(error.message, what).toMatch(message);
    }

    await t.client.send(new CreateResponseHeadersPolicyCommand({ ResponseHeadersPolicyConfig: responseHeadersPolicy("dup") }));
    expect(await send(responseHeadersPolicy("dup"))).toBeInstanceOf(ResponseHeadersPolicyAlreadyExists);
    for (let i = 1; i < MAX_RESPONSE_HEADERS_POLICIES_PER_ACCOUNT; i++) await t.client.send(new CreateResponseHeadersPolicyCommand({ ResponseHeadersPolicyConfig: responseHeadersPolicy(`r${i}`) }));
    expect(await send(responseHeadersPolicy("over"))).toBeInstanceOf(TooManyResponseHeadersPolicies);
  });

  it("refuses distributions naming unknown origin request or response headers policies; a policy in use cannot be deleted", async () => {
    const orp = await t.client.send(new CreateOriginRequestPolicyCommand({ OriginRequestPolicyConfig: originRequestPolicy("in-use-orp") }));
    const rhp = await t.client.send(new CreateResponseHeadersPolicyCommand({ ResponseHeadersPolicyConfig: responseHeadersPolicy("in-use-rhp") }));
    const orpId = orp.OriginRequestPolicy!.Id!;
    const rhpId = rhp.ResponseHeadersPolicy!.Id!;
    expect(await rejection(t.client.send(new CreateDistributionCommand({ DistributionConfig: distributionConfig("u1", CACHING_DISABLED, MISSING) })))).toBeInstanceOf(NoSuchOriginRequestPolicy);
    const unknownHeaders = await rejection(t.client.send(new CreateDistributionCommand({ DistributionConfig: distributionConfig("u2", CACHING_DISABLED, undefined, MISSING) })));
    expect(unknownHeaders).toBeInstanceOf(NoSuchResponseHeadersPolicy);
    expect(unknownHeaders.$metadata.httpStatusCode).toBe(404);

    await t.client.send(new CreateDistributionCommand({ DistributionConfig: distributionConfig("u3", CACHING_DISABLED, orpId, rhpId) }));
    const orpInUse = await rejection(t.client.send(new DeleteOriginRequestPolicyCommand({ Id: orpId, IfMatch: orp.ETag })));
    expect(orpInUse).toBeInstanceOf(OriginRequestPolicyInUse);
    expect(orpInUse.$metadata.httpStatusCode).toBe(409);
    expect(await rejection(t.client.send(new DeleteResponseHeadersPolicyCommand({ Id: rhpId, IfMatch: rhp.ETag })))).toBeInstanceOf(ResponseHeadersPolicyInUse);
    // Still there, unchanged.
    expect((await t.client.send(new GetResponseHeadersPolicyCommand({ Id: rhpId }))).ETag).toBe(rhp.ETag);
  });

  it("lets at most 100 distributions use one custom policy (TooManyDistributionsAssociatedToOriginRequestPolicy); a distribution already using it may still be updated", async () => {
    const orp = await t.client.send(new CreateOriginRequestPolicyCommand({ OriginRequestPolicyConfig: originRequestPolicy("popular") }));
    const id = orp.OriginRequestPolicy!.Id!;
    let last: { id: string; etag: string } | undefined;
    for (let i = 0; i < MAX_DISTRIBUTIONS_PER_POLICY; i++) {
      const created = await t.client.send(new CreateDistributionCommand({ DistributionConfig: distributionConfig(`many-${i}`, CACHING_DISABLED, id) }));
      last = { id: created.Distribution!.Id!, etag: created.ETag! };
    }
    const over = await rejection(t.client.send(new CreateDistributionCommand({ DistributionConfig: distributionConfig("one-more", CACHING_DISABLED, id) })));
    expect(over).toBeInstanceOf(TooManyDistributionsAssociatedToOriginRequestPolicy);
    expect(over.$metadata.httpStatusCode).toBe(400);
    const updated = await t.client.send(new UpdateDistributionCommand({ Id: last!.id, IfMatch: last!.etag, DistributionConfig: distributionConfig(`many-${MAX_DISTRIBUTIONS_PER_POLICY - 1}`, CACHING_DISABLED, id) }));
    expect(updated.ETag).not.toBe(last!.etag);
  });
});
