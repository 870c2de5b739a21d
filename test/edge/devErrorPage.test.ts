import { CreateDistributionCommand } from "@aws-sdk/client-cloudfront";
import { createHash } from "node:crypto";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { functionFailed } from "../../src/edge/answers.js";
import { devErrorPages, renderDevErrorPage } from "../../src/edge/devErrorPage.js";
import { viewerRequestEvent } from "../../src/runtime/builders.js";
import { createLiveFunction, http, startTestServer, tempDir, type RawResponse, type TestServer } from "../helpers.js";
import { startDev } from "../process.js";

/**
 * The development error page, over real HTTP: what a failed function shows instead of CloudFront's 503, with
 * the error text, the code and the event chosen by an attacker (the event's headers are the viewer's, the
 * error message is built from them): nothing they hold may become markup.
 */

const HOSTILE = `</pre><script>alert("x")</script><img src=x onerror=alert(1)>'&"`;
const CODE = [
  "function handler(event) {",
  "  // </pre><script>alert('code')</script> \u001b[31m",
  "  var said = event.request.headers['x-say'];",
  "  throw new Error(said ? said.value : 'nothing said');",
  "}",
].join("\n");

/** Tags and attributes in a page: every `<name …>` and every `name=value` inside one. */
function markupOf(html: string): { tags: Set<string>; attributes: Set<string> } {
  const tags = new Set<string>();
  const attributes = new Set<string>();
  for (const tag of html.matchAll(/<\/?([A-Za-z][A-Za-z0-9-]*)([^>]*)>/g)) {
    tags.add(tag[1]!.toLowerCase());
    for (const attribute of tag[2]!.matchAll(/([A-Za-z-]+)\s*=\s*("[^"]*"|'[^']*'|[^\s>]+)/g)) attributes.add(attribute[1]!.toLowerCase());
  }
  return { tags, attributes };
}

/** The page's structure and safety, whatever went into it. */
function expectSafePage(res: RawResponse): void {
  expect(res.status).toBe(503);
  expect(res.headers["x-edgelite-dev-error"]).toBe("1");
  expect(res.headers["content-type"]).toBe("text/html; charset=utf-8");
  expect(res.headers["x-content-type-options"]).toBe("nosniff");
  expect(res.headers["cache-control"]).toBe("no-store");
  const policy = String(res.headers["content-security-policy"]);
  expect(policy).toContain("default-src 'none'");
  const { tags, attributes } = markupOf(res.body);
  expect([...tags].sort()).toEqual(["body", "code", "h1", "h2", "head", "html", "main", "meta", "p", "pre", "style", "title"]);
  expect([...attributes].sort()).toEqual(["charset", "class", "content", "http-equiv", "lang", "name"]);
  expect(res.body).not.toMatch(/<script|<img/i);
  expect(res.body).not.toMatch(/[\u0000-\u0008\u000b\u000c\u000e-\u001f]/);
  // The one style is allowed by its hash: the CSP meta and header name it.
  const style = /<style>([\s\S]*?)<\/style>/.exec(res.body)![1]!;
  const hash = createHash("sha256").update(style).digest("base64");
  expect(policy).toContain(`'sha256-${hash}'`);
  expect(res.body).toContain(`<meta http-equiv="Content-Security-Policy" content="default-src &#39;none&#39;; style-src &#39;sha256-${hash}&#39;`);
}

describe("the development error page over real HTTP", () => {
  let t: TestServer;
  let domain: string;
  const get = (path: string, headers: Record<string, string> = {}) => http(t.url, "GET", path, { headers: { host: domain, ...headers } });

  beforeAll(async () => {
    t = await startTestServer("memory", { functionErrorPage: devErrorPages(() => ({ file: "functions/say.js", code: CODE })) });
    const arn = await createLiveFunction(t.client, "say", CODE);
    const created = await t.client.send(
      new CreateDistributionCommand({
        DistributionConfig: {
          CallerReference: "dev-error-page",
          Comment: "",
          Enabled: true,
          Origins: { Quantity: 1, Items: [{ Id: "o", DomainName: "127.0.0.1", CustomOriginConfig: { HTTPPort: 9, HTTPSPort: 443, OriginProtocolPolicy: "http-only" } }] },
          DefaultCacheBehavior: { TargetOriginId: "o", ViewerProtocolPolicy: "allow-all", FunctionAssociations: { Quantity: 1, Items: [{ FunctionARN: arn, EventType: "viewer-request" }] } },
        },
      }),
    );
    domain = created.Distribution!.DomainName!;
  });
  afterAll(() => t.close());

  it("shows the error, file:line:column, the code frame and the event, every value escaped", async () => {
    const res = await get("/a?b=1", { "x-say": HOSTILE });
    expectSafePage(res);
    expect(res.headers["x-cache"]).toBe("FunctionExecutionError from cloudfront");
    expect(res.headers["x-amz-cf-id"]).toBeDefined();
    const escaped = "&#60;/pre&#62;&#60;script&#62;alert(&#34;x&#34;)&#60;/script&#62;&#60;img src=x onerror=alert(1)&#62;&#39;&#38;&#34;";
    expect(res.body).toContain(`<h1>Error: ${escaped}</h1>`);
    expect(res.body).toContain("<code>functions/say.js:4:9</code>");
    expect(res.body).toContain("&#62; 4 |   throw new Error(said ? said.value : &#39;nothing said&#39;);");
    expect(res.body).toContain("    |         ^");
    // The code's own comment, with its escape character shown as U+FFFD.
    expect(res.body).toContain("  2 |   // &#60;/pre&#62;&#60;script&#62;alert(&#39;code&#39;)&#60;/script&#62; \ufffd[31m");
    // The event, pretty: the hostile header once more, escaped.
    expect(res.body).toContain("&#34;x-say&#34;: {\n");
    expect(res.body).toContain(`&#34;uri&#34;: &#34;/a&#34;`);
    // What CloudFront would have said stays on the page (and TestFunction's wording).
    expect(res.body).toContain("The CloudFront function associated with the CloudFront distribution is invalid or could not run. Error: ");
  });

  it("a renderer that throws leaves CloudFront's own page", () => {
    const failure = { functionArn: "arn:aws:cloudfront::1:function/f", eventType: "viewer-request", event: viewerRequestEvent(), result: undefined };
    const answer = functionFailed(failure, () => {
      throw new Error("renderer bug");
    });
    expect(answer.status).toBe(503);
    expect(answer.replacement).toBeUndefined();
    expect(functionFailed(failure, () => undefined).replacement).toBeUndefined();
    expect(functionFailed(failure, undefined).replacement).toBeUndefined();
  });

  it("says what it can without a location or a LIVE stage", () => {
    const page = renderDevErrorPage({ functionArn: "arn:aws:cloudfront::1:function/gone", eventType: "viewer-request", event: viewerRequestEvent(), result: undefined }, undefined);
    expect(page.status).toBe(503);
    expect(page.body).toContain("<h1>the function gone has no LIVE stage</h1>");
    expect(page.body).not.toContain('class="frame"');
  });

  it("clips an enormous error message", () => {
    const text = `Error: ${"<".repeat(200_000)}`;
    const result = { output: undefined, logs: [], error: { name: "Error", message: text.slice(7), text }, errorMessage: text, computeUtilization: 1, validationErrors: [], originCalls: [] };
    const page = renderDevErrorPage({ functionArn: "arn:aws:cloudfront::1:function/big", eventType: "viewer-request", event: viewerRequestEvent(), result }, undefined);
    expect(page.body.length).toBeLessThan(200_000);
    expect(page.body).toContain("more characters)");
    expect(page.body).not.toContain("<<");
  });
});

describe("edgelite dev: the development error page, or CloudFront's with --cloudfront-errors", () => {
  const dir = tempDir();
  afterAll(() => dir.remove());

  async function pageFrom(args: string[], code: string): Promise<RawResponse> {
    const file = join(dir.path, `fn${args.length}.js`);
    writeFileSync(file, code);
    const { child, url } = await startDev([file, "--origin", "http://127.0.0.1:9", ...args]);
    try {
      return await http(url, "GET", "/x", { headers: { "x-say": HOSTILE } });
    } finally {
      child.kill("SIGTERM");
    }
  }

  it("shows a runtime error's page with the file's path and line", async () => {
    const res = await pageFrom([], CODE);
    expectSafePage(res);
    expect(res.body).toMatch(/<code>[^<]*fn0\.js:4:9<\/code>/);
  });

  it("shows a syntax error's page with CloudFront's message and the parser's position", async () => {
    const res = await pageFrom([], "function handler(event) {\n  if (event.x {\n  }\n}");
    expectSafePage(res);
    expect(res.body).toContain('<h1>SyntaxError: Unexpected token &#34;{&#34; in 2</h1>');
    expect(res.body).toMatch(/<code>[^<]*fn0\.js:2:15<\/code>/);
  });

  it("--cloudfront-errors answers with CloudFront's 503 page", async () => {
    const res = await pageFrom(["--cloudfront-errors"], CODE);
    expect(res.status).toBe(503);
    expect(res.headers["x-edgelite-dev-error"]).toBeUndefined();
    expect(res.body).toContain("<H1>503 ERROR</H1>");
    expect(res.body).not.toContain("x-say");
  });
});

describe("the request log says where a function failed", () => {
  it("appends the line and column to the execution error's detail", () => {
    const text = 'TypeError: cannot get property "value" of undefined';
    const result = { output: undefined, logs: [], error: { name: "TypeError", message: text.slice(11), text }, errorMessage: `x ${text}`, errorLocation: { line: 3, column: 40 }, computeUtilization: 1, validationErrors: [], originCalls: [] };
    const answer = functionFailed({ functionArn: "arn:aws:cloudfront::1:function/f", eventType: "viewer-request", event: viewerRequestEvent(), result }, undefined);
    expect(answer.detail).toBe(`x ${text} (line 3, column 40)`);
  });
});
