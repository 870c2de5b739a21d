import { CreateFunctionCommand, TestFunctionCommand } from "@aws-sdk/client-cloudfront";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ERROR_PREFIX } from "../../src/runtime/function.js";
import { encode, startTestServer, tempDir, type TestServer } from "../helpers.js";
import { runCli } from "../process.js";

/**
 * Where a location shows, and where it must not: `edgelite test` prints it (and --json carries it);
 * TestFunction's answer stays exactly AWS's, with no position in FunctionErrorMessage.
 */

const RUNTIME_ERROR = "function handler(event) {\n  var uri = event.request.uri;\n  var v = event.request.headers.accept.value;\n  return event.request;\n}\n";
const SYNTAX_ERROR = "function handler(event) {\n  var uri = event.request.uri\n  if (uri {\n  return event.request;\n}\n";

describe("TestFunction: FunctionErrorMessage is AWS's, without a location", () => {
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer("memory");
  });
  afterAll(() => t.close());

  const event = encode(JSON.stringify({ version: "1.0", context: { eventType: "viewer-request" }, viewer: { ip: "1.2.3.4" }, request: { method: "GET", uri: "/", headers: {}, cookies: {}, querystring: {} } }));
  const testOf = async (name: string, code: string) => {
    const created = await t.client.send(new CreateFunctionCommand({ Name: name, FunctionConfig: { Comment: "", Runtime: "cloudfront-js-2.0" }, FunctionCode: encode(code) }));
    const out = await t.client.send(new TestFunctionCommand({ Name: name, IfMatch: created.ETag, EventObject: event }));
    return out.TestResult!;
  };

  it("a runtime error", async () => {
    const result = await testOf("runtime-error", RUNTIME_ERROR);
    expect(result.FunctionErrorMessage).toBe(`${ERROR_PREFIX}TypeError: cannot get property "value" of undefined`);
  });

  it("a syntax error", async () => {
    const result = await testOf("syntax-error", SYNTAX_ERROR);
    expect(result.FunctionErrorMessage).toBe(`${ERROR_PREFIX}SyntaxError: Unexpected token "{" in 3`);
  });
});

const dir = tempDir();
afterAll(() => dir.remove());

/** A function file in the test's folder. */
function file(name: string, code: string): string {
  const path = join(dir.path, name);
  writeFileSync(path, code);
  return path;
}

describe("edgelite test prints file:line:column, the error and the code frame", () => {

  it("for a runtime error", async () => {
    const path = file("runtime.js", RUNTIME_ERROR);
    const result = await runCli(["test", path]);
    expect(result.code).toBe(1);
    expect(result.stdout).toContain(`error: ${ERROR_PREFIX}TypeError: cannot get property "value" of undefined\n`);
    expect(result.stdout).toContain(
      [
        `${path}:3:40: TypeError: cannot get property "value" of undefined`,
        "  1 | function handler(event) {",
        "  2 |   var uri = event.request.uri;",
        "> 3 |   var v = event.request.headers.accept.value;",
        "    |                                        ^",
        "  4 |   return event.request;",
        "  5 | }",
      ].join("\n"),
    );
  });

  it("for a syntax error, CloudFront's message kept", async () => {
    const path = file("syntax.js", SYNTAX_ERROR);
    const result = await runCli(["test", path]);
    expect(result.code).toBe(1);
    expect(result.stdout).toContain(`${path}:3:11: SyntaxError: Unexpected token "{" in 3\n`);
    expect(result.stdout).toContain("> 3 |   if (uri {\n    |           ^\n");
  });

  it("--json carries errorLocation", async () => {
    const report = JSON.parse((await runCli(["test", file("json.js", RUNTIME_ERROR), "--json"])).stdout);
    expect(report.errorLocation).toEqual({ line: 3, column: 40 });
    expect(report.error).toBe(`${ERROR_PREFIX}TypeError: cannot get property "value" of undefined`);
  });

  it("a thrown message with terminal escapes is printed without them", async () => {
    const result = await runCli(["test", file("escape.js", "function handler(event) {\n  throw new Error('\\u001b[2J\\u001b]0;owned\\u0007');\n}\n")]);
    expect(result.stdout).toContain(":2:9: Error: \\x1b[2J\\x1b]0;owned\\x07\n");
    expect(result.stdout).not.toContain("\u001b");
  });
});
