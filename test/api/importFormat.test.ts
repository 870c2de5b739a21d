import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { jsonSyntaxErrorOffset, parseImportFile } from "../../src/service/importFormat.js";

const parses = (text: string) => {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
};

describe("the import format's error positions", () => {
  it("agrees with JSON.parse on what is JSON, for JSON-like text", () => {
    const token = fc.constantFrom("{", "}", "[", "]", ",", ":", '"', "\\", "a", "1", "-", ".", "e", "+", "0", " ", "\n", "true", "null", "fals", '"k"', "\\u00", "\u0001", "é");
    const jsonish = fc.oneof(
      fc.array(token, { maxLength: 30 }).map((parts) => parts.join("")),
      fc.jsonValue().map((value) => JSON.stringify(value, null, 1)),
      fc.tuple(fc.jsonValue(), fc.nat(), token).map(([value, at, insert]) => {
        const text = JSON.stringify(value);
        const cut = at % (text.length + 1);
        return text.slice(0, cut) + insert + text.slice(cut);
      }),
    );
    fc.assert(
      fc.property(jsonish, (text) => {
        const offset = jsonSyntaxErrorOffset(text);
        expect(offset === undefined).toBe(parses(text));
        if (offset !== undefined) expect(offset).toBeLessThanOrEqual(text.length);
      }),
      { numRuns: 3000 },
    );
  });

  it("finds the first bad character, also in deeply nested text", () => {
    expect(jsonSyntaxErrorOffset('{"data": [1, 2,]}')).toBe(15);
    expect(jsonSyntaxErrorOffset("root:x:0:0")).toBe(0);
    expect(jsonSyntaxErrorOffset('{"a":"\u0001"}')).toBe(6);
    expect(jsonSyntaxErrorOffset("[1] x")).toBe(4);
    expect(jsonSyntaxErrorOffset("")).toBe(0);
    expect(jsonSyntaxErrorOffset(`${"[".repeat(200_000)}x`)).toBe(200_000);
  });

  it("tells line and column, never the text", () => {
    expect(() => parseImportFile("{\n  secret-words", "f.json")).toThrow(/^The import source f\.json is not valid JSON \(line 2, column 3\)\.$/);
    expect(() => parseImportFile('{"data": [{"key": "", "value": "secret-words"}]}', "f.json")).toThrow(/^Entry 1 of f\.json has a key of 0 bytes/);
  });
});
