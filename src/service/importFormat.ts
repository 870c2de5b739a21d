import { KVS_MAX_KEY_BYTES, KVS_MAX_STORE_BYTES, KVS_MAX_VALUE_BYTES } from "../limits.js";
import { getOwn } from "../nullPrototype.js";
import { CloudFrontError } from "./errors.js";

/**
 * CloudFront's import format for key value stores: {"data": [{"key": "…", "value": "…"}, …]} (the
 * "File format for key-value pairs" page). Messages name the source, an entry's number and a line and
 * column, never the file's bytes: an import file may be something its reader should not repeat.
 */

const bytes = (text: string) => Buffer.byteLength(text, "utf8");

/** Checks and reads the import format; used by CreateKeyValueStore and `edgelite kvs import`. */
export function parseImportFile(text: string, source: string): Array<[string, string]> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new CloudFrontError("InvalidArgument", `The import source ${source} is not valid JSON (${describeOffset(text, jsonSyntaxErrorOffset(text))}).`);
  }
  // Members are read as own keys only: a `__proto__` member is a member like any other.
  const member = (object: unknown, name: string) => (typeof object === "object" && object !== null ? getOwn(object as Record<string, unknown>, name) : undefined);
  const data = member(parsed, "data");
  if (!Array.isArray(data)) throw new CloudFrontError("InvalidArgument", `The import source ${source} must be {"data": [{"key": "…", "value": "…"}, …]}.`);
  const entries = new Map<string, string>();
  let size = 0;
  data.forEach((item: unknown, index) => {
    const entry = `Entry ${index + 1} of ${source}`;
    const key = member(item, "key");
    const value = member(item, "value");
    if (typeof key !== "string" || typeof value !== "string") throw new CloudFrontError("InvalidArgument", `${entry} needs a string "key" and "value".`);
    if (key.length === 0 || bytes(key) > KVS_MAX_KEY_BYTES) throw new CloudFrontError("InvalidArgument", `${entry} has a key of ${bytes(key)} bytes; a key must be 1 to ${KVS_MAX_KEY_BYTES} bytes.`);
    if (bytes(value) > KVS_MAX_VALUE_BYTES) throw new CloudFrontError("InvalidArgument", `${entry} has a value of ${bytes(value)} bytes; a value may be at most ${KVS_MAX_VALUE_BYTES} bytes.`);
    const old = entries.get(key);
    if (old !== undefined) size -= bytes(key) + bytes(old);
    entries.set(key, value);
    size += bytes(key) + bytes(value);
  });
  if (size > KVS_MAX_STORE_BYTES) throw new CloudFrontError("EntitySizeLimitExceeded", `The import source ${source} holds ${size} bytes; a store may hold at most ${KVS_MAX_STORE_BYTES} bytes (5 MB).`);
  return [...entries];
}

/** Where JSON text breaks the grammar, as "line 3, column 7"; undefined when it is valid JSON. */
export function describeJsonError(text: string): string | undefined {
  try {
    JSON.parse(text);
    return undefined;
  } catch {
    return describeOffset(text, jsonSyntaxErrorOffset(text));
  }
}

/** "line 3, column 7" for a UTF-16 offset into the text. */
function describeOffset(text: string, offset: number | undefined): string {
  if (offset === undefined) return "the position of the error is unknown";
  const before = text.slice(0, offset);
  const line = before.split("\n").length;
  return `line ${line}, column ${offset - before.lastIndexOf("\n")}`;
}

class SyntaxAt {
  constructor(readonly offset: number) {}
}

const NUMBER = /-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?/y;
const ESCAPE = /\\(?:["\\/bfnrt]|u[0-9a-fA-F]{4})/y;
const LITERALS = ["true", "false", "null"] as const;

/**
 * Where JSON text first breaks the grammar (RFC 8259), or undefined if it does not. JSON.parse's own
 * message quotes the text on some Node versions, so the position is found here instead; this runs only
 * after JSON.parse has refused the text, in linear time and without recursion.
 */
export function jsonSyntaxErrorOffset(text: string): number | undefined {
  const end = text.length;
  const skipSpace = (at: number) => {
    while (at < end && (text[at] === " " || text[at] === "\t" || text[at] === "\n" || text[at] === "\r")) at++;
    return at;
  };
  const expect = (at: number, char: string) => {
    if (text[at] !== char) throw new SyntaxAt(at);
    return at + 1;
  };
  const string = (at: number) => {
    at = expect(at, '"');
    while (at < end) {
      const code = text.charCodeAt(at);
      if (code === 0x22) return at + 1;
      if (code < 0x20) throw new SyntaxAt(at);
      if (code === 0x5c) {
        ESCAPE.lastIndex = at;
        if (!ESCAPE.test(text)) throw new SyntaxAt(at);
        at = ESCAPE.lastIndex;
      } else {
        at++;
      }
    }
    throw new SyntaxAt(end);
  };
  const scalar = (at: number) => {
    if (text[at] === '"') return string(at);
    const literal = LITERALS.find((word) => text.startsWith(word, at));
    if (literal) return at + literal.length;
    NUMBER.lastIndex = at;
    if (NUMBER.test(text)) return NUMBER.lastIndex;
    throw new SyntaxAt(at);
  };
  /** Open containers: "]" for an array, "}" for an object. */
  const open: Array<"]" | "}"> = [];
  try {
    let at = skipSpace(0);
    for (;;) {
      // A value starts at `at`.
      if (text[at] === "[" || text[at] === "{") {
        const closer = text[at] === "[" ? "]" : "}";
        at = skipSpace(at + 1);
        if (text[at] === closer) {
          at++;
        } else {
          open.push(closer);
          if (closer === "}") at = skipSpace(expect(skipSpace(string(at)), ":"));
          at = skipSpace(at);
          continue;
        }
      } else {
        at = scalar(at);
      }
      // After a value: commas and closers until the next value starts, or the text ends.
      for (;;) {
        at = skipSpace(at);
        const closer = open.at(-1);
        if (closer === undefined) return at === end ? undefined : at;
        if (text[at] === closer) {
          open.pop();
          at++;
          continue;
        }
        at = skipSpace(expect(at, ","));
        if (closer === "}") at = skipSpace(expect(skipSpace(string(at)), ":"));
        at = skipSpace(at);
        break;
      }
    }
  } catch (error) {
    if (error instanceof SyntaxAt) return error.offset;
    throw error;
  }
}
