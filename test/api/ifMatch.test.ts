import { describe, expect, it } from "vitest";
import { ifMatchHeader } from "../../src/api/ifMatch.js";

describe("ifMatchHeader", () => {
  it("reads the ETag a conditional write names", () => {
    expect(ifMatchHeader({ "if-match": "ETVPDKIKX0DER" })).toBe("ETVPDKIKX0DER");
  });
  it("is undefined when the header is absent (the service decides whether it is required)", () => {
    expect(ifMatchHeader({})).toBeUndefined();
    expect(ifMatchHeader({ "if-match": undefined })).toBeUndefined();
  });
  it("takes the first value of a repeated header", () => {
    expect(ifMatchHeader({ "if-match": ["E1", "E2"] })).toBe("E1");
  });
});
