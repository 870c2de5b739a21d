import { CreateDistributionCommand, type CloudFrontClient, type DistributionConfig, type Origin } from "@aws-sdk/client-cloudfront";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cloudFrontClient, startTestServer, type TestServer } from "../helpers.js";

let reference = 0;

function configWith(origin: Partial<Origin>, pathPattern = "/static/*"): DistributionConfig {
  return {
    CallerReference: `origin-settings-${++reference}`,
    Comment: "",
    Enabled: true,
    Origins: {
      Quantity: 1,
      Items: [{ Id: "app", DomainName: "localhost", CustomOriginConfig: { HTTPPort: 8080, HTTPSPort: 443, OriginProtocolPolicy: "http-only" }, ...origin }],
    },
    DefaultCacheBehavior: { TargetOriginId: "app", ViewerProtocolPolicy: "allow-all", CachePolicyId: "4135ea2d-6df8-44a3-9df3-4b5a84be39ad" },
    CacheBehaviors: { Quantity: 1, Items: [{ PathPattern: pathPattern, TargetOriginId: "app", ViewerProtocolPolicy: "allow-all", CachePolicyId: "4135ea2d-6df8-44a3-9df3-4b5a84be39ad" }] },
  };
}

const custom = (settings: { OriginReadTimeout?: number; OriginKeepaliveTimeout?: number }): Partial<Origin> => ({
  CustomOriginConfig: { HTTPPort: 8080, HTTPSPort: 443, OriginProtocolPolicy: "http-only", ...settings },
});

async function refusal(client: CloudFrontClient, config: DistributionConfig): Promise<{ name: string; status?: number; message: string }> {
  try {
    await client.send(new CreateDistributionCommand({ DistributionConfig: config }));
  } catch (error) {
    const e = error as { name: string; message: string; $metadata?: { httpStatusCode?: number } };
    return { name: e.name, status: e.$metadata?.httpStatusCode, message: e.message };
  }
  throw new Error("CreateDistribution succeeded");
}

/** Replaces text in the serialized XML body, for values the SDK's types would never send. */
function rewriteBody(client: CloudFrontClient, from: string, to: string): void {
  client.middlewareStack.add(
    (next) => async (args) => {
      const request = args.request as { body?: unknown; headers: Record<string, string> };
      if (typeof request.body === "string" && request.body.includes(from)) {
        const body = request.body.replace(from, to);
        request.body = body;
        request.headers["content-length"] = String(Buffer.byteLength(body));
      }
      return next(args);
    },
    { step: "finalizeRequest", name: `rewrite-${from}-${to}` },
  );
}

describe("origin timeouts, connection settings and path patterns are validated (CreateDistribution via the SDK)", () => {
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer("memory");
  });
  afterAll(async () => {
    await t.close();
  });

  it.each([
    ["OriginReadTimeout", custom({ OriginReadTimeout: 0 }), "InvalidOriginReadTimeout"],
    ["OriginReadTimeout", custom({ OriginReadTimeout: 121 }), "InvalidOriginReadTimeout"],
    ["OriginKeepaliveTimeout", custom({ OriginKeepaliveTimeout: 0 }), "InvalidOriginKeepaliveTimeout"],
    ["OriginKeepaliveTimeout", custom({ OriginKeepaliveTimeout: 121 }), "InvalidOriginKeepaliveTimeout"],
    ["ConnectionTimeout", { ConnectionTimeout: 0 }, "InvalidArgument"],
    ["ConnectionTimeout", { ConnectionTimeout: 11 }, "InvalidArgument"],
    ["ConnectionAttempts", { ConnectionAttempts: 0 }, "InvalidArgument"],
    ["ConnectionAttempts", { ConnectionAttempts: 4 }, "InvalidArgument"],
  ])("%s out of range (%j) is %s", async (name, origin, code) => {
    const refused = await refusal(t.client, configWith(origin));
    expect(refused.name).toBe(code);
    expect(refused.status).toBe(400);
    expect(refused.message).toContain(name);
  });

  it("accepts the ranges' ends", async () => {
    const low = await t.client.send(new CreateDistributionCommand({ DistributionConfig: configWith({ ...custom({ OriginReadTimeout: 1, OriginKeepaliveTimeout: 1 }), ConnectionTimeout: 1, ConnectionAttempts: 1 }) }));
    expect(low.Distribution?.Id).toBeTruthy();
    const high = await t.client.send(new CreateDistributionCommand({ DistributionConfig: configWith({ ...custom({ OriginReadTimeout: 120, OriginKeepaliveTimeout: 120 }), ConnectionTimeout: 10, ConnectionAttempts: 3 }) }));
    expect(high.Distribution?.Id).toBeTruthy();
  });

  it.each(["abc", "1.5", "-1", "", "1e1"])("refuses a non-numeric OriginReadTimeout %j", async (value) => {
    const client = cloudFrontClient(t.url);
    rewriteBody(client, "<OriginReadTimeout>7</OriginReadTimeout>", `<OriginReadTimeout>${value}</OriginReadTimeout>`);
    try {
      const refused = await refusal(client, configWith(custom({ OriginReadTimeout: 7 })));
      expect(refused.name).toBe("InvalidOriginReadTimeout");
    } finally {
      client.destroy();
    }
  });

  it("refuses a PathPattern longer than 255 characters and accepts one of 255", async () => {
    const refused = await refusal(t.client, configWith({}, `/${"a".repeat(255)}`));
    expect(refused.name).toBe("InvalidArgument");
    expect(refused.message).toContain("255");
    const accepted = await t.client.send(new CreateDistributionCommand({ DistributionConfig: configWith({}, `/${"a".repeat(254)}`) }));
    expect(accepted.Distribution?.Id).toBeTruthy();
  });
});
