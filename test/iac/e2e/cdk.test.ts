import { readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cdkScenario, eventually, FIXTURES, importFileEntries, linesWith, readTemplate, runUp, type CdkScenario, type Distribution, type EchoOrigin, type UpProcess } from "./harness.js";

/**
 * `edgelite up` on a real CDK app (test/fixtures/iac/cdk-app/app.mjs) synthesized by the real aws-cdk CLI:
 * the requests a user of that app would make, answered as CloudFront would answer them.
 */

/** The types `up` applies; every other resource of the template is listed as not emulated. */
const EMULATED = new Set([
  "AWS::CloudFront::Function",
  "AWS::CloudFront::KeyValueStore",
  "AWS::CloudFront::Distribution",
  "AWS::CloudFront::CachePolicy",
  "AWS::CloudFront::OriginRequestPolicy",
  "AWS::CloudFront::ResponseHeadersPolicy",
  "AWS::CloudFront::OriginAccessControl",
  "AWS::S3::Bucket",
  "Custom::CDKBucketDeployment",
]);

const fixtureFile = (name: string) => readFileSync(join(FIXTURES, "cdk-app", name), "utf8");
/** The store's entries, as the fixture's import file has them. */
const storeEntries = importFileEntries("cdk-app/redirects.json");

describe("edgelite up <cdk.out> of a CDK app", () => {
  let scenario: CdkScenario;
  let up: UpProcess;
  let origin: EchoOrigin;
  let site: Distribution;
  let template: ReturnType<typeof readTemplate>;

  beforeAll(async () => {
    scenario = await cdkScenario();
    ({ up, origin, site } = scenario);
    template = readTemplate(join(scenario.app.path, "cdk.out", "SiteStack.template.json"));
  }, 240_000);
  afterAll(async () => scenario?.close());

  const logicalIdsOf = (predicate: (type: string) => boolean) =>
    Object.entries(template.Resources)
      .filter(([, resource]) => predicate(resource.Type))
      .map(([logicalId, resource]) => ({ logicalId, type: resource.Type }));

  it("prints a line for each resource it creates, and one line for each resource it does not emulate", () => {
    const output = up.output();
    for (const { logicalId } of logicalIdsOf((type) => EMULATED.has(type))) expect(linesWith(output, logicalId, "created"), logicalId).not.toEqual([]);
    const skipped = logicalIdsOf((type) => !EMULATED.has(type));
    expect(skipped.map(({ type }) => type)).toEqual(expect.arrayContaining(["AWS::Lambda::Function", "AWS::Lambda::Url", "AWS::IAM::Role", "AWS::S3::BucketPolicy"]));
    for (const { logicalId, type } of skipped) expect(linesWith(output, logicalId, type, "not emulated"), `${logicalId} (${type})`).toHaveLength(1);
    // The output's value is the distribution's domain.
    expect(linesWith(output, "SiteDomain").join("\n")).toContain(site.host.replace(/:\d+$/, ""));
  });

  it("serves the BucketDeployment's files from under its DestinationKeyPrefix, at the URIs the viewer-request function rewrites", async () => {
    const home = await up.get(site, "/");
    expect(home.status).toBe(200);
    expect(home.body).toBe(fixtureFile("site/index.html"));
    const about = await up.get(site, "/about");
    expect(about.status).toBe(200);
    expect(about.body).toBe(fixtureFile("site/about.html"));
    expect((await up.get(site, "/docs/")).body).toBe(fixtureFile("site/docs/index.html"));
    // Source.data's object, deployed next to the asset's files.
    expect((await up.get(site, "/version.txt")).body).toBe("site v1");
    // The origin path is /web, the deployment's prefix web/: the prefix itself is not a folder of the site.
    expect((await up.get(site, "/web/index.html")).status).not.toBe(200);
  });

  it("answers a redirect from the key value store imported from the app's file", async () => {
    const moved = await up.get(site, "/old-about");
    expect(moved.status).toBe(301);
    expect(moved.headers.location).toBe(storeEntries.get("/old-about"));
  });

  it("adds the viewer-response function's header and the response headers policy's headers", async () => {
    const page = await up.get(site, "/about");
    expect(page.headers["x-site-version"]).toBe("v1");
    expect(page.headers["x-stack"]).toBe("SiteStack");
    expect(page.headers["x-content-type-options"]).toBe("nosniff");
    expect(page.headers["x-frame-options"]).toBe("DENY");
  });

  it("caches as the app's cache policy says: the query string v is in the cache key, others are not", async () => {
    const first = await up.get(site, "/docs/?v=1");
    expect(first.status).toBe(200);
    expect(first.headers["x-cache"]).toBe("Miss from cloudfront");
    expect((await up.get(site, "/docs/?v=1")).headers["x-cache"]).toBe("Hit from cloudfront");
    expect((await up.get(site, "/docs/?v=1&utm_source=mail")).headers["x-cache"]).toBe("Hit from cloudfront");
    expect((await up.get(site, "/docs/?v=2")).headers["x-cache"]).toBe("Miss from cloudfront");
  });

  it("sends /api/* to the origin mapped with --origin, with the viewer-request function's headers (a value from the store), uncached", async () => {
    const before = origin.requests.length;
    const answer = await up.get(site, "/api/orders?page=2");
    expect(answer.status).toBe(200);
    const seen = JSON.parse(answer.body) as { url: string; headers: Record<string, string> };
    expect(seen.url).toBe("/api/orders?page=2");
    expect(seen.headers["x-greeting"]).toBe(storeEntries.get("greeting"));
    expect(seen.headers["x-original-uri"]).toBe("/api/orders");
    expect(answer.headers["x-site-version"]).toBe("v1");
    // Managed-CachingDisabled: the second request goes to the origin too. No response headers policy here.
    expect((await up.get(site, "/api/orders?page=2")).headers["x-cache"]).not.toBe("Hit from cloudfront");
    expect(origin.requests.length - before).toBe(2);
    expect(answer.headers["x-stack"]).toBeUndefined();
  });

  it("answers CloudFront's 502 for the function URL origin it has no local source for, and the log names the --origin to add", async () => {
    const [url] = logicalIdsOf((type) => type === "AWS::Lambda::Url");
    // `up` may say so when it applies the distribution; the request must add a line of its own.
    const namingTheFlag = () => linesWith(up.output(), `--origin ${url!.logicalId}=`).length;
    const before = namingTheFlag();
    const report = await up.get(site, "/reports/today");
    expect(report.status).toBe(502);
    await eventually("the 502's log line", () => namingTheFlag() > before, up.output, 20_000);
  });

  it("refuses a --stack the assembly does not have, naming the stacks it has", async () => {
    const result = await runUp([join(scenario.app.path, "cdk.out"), "--stack", "NoSuchStack", "--in-memory", "--port", "0"]);
    expect(result.code).toBe(65);
    expect(result.output).toContain("NoSuchStack");
    expect(result.output).toContain("SiteStack");
  });
});
