import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cdkAppFlags, cdkScenario, eventually, linesWith, synthCommand, synthesize, type CdkScenario, type Distribution, type UpProcess } from "./harness.js";

/**
 * `edgelite up --watch` on the CDK fixture: the app edited and synthesized again while `up` serves, and the
 * next requests see the change (`--watch` alone, and `--synth` running the synth itself).
 */

/** Replaces `from` in the app's file, failing when the file does not have it (the fixture changed under the test). */
function edit(file: string, from: string | RegExp, to: string): void {
  const before = readFileSync(file, "utf8");
  const after = before.replace(from, to);
  if (after === before) throw new Error(`${file} has no ${String(from)} to replace: the test and the fixture disagree`);
  writeFileSync(file, after);
}

describe("edgelite up --watch <cdk.out>: a new synth applied while serving", () => {
  let scenario: CdkScenario;
  let up: UpProcess;
  let site: Distribution;

  beforeAll(async () => {
    scenario = await cdkScenario({ flags: (origin) => [...cdkAppFlags(origin), "--watch"] });
    ({ up, site } = scenario);
  }, 240_000);
  afterAll(async () => scenario?.close());

  it("publishes changed function code, re-deploys the bucket, reloads the store's keys and deletes a removed policy", { timeout: 240_000 }, async () => {
    expect((await up.get(site, "/about")).headers["x-stack"]).toBe("SiteStack");
    expect((await up.get(site, "/old-docs")).status).not.toBe(301);

    const appFile = join(scenario.app.path, "app.mjs");
    edit(appFile, 'const SITE_VERSION = "v1";', 'const SITE_VERSION = "v2";');
    edit(appFile, /const headers = new cloudfront\.ResponseHeadersPolicy\([\s\S]*?\n\}\);\n/, "");
    edit(appFile, "    responseHeadersPolicy: headers,\n", "");
    const redirectsFile = join(scenario.app.path, "redirects.json");
    const redirects = JSON.parse(readFileSync(redirectsFile, "utf8")) as { data: Array<{ key: string; value: string }> };
    redirects.data.push({ key: "/old-docs", value: "/docs/" });
    writeFileSync(redirectsFile, JSON.stringify(redirects));
    await synthesize(scenario.app.path);

    // Each poll asks for a key the cache has not seen (v is in the cache policy's key): the deployment's new
    // object must come from the origin, as it would on CloudFront without an invalidation.
    let poll = 0;
    await eventually("version.txt from the new deployment", async () => (await up.get(site, `/version.txt?v=${poll++}`)).body === "site v2", up.output);
    const page = await up.get(site, "/about");
    expect(page.headers["x-site-version"]).toBe("v2");
    expect(page.headers["x-stack"]).toBeUndefined();
    const moved = await up.get(site, "/old-docs");
    expect(moved.status).toBe(301);
    expect(moved.headers.location).toBe("/docs/");
    expect(linesWith(up.output(), "SiteHeaders", "deleted")).not.toEqual([]);
    expect(linesWith(up.output(), "Stamp", "updated")).not.toEqual([]);
    // The same distribution, updated in place.
    expect(new Set(up.distributions().map((distribution) => distribution.id))).toEqual(new Set([site.id]));
  });
});

describe("edgelite up --watch --synth: the app's own sources watched", () => {
  let scenario: CdkScenario;
  let up: UpProcess;
  let site: Distribution;

  beforeAll(async () => {
    scenario = await cdkScenario({ flags: (origin) => [...cdkAppFlags(origin), "--watch", "--synth", synthCommand()] });
    ({ up, site } = scenario);
  }, 240_000);
  afterAll(async () => scenario?.close());

  it("prints a failing synth's errors and keeps serving, then applies the fixed app", { timeout: 240_000 }, async () => {
    const appFile = join(scenario.app.path, "app.mjs");
    const original = readFileSync(appFile, "utf8");
    writeFileSync(appFile, `${original}\nthrow new Error("the app is broken on purpose");\n`);
    await eventually("the synth's error", () => up.output().includes("the app is broken on purpose"), up.output, 120_000);
    const still = await up.get(site, "/about");
    expect(still.status).toBe(200);
    expect(still.headers["x-site-version"]).toBe("v1");

    writeFileSync(appFile, original.replace('const SITE_VERSION = "v1";', 'const SITE_VERSION = "v3";'));
    await eventually("the fixed app's function", async () => (await up.get(site, "/about")).headers["x-site-version"] === "v3", up.output, 120_000);
  });
});
