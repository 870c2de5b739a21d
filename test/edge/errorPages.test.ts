import { describe, expect, it } from "vitest";
import { customErrorFor, customErrorPage } from "../../src/edge/errorPages.js";
import type { FetchOne } from "../../src/edge/failover.js";
import type { OriginRequest } from "../../src/edge/originReply.js";
import { behaviour, config, errorResponse, origin, reply, resolved } from "./fixtures.js";

const site = config({
  origins: [origin("o"), origin("pages")],
  behaviours: [behaviour("/errors/*", "pages"), behaviour("*", "o")],
  customErrorResponses: [
    errorResponse({ errorCode: 404 }),
    errorResponse({ errorCode: 404, responsePagePath: "/errors/404.html", responseCode: 200 }),
    errorResponse({ errorCode: 503, responsePagePath: "/errors/busy.html" }),
    errorResponse({ errorCode: 502, responsePagePath: "/errors/down.html", responseCode: 503 }),
  ],
});

describe("customErrorFor: which CustomErrorResponse replaces a status", () => {
  it("is the first for the code that names a page", () => {
    expect(customErrorFor(site, 404)).toEqual(errorResponse({ errorCode: 404, responsePagePath: "/errors/404.html", responseCode: 200 }));
    expect(customErrorFor(site, 503)).toEqual(errorResponse({ errorCode: 503, responsePagePath: "/errors/busy.html" }));
  });

  it("is none for a status without one, for one without a page, and below 400", () => {
    expect(customErrorFor(site, 500)).toBeUndefined();
    expect(customErrorFor(config({ customErrorResponses: [errorResponse({ errorCode: 404 })] }), 404)).toBeUndefined();
    expect(customErrorFor(config({ customErrorResponses: [errorResponse({ errorCode: 304, responsePagePath: "/x" })] }), 304)).toBeUndefined();
  });
});

describe("customErrorPage", () => {
  function pages(status: number) {
    const asked: Array<{ id: string; request: OriginRequest }> = [];
    const fetchOne: FetchOne = async (o, request) => {
      asked.push({ id: o.id, request });
      return reply(status, ["Content-Type", "text/html"], "<p>page</p>");
    };
    return { asked, fetchOne };
  }

  it("fetches the page with GET through its path's behaviour, drains the error's body, and answers with the configured code", async () => {
    const x = resolved({ config: site, method: "POST", url: "/missing?x=1" });
    const error = reply(404);
    const { asked, fetchOne } = pages(200);
    const answer = await customErrorPage(x, 404, error, fetchOne);
    expect(answer).toMatchObject({ kind: "page", status: 200, detail: "custom error response for 404: /errors/404.html" });
    expect(answer?.page.statusCode).toBe(200);
    expect(error.drained()).toBe(true);
    expect(asked.map(({ id, request }) => [id, request.method, request.path])).toEqual([["pages", "GET", "/errors/404.html"]]);
  });

  it("keeps the original status when no ResponseCode is configured, and covers CloudFront's own 502", async () => {
    const x = resolved({ config: site });
    expect((await customErrorPage(x, 503, reply(503), pages(200).fetchOne))?.status).toBe(503);
    expect((await customErrorPage(x, 502, undefined, pages(200).fetchOne))?.status).toBe(503);
  });

  it("is undefined, the original error standing, when the page itself is an error", async () => {
    const x = resolved({ config: site });
    expect(await customErrorPage(x, 404, reply(404), pages(404).fetchOne)).toBeUndefined();
  });

  it("fetches nothing for a status no page is configured for", async () => {
    const x = resolved({ config: site });
    const { asked, fetchOne } = pages(200);
    expect(await customErrorPage(x, 500, reply(500), fetchOne)).toBeUndefined();
    expect(asked).toEqual([]);
  });
});
