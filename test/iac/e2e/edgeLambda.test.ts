import { CloudFrontClient, GetDistributionConfigCommand, ListDistributionsCommand } from "@aws-sdk/client-cloudfront";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { http } from "../../helpers.js";
import { endpointScenario, runUp, type EndpointScenario } from "./harness.js";

/**
 * A CDK app with a Lambda@Edge function (`cloudfront.experimental.EdgeFunction`) on a distribution outside
 * us-east-1: two stacks, the function's version ARN handed from one to the other through an SSM parameter and
 * CDK's cross-region reader. `up` keeps the parameter locally, so the distribution gets a numbered version ARN
 * (a placeholder: Lambda is not emulated, and Lambda@Edge is not run) and is created.
 */
describe("edgelite up: a CDK app with a Lambda@Edge EdgeFunction in its own us-east-1 stack", () => {
  let scenario: EndpointScenario;
  beforeAll(async () => {
    scenario = await endpointScenario("cdk-edge-lambda");
  }, 240_000);
  afterAll(async () => {
    await scenario?.close();
  });

  it("creates the distribution with the edge stack's version ARN read back, and serves its CloudFront Function", { timeout: 120_000 }, async () => {
    const { app, server, origin } = scenario;
    const result = await runUp([app.path, "--endpoint", server.url, "--origin", `app.example.com=${origin.url}`], 60_000, app.path);
    expect(result.code, result.output).toBe(0);
    expect(result.output).toMatch(/^created +edge-lambda-stack-\S+\/\S+ AWS::SSM::Parameter \/cdk\/EdgeFunctionArn\//m);
    expect(result.output).toMatch(/^created +EdgeSite\/\S+ Custom::CrossRegionStringParameterReader /m);
    expect(result.output).toMatch(/^not emulated edge-lambda-stack-\S+\/\S+ AWS::Lambda::Version/m);

    const client = new CloudFrontClient({ endpoint: server.url, region: "us-east-1", credentials: { accessKeyId: "a", secretAccessKey: "b" } });
    const list = await client.send(new ListDistributionsCommand({}));
    const summary = list.DistributionList?.Items?.[0];
    const config = await client.send(new GetDistributionConfigCommand({ Id: summary?.Id }));
    const association = config.DistributionConfig?.DefaultCacheBehavior?.LambdaFunctionAssociations?.Items?.[0];
    expect(association?.EventType).toBe("origin-request");
    expect(association?.LambdaFunctionARN).toMatch(/^arn:aws:lambda:us-east-1:\d{12}:function:[A-Za-z0-9_-]+:1$/);

    const response = await http(server.url, "GET", "/hello", { headers: { host: summary?.DomainName ?? "" } });
    expect(response.status).toBe(200);
    expect(origin.requests.at(-1)?.headers["x-site-tag"]).toBe("yes");
  });
});
