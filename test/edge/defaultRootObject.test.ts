import { describe, expect, it } from "vitest";
import { applyDefaultRootObject } from "../../src/edge/defaultRootObject.js";
import { config, resolved } from "./fixtures.js";

describe("applyDefaultRootObject (step)", () => {
  const withRoot = config({ defaultRootObject: "index.html" });

  it("serves exactly / as the default root object", () => {
    const x = resolved({ config: withRoot, url: "/?q=1" });
    expect(applyDefaultRootObject(x)).toBeUndefined();
    expect(x.request.uri).toBe("/index.html");
    expect(x.event.request.uri).toBe("/");
  });

  it("leaves other paths, and distributions without one, alone", () => {
    for (const [setup, uri] of [[{ config: withRoot, url: "/blog/" }, "/blog/"], [{ url: "/" }, "/"]] as const) {
      const x = resolved(setup);
      applyDefaultRootObject(x);
      expect(x.request.uri).toBe(uri);
    }
  });
});
