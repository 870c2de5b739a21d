import { describe, expect, it } from "vitest";
import { fetchOrigin, upstreamOf } from "../../src/edge/originFetch.js";
import { reply, resolved } from "./fixtures.js";

describe("upstreamOf: an origin's reply as the response on its way", () => {
  it("keeps the status, reason and writable lines; the event's response has lower-case names and cookies apart", () => {
    const r = reply(200, ["Content-Type", "text/plain", "Bad Name", "x", "X-Ctl", "a\u0001b", "Set-Cookie", "id=1; Path=/"]);
    r.statusMessage = "Fine";
    const upstream = upstreamOf(r);
    expect("kind" in upstream).toBe(false);
    if ("kind" in upstream) return;
    expect(upstream.lines).toEqual(["Content-Type", "text/plain", "Set-Cookie", "id=1; Path=/"]);
    expect(upstream.fromFunction).toBe(false);
    expect(upstream.response.statusCode).toBe(200);
    expect(upstream.response.statusDescription).toBe("Fine");
    expect({ ...upstream.response.headers }).toEqual({ "content-type": { value: "text/plain" } });
    expect({ ...upstream.response.cookies }).toEqual({ id: { value: "1", attributes: "Path=/" } });
  });

  it("drops a reason phrase that cannot be written", () => {
    const r = reply(200);
    r.statusMessage = "Bad\r\nReason";
    const upstream = upstreamOf(r);
    expect("kind" in upstream ? undefined : upstream.response.statusDescription).toBe("");
  });

  it("answers 502 OriginCommError for a status a viewer cannot be sent, draining the body", () => {
    const r = reply(1000);
    expect(upstreamOf(r)).toMatchObject({ kind: "error", status: 502, result: "Error", detailedResult: "OriginCommError", detail: "OriginCommError: the origin answered with status 1000" });
    expect(r.drained()).toBe(true);
  });
});

describe("fetchOrigin (step)", () => {
  it("answers a function's origin call naming no origin as an invalid value", async () => {
    const x = resolved();
    x.originCalls.push({ kind: "selectRequestOriginById", originId: "nowhere" });
    expect(await fetchOrigin(x)).toMatchObject({ kind: "error", status: 502, result: "FunctionValidationError", detail: 'selectRequestOriginById: the distribution has no origin "nowhere"' });
  });

  it("passes without fetching when a source before it has the response", async () => {
    const x = resolved();
    const upstream = upstreamOf(reply(200));
    if ("kind" in upstream) throw new Error("unexpected");
    x.upstream = upstream;
    expect(await fetchOrigin(x)).toBeUndefined();
    expect(x.upstream).toBe(upstream);
  });
});
