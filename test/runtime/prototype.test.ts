import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { loadFunction, viewerRequestEvent, viewerResponseEvent, type LoadedFunction } from "../../src/index.js";
import { RunnerPool } from "../../src/runtime/pool.js";
import { PROTOTYPE_NAMES, prototypeGuard } from "../prototypeGuard.js";

/**
 * The library's event builders and the runner pool with prototype names (`__proto__`, `constructor`, …)
 * as header, cookie and query names: each is a name like any other, the function sees an ordinary event
 * with own keys (as from CloudFront), and nothing reaches Object.prototype.
 */

/** `{name: value}` with every prototype name as an own key (JSON.parse: an object literal could not hold `__proto__`). */
const named = <T>(value: (name: string) => T): Record<string, T> => JSON.parse(JSON.stringify(Object.fromEntries(PROTOTYPE_NAMES.map((name) => [name, value(name)])))) as Record<string, T>;

/** Logs each map's names with own-ness and value, as user code would check them; returns the request. */
const REPORT = `function handler(event) {
  var maps = { querystring: event.request.querystring, headers: event.request.headers, cookies: event.request.cookies };
  if (event.response) { maps.responseHeaders = event.response.headers; maps.setCookies = event.response.cookies; }
  Object.keys(maps).forEach(function (kind) {
    var map = maps[kind];
    console.log(kind + ' ' + (Object.getPrototypeOf(map) === Object.prototype) + ' ' + Object.keys(map).map(function (name) { return name + '=' + Object.prototype.hasOwnProperty.call(map, name) + ':' + map[name].value; }).join(','));
  });
  return event.response || event.request;
}`;

/** The line REPORT logs for a map: each name (as the function sees it) with its value (made from the name as given). */
const line = (kind: string, names: readonly string[], suffix: string, given: readonly string[] = PROTOTYPE_NAMES) =>
  `${kind} true ${names.map((name, i) => `${name}=true:${given[i]}-${suffix}`).join(",")}`;
const lower = PROTOTYPE_NAMES.map((name) => name.toLowerCase());

describe("prototype names in the library and the runner pool", () => {
  let fn: LoadedFunction;
  let guard: ReturnType<typeof prototypeGuard>;
  beforeAll(async () => {
    fn = await loadFunction(REPORT, { runtime: "cloudfront-js-1.0" });
  });
  afterAll(() => fn.dispose());
  beforeEach(() => {
    guard = prototypeGuard();
  });

  const query = PROTOTYPE_NAMES.map((name) => `${name}=${name}-q`).join("&");

  it("viewerRequestEvent: names from headers, cookies, a Cookie header and the query string", async () => {
    const event = viewerRequestEvent({
      url: `/?${query}`,
      headers: { ...named((name) => `${name}-h`), cookie: "__proto__=__proto__-c; toString=toString-c" },
      cookies: named((name) => `${name}-c`),
    });
    guard.check();
    expect(Object.getOwnPropertyDescriptor(event.request.headers, "__proto__")?.value).toEqual({ value: "__proto__-h" });
    // The Cookie header's repeats join the cookies given by name.
    expect(Object.getOwnPropertyDescriptor(event.request.cookies, "__proto__")?.value).toEqual({ value: "__proto__-c", multiValue: [{ value: "__proto__-c" }, { value: "__proto__-c" }] });
    const result = await fn.run(event);
    expect(result.errorMessage).toBe("");
    expect(result.logs).toEqual([line("querystring", PROTOTYPE_NAMES, "q"), line("headers", lower, "h"), line("cookies", PROTOTYPE_NAMES, "c")]);
    const output = result.output as { request: { headers: object; cookies: object; querystring: object } };
    for (const map of [output.request.headers, output.request.cookies, output.request.querystring]) expect(Object.keys(map)).toHaveLength(PROTOTYPE_NAMES.length);
    guard.check();
  });

  it("viewerResponseEvent: response header names and Set-Cookie names", async () => {
    const event = viewerResponseEvent({ responseHeaders: named((name) => `${name}-rh`), setCookies: PROTOTYPE_NAMES.map((name) => `${name}=${name}-sc; Path=/`) });
    guard.check();
    const result = await fn.run(event);
    expect(result.errorMessage).toBe("");
    expect(result.logs.slice(3)).toEqual([line("responseHeaders", lower, "rh"), line("setCookies", PROTOTYPE_NAMES, "sc")]);
    const output = result.output as { response: { headers: object; cookies: object } };
    expect(Object.keys(output.response.cookies)).toEqual([...PROTOTYPE_NAMES]);
    expect(Object.getOwnPropertyDescriptor(output.response.cookies, "__proto__")?.value).toEqual({ value: "__proto__-sc", attributes: "Path=/" });
    guard.check();
  });

  it("an event given as JSON text, and the round trip through the runner pool's workers", async () => {
    const map = (suffix: string) => Object.fromEntries(lower.map((name) => [name, { value: `${name}-${suffix}` }]));
    const json = JSON.stringify({ version: "1.0", context: { eventType: "viewer-request" }, viewer: { ip: "1.2.3.4" }, request: { method: "GET", uri: "/", querystring: map("q"), headers: map("h"), cookies: map("c") } });
    const direct = await fn.run(json);
    expect(direct.errorMessage).toBe("");
    expect(direct.logs).toEqual([line("querystring", lower, "q", lower), line("headers", lower, "h", lower), line("cookies", lower, "c", lower)]);

    const pool = new RunnerPool(1);
    try {
      const event = viewerRequestEvent({ url: `/?${query}`, headers: named((name) => `${name}-h`), cookies: named((name) => `${name}-c`) });
      const pooled = await pool.run(REPORT, "cloudfront-js-1.0", event);
      expect(pooled.errorMessage).toBe("");
      expect(pooled.validationErrors).toEqual([]);
      expect(pooled.logs).toEqual([line("querystring", PROTOTYPE_NAMES, "q"), line("headers", lower, "h"), line("cookies", PROTOTYPE_NAMES, "c")]);
      const output = pooled.output as { request: { headers: Record<string, unknown> } };
      // Back on this thread the maps are null-prototype records again: a missing name finds nothing.
      expect(Object.getPrototypeOf(output.request.headers)).toBeNull();
      expect(Object.keys(output.request.headers)).toEqual(lower);
      expect(Object.getOwnPropertyDescriptor(output.request.headers, "__proto__")?.value).toEqual({ value: "__proto__-h" });
    } finally {
      await pool.close();
    }
    guard.check();
  });
});
