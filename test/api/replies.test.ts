import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { http, startTestServer, type TestServer } from "../helpers.js";

/**
 * A crash test for the API's and the data plane's writer: hostile names, labels and headers in requests
 * whose replies (errors included) go out through the response writer. Every reply must be complete and
 * well-formed in the protocol's shape (XML for the CloudFront API, JSON for the data plane), never a 5xx,
 * and the server must go on answering.
 */

const HOSTILE_NAMES = ["a%0D%0AX-Injected:%20yes", "%00", "%C4%80", "%F0%9F%98%80", "__proto__", "constructor", "%E2%82%AC%0A", "a%20b", "%FF", "%"];

describe("API and data-plane replies to hostile requests", () => {
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer("memory");
  });
  afterAll(async () => {
    await t.close();
  });

  const expectWellFormed = (res: Awaited<ReturnType<typeof http>>, kind: "xml" | "json") => {
    expect(res.status, res.body).toBeGreaterThanOrEqual(200);
    expect(res.status, res.body).toBeLessThan(500);
    expect(res.headers["x-injected"]).toBeUndefined();
    expect(res.headers["x-amzn-requestid"]).toMatch(/^[0-9a-f-]{36}$/);
    if (res.status >= 400) {
      if (kind === "json") expect(() => JSON.parse(res.body) as unknown).not.toThrow();
      else expect(res.body).toMatch(/^<\?xml[^]*<\/ErrorResponse>$/);
    }
  };

  it.each(HOSTILE_NAMES)("CloudFront API: function, store and distribution named %s", async (name) => {
    for (const path of [`/2020-05-31/function/${name}`, `/2020-05-31/function/${name}/describe`, `/2020-05-31/key-value-store/${name}`, `/2020-05-31/distribution/${name}`]) {
      expectWellFormed(await http(t.url, "GET", path), "xml");
    }
    expectWellFormed(await http(t.url, "POST", `/2020-05-31/function/${name}/test`, { headers: { "If-Match": "caf\xe9", "content-type": "text/xml" }, body: "<TestFunctionRequest/>" }), "xml");
    expectWellFormed(await http(t.url, "DELETE", `/2020-05-31/function/${name}`, { headers: { "If-Match": "E\u00ff" } }), "xml");
    expect((await http(t.url, "GET", "/_edgelite/health")).status).toBe(200);
  });

  it.each(HOSTILE_NAMES)("data plane: store and key named %s", async (name) => {
    const store = `/key-value-stores/arn%3Aaws%3Acloudfront%3A%3A123456789012%3Akey-value-store%2F${name}`;
    for (const [method, path] of [["GET", store], ["GET", `${store}/keys`], ["GET", `${store}/keys/${name}`], ["DELETE", `${store}/keys/${name}`]] as const) {
      expectWellFormed(await http(t.url, method, path, { headers: { "If-Match": "caf\xe9" } }), "json");
    }
    expectWellFormed(await http(t.url, "PUT", `${store}/keys/${name}`, { headers: { "If-Match": "x", "content-type": "application/json" }, body: JSON.stringify({ Value: "v\r\n" }) }), "json");
    expect((await http(t.url, "GET", "/_edgelite/health")).status).toBe(200);
  });
});

describe("a throwing request hook", () => {
  it("does not end the process: the reply stands and the server goes on", async () => {
    let calls = 0;
    const t = await startTestServer("memory", {
      onRequest: () => {
        calls++;
        throw new Error("a logging hook that throws");
      },
    });
    try {
      for (let i = 0; i < 3; i++) {
        const res = await http(t.url, "GET", "/2020-05-31/function");
        expect(res.status).toBe(200);
        expect(res.body).toContain("<FunctionList");
      }
      expect(calls).toBeGreaterThanOrEqual(3);
    } finally {
      await t.close();
    }
  });
});
