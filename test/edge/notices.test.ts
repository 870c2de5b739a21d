import { GetDistributionConfigCommand, UpdateDistributionCommand } from "@aws-sdk/client-cloudfront";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { EdgeNotice } from "../../src/edge/edge.js";
import { noticesOf } from "../../src/edge/notices.js";
import { MANAGED_POLICY_SET } from "../../src/service/policySet.js";
import { cloudFrontClient, http, startTestServer, type TestServer } from "../helpers.js";
import { spawnServer, until } from "../process.js";
import { behaviour, config, view } from "./fixtures.js";
import { CACHING_DISABLED, createDistribution, startOrigin, type TestOrigin } from "./viewerRulesSetup.js";

/**
 * What a distribution says that the local edge does not do (HTTPS viewer protocol policies, Lambda@Edge) is
 * reported once per distribution and config version, through the edge's notice hook and on `serve`'s stderr.
 */

const LAMBDA = "arn:aws:lambda:us-east-1:123456789012:function:auth:3";
const lambdas = { Quantity: 1, Items: [{ LambdaFunctionARN: LAMBDA, EventType: "origin-request" as const, IncludeBody: false }] };

describe("notices (hook)", () => {
  let t: TestServer;
  let origin: TestOrigin;
  const notices: EdgeNotice[] = [];

  beforeAll(async () => {
    origin = await startOrigin();
    t = await startTestServer("memory", { onEdgeNotice: (notice) => notices.push(notice) });
  });
  afterAll(async () => {
    await t.close();
    await origin.close();
  });

  it("reports redirect-to-https and the Lambda@Edge associations once, at the first request, and again after an update", async () => {
    const { id, host, etag } = await createDistribution(t.client, origin.port, {
      DefaultCacheBehavior: { TargetOriginId: "o", ViewerProtocolPolicy: "redirect-to-https", CachePolicyId: CACHING_DISABLED, LambdaFunctionAssociations: lambdas },
    });
    expect(notices).toEqual([]);
    for (let i = 0; i < 3; i++) expect((await http(t.url, "GET", "/", { headers: { host } })).status).toBe(200);
    const mine = () => notices.filter((n) => n.distributionId === id);
    expect(mine().map((n) => n.kind)).toEqual(["viewer-protocol-policy", "lambda-at-edge"]);
    expect(mine()[0]!.message).toContain(`distribution ${id}: ViewerProtocolPolicy redirect-to-https (behaviours "*") is not enforced`);
    expect(mine()[0]!.message).toContain("redirected");
    expect(mine()[1]!.message).toContain(`Lambda@Edge is not run locally`);
    expect(mine()[1]!.message).toContain(`origin-request ${LAMBDA} (behaviour "*")`);

    const { DistributionConfig: current } = await t.client.send(new GetDistributionConfigCommand({ Id: id }));
    await t.client.send(new UpdateDistributionCommand({ Id: id, IfMatch: etag, DistributionConfig: { ...current!, Comment: "changed", DefaultCacheBehavior: { ...current!.DefaultCacheBehavior!, ViewerProtocolPolicy: "https-only" } } }));
    await http(t.url, "GET", "/", { headers: { host } });
    await http(t.url, "GET", "/", { headers: { host } });
    expect(mine().map((n) => n.kind)).toEqual(["viewer-protocol-policy", "lambda-at-edge", "viewer-protocol-policy", "lambda-at-edge"]);
    expect(mine()[2]!.message).toContain("ViewerProtocolPolicy https-only");
    expect(mine()[2]!.message).toContain("refused");
  });

  it("says nothing for a distribution on allow-all without Lambda@Edge", async () => {
    const { id, host } = await createDistribution(t.client, origin.port, { DefaultCacheBehavior: { TargetOriginId: "o", ViewerProtocolPolicy: "allow-all", CachePolicyId: CACHING_DISABLED } });
    await http(t.url, "GET", "/", { headers: { host } });
    expect(notices.filter((n) => n.distributionId === id)).toEqual([]);
  });
});

describe("notices (serve's stderr)", () => {
  it("prints each notice once, however many requests come", async () => {
    const origin = await startOrigin();
    const server = await spawnServer(["--in-memory"]);
    const client = cloudFrontClient(server.url);
    try {
      const { id, host } = await createDistribution(client, origin.port, {
        DefaultCacheBehavior: { TargetOriginId: "o", ViewerProtocolPolicy: "https-only", CachePolicyId: CACHING_DISABLED, LambdaFunctionAssociations: lambdas },
      });
      for (let i = 0; i < 3; i++) expect((await http(server.url, "GET", "/", { headers: { host } })).status).toBe(200);
      await until("the notices", () => server.stderr().includes("Lambda@Edge"), server.stderr);
      const lines = server.stderr().split("\n").filter((line) => line.includes("notice:"));
      expect(lines).toHaveLength(2);
      expect(lines[0]).toContain(`edgelite: notice: distribution ${id}: ViewerProtocolPolicy https-only`);
      expect(lines[1]).toContain(LAMBDA);
    } finally {
      client.destroy();
      server.child.kill("SIGTERM");
      await server.exited;
      await origin.close();
    }
  });
});

describe("noticesOf", () => {
  it("lists every behaviour concerned, and keeps a configured line break out of the log line", () => {
    const target = {
      host: "d111111abcdef8.cloudfront.net",
      view: view(),
      policies: MANAGED_POLICY_SET,
      config: config({
        behaviours: [
          behaviour("/api/*", "o", { viewerProtocolPolicy: "https-only", lambdaFunctionAssociations: [{ eventType: "viewer-request", lambdaFunctionArn: "arn:aws:lambda:us-east-1:123456789012:function:a:1\nforged line" }] }),
          behaviour("*", "o", { viewerProtocolPolicy: "redirect-to-https" }),
        ],
      }),
    };
    const [https, lambda] = noticesOf(target);
    expect(https!.message).toContain('ViewerProtocolPolicy https-only / redirect-to-https (behaviours "/api/*", "*")');
    expect(lambda!.message).toContain("function:a:1?forged line");
    expect(lambda!.message).not.toContain("\n");
  });
});
