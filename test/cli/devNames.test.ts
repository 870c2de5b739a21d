import { describe, expect, it } from "vitest";
import { distinctNames, nameForFile } from "../../src/cli/dev/names.js";

describe("names edgelite dev gives its functions and store", () => {
  it("is the base name without extension, characters outside [a-zA-Z0-9-_] replaced by -, at most 64", () => {
    expect(nameForFile("src/viewer-request.js")).toBe("viewer-request");
    expect(nameForFile("/tmp/my rewrite.v2.js")).toBe("my-rewrite-v2");
    expect(nameForFile("données_été.json")).toBe("donn-es_-t-");
    expect(nameForFile(`${"a".repeat(80)}.js`)).toBe("a".repeat(64));
    expect(nameForFile(".js")).toBe("-js");
  });

  it("disambiguates two files with the same name, within 64 characters", () => {
    expect(distinctNames(["a/fn.js", "b/fn.js"])).toEqual([
      { name: "fn", wanted: "fn" },
      { name: "fn-2", wanted: "fn" },
    ]);
    const long = `${"x".repeat(70)}.js`;
    const [, second] = distinctNames([`a/${long}`, `b/${long}`]);
    expect(second!.name).toBe(`${"x".repeat(62)}-2`);
  });
});
