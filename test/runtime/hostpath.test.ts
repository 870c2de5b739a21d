import { describe, expect, it } from "vitest";
import { loadFunction, viewerRequestEvent } from "../../src/index.js";
import { checkEvent, normaliseOutput } from "../../src/runtime/event.js";

/** The host's per-run steps (event check, raw query string, output normalisation), as functions see them. */
describe("the host's per-run steps", () => {
  it("rebuilds rawQueryString() from the event's parameters: repeated values, bare names, an empty multiValue, no query", async () => {
    const fn = await loadFunction("function handler(event) { console.log(String(event.request.rawQueryString())); return event.request; }", { runtime: "cloudfront-js-2.0" });
    const base = viewerRequestEvent({ url: "/" });
    const withQuery = (querystring: unknown) => ({ ...base, request: { ...base.request, querystring } }) as unknown as typeof base;
    const logsOf = async (querystring: unknown) => (await fn.run(withQuery(querystring))).logs;
    expect(await logsOf({ a: { value: "1", multiValue: [{ value: "1" }, { value: "2" }] }, flag: { value: "" }, b: { value: "%20" } })).toEqual(["a=1&a=2&flag&b=%20"]);
    expect(await logsOf({ none: { value: "x", multiValue: [] }, b: { value: "2" } })).toEqual(["b=2"]);
    expect(await logsOf({ none: { value: "x", multiValue: [] } })).toEqual([""]);
    expect(await logsOf({})).toEqual(["undefined"]);
    expect((await fn.run(viewerRequestEvent({ url: "/p?x=1&x=2&y" }))).logs).toEqual(["x=1&x=2&y"]);
    fn.dispose();
  });

  it("checks value maps entry by entry and copies them into null-prototype records", () => {
    const base = viewerRequestEvent({ url: "/" });
    const headers = JSON.parse('{"__proto__":{"value":"p"},"a":{"value":"1"}}') as Record<string, { value: string }>;
    const checked = checkEvent({ ...base, request: { ...base.request, headers } });
    expect(Object.getPrototypeOf(checked!.request.headers)).toBeNull();
    expect(Object.keys(checked!.request.headers)).toEqual(["__proto__", "a"]);
    expect(Object.getOwnPropertyDescriptor(checked!.request.headers, "__proto__")?.value).toEqual({ value: "p" });
    expect(checkEvent({ ...base, request: { ...base.request, headers: { a: { value: "1" }, b: { value: 2 } } } })).toBeUndefined();
    expect(checkEvent({ ...base, request: { ...base.request, cookies: { a: "x" } } })).toBeUndefined();
  });

  it("normalises a result's maps into null-prototype records, skipping entries that are not objects", () => {
    const returned = JSON.parse('{"uri":"/","method":"GET","headers":{"__proto__":{"value":"p"},"skip":1,"m":{"value":"a","multiValue":[{"value":"a"},2,{"value":"b"}]}}}');
    const output = normaliseOutput("viewer-request", returned) as { request: { headers: Record<string, unknown> } };
    expect(Object.getPrototypeOf(output.request.headers)).toBeNull();
    expect(Object.keys(output.request.headers)).toEqual(["__proto__", "m"]);
    expect(output.request.headers.m).toEqual({ value: "a", multiValue: [{ value: "a" }, { value: "b" }] });
  });
});
