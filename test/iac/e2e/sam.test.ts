import { readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { echoOrigin, FIXTURES, linesWith, onlyDistribution, startUp, type Distribution, type EchoOrigin, type UpProcess } from "./harness.js";

/**
 * `edgelite up` on a SAM template (test/fixtures/iac/sam/template.yaml, `Transform: AWS::Serverless-2016-10-31`):
 * the serverless function is not emulated, and the function URL the transform would generate for it
 * (`ApiFunctionUrl`) is what the distribution's API origin names, mapped with `--origin ApiFunctionUrl=…`.
 */

const FIXTURE = join(FIXTURES, "sam");

describe("edgelite up template.yaml (a SAM template)", () => {
  let origin: EchoOrigin;
  let up: UpProcess;
  let site: Distribution;

  beforeAll(async () => {
    origin = await echoOrigin();
    up = await startUp([join(FIXTURE, "template.yaml"), "--in-memory", "--s3", `sam-site=${join(FIXTURE, "public")}`, "--origin", `ApiFunctionUrl=${origin.url}`], {
      ready: (output) => /distribution \S+ serving at/.test(output) && linesWith(output, "SiteUrl").length > 0,
    });
    site = onlyDistribution(up);
  }, 120_000);
  afterAll(async () => {
    await up?.stop();
    await origin?.close();
  });

  it("lists the serverless function and its generated URL once each as not emulated, and resolves the outputs", () => {
    expect(linesWith(up.output(), "/ApiFunction ", "AWS::Serverless::Function", "not emulated")).toHaveLength(1);
    expect(linesWith(up.output(), "/ApiFunctionUrl ", "not emulated")).toHaveLength(1);
    expect(linesWith(up.output(), "SiteUrl", `https://${site.host.replace(/:\d+$/, "")}/`)).toHaveLength(1);
  });

  it("serves the site from its --s3 folder with the CloudFront function's header", async () => {
    const home = await up.get(site, "/");
    expect(home.status).toBe(200);
    expect(home.body).toBe(readFileSync(join(FIXTURE, "public", "index.html"), "utf8"));
    expect(home.headers["x-sam"]).toBe("yes");
  });

  it("sends /api/* to the origin given for the generated function URL", async () => {
    const answer = await up.get(site, "/api/orders");
    expect(answer.status).toBe(200);
    expect((JSON.parse(answer.body) as { url: string }).url).toBe("/api/orders");
    expect(origin.requests.at(-1)?.url).toBe("/api/orders");
  });
});
