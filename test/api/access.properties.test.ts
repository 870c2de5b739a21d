import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { HostAllowList } from "../../src/api/access/hosts.js";
import { OriginPolicy } from "../../src/api/access/origins.js";
import { verifyRequest } from "../../src/api/access/signature.js";
import { http, startTestServer, type TestServer } from "../helpers.js";

const AUTH_CODES = ["MissingAuthenticationToken", "InvalidClientTokenId", "SignatureDoesNotMatch", "IncompleteSignature", "RequestExpired"];
const credentials = new Map([["AKIDPROPERTY", "secret"]]);
const label = fc.stringMatching(/^[a-z][a-z0-9-]{0,20}$/);

describe("access rules hold for any input (fast-check)", () => {
  it("a Host is allowed only when loopback or listed; nothing throws", () => {
    const hosts = new HostAllowList(["devbox.lan", ".corp.example"]);
    fc.assert(
      fc.property(fc.string({ maxLength: 300 }), (host) => {
        hosts.allows(host);
      }),
      { numRuns: 2000 },
    );
    fc.assert(
      fc.property(label, label, fc.option(fc.integer({ min: 1, max: 65535 })), (a, b, port) => {
        const suffix = port === null ? "" : `:${port}`;
        expect(hosts.allows(`${a}.${b}.example${suffix}`)).toBe(false);
        expect(hosts.allows(`${a}.localhost${suffix}`)).toBe(true);
        expect(hosts.allows(`${a}.corp.example${suffix}`)).toBe(true);
        expect(hosts.allows(`localhost.${a}.example${suffix}`)).toBe(false);
      }),
      { numRuns: 500 },
    );
  });

  it("a browser Origin is admitted only when given with --cors, and preflight answers carry only header-name lists", () => {
    const policy = new OriginPolicy(["http://localhost:3000"]);
    fc.assert(
      fc.property(fc.string({ maxLength: 200 }), fc.string({ maxLength: 200 }), (origin, requested) => {
        const verdict = policy.judge({ origin });
        expect(verdict.allowed).toBe(origin === "http://localhost:3000");
        const echoed = policy.preflightHeaders("http://localhost:3000", { "access-control-request-headers": requested })["Access-Control-Allow-Headers"];
        if (echoed !== undefined) expect(echoed).toMatch(/^[!#$%&'*+\-.^_`|~0-9A-Za-z]+(?:\s*,\s*[!#$%&'*+\-.^_`|~0-9A-Za-z]+)*$/);
      }),
      { numRuns: 2000 },
    );
  });

  it("any Authorization header or presigned query gets one of AWS's five answers, never an exception", async () => {
    const authorization = fc.oneof(
      fc.string({ maxLength: 300 }),
      fc
        .tuple(fc.constantFrom("AWS4-HMAC-SHA256", "AWS4-ECDSA-P256-SHA256"), fc.constantFrom("AKIDPROPERTY", "AKIDOTHER", ""), fc.string({ maxLength: 60 }), fc.string({ maxLength: 60 }), fc.stringMatching(/^[0-9a-f]{0,140}$/))
        .map(([algorithm, key, scope, signed, signature]) => `${algorithm} Credential=${key}/${scope}, SignedHeaders=${signed}, Signature=${signature}`),
    );
    const amzDate = fc.oneof(fc.string({ maxLength: 20 }), fc.date({ min: new Date("2000-01-01"), max: new Date("2100-01-01"), noInvalidDate: true }).map((d) => d.toISOString().replace(/\.\d{3}/, "").replace(/[-:]/g, "")));
    await fc.assert(
      fc.asyncProperty(authorization, amzDate, fc.string({ maxLength: 200 }), async (header, date, query) => {
        const failure = await verifyRequest(
          { method: "GET", rawUrl: `/2020-05-31/function?${query}`, rawHeaders: ["Host", "localhost:4599", "Authorization", header, "X-Amz-Date", date], body: Buffer.alloc(0) },
          { credentials, service: "cloudfront", now: new Date() },
        );
        expect(failure).toBeDefined();
        expect(AUTH_CODES).toContain(failure!.code);
        expect(failure!.message).not.toMatch(/[\u0000-\u001f]/);
      }),
      { numRuns: 1500 },
    );
  });

  describe("against a running server with --auth", () => {
    let t: TestServer;
    beforeAll(async () => {
      t = await startTestServer("memory", { access: { credentials } });
    });
    afterAll(async () => t.close());

    it("answers hostile Authorization headers with a well-formed 403, and stays up", async () => {
      const header = fc.stringMatching(/^[\x20-\x7e]{0,200}$/).map((text) => `AWS4-HMAC-SHA256 ${text}`);
      await fc.assert(
        fc.asyncProperty(header, fc.constantFrom("/2020-05-31/function", "/key-value-stores/arn%3Aaws%3Acloudfront%3A%3A123456789012%3Akey-value-store%2Fx"), async (authorization, path) => {
          const reply = await http(t.url, "GET", path, { headers: { authorization, "x-amz-date": "20260101T000000Z" } });
          expect(reply.status).toBe(403);
          if (path.startsWith("/key-value-stores/")) expect(AUTH_CODES).toContain(JSON.parse(reply.body).__type);
          else expect(reply.body).toMatch(/^<\?xml[^]*<Code>(MissingAuthenticationToken|InvalidClientTokenId|SignatureDoesNotMatch|IncompleteSignature|RequestExpired)<\/Code>/);
        }),
        { numRuns: 200 },
      );
      expect((await http(t.url, "GET", "/_edgelite/health")).status).toBe(200);
    });
  });
});
