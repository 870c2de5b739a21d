import { describe, expect, it } from "vitest";
import type { EdgeSettings } from "../../src/edge/exchange.js";
import { upstreamOf } from "../../src/edge/originFetch.js";
import { applyResponsePolicies } from "../../src/edge/responsePolicies.js";
import { runViewerRequest } from "../../src/edge/viewerRequest.js";
import { runViewerResponse } from "../../src/edge/viewerResponse.js";
import { emptyRecord } from "../../src/nullPrototype.js";
import type { CookieEntry, FunctionEvent, FunctionRequest, FunctionResponse, ValueEntry } from "../../src/runtime/event.js";
import type { RunResult } from "../../src/runtime/function.js";
import { behaviour, config, reply, resolved, runResult, type ExchangeSetup } from "./fixtures.js";

const REQUEST_ARN = "arn:aws:cloudfront::123456789012:function/rewrite";
const RESPONSE_ARN = "arn:aws:cloudfront::123456789012:function/headers";
const withFunctions = config({
  behaviours: [
    behaviour("*", "o", {
      functions: [
        { functionArn: REQUEST_ARN, eventType: "viewer-request" },
        { functionArn: RESPONSE_ARN, eventType: "viewer-response" },
      ],
    }),
  ],
});

/** An exchange whose functions answer `result`; the events they were given are kept. */
function withRun(result: RunResult | undefined, setup: ExchangeSetup = {}) {
  const events: FunctionEvent[] = [];
  const runLive: EdgeSettings["runLive"] = async (_arn, event) => {
    events.push(structuredClone(event));
    return result;
  };
  return { x: resolved({ config: withFunctions, runLive, ...setup }), events };
}

const response = (statusCode: number, extra: Partial<FunctionResponse> = {}): FunctionResponse => ({ statusCode, headers: emptyRecord(), cookies: emptyRecord(), ...extra });

/** The exchange after the origin answered `status`. */
function afterOrigin(result: RunResult | undefined, status: number) {
  const run = withRun(result);
  const upstream = upstreamOf(reply(status, ["X-Origin", "app"]));
  if ("kind" in upstream) throw new Error("unexpected");
  run.x.upstream = upstream;
  return run;
}

describe("runViewerRequest (step)", () => {
  it("passes without a viewer-request function", async () => {
    const x = resolved();
    expect(await runViewerRequest(x)).toBeUndefined();
    expect(x.functions).toEqual([]);
  });

  it("sends on the function's request, the method kept the viewer's, with its origin calls", async () => {
    const changed: FunctionRequest = { method: "DELETE", uri: "/rewritten", querystring: emptyRecord(), headers: emptyRecord(), cookies: emptyRecord() };
    const { x, events } = withRun(runResult({ output: { request: changed }, originCalls: [{ kind: "selectRequestOriginById", originId: "o" }] }), { url: "/a?b=1" });
    expect(await runViewerRequest(x)).toBeUndefined();
    expect(events[0]!.request.uri).toBe("/a");
    expect(x.request).toEqual({ ...changed, method: "GET" });
    expect(x.originCalls).toEqual([{ kind: "selectRequestOriginById", originId: "o" }]);
    expect(x.functions).toEqual(["viewer-request:rewrite"]);
    expect(x.compute).toBe(7);
  });

  it("answers with a generated response", async () => {
    const generated = response(301, { statusDescription: "Moved Permanently" });
    const { x } = withRun(runResult({ output: { response: generated } }));
    expect(await runViewerRequest(x)).toEqual({ kind: "generated", response: generated, cache: "FunctionGeneratedResponse", result: "FunctionGeneratedResponse" });
  });

  it("answers 503 for a run that failed or a function without a LIVE stage", async () => {
    const failed = withRun(runResult({ error: { name: "Error", message: "boom" } as RunResult["error"], errorMessage: "Error: boom" }));
    expect(await runViewerRequest(failed.x)).toEqual({ kind: "error", status: 503, result: "FunctionExecutionError", detail: "Error: boom" });
    expect(failed.x.functions).toEqual(["viewer-request:rewrite"]);
    const missing = withRun(undefined);
    expect(await runViewerRequest(missing.x)).toMatchObject({ status: 503, detail: "the function has no LIVE stage" });
  });

  it("answers 502 for an invalid result, naming the problem", async () => {
    const invalid = withRun(runResult({ validationErrors: ["The CloudFront function returned an invalid value: headers must be lower case."] }));
    expect(await runViewerRequest(invalid.x)).toMatchObject({ kind: "error", status: 502, result: "FunctionValidationError", detail: "The CloudFront function returned an invalid value: headers must be lower case." });
    const nothing = withRun(runResult({}));
    expect(await runViewerRequest(nothing.x)).toMatchObject({ status: 502, detail: "The function returned neither a request nor a response." });
  });
});

describe("runViewerResponse (step)", () => {
  it("runs on the origin's response with the request sent, and its response replaces the origin's", async () => {
    const changed = response(200, { headers: Object.assign(emptyRecord<ValueEntry>(), { "x-added": { value: "yes" } }) });
    const { x, events } = afterOrigin(runResult({ output: { response: changed } }), 200);
    expect(await runViewerResponse(x)).toBeUndefined();
    expect(events[0]!.context.eventType).toBe("viewer-response");
    expect(events[0]!.response?.headers).toEqual({ "x-origin": { value: "app" } });
    expect(x.upstream?.response).toBe(changed);
    expect(x.upstream?.fromFunction).toBe(true);
    expect(x.functions).toEqual(["viewer-response:headers"]);
  });

  it("does not run when the origin answered 400 or above", async () => {
    const { x, events } = afterOrigin(runResult({ output: { response: response(200) } }), 404);
    expect(await runViewerResponse(x)).toBeUndefined();
    expect(events).toEqual([]);
    expect(x.upstream?.fromFunction).toBe(false);
  });

  it("answers with a response the function gave a body", async () => {
    const withBody = response(500, { body: "made here" });
    const { x } = afterOrigin(runResult({ output: { response: withBody } }), 200);
    expect(await runViewerResponse(x)).toEqual({ kind: "generated", response: withBody, cache: "Error", result: "Miss" });
  });

  it("answers 502 when the function returns no response", async () => {
    const { x } = afterOrigin(runResult({ output: { request: resolved().request } }), 200);
    expect(await runViewerResponse(x)).toMatchObject({ status: 502, result: "FunctionValidationError", detail: "A viewer-response function must return the response object." });
  });
});

describe("applyResponsePolicies (step)", () => {
  it("answers with the response's lines, Title-Case, cookies as Set-Cookie, and Miss below 400", () => {
    const cookies = Object.assign(emptyRecord<CookieEntry>(), { id: { value: "1", attributes: "Path=/", multiValue: [{ value: "1", attributes: "Path=/" }, { value: "2" }] } });
    const { x } = afterOrigin(undefined, 200);
    x.upstream = { ...x.upstream!, response: response(200, { headers: Object.assign(emptyRecord<ValueEntry>(), { "x-a-b": { value: "1", multiValue: [{ value: "1" }, { value: "2" }] } }), cookies }) };
    expect(applyResponsePolicies(x)).toEqual({
      kind: "upstream",
      upstream: x.upstream,
      headers: [["X-A-B", "1"], ["X-A-B", "2"], ["Set-Cookie", "id=1; Path=/"], ["Set-Cookie", "id=2"]],
      result: "Miss",
    });
  });

  it("calls a response of 400 or above an Error", () => {
    expect(applyResponsePolicies(afterOrigin(undefined, 503).x).result).toBe("Error");
  });

  it("refuses to run before any response source (a step-order bug)", () => {
    expect(() => applyResponsePolicies(resolved())).toThrow(/step order/);
  });
});
