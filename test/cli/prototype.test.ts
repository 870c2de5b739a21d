import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { tempDir } from "../helpers.js";
import { runCli } from "../process.js";

/** `edgelite test` with prototype names (`__proto__`, `constructor`, …) in its flags and in an event file. */
describe("edgelite test with prototype names", () => {
  const dir = tempDir();
  afterAll(() => dir.remove());
  const NAMES = ["__proto__", "constructor", "prototype", "hasOwnProperty", "toString"];
  const fn = join(dir.path, "report.js");
  writeFileSync(
    fn,
    `function handler(event) {
  var r = event.request;
  ['querystring', 'headers', 'cookies'].forEach(function (kind) {
    console.log(kind + ' ' + Object.keys(r[kind]).map(function (name) { return name + '=' + Object.prototype.hasOwnProperty.call(r[kind], name) + ':' + r[kind][name].value; }).join(','));
  });
  return r;
}`,
  );
  /** The line the function logs for a map: each name (as the function sees it) with its value (made from the name as given). */
  const line = (kind: string, names: string[], suffix: string, given: string[] = NAMES) => `${kind} ${names.map((name, i) => `${name}=true:${given[i]}-${suffix}`).join(",")}`;
  const lower = NAMES.map((name) => name.toLowerCase());

  it("--header, --cookie and --uri names", async () => {
    const flags = NAMES.flatMap((name) => ["-H", `${name}=${name}-h`, "--cookie", `${name}=${name}-c`]);
    const result = await runCli(["test", fn, "--uri", `/?${NAMES.map((name) => `${name}=${name}-q`).join("&")}`, ...flags, "--json"]);
    expect(result.stderr).toBe("");
    expect(result.code).toBe(0);
    const report = JSON.parse(result.stdout) as { logs: string[]; output: { request: { headers: object } } };
    expect(report.logs).toEqual([line("querystring", NAMES, "q"), line("headers", lower, "h"), line("cookies", NAMES, "c")]);
    expect(Object.keys(report.output.request.headers)).toEqual(lower);
  });

  it("an --event file with those names", async () => {
    const map = (suffix: string) => Object.fromEntries(lower.map((name) => [name, { value: `${name}-${suffix}` }]));
    const event = join(dir.path, "event.json");
    writeFileSync(event, JSON.stringify({ version: "1.0", context: { eventType: "viewer-request" }, viewer: { ip: "1.2.3.4" }, request: { method: "GET", uri: "/", querystring: map("q"), headers: map("h"), cookies: map("c") } }));
    const result = await runCli(["test", fn, "--event", event, "--json"]);
    expect(result.code).toBe(0);
    const report = JSON.parse(result.stdout) as { logs: string[] };
    expect(report.logs).toEqual([line("querystring", lower, "q", lower), line("headers", lower, "h", lower), line("cookies", lower, "c", lower)]);
  });
});
