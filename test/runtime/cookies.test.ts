import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { responseFromOrigin, viewerRequestEvent as edgeViewerRequestEvent } from "../../src/edge/events.js";
import { viewerRequestEvent, viewerResponseEvent } from "../../src/runtime/builders.js";
import { cookieHeaderPairs, setCookieField } from "../../src/runtime/cookies.js";
import { edgeResponseFromOrigin as legacyEdgeResponse, edgeViewerRequestEvent as legacyEdgeRequest } from "./legacy/edgeBuilder.js";

/**
 * One cookie reading (src/runtime/cookies.ts) for the edge and the library: the edge's events stay what they
 * were (checked against its old code, frozen in ./legacy), and the library's now read Cookie and Set-Cookie the
 * same way, which is how CloudFront documents them
 * (https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/functions-event-structure.html).
 */

const RUNS = 400;
/** Text full of what the readers split on and trim, and names that are keys elsewhere. */
const piece = fc.constantFrom("a", "B", "=", ";", "; ", " ", "\t", "Path=/", "Secure", "%20", ",", "é", "__proto__", "constructor", "1", "");
const text = fc.array(piece, { maxLength: 10 }).map((parts) => parts.join(""));
const headerName = fc.constantFrom("Set-Cookie", "set-cookie", "SET-COOKIE", "content-type", "x-cache", "__proto__", "x-custom");

/** JSON text that also records whether each object has a prototype (the name maps must not). */
const exact = (value: unknown) =>
  JSON.stringify(value, (_key, item: unknown) =>
    typeof item === "object" && item !== null && !Array.isArray(item) ? Object.fromEntries([["(null prototype)", Object.getPrototypeOf(item) === null], ...Object.entries(item)]) : item,
  );
const json = (value: unknown) => JSON.stringify(value);
const setCookieLines = (lines: string[]) => lines.flatMap((line) => ["Set-Cookie", line]);

describe("one Set-Cookie reader: the edge's viewer-response events are unchanged", () => {
  it("on random origin header lines, Set-Cookie ones included", () => {
    const origin = fc.record({ status: fc.constantFrom(200, 302, 404), reason: fc.constantFrom("OK", "", "Found"), rawHeaders: fc.array(fc.tuple(headerName, text), { maxLength: 8 }).map((lines) => lines.flat()) });
    fc.assert(
      fc.property(origin, ({ status, reason, rawHeaders }) => {
        expect(exact(responseFromOrigin(status, reason, rawHeaders))).toBe(exact(legacyEdgeResponse(status, reason, rawHeaders)));
      }),
      { numRuns: RUNS },
    );
  });
});

describe("one Set-Cookie reader: the library reads setCookies as the edge reads an origin's Set-Cookie", () => {
  it("on random Set-Cookie values", () => {
    fc.assert(
      fc.property(fc.array(text, { maxLength: 6 }), (lines) => {
        expect(exact(viewerResponseEvent({ setCookies: lines }).response!.cookies)).toBe(exact(legacyEdgeResponse(200, "OK", setCookieLines(lines)).cookies));
      }),
      { numRuns: RUNS },
    );
  });

  const cookies = (...lines: string[]) => json(viewerResponseEvent({ setCookies: lines }).response!.cookies);
  it.each([
    ["a cookie without '=' is the name with the value \"\" (was named \"fla\" with the value \"flag\")", ["flag; Secure"], { flag: { value: "", attributes: "Secure" } }],
    ["no '=' and no attributes", ["flag"], { flag: { value: "" } }],
    ["an empty value", ["a=; Path=/"], { a: { value: "", attributes: "Path=/" } }],
    ["'=' in the value: split at the first", ["a=b=c==; Path=/"], { a: { value: "b=c==", attributes: "Path=/" } }],
    ["several attributes, as sent", ["id=1; Path=/; Secure;  HttpOnly; Domain=example.com"], { id: { value: "1", attributes: "Path=/; Secure;  HttpOnly; Domain=example.com" } }],
    ["no space after ';': the attributes as sent", ["id=1;Path=/;Secure"], { id: { value: "1", attributes: "Path=/;Secure" } }],
    ["no attributes: `attributes` is absent", ["id=1"], { id: { value: "1" } }],
    ["a ';' with nothing after it: empty attributes", ["id=1;"], { id: { value: "1", attributes: "" } }],
    ["spaces around the name and value are trimmed", [" id = 1 ; Path=/ "], { id: { value: "1", attributes: "Path=/" } }],
    [
      "a repeated name: multiValue in order, each with its own attributes",
      ["id=1; Path=/a", "id=2", "other=x", "id=3; Secure"],
      { id: { value: "1", attributes: "Path=/a", multiValue: [{ value: "1", attributes: "Path=/a" }, { value: "2" }, { value: "3", attributes: "Secure" }] }, other: { value: "x" } },
    ],
  ])("%s", (_what, lines, expected) => {
    expect(cookies(...lines)).toBe(json(expected));
    expect(cookies(...lines)).toBe(json(responseFromOrigin(200, "OK", setCookieLines(lines)).cookies));
  });

  it("setCookieField: one value's name and field", () => {
    expect(setCookieField("flag; Secure")).toEqual(["flag", { value: "", attributes: "Secure" }]);
    expect(setCookieField("__proto__=x")).toEqual(["__proto__", { value: "x" }]);
  });
});

describe("one Cookie reader: the library reads a Cookie header as the edge does", () => {
  const context = { distributionId: "E1", distributionDomainName: "d1.cloudfront.net", requestId: "r", viewerIp: "203.0.113.9", host: "d1.cloudfront.net" };

  it("on random Cookie headers, one or several", () => {
    fc.assert(
      fc.property(fc.array(text, { minLength: 1, maxLength: 3 }), (values) => {
        const edgeOld = legacyEdgeRequest({ url: "/", rawHeaders: values.flatMap((value) => ["Cookie", value]) }, context).event.request.cookies;
        expect(exact(viewerRequestEvent({ headers: { Cookie: values } }).request.cookies)).toBe(exact(edgeOld));
        expect(exact(edgeViewerRequestEvent({ url: "/", rawHeaders: values.flatMap((value) => ["Cookie", value]) }, context).event.request.cookies)).toBe(exact(edgeOld));
      }),
      { numRuns: RUNS },
    );
  });

  it("cookieHeaderPairs: split on ';', trimmed, split at the first '='; a pair without '=' is a name with the value \"\"", () => {
    expect(cookieHeaderPairs(" a=1 ; b ;; =x; c=d=e;")).toEqual([["a", "1"], ["b", ""], ["", "x"], ["c", "d=e"]]);
    expect(cookieHeaderPairs("")).toEqual([]);
  });
});
