import { readdirSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { http } from "../../helpers.js";
import { endpointScenario, eventually, importFileEntries, runUp, type EndpointScenario } from "./harness.js";

/**
 * `edgelite up --endpoint <url>`: the CDK fixture applied to a server that is already running (no server of
 * its own), given the app's folder (which holds its cdk.out); the command ends once applied, and the running
 * server serves what it made.
 */

const storeEntries = importFileEntries("cdk-app/redirects.json");

describe("edgelite up --endpoint <running server> <app folder>", () => {
  let scenario: EndpointScenario;
  beforeAll(async () => {
    scenario = await endpointScenario("cdk-app");
  }, 240_000);
  afterAll(async () => {
    await scenario?.close();
  });

  it("applies the stack through the server's API and ends; the server serves the functions, the store and the mapped origin", { timeout: 120_000 }, async () => {
    // The app's folder, which holds its cdk.out, as the path.
    const { app, server, origin } = scenario;
    // From the app's folder, where --endpoint keeps its deployments (./.edgelite/up) for the server's --s3.
    const result = await runUp([app.path, "--endpoint", server.url, "--origin", `api.example.com=${origin.url}`], 60_000, app.path);
    expect(result.code, result.output).toBe(0);
    expect(result.output).toMatch(/created\s+SiteStack\/SiteDistribution/);

    await eventually("the server's announcement of the distribution", () => /distribution \S+ serving at http:\/\/([^/\s]+)\//.test(server.stdout()), server.stdout);
    const host = /distribution \S+ serving at http:\/\/([^/\s]+)\//.exec(server.stdout())![1]!;
    const moved = await http(server.url, "GET", "/old-about", { headers: { host } });
    expect(moved.status).toBe(301);
    expect(moved.headers.location).toBe(storeEntries.get("/old-about"));
    const answer = await http(server.url, "GET", "/api/status", { headers: { host } });
    expect(answer.status).toBe(200);
    expect((JSON.parse(answer.body) as { headers: Record<string, string> }).headers["x-greeting"]).toBe(storeEntries.get("greeting"));
    expect(answer.headers["x-site-version"]).toBe("v1");

    // The deployment the running server cannot see is where up said, after up ended, for `serve --s3`.
    const told = /started with --s3 (\S+)=(\S+)/.exec(result.output);
    expect(told, result.output).not.toBeNull();
    expect(told![2]!.startsWith(join(app.path, ".edgelite", "up"))).toBe(true);
    expect(readdirSync(told![2]!, { recursive: true }).length).toBeGreaterThan(0);
  });

  it("refuses a flag only a server of its own would use, with --endpoint", async () => {
    const { app, server } = scenario;
    const result = await runUp([join(app.path, "cdk.out"), "--endpoint", server.url, "--in-memory"]);
    expect(result.code).toBe(64);
    expect(result.output).toContain("--in-memory");
  });
});
