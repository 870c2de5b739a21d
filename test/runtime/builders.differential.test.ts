import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { getOwn, setOwn } from "../../src/nullPrototype.js";
import { viewerRequestEvent as edgeViewerRequestEvent } from "../../src/edge/events.js";
import { viewerRequestEvent } from "../../src/runtime/builders.js";
import { edgeViewerRequestEvent as legacyEdge } from "./legacy/edgeBuilder.js";
import { libraryViewerRequestEvent as legacyLibrary } from "./legacy/libraryBuilder.js";

/**
 * The one viewer-request builder (src/runtime/builders.ts) against the two it replaced (frozen in ./legacy):
 * the edge's events stay byte for byte what they were, on random raw queries, cookies and headers; so do the
 * library's, but for its Cookie header, which it now reads as the edge always has (src/runtime/cookies.ts,
 * CloudFront's documented reading; the old library dropped a pair without "=" and kept the spaces around
 * pairs). The last block pins where the edge and the library still read the same request differently.
 */

const RUNS = 400;
/** Text full of the separators the parsers split on, whitespace, escapes and names that are keys elsewhere. */
const piece = fc.constantFrom("a", "B", "=", "&", ";", " ", "  ", "\t", "%20", "%", "?", "#", ",", "é", "__proto__", "constructor", "x", "1", "");
const text = fc.array(piece, { maxLength: 8 }).map((parts) => parts.join(""));
const headerName = fc.constantFrom("accept", "Accept", "cookie", "Cookie", "host", "Host", "x-cache", "X-Amz-Cf-Id", "x-edge-location", "transfer-encoding", "connection", "via", "__proto__", "constructor", "x-custom");
const path = fc.array(fc.constantFrom("/", "a", "b", "%20", "..", ".", " ", "é", "\\", "__proto__"), { maxLength: 6 }).map((parts) => `/${parts.join("")}`);

const json = (value: unknown) => JSON.stringify(value);
/** JSON text that also records whether each object has a prototype (the name maps must not). */
const exact = (value: unknown) =>
  JSON.stringify(value, (_key, item: unknown) =>
    typeof item === "object" && item !== null && !Array.isArray(item) ? Object.fromEntries([["(null prototype)", Object.getPrototypeOf(item) === null], ...Object.entries(item)]) : item,
  );
/** What a builder gives: its event, or the error it throws (a URL the library cannot parse). */
const outcome = (build: () => unknown) => {
  try {
    return exact(build());
  } catch (error) {
    return `throws ${String(error)}`;
  }
};

describe("one viewer-request builder: the edge's events are unchanged", () => {
  const request = fc.record({
    method: fc.constantFrom("GET", "POST", "HEAD", "OPTIONS"),
    url: fc.tuple(path, fc.option(text, { nil: undefined })).map(([p, query]) => (query === undefined ? p : `${p}?${query}`)),
    rawHeaders: fc.array(fc.tuple(headerName, text), { maxLength: 8 }).map((lines) => lines.flat()),
  });
  const context = { distributionId: "EDFDVBD6EXAMPLE", distributionDomainName: "d111111abcdef8.cloudfront.net", requestId: "r-1", viewerIp: "203.0.113.9", host: "www.example.org" };

  it("on random request lines, headers and cookies", () => {
    fc.assert(
      fc.property(request, (req) => {
        expect(exact(edgeViewerRequestEvent(req, context))).toBe(exact(legacyEdge(req, context)));
      }),
      { numRuns: RUNS },
    );
  });

  it("with no url and no method", () => {
    const req = { rawHeaders: [] as string[] };
    expect(exact(edgeViewerRequestEvent(req, context))).toBe(exact(legacyEdge(req, context)));
  });
});

/** The cookies map the old library built, with its Cookie headers read as the old edge read them. */
function cookiesReadAsTheEdge(init: { headers?: Record<string, string | string[]>; cookies?: Record<string, string | string[]> }) {
  const cookies = legacyLibrary({ cookies: init.cookies }).request.cookies;
  const cookieLines = Object.entries(init.headers ?? {}).flatMap(([name, value]) => (name.toLowerCase() === "cookie" ? (Array.isArray(value) ? value : [value]) : []));
  const fromHeaders = legacyEdge({ url: "/", rawHeaders: cookieLines.flatMap((value) => ["Cookie", value]) }, EDGE_CONTEXT).event.request.cookies;
  for (const [name, entry] of Object.entries(fromHeaders)) {
    for (const { value } of entry.multiValue ?? [entry]) {
      const existing = getOwn(cookies, name);
      if (!existing) setOwn(cookies, name, { value });
      else (existing.multiValue ??= [{ value: existing.value }]).push({ value });
    }
  }
  return cookies;
}
const EDGE_CONTEXT = { distributionId: "E1", distributionDomainName: "d1.cloudfront.net", requestId: "r", viewerIp: "203.0.113.9", host: "d1.cloudfront.net" };

describe("one viewer-request builder: the library's events are unchanged but for the Cookie header, read as the edge reads it", () => {
  const valueOrValues = fc.oneof(text, fc.array(text, { maxLength: 3 }));
  const init = fc.record(
    {
      method: fc.constantFrom("get", "POST", "Head"),
      url: fc.oneof(
        fc.tuple(path, fc.option(text, { nil: undefined })).map(([p, query]) => (query === undefined ? p : `${p}?${query}`)),
        fc.tuple(fc.constantFrom("http://", "https://"), fc.constantFrom("example.org", "Example.ORG:8443", "a.b"), path).map((parts) => parts.join("")),
      ),
      headers: fc.dictionary(headerName, valueOrValues, { maxKeys: 5 }),
      cookies: fc.dictionary(fc.constantFrom("a", "b", "__proto__", "session"), valueOrValues, { maxKeys: 3 }),
      ip: fc.constantFrom("203.0.113.9", "::1"),
      distributionDomainName: fc.constantFrom("", "d111111abcdef8.cloudfront.net"),
      distributionId: fc.constantFrom("", "EDFDVBD6EXAMPLE"),
      requestId: fc.constantFrom("", "r-1"),
    },
    { requiredKeys: [] },
  );

  it("on random urls, header maps (Cookie headers included) and cookie maps", () => {
    fc.assert(
      fc.property(init, (options) => {
        const expected = () => {
          const event = legacyLibrary(options);
          event.request.cookies = cookiesReadAsTheEdge(options);
          return event;
        };
        expect(outcome(() => viewerRequestEvent(options))).toBe(outcome(expected));
      }),
      { numRuns: RUNS },
    );
  });

  it("with no init at all", () => {
    expect(exact(viewerRequestEvent())).toBe(exact(legacyLibrary()));
  });
});

describe("where the edge and the library read the same request differently (kept, each caller's own), and where they no longer do", () => {
  const context = { distributionId: "E1", distributionDomainName: "d1.cloudfront.net", requestId: "r", viewerIp: "203.0.113.9", host: "d1.cloudfront.net" };
  const edgeCookies = (cookie: string) => edgeViewerRequestEvent({ url: "/", rawHeaders: ["Cookie", cookie] }, context).event.request.cookies;
  const libraryCookies = (cookie: string) => viewerRequestEvent({ headers: { Cookie: cookie } }).request.cookies;

  it("Cookie headers no longer differ: a pair without '=' or with an empty name is kept, and each pair is trimmed (the library dropped the first and kept the spaces)", () => {
    expect(json(edgeCookies("a; =x; b=1"))).toBe(json({ a: { value: "" }, "": { value: "x" }, b: { value: "1" } }));
    expect(json(libraryCookies("a; =x; b=1"))).toBe(json({ a: { value: "" }, "": { value: "x" }, b: { value: "1" } }));
    expect(json(edgeCookies(" a=1 ; b=2 "))).toBe(json({ a: { value: "1" }, b: { value: "2" } }));
    expect(json(libraryCookies(" a=1 ; b=2 "))).toBe(json({ a: { value: "1" }, b: { value: "2" } }));
  });

  it("the uri and query: the edge keeps them as sent, the library normalises them as a URL", () => {
    const edge = edgeViewerRequestEvent({ url: "/a/../b c?q=x y#f", rawHeaders: [] }, context).event.request;
    expect([edge.uri, json(edge.querystring)]).toEqual(["/a/../b c", json({ q: { value: "x y#f" } })]);
    const library = viewerRequestEvent({ url: "/a/../b c?q=x y#f" }).request;
    expect([library.uri, json(library.querystring)]).toEqual(["/b%20c", json({ q: { value: "x%20y" } })]);
  });

  it("headers: the edge hides the disallowed ones and shows the distribution's Host; the library keeps what it is given", () => {
    const edge = edgeViewerRequestEvent({ url: "/", rawHeaders: ["Host", "D1.CLOUDFRONT.NET:443", "X-Cache", "Hit", "Transfer-Encoding", "chunked"] }, context).event.request;
    expect(json(edge.headers)).toBe(json({ host: { value: "d1.cloudfront.net" } }));
    const library = viewerRequestEvent({ headers: { Host: "D1.CLOUDFRONT.NET:443", "X-Cache": "Hit", "Transfer-Encoding": "chunked" } }).request;
    expect(json(library.headers)).toBe(json({ host: { value: "D1.CLOUDFRONT.NET:443" }, "x-cache": { value: "Hit" }, "transfer-encoding": { value: "chunked" } }));
  });
});
