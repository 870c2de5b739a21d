import { describe, expect, it } from "vitest";
import { isRemovableHeader, MANAGED_RESPONSE_HEADERS_POLICIES, managedResponseHeadersPolicy } from "../../src/service/responseHeadersPolicy.js";

describe("managed response headers policies (service data)", () => {
  it("are AWS's five, by the ids and names the Developer Guide publishes", () => {
    expect(MANAGED_RESPONSE_HEADERS_POLICIES.map((policy) => [policy.id, policy.name])).toEqual([
      ["e61eb60c-9c35-4d20-a928-2b84e02af89c", "Managed-CORS-and-SecurityHeadersPolicy"],
      ["5cc3b908-e619-4b99-88e5-2cf7f45965bd", "Managed-CORS-With-Preflight"],
      ["eaab4381-ed33-4a86-88ca-d9558dc6cd63", "Managed-CORS-with-preflight-and-SecurityHeadersPolicy"],
      ["67f7725c-6f97-4210-82d7-5512b31e9d03", "Managed-SecurityHeadersPolicy"],
      ["60669652-455b-4ae9-85a4-c4c02393f86c", "Managed-SimpleCORS"],
    ]);
    expect(managedResponseHeadersPolicy("67f7725c-6f97-4210-82d7-5512b31e9d03")?.securityHeaders?.contentTypeOptions).toEqual({ override: true });
    expect(managedResponseHeadersPolicy("e5a6c8fd-0000-0000-0000-000000000000")).toBeUndefined();
  });

  it("cannot be changed by a consumer (shared by every distribution)", () => {
    const policy = managedResponseHeadersPolicy("60669652-455b-4ae9-85a4-c4c02393f86c")!;
    expect(() => policy.cors!.accessControlAllowOrigins.push("https://evil.example")).toThrow(TypeError);
    expect(() => {
      policy.customHeaders.push({ header: "x", value: "y", override: true });
    }).toThrow(TypeError);
    expect(policy.cors!.accessControlAllowOrigins).toEqual(["*"]);
  });

  it("knows the headers a policy may not remove", () => {
    expect(isRemovableHeader("X-Powered-By")).toBe(true);
    expect(isRemovableHeader("Server")).toBe(true);
    for (const header of ["Content-Length", "Via", "X-Cache", "X-Amz-Cf-Id", "X-Amz-Cf-Pop", "x-edge-location", "Transfer-Encoding"]) {
      expect(isRemovableHeader(header)).toBe(false);
    }
  });
});
