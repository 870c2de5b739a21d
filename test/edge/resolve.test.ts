import { describe, expect, it } from "vitest";
import { Edge } from "../../src/edge/edge.js";
import { MANAGED_POLICY_SET } from "../../src/service/policySet.js";
import { config, view } from "./fixtures.js";

describe("Edge.resolve: the distribution a Host names", () => {
  const target = { view: view(), config: config() };
  const asked: string[] = [];
  const edge = new Edge({
    forHost: async (host) => {
      asked.push(host);
      return host === "d111111abcdef8.cloudfront.net" ? target : undefined;
    },
    runLive: async () => undefined,
  });

  it("finds a distribution by its name, whatever the case, port or trailing dot", async () => {
    for (const host of ["d111111abcdef8.cloudfront.net", "D111111ABCDEF8.CloudFront.NET:8080", "d111111abcdef8.cloudfront.net."]) {
      const resolved = await edge.resolve(host);
      expect(resolved).toEqual({ host: "d111111abcdef8.cloudfront.net", view: target.view, config: target.config, policies: MANAGED_POLICY_SET });
    }
  });

  it("is undefined for a Host that names no distribution (the API's traffic)", async () => {
    expect(await edge.resolve("localhost:3000")).toBeUndefined();
    expect(await edge.resolve("")).toBeUndefined();
    expect(asked.slice(-2)).toEqual(["localhost", ""]);
  });
});
