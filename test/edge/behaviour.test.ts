import { describe, expect, it } from "vitest";
import { behaviourFor, resolveBehaviour, rulesFor } from "../../src/edge/behaviour.js";
import { FORWARD_ALL } from "../../src/edge/forwarding.js";
import { MANAGED_POLICY_SET } from "../../src/service/policySet.js";
import { behaviour, config, exchange } from "./fixtures.js";

const site = config({
  behaviours: [behaviour("/api/*", "api"), behaviour("*.jpg", "images"), behaviour("*", "o")],
});

describe("behaviourFor: the behaviour a URL picks", () => {
  it("takes the first pattern the path matches, the default last", () => {
    expect(behaviourFor(site, "/api/users").targetOriginId).toBe("api");
    expect(behaviourFor(site, "/api/photo.jpg").targetOriginId).toBe("api");
    expect(behaviourFor(site, "/photo.jpg").targetOriginId).toBe("images");
    expect(behaviourFor(site, "/index.html").targetOriginId).toBe("o");
  });

  it("looks at the path only: the query string picks nothing", () => {
    expect(behaviourFor(site, "/search?file=a.jpg").targetOriginId).toBe("o");
    expect(behaviourFor(site, "/photo.jpg?size=2").targetOriginId).toBe("images");
  });
});

describe("rulesFor", () => {
  it("is the behaviour's policies, or everything when edgelite forwards all", () => {
    const cachingOptimized = behaviour("*", "o", { cachePolicyId: "658327ea-f89d-4fab-a63d-7e88639e58f6" });
    expect(rulesFor(cachingOptimized, true, MANAGED_POLICY_SET)).toBe(FORWARD_ALL);
    expect(rulesFor(cachingOptimized, false, MANAGED_POLICY_SET)).toMatchObject({ headers: { kind: "none" }, cookies: { kind: "none" }, query: { kind: "none" } });
  });
});

describe("resolveBehaviour (step)", () => {
  it("sets the behaviour, its rules and the viewer-request event, and passes", () => {
    const x = exchange({ config: site, url: "/api/users?id=1&id=2", headers: [["Host", "D111111ABCDEF8.cloudfront.net"], ["Cookie", "a=1"], ["X-Amz-Cf-Id", "hidden"]] });
    expect(resolveBehaviour(x)).toBeUndefined();
    expect(x.behaviour.targetOriginId).toBe("api");
    expect(x.rawQuery).toBe("id=1&id=2");
    expect(x.request).toBe(x.event.request);
    expect(x.event.context).toEqual({ distributionDomainName: "d111111abcdef8.cloudfront.net", distributionId: "EDFDVBD6EXAMPLE", eventType: "viewer-request", requestId: x.requestId });
    expect(x.event.request.uri).toBe("/api/users");
    expect({ ...x.event.request.headers }).toEqual({ host: { value: "d111111abcdef8.cloudfront.net" } });
    expect({ ...x.event.request.cookies }).toEqual({ a: { value: "1" } });
  });

  it("uses edgelite's forward-all rules when asked", () => {
    const x = exchange({ forwardAll: true });
    resolveBehaviour(x);
    expect(x.rules).toBe(FORWARD_ALL);
  });
});
