import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { checkedHead, contentLengthOf, sendFallback, sendResponse, UnwritableResponseError, type ResponseHead } from "../../src/edge/writer.js";
import { http } from "../helpers.js";

/**
 * The response writer on a real socket: a head that cannot be written is refused before anything is
 * sent, and the fallback takes nothing from it (Node keeps a failed writeHead's reason phrase, which a
 * plain writeHead(500) used to reuse and throw again on, ending the process).
 */

const HOSTILE: Record<string, ResponseHead> = {
  "reason with CRLF": { status: 200, reason: "OK\r\nX-Injected: yes", headers: [] },
  "reason above U+00FF": { status: 200, reason: "\u0100", headers: [] },
  "status 100": { status: 100, headers: [] },
  "status 99": { status: 99, headers: [] },
  "status 600": { status: 600, headers: [] },
  "status 1e9": { status: 1e9, headers: [] },
  "status NaN": { status: Number.NaN, headers: [] },
  "status as a string": { status: "200" as unknown as number, headers: [] },
  "header name with a space": { status: 200, headers: [["bad name", "x"]] },
  "header name with a colon": { status: 200, headers: [["bad:name", "x"]] },
  "empty header name": { status: 200, headers: [["", "x"]] },
  "header value with CRLF": { status: 200, headers: [["X-A", "a\r\nX-Injected: yes"]] },
  "header value with NUL": { status: 200, headers: [["X-A", "a\u0000b"]] },
  "header value above U+00FF": { status: 200, headers: [["X-A", "\u20ac"]] },
};

describe("the response writer", () => {
  let server: Server;
  let url: string;
  const seen: Array<{ name: string; refused: string[] }> = [];

  beforeAll(async () => {
    server = createServer((req, res) => {
      const name = decodeURIComponent((req.url ?? "/").slice(1));
      const head = HOSTILE[name] ?? { status: 200, headers: [["Transfer-Encoding", "chunked"], ["Content-Length", "999"], ["Connection", "keep-alive"], ["X-Kept", "yes"]] };
      try {
        sendResponse(res, head, "body");
      } catch (error) {
        if (!(error instanceof UnwritableResponseError)) throw error;
        seen.push({ name, refused: error.problems });
        sendFallback(res, { status: 502, headers: [["Content-Type", "text/plain"]], body: "fallback" });
      }
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it.each(Object.keys(HOSTILE))("refuses a head with a %s, and the fallback reuses nothing of it", async (name) => {
    const res = await http(url, "GET", `/${encodeURIComponent(name)}`);
    expect(res.status).toBe(502);
    expect(res.statusMessage).toBe("Bad Gateway");
    expect(res.body).toBe("fallback");
    expect(res.headers["x-injected"]).toBeUndefined();
    expect(res.headers["x-a"]).toBeUndefined();
    expect(res.headers.connection).toBe("close");
    expect(seen.find((entry) => entry.name === name)?.refused.length).toBeGreaterThan(0);
  });

  it("owns the framing: Content-Length from the body; a given Transfer-Encoding, Content-Length or Connection is never written", async () => {
    const res = await http(url, "GET", "/ordinary");
    expect(res.status).toBe(200);
    expect(res.body).toBe("body");
    expect(res.headers["content-length"]).toBe("4");
    expect(res.headers["transfer-encoding"]).toBeUndefined();
    expect(res.headers.connection).toBe("keep-alive");
    expect(res.headers["x-kept"]).toBe("yes");
    expect(res.rawHeaders.filter((name) => name.toLowerCase() === "content-length")).toHaveLength(1);
  });

  it("puts Content-Length where asked (CloudFront writes it right after Server)", () => {
    const head = checkedHead({ status: 302, headers: [["Server", "CloudFront"], ["Location", "/x"], ["X-Amz-Cf-Id", "id"]] }, { length: 0, lengthAt: 1 });
    expect(head.lines).toEqual(["Server", "CloudFront", "Content-Length", "0", "Location", "/x", "X-Amz-Cf-Id", "id"]);
    expect(checkedHead({ status: 200, headers: [["A", "1"]] }, { length: 5 }).lines).toEqual(["A", "1", "Content-Length", "5"]);
  });

  it("drops what it cannot write when asked to (an origin's lines), and uses the standard reason", () => {
    const head = checkedHead({ status: 200, reason: "O\u0001K", headers: [["X-Good", "1"], ["X Bad", "2"], ["X-Bad", "\u0100"]] }, { unsafe: "drop" });
    expect(head.reason).toBe("OK");
    expect(head.lines).toEqual(["X-Good", "1"]);
    expect(() => checkedHead({ status: 1000, headers: [] }, { unsafe: "drop" })).toThrow(UnwritableResponseError);
  });

  it("takes an origin's length only when it is one plain number and the body is not chunked", () => {
    expect(contentLengthOf(["Content-Length", "12"])).toBe(12);
    expect(contentLengthOf(["content-length", "12", "Content-Length", "12"])).toBeUndefined();
    expect(contentLengthOf(["Content-Length", "-1"])).toBeUndefined();
    expect(contentLengthOf(["Content-Length", "1e3"])).toBeUndefined();
    expect(contentLengthOf(["Transfer-Encoding", "chunked", "Content-Length", "3"])).toBeUndefined();
    expect(contentLengthOf([])).toBeUndefined();
  });
});
