import { readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cdkScenario, FIXTURES, linesWith, readTemplate, runUp, type CdkScenario, type Distribution, type UpProcess } from "./harness.js";

/**
 * `edgelite up` on a two-stack CDK app (test/fixtures/iac/cdk-multi-stack/app.mjs): WebStack's distribution
 * imports SharedStack's bucket and origin access identity (Fn::ImportValue of the assembly's own exports), and
 * carries what real distributions carry: an origin group, an API Gateway origin, a custom domain name with an
 * imported certificate, error responses, a geographic restriction, logging.
 */

const fixtureFile = (name: string) => readFileSync(join(FIXTURES, "cdk-multi-stack", name), "utf8");
const assemblyTemplate = (appDir: string, stack: string) => readTemplate(join(appDir, "cdk.out", `${stack}.template.json`));
const logicalIdOfType = (template: ReturnType<typeof readTemplate>, type: string) => Object.entries(template.Resources).find(([, resource]) => resource.Type === type)?.[0];

describe("edgelite up <cdk.out> of a two-stack CDK app", () => {
  let scenario: CdkScenario;
  let up: UpProcess;
  let site: Distribution;

  beforeAll(async () => {
    scenario = await cdkScenario({
      fixture: "cdk-multi-stack",
      // The REST API is not emulated: its origin is mapped by the API's logical id, read from the template.
      flags: (origin, appDir) => ["--in-memory", "--origin", `${logicalIdOfType(assemblyTemplate(appDir, "WebStack"), "AWS::ApiGateway::RestApi")}=${origin.url}`],
      ready: (output) => /distribution \S+ serving at/.test(output),
    });
    ({ up, site } = scenario);
  }, 240_000);
  afterAll(async () => scenario?.close());

  it("applies both stacks, the exporting one first, and lists what it does not emulate once each", () => {
    const output = up.output();
    const shared = assemblyTemplate(scenario.app.path, "SharedStack");
    const web = assemblyTemplate(scenario.app.path, "WebStack");
    const deployment = linesWith(output, `SharedStack/${logicalIdOfType(shared, "Custom::CDKBucketDeployment")}`, "created")[0];
    const distribution = linesWith(output, `WebStack/${logicalIdOfType(web, "AWS::CloudFront::Distribution")}`, "created")[0];
    expect(deployment).toBeDefined();
    expect(distribution).toBeDefined();
    expect(output.indexOf(deployment!)).toBeLessThan(output.indexOf(distribution!));
    for (const type of ["AWS::CloudFront::CloudFrontOriginAccessIdentity", "AWS::ApiGateway::RestApi", "AWS::Lambda::Function"]) {
      const logicalId = logicalIdOfType(type === "AWS::CloudFront::CloudFrontOriginAccessIdentity" ? shared : web, type);
      expect(linesWith(output, `/${logicalId} `, type, "not emulated"), type).toHaveLength(1);
    }
  });

  it("serves the other stack's deployed bucket through the origin group, by its domain name and by its alias", async () => {
    const home = await up.get(site, "/");
    expect(home.status).toBe(200);
    expect(home.body).toBe(fixtureFile("www/index.html"));
    const port = site.host.split(":").at(-1);
    const byAlias = await up.get({ id: site.id, host: `www.example.com:${port}` }, "/");
    expect(byAlias.status).toBe(200);
    expect(byAlias.body).toBe(fixtureFile("www/index.html"));
  });

  it("answers a missing object with the error response's page and status", async () => {
    const missing = await up.get(site, "/no-such-page");
    expect(missing.status).toBe(404);
    expect(missing.body).toBe(fixtureFile("www/404.html"));
  });

  it("refuses viewers from the restricted country (403, then the same error response)", async () => {
    const blocked = await up.get(site, "/", { "x-edgelite-viewer-country": "KP" });
    expect(blocked.status).toBe(404);
    expect(blocked.body).toBe(fixtureFile("www/404.html"));
    expect((await up.get(site, "/", { "x-edgelite-viewer-country": "FR" })).status).toBe(200);
  });

  it("sends /api/* to the origin given for the REST API's logical id, through the cloudfront-js-1.0 function", async () => {
    const answer = await up.get(site, "/api/hello");
    expect(answer.status).toBe(200);
    const seen = JSON.parse(answer.body) as { url: string; headers: Record<string, string> };
    expect(seen.url).toMatch(/\/api\/hello$/);
    expect(seen.headers["x-from-edge"]).toBe("tagged");
  });

  it("with --stack WebStack alone, says which export to give with --import", async () => {
    const result = await runUp([join(scenario.app.path, "cdk.out"), "--stack", "WebStack", "--in-memory", "--port", "0"]);
    expect(result.code).toBe(65);
    expect(result.output).toMatch(/--import SharedStack:\S+=/);
  });
});
