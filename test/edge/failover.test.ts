import { describe, expect, it } from "vitest";
import { canFailOver, fetchRoute, movesOn, type FetchOne } from "../../src/edge/failover.js";
import type { OriginRequest } from "../../src/edge/originReply.js";
import type { OriginRoute } from "../../src/edge/originRequest.js";
import { origin, reply, viewerRequest } from "./fixtures.js";

const group: OriginRoute = { origins: [origin("primary", { customHeaders: [["X-Secret", "p"]] }), origin("secondary")], failoverStatusCodes: [500, 503] };
const single: OriginRoute = { origins: [origin("only")], failoverStatusCodes: [] };

describe("canFailOver", () => {
  it("allows GET, HEAD and OPTIONS only", () => {
    expect(["GET", "HEAD", "OPTIONS"].map(canFailOver)).toEqual([true, true, true]);
    expect(["POST", "PUT", "PATCH", "DELETE", undefined].map(canFailOver)).toEqual([false, false, false, false, false]);
  });
});

describe("movesOn: the failover decision", () => {
  it("moves from the primary after a failure or a listed status", () => {
    expect(movesOn(group, 0, true)).toBe(true);
    expect(movesOn(group, 0, true, 503)).toBe(true);
    expect(movesOn(group, 0, true, 404)).toBe(false);
    expect(movesOn(group, 0, true, 200)).toBe(false);
  });

  it("never moves from the last origin, nor when failover is not allowed", () => {
    expect(movesOn(group, 1, true)).toBe(false);
    expect(movesOn(group, 1, true, 503)).toBe(false);
    expect(movesOn(group, 0, false)).toBe(false);
    expect(movesOn(group, 0, false, 503)).toBe(false);
    expect(movesOn(single, 0, true)).toBe(false);
  });
});

describe("fetchRoute", () => {
  const outgoing: OriginRequest = { method: "GET", path: "/a", headers: [["Via", "1.1 x.cloudfront.net (CloudFront)"]] };

  /** A stand-in origin per id: a status, or a failure. */
  function origins(answers: Record<string, number | Error>) {
    const asked: Array<{ id: string; request: OriginRequest }> = [];
    const fetchOne: FetchOne = async (o, request) => {
      asked.push({ id: o.id, request });
      const answer = answers[o.id]!;
      if (answer instanceof Error) throw answer;
      return reply(answer);
    };
    return { asked, fetchOne };
  }

  it("takes the primary's reply when it is not a failover status", async () => {
    const { asked, fetchOne } = origins({ primary: 404, secondary: 200 });
    const { reply: got, error } = await fetchRoute(group, outgoing, true, fetchOne);
    expect(got?.statusCode).toBe(404);
    expect(error).toBeUndefined();
    expect(asked.map((a) => a.id)).toEqual(["primary"]);
    expect(asked[0]!.request.headers).toEqual([["Via", "1.1 x.cloudfront.net (CloudFront)"], ["X-Secret", "p"]]);
  });

  it("fails over on a listed status, draining the primary's reply, with each origin's own headers", async () => {
    const replies: Array<ReturnType<typeof reply>> = [];
    const fetchOne: FetchOne = async (o) => {
      const r = reply(o.id === "primary" ? 503 : 200);
      replies.push(r);
      return r;
    };
    const { reply: got } = await fetchRoute(group, outgoing, true, fetchOne);
    expect(got?.statusCode).toBe(200);
    expect(replies[0]!.drained()).toBe(true);
    expect(replies[1]!.drained()).toBe(false);
  });

  it("fails over after a failure, and reports the last failure when every origin failed", async () => {
    const both = origins({ primary: new Error("refused"), secondary: 200 });
    expect((await fetchRoute(group, outgoing, true, both.fetchOne)).reply?.statusCode).toBe(200);
    const none = origins({ primary: new Error("refused"), secondary: new Error("timed out") });
    const result = await fetchRoute(group, outgoing, true, none.fetchOne);
    expect(result.reply).toBeUndefined();
    expect(result.error?.message).toBe("timed out");
  });

  it("does not fail over when the method may not", async () => {
    const { asked, fetchOne } = origins({ primary: 503, secondary: 200 });
    expect((await fetchRoute(group, { ...outgoing, method: "POST" }, false, fetchOne)).reply?.statusCode).toBe(503);
    expect(asked.map((a) => a.id)).toEqual(["primary"]);
  });

  it("sends the viewer's body to the first origin only", async () => {
    const body = viewerRequest("GET", "/a");
    const { asked, fetchOne } = origins({ primary: new Error("refused"), secondary: 200 });
    await fetchRoute(group, { ...outgoing, body }, true, fetchOne);
    expect(asked[0]!.request.body).toBe(body);
    expect(asked[1]!.request.body).toBeUndefined();
  });
});
