import { createHmac } from "node:crypto";
import { existsSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { viewerRequestEvent } from "../../src/index.js";
import type { FunctionEvent } from "../../src/runtime/event.js";
import type { RuntimeName } from "../../src/runtime/types.js";

/**
 * The handlers bench/runtime measures: plausible CloudFront functions (bench/handlers/*.js), each with
 * the event it runs on and, for 2.0 code that reads cf.kvs(), the store associated with it.
 */
export interface BenchCase {
  name: string;
  runtime: RuntimeName;
  code: string;
  event: FunctionEvent;
  /** The associated KeyValueStore's entries (cf.kvs()), if any. */
  kvs?: Map<string, string>;
}

/** The .js files sit next to this module in the source tree; from dist/ they are found in the checkout. */
function handlersDirectory(): string {
  const here = dirname(fileURLToPath(import.meta.url));
  return existsSync(join(here, "legacy-rewrite.js")) ? here : join(here, "..", "..", "..", "bench", "handlers");
}

const JWT_SECRET = "edgelite-bench-secret-please-rotate";

/** An HS256 token signed with the handlers' secret, valid for an hour from now. */
function benchToken(): string {
  const part = (value: unknown) => Buffer.from(JSON.stringify(value)).toString("base64url");
  const body = `${part({ alg: "HS256", typ: "JWT" })}.${part({ sub: "user-4711", aud: "www.example.com", roles: ["reader", "editor"], exp: Math.floor(Date.now() / 1000) + 3600 })}`;
  return `${body}.${createHmac("sha256", JWT_SECRET).update(body).digest("base64url")}`;
}

const BROWSER = "Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.0 Mobile/15E148 Safari/604.1";
const GEO_HEADERS = {
  "cloudfront-viewer-country": "DE",
  "cloudfront-viewer-city": "Berlin",
  "cloudfront-viewer-time-zone": "Europe/Berlin",
  "cloudfront-viewer-latitude": "52.52000",
  "cloudfront-viewer-longitude": "13.40500",
  "cloudfront-viewer-address": "198.51.100.10:46532",
  "cloudfront-is-mobile-viewer": "true",
  "cloudfront-is-tablet-viewer": "false",
};

function kvsEntries(): Map<string, string> {
  const entries = new Map<string, string>();
  for (let i = 0; i < 200; i++) entries.set(`rule:/campaign-${i}`, JSON.stringify({ rewrite: `/campaigns/${i}/index.html` }));
  entries.set("rule:/promo", JSON.stringify({ rewrite: "/campaigns/spring/index.html" }));
  entries.set("rule:/old-shop", JSON.stringify({ redirect: "https://shop.example.com/", status: 301 }));
  entries.set("flags", "new-header,fast-checkout,dark-mode");
  return entries;
}

export function benchCases(): BenchCase[] {
  const directory = handlersDirectory();
  const code = (name: string) => readFileSync(join(directory, `${name}.js`), "utf8");
  const token = benchToken();
  const cases: Array<Omit<BenchCase, "code"> & { file?: string }> = [
    {
      name: "legacy-rewrite",
      runtime: "cloudfront-js-1.0",
      event: viewerRequestEvent({
        url: "https://www.example.com/Products/Shoes/?utm_source=mail&lang=de",
        headers: { "user-agent": "Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) Mobile", accept: "text/html" },
        cookies: { session: "abc123" },
      }),
    },
    {
      name: "query-normalize",
      runtime: "cloudfront-js-1.0",
      event: viewerRequestEvent({
        url: "https://www.example.com/search?utm_source=news&utm_medium=email&utm_campaign=Spring&Color=Red&Size=XL&sort=Price-Desc&page=2&fbclid=IwAR3x&tag=New&tag=Sale&q=Running%20Shoes",
        headers: { "user-agent": BROWSER },
      }),
    },
    {
      name: "header-normalize",
      runtime: "cloudfront-js-1.0",
      event: viewerRequestEvent({
        url: "https://www.example.com/api/catalog",
        headers: {
          ...GEO_HEADERS,
          "user-agent": BROWSER,
          accept: "Application/JSON, Text/Plain",
          "accept-encoding": "GZIP, deflate, BR",
          "accept-language": "de-DE,de;q=0.9,en;q=0.8",
          "x-requested-with": "XMLHttpRequest",
          origin: "HTTPS://WWW.EXAMPLE.COM",
          "x-debug": "1",
          pragma: "no-cache",
        },
      }),
    },
    {
      name: "cookie-parse",
      runtime: "cloudfront-js-1.0",
      event: viewerRequestEvent({
        url: "https://www.example.com/account/orders",
        headers: { "user-agent": BROWSER },
        cookies: {
          _ga: "GA1.2.1234567890.1700000000",
          _gid: "GA1.2.987654321.1700000000",
          _fbp: "fb.1.1700000000.123456",
          session: "s%3Aabc123.def456",
          ab: "b",
          cart: "3-items",
          consent: "analytics:no|ads:no",
          prefs: encodeURIComponent("theme=dark; lang=de; currency=EUR; density=compact"),
        },
      }),
    },
    {
      name: "jwt-hs256",
      runtime: "cloudfront-js-2.0",
      event: viewerRequestEvent({ url: "https://www.example.com/members/report.pdf", headers: { authorization: `Bearer ${token}`, "user-agent": BROWSER } }),
    },
    {
      name: "jwt-hs256-v1",
      runtime: "cloudfront-js-1.0",
      event: viewerRequestEvent({ url: "https://www.example.com/members/report.pdf", headers: { authorization: `Bearer ${token}`, "user-agent": BROWSER } }),
    },
    {
      name: "kvs-lookup",
      runtime: "cloudfront-js-2.0",
      kvs: kvsEntries(),
      event: viewerRequestEvent({ url: "https://www.example.com/promo/", headers: { "user-agent": BROWSER } }),
    },
    {
      name: "redirect-map",
      runtime: "cloudfront-js-1.0",
      event: viewerRequestEvent({ url: "https://www.example.com/products/v1/shoes/running?color=red&size=42", headers: { "user-agent": BROWSER } }),
    },
    {
      name: "response-builder",
      runtime: "cloudfront-js-2.0",
      event: viewerRequestEvent({
        url: "https://www.example.com/api/me?fields=geo,device&format=json",
        headers: { ...GEO_HEADERS, "user-agent": BROWSER, "accept-language": "de-DE,de;q=0.9" },
        cookies: { consent: "granted", visits: "41" },
        requestId: "4TyzHTaYWb1GX1qTfsHhEqV6HUDd_BzoBZnwfnvQc_1oF26ClkoUSEQ==",
      }),
    },
  ];
  return cases.map((entry) => ({ ...entry, code: code(entry.name) }));
}
