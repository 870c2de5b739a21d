import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parse } from "yaml";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { echoOrigin, FIXTURES, importFileEntries, linesWith, onlyDistribution, runUp, startUp, type Distribution, type UpProcess } from "./harness.js";

/**
 * `edgelite up` on a hand-written CloudFormation template in YAML (test/fixtures/iac/cloudformation/template.yaml):
 * short forms, Parameters, Mappings and Conditions, an S3 origin and a key value store import through
 * `--s3`, an API behind a Lambda function URL (not emulated) mapped by its logical id with `--origin`.
 * The default stage first, then `--parameter Stage=prod` on the same data dir (what the first run made is
 * adopted and updated).
 */

const FIXTURE = join(FIXTURES, "cloudformation");
const TEMPLATE = join(FIXTURE, "template.yaml");
const fixtureFile = (name: string) => readFileSync(join(FIXTURE, name), "utf8");
const settings = importFileEntries("cloudformation/config/settings.json");

/** The template's mapping, read rather than restated: what each stage's viewer-response function says. */
function banner(stage: string): string {
  // Unknown tags (the short forms) are read as plain values, silently; the Mappings section has none.
  const document = parse(fixtureFile("template.yaml"), { logLevel: "silent" }) as { Mappings: { StageSettings: Record<string, { Banner: string }> } };
  return document.Mappings.StageSettings[stage]!.Banner;
}

const NOT_EMULATED = [
  ["ApiRole", "AWS::IAM::Role"],
  ["ApiFunction", "AWS::Lambda::Function"],
  ["ApiUrl", "AWS::Lambda::Url"],
] as const;

describe("edgelite up template.yaml (CloudFormation in YAML)", () => {
  let dataDir: string;
  /** The distribution the dev run made (the suites run in order). */
  let devDistributionId: string | undefined;
  let origin: Awaited<ReturnType<typeof echoOrigin>>;
  const flags = () => [
    TEMPLATE,
    "--data-dir",
    dataDir,
    "--s3",
    `site-content=${join(FIXTURE, "public")}`,
    "--s3",
    `site-config=${join(FIXTURE, "config")}`,
    "--origin",
    `ApiUrl=${origin.url}`,
  ];
  const ready = (output: string) => /distribution \S+ serving at/.test(output) && linesWith(output, "Environment").length > 0;

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), "edgelite-up-yaml-"));
    origin = await echoOrigin();
  });
  afterAll(async () => {
    await origin?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  describe("the default stage (dev)", () => {
    let up: UpProcess;
    let site: Distribution;
    beforeAll(async () => {
      up = await startUp(flags(), { ready });
      site = onlyDistribution(up);
      devDistributionId = site.id;
    }, 120_000);
    afterAll(async () => up?.stop());

    it("lists the Lambda function, its URL and its role once each as not emulated, and prints the outputs", () => {
      for (const [logicalId, type] of NOT_EMULATED) expect(linesWith(up.output(), logicalId, type, "not emulated"), logicalId).toHaveLength(1);
      expect(linesWith(up.output(), "Environment", "development")).not.toEqual([]);
      // The condition is false: the strict transport policy is not made.
      expect(linesWith(up.output(), "StrictTransport", "created")).toEqual([]);
    });

    it("serves the S3 origin from its --s3 folder, with the viewer-response function's header from the mapping", async () => {
      const home = await up.get(site, "/");
      expect(home.status).toBe(200);
      expect(home.body).toBe(fixtureFile("public/index.html"));
      expect(home.headers["x-environment"]).toBe(banner("dev"));
      expect(home.headers["strict-transport-security"]).toBeUndefined();
    });

    it("rewrites a URI listed in the key value store imported from the --s3 bucket", async () => {
      const promo = await up.get(site, "/promo");
      expect(promo.status).toBe(200);
      expect(promo.body).toBe(fixtureFile(`public${settings.get("/promo")}`));
    });

    it("caches pages for the stage's TTL (the cache policy's DefaultTTL from the mapping)", async () => {
      expect((await up.get(site, "/style.css")).headers["x-cache"]).toBe("Miss from cloudfront");
      expect((await up.get(site, "/style.css")).headers["x-cache"]).toBe("Hit from cloudfront");
    });

    it("sends /api/* to the origin given for the function URL's logical id, with the viewer-request function's headers", async () => {
      const answer = await up.get(site, "/api/hello");
      expect(answer.status).toBe(200);
      const seen = JSON.parse(answer.body) as { url: string; headers: Record<string, string> };
      expect(seen.url).toBe("/api/hello");
      expect(seen.headers["x-stage"]).toBe("dev");
      expect(seen.headers["x-maintenance"]).toBe(settings.get("maintenance"));
    });
  });

  describe("--parameter Stage=prod on the same data dir", () => {
    let up: UpProcess;
    let site: Distribution;
    beforeAll(async () => {
      up = await startUp([...flags(), "--parameter", "Stage=prod"], { ready });
      site = onlyDistribution(up);
    }, 180_000);
    afterAll(async () => up?.stop());

    it("adopts the distribution the earlier run made and updates it", () => {
      expect(devDistributionId).toBeDefined();
      expect(site.id).toBe(devDistributionId);
      expect(linesWith(up.output(), "Environment", "production")).not.toEqual([]);
      expect(linesWith(up.output(), "StrictTransport", "created")).toHaveLength(1);
    });

    it("adds the policy the condition now holds for, and the prod stage's header", async () => {
      const home = await up.get(site, "/");
      expect(home.status).toBe(200);
      expect(home.headers["strict-transport-security"]).toBe("max-age=31536000; includeSubDomains");
      expect(home.headers["x-environment"]).toBe(banner("prod"));
      const answer = JSON.parse((await up.get(site, "/api/stage")).body) as { headers: Record<string, string> };
      expect(answer.headers["x-stage"]).toBe("prod");
    });
  });

  describe("what the user must fix, said before serving", () => {
    it("a key value store import from a bucket no --s3 flag stands for: names the flag to add", async () => {
      const result = await runUp([TEMPLATE, "--in-memory", "--port", "0", "--origin", "ApiUrl=http://127.0.0.1:9"]);
      expect(result.code).toBe(65);
      expect(result.output).toContain("--s3 site-config=");
    });

    it("a --parameter outside the parameter's AllowedValues: names the parameter and the values", async () => {
      const result = await runUp([TEMPLATE, "--in-memory", "--port", "0", "--parameter", "Stage=staging"]);
      expect(result.code).toBe(65);
      expect(linesWith(result.output, "Stage", "staging", "dev", "prod")).not.toEqual([]);
    });
  });
});
