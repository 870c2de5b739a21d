import { describe, expect, it } from "vitest";
import { isRuntimeName, parseRuntimeName, RUNTIME_NAMES } from "../../src/runtime/types.js";

describe("runtime names", () => {
  it("are the model's FunctionRuntime values", () => {
    expect(RUNTIME_NAMES).toEqual(["cloudfront-js-1.0", "cloudfront-js-2.0"]);
    expect(isRuntimeName("cloudfront-js-2.0")).toBe(true);
    expect(isRuntimeName("cloudfront-js-3.0")).toBe(false);
    expect(isRuntimeName(undefined)).toBe(false);
  });

  it("parse from a full name or a version, as the CLI takes them", () => {
    expect(parseRuntimeName("1.0")).toBe("cloudfront-js-1.0");
    expect(parseRuntimeName("2.0")).toBe("cloudfront-js-2.0");
    expect(parseRuntimeName("cloudfront-js-1.0")).toBe("cloudfront-js-1.0");
  });

  it("refuse anything else, quoting what was given", () => {
    expect(() => parseRuntimeName("3.0")).toThrow('--runtime must be 1.0 or 2.0 (got "3.0")');
    expect(() => parseRuntimeName("cloudfront-js-")).toThrow('--runtime must be 1.0 or 2.0 (got "cloudfront-js-")');
    expect(() => parseRuntimeName("")).toThrow('--runtime must be 1.0 or 2.0 (got "")');
  });
});
