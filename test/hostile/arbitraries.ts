import fc from "fast-check";
import { percentEncode } from "./rawHttp.js";

/** Names that reach a prototype or shadow a built-in when used as a plain object's key. */
export const PROTOTYPE_NAMES = ["__proto__", "constructor", "prototype", "hasOwnProperty", "toString", "valueOf", "__defineGetter__", "isPrototypeOf"];

const TOKEN_CHARS = "!#$%&'*+-.^_`|~0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ".split("");
const HOSTILE_CHARS = ["\r", "\n", "\r\n", "\0", "\t", " ", ":", ";", "=", "&", "%", "%00", "%zz", "%E0%A4", "\u0085", "\u2028", "\u00ff", "\u0100", "\ud800", "\uffff", "😀", "<", ">", "\"", "'", "\\", "/", "..", "?", "#"];

const fromChars = (chars: string[], max: number) => fc.array(fc.constantFrom(...chars), { minLength: 1, maxLength: max }).map((parts) => parts.join(""));

/** A header or cookie name: a valid token most of the time, a prototype name often, something broken sometimes. */
export const name = fc.oneof(
  { weight: 4, arbitrary: fromChars(TOKEN_CHARS, 20) },
  { weight: 3, arbitrary: fc.constantFrom(...PROTOTYPE_NAMES) },
  { weight: 1, arbitrary: fc.string({ unit: "binary", maxLength: 12 }) },
  { weight: 1, arbitrary: fc.tuple(fromChars(TOKEN_CHARS, 6), fc.constantFrom(...HOSTILE_CHARS)).map(([a, b]) => a + b) },
);

/** Any string, with hostile characters mixed in. */
export const text = fc.oneof(
  { weight: 3, arbitrary: fc.string({ maxLength: 40 }) },
  { weight: 2, arbitrary: fc.string({ unit: "binary", maxLength: 40 }) },
  { weight: 2, arbitrary: fc.array(fc.oneof(fc.constantFrom(...HOSTILE_CHARS), fc.string({ maxLength: 4 })), { maxLength: 8 }).map((parts) => parts.join("")) },
  { weight: 1, arbitrary: fc.constantFrom(...PROTOTYPE_NAMES) },
);

/** A header value a raw HTTP request can carry: latin-1 without CR/LF (the parser refuses the rest, which is its own case). */
export const headerValue = fc.oneof(fc.string({ unit: fc.integer({ min: 0x20, max: 0xff }).map((c) => String.fromCharCode(c)), maxLength: 60 }), fc.constantFrom(...PROTOTYPE_NAMES));

/** A request target: path segments with encodings, dot segments and prototype names; a query of hostile keys. */
export const requestTarget = fc.oneof(
  { weight: 30, arbitrary: fc
  .record({
    segments: fc.array(fc.oneof(fromChars([..."abcXYZ09-_.~", "%2e", "%2F", "%00", "%zz", "%E0%A4", "..", "__proto__", "*", "?"], 8), fc.constantFrom(...PROTOTYPE_NAMES)), { maxLength: 6 }),
    query: fc.option(fc.array(fc.tuple(fc.oneof(name, fc.constantFrom(...PROTOTYPE_NAMES)), fc.option(fromChars([..."abc123=%&+", "%00", "%zz", "__proto__"], 10))), { maxLength: 6 })),
  })
  .map(({ segments, query }) => {
    const path = `/${segments.join("/")}`;
    if (query === null) return path;
    return `${path}?${query.map(([key, value]) => (value === null ? enc(key) : `${enc(key)}=${value}`)).join("&")}`;
  }) },
  // Against a pattern of many wildcards, a path that a backtracking matcher would take seconds to refuse.
  { weight: 1, arbitrary: fc.integer({ min: 3, max: 8 }).map((n) => `/x${"yzqwert".repeat(n)}`) },
);

/** Percent-encodes what cannot stand raw in a query, leaving `%` raw so that bad escapes arrive as they are. */
const enc = (value: string) => percentEncode(value, true);

/** Values a function might put where a string belongs. */
export const oddValue: fc.Arbitrary<unknown> = fc.oneof(
  text,
  fc.integer(),
  fc.double(),
  fc.boolean(),
  fc.constant(null),
  fc.constant([]),
  fc.dictionary(name, fc.string({ maxLength: 5 }), { maxKeys: 3 }),
);

const entry = fc.oneof(
  { weight: 5, arbitrary: fc.record({ value: text }) },
  { weight: 1, arbitrary: fc.record({ value: oddValue }) },
  { weight: 1, arbitrary: fc.record({ value: text, multiValue: fc.array(fc.record({ value: oddValue }), { maxLength: 3 }) }) },
  { weight: 1, arbitrary: oddValue },
);
const entries = fc.dictionary(name, entry, { maxKeys: 5 });
const cookieEntries = fc.dictionary(name, fc.oneof(fc.record({ value: text, attributes: fc.option(text, { nil: undefined }) }), oddValue), { maxKeys: 4 });

export const statusCode = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom(200, 204, 301, 302, 304, 400, 403, 404, 418, 500, 503) },
  { weight: 3, arbitrary: fc.integer({ min: -5, max: 1200 }) },
  { weight: 1, arbitrary: fc.constantFrom(0, 1, 99, 100, 101, 199, 599, 600, 999, 1e9, 200.5, Number.NaN, "200", null) },
);

/** What a viewer-request function may return: a response, a request, or something that is neither. */
export const functionResult: fc.Arbitrary<unknown> = fc.oneof(
  {
    weight: 4,
    arbitrary: fc.record(
      { statusCode, statusDescription: text, headers: entries, cookies: cookieEntries, body: fc.oneof(text, fc.record({ encoding: fc.constantFrom("text", "base64", "hex", "__proto__"), data: text }), oddValue) },
      { requiredKeys: ["statusCode"] },
    ),
  },
  {
    weight: 3,
    arbitrary: fc.record(
      { uri: fc.oneof(fc.constant("/"), fc.constant("/ok"), text), method: fc.constantFrom("GET", "POST", "BOGUS", ""), querystring: fc.oneof(entries, text), headers: entries, cookies: entries },
      { requiredKeys: [] },
    ),
  },
  { weight: 1, arbitrary: oddValue },
);

/** Special results the JSON channel cannot carry: the function builds them itself. */
export const FUNCTION_MODES = ["cycle", "throwing-getter", "toJSON-loop", "toJSON-throws", "undefined", "empty", "deep"] as const;

/** The raw bytes of an origin's reply: a status line, headers and a body, mostly valid, each part sometimes broken. */
export const originReply = fc
  .record({
    version: fc.oneof({ weight: 8, arbitrary: fc.constant("HTTP/1.1") }, { weight: 1, arbitrary: fc.constantFrom("HTTP/1.0", "HTTP/2", "HTTP/1.1 ", "ICY") }),
    status: fc.oneof(
      { weight: 8, arbitrary: fc.integer({ min: 100, max: 599 }) },
      { weight: 1, arbitrary: fc.oneof(fc.integer({ min: 0, max: 99999 }), fc.constantFrom("abc", "", "2000", "-1")) },
    ),
    reason: fc.oneof(
      { weight: 4, arbitrary: fc.constantFrom("OK", "", "Not Found", "Moved") },
      { weight: 1, arbitrary: fc.string({ unit: "binary", maxLength: 20 }).map((s) => s.replace(/[\r\n]/g, "")) },
    ),
    headers: fc.array(
      fc.tuple(
        fc.oneof(
          { weight: 6, arbitrary: fc.oneof(fromChars(TOKEN_CHARS, 20), fc.constantFrom(...PROTOTYPE_NAMES), fc.constantFrom("Set-Cookie", "Content-Length", "Transfer-Encoding", "Connection", "Content-Type", "Location", "X-Cache", "Via")) },
          { weight: 1, arbitrary: name },
        ),
        fc.oneof(headerValue, fc.constantFrom("__proto__=x", "__proto__=x; Path=/", "constructor=1", "toString=2; HttpOnly", "chunked", "-1", "99999999999", "0", "2", "gzip, chunked")),
      ),
      { maxLength: 8 },
    ),
    body: fc.oneof(fc.constant(""), fc.string({ maxLength: 60 }), fc.constant("5\r\nhello\r\n0\r\n\r\n"), fc.constant("zz\r\nbroken")),
  })
  .map(({ version, status, reason, headers, body }) => {
    const lines = [`${version} ${status} ${reason}`, ...headers.map(([n, v]) => `${n}: ${v}`)];
    return Buffer.from(`${lines.join("\r\n")}\r\n\r\n${body}`, "latin1");
  });
