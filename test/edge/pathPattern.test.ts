import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { matchesPathPattern, matchPathPatternCounted, pickBehaviour } from "../../src/edge/pathPattern.js";

/** The oracle: the obvious regex, fine on short inputs (it backtracks exponentially on long hostile ones). */
function regexOracle(pattern: string, path: string): boolean {
  const body = pattern.replace(/^\//, "").replace(/[.+^${}()|[\]\\]/g, "\\$&").replace(/\*/g, ".*").replace(/\?/g, ".");
  return new RegExp(`^${body}$`, "s").test(path.replace(/^\//, ""));
}

describe("path patterns", () => {
  it.each([
    ["images/*.jpg", "/images/a/b.jpg", true],
    ["/images/*.jpg", "/images/a.jpg", true],
    ["images/*.jpg", "images/a.jpg", true],
    ["*.jpg", "/LOGO.JPG", false],
    ["*.jpg", "/logo.jpg", true],
    ["a?c", "/abc", true],
    ["a?c", "/ac", false],
    ["a?c", "/abbc", false],
    ["*", "/", true],
    ["*", "/anything/at/all", true],
    ["/static/*", "/static/", true],
    ["/static/*", "/static", false],
    ["/static/*", "/other/static/x", false],
    ["a*b*c", "/axxbyyc", true],
    ["a*b*c", "/axxbyy", false],
    ["a.b", "/aXb", false],
    ["**", "/", true],
    ["", "/", true],
    ["", "/a", false],
  ])("%s against %s is %s", (pattern, path, expected) => {
    expect(matchesPathPattern(pattern, path)).toBe(expected);
  });

  it("agrees with a regex oracle on short inputs", () => {
    const alphabet = fc.constantFrom("a", "b", "/", ".", "*", "?");
    const pathAlphabet = fc.constantFrom("a", "b", "/", ".", "*", "?", "A");
    fc.assert(
      fc.property(fc.string({ unit: alphabet, maxLength: 10 }), fc.string({ unit: pathAlphabet, maxLength: 14 }), (pattern, path) => {
        expect(matchesPathPattern(pattern, path)).toBe(regexOracle(pattern, path));
      }),
      { numRuns: 3000 },
    );
  });

  it("finishes a hostile pattern in at most (pattern+1)×(path+1) steps", () => {
    const pattern = `${"*a".repeat(100)}!`;
    for (const length of [35, 200, 8192]) {
      const path = `/${"a".repeat(length)}`;
      const { matched, steps } = matchPathPatternCounted(pattern, path);
      expect(matched).toBe(false);
      expect(steps).toBeLessThanOrEqual((pattern.length + 1) * (path.length + 1));
    }
  });

  it("picks the first matching behaviour, the default last", () => {
    const behaviours = [{ pathPattern: "/api/*", id: 1 }, { pathPattern: "*.jpg", id: 2 }, { pathPattern: "/api/x.jpg", id: 3 }, { pathPattern: "*", id: 4 }];
    expect(pickBehaviour(behaviours, "/api/x.jpg").id).toBe(1);
    expect(pickBehaviour(behaviours, "/img/x.jpg").id).toBe(2);
    expect(pickBehaviour(behaviours, "/index.html").id).toBe(4);
  });
});
