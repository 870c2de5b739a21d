import { Option, type Command } from "commander";
import { readFileSync } from "node:fs";
import { emptyRecord, getOwn, setOwn } from "../nullPrototype.js";
import { viewerRequestEvent, viewerResponseEvent } from "../runtime/builders.js";
import { parseEvent, type FunctionEvent } from "../runtime/event.js";
import { CompiledFunction } from "../runtime/function.js";
import { codeFrame, formatLocation, printable } from "../runtime/sourceLocation.js";
import { parseRuntimeName } from "../runtime/types.js";
import { colour } from "./format.js";

interface TestOptions {
  event: string;
  runtime: string;
  method?: string;
  uri?: string;
  header: string[];
  cookie: string[];
  ip?: string;
  status?: string;
  responseHeader: string[];
  now?: string;
  json: boolean;
}

const collect = (value: string, previous: string[]) => [...previous, value];

export function registerTest(program: Command): void {
  program
    .command("test")
    .description("Run a CloudFront function file locally, as TestFunction would, and report what production would do with its result.")
    .argument("<file>", "the function's code (.js)")
    .option("-e, --event <event>", "an event JSON file, or viewer-request / viewer-response to build one", "viewer-request")
    .addOption(new Option("-r, --runtime <runtime>", "cloudfront-js-1.0 or cloudfront-js-2.0 (1.0 and 2.0 work too)").default("2.0"))
    .option("--method <method>", "request method of a built event")
    .option("--uri <uri>", "request path and query of a built event, e.g. /a/b?x=1")
    .option("-H, --header <name=value>", "request header of a built event (repeatable)", collect, [])
    .option("-c, --cookie <name=value>", "cookie of a built event (repeatable)", collect, [])
    .option("--ip <address>", "viewer IP of a built event")
    .option("--status <code>", "response status of a built viewer-response event")
    .option("--response-header <name=value>", "response header of a built viewer-response event (repeatable)", collect, [])
    .option("--now <iso-date>", "the run's clock (Date inside the function)")
    .option("--json", "print one JSON document instead of the report", false)
    .addHelpText(
      "after",
      `
Exit status: 0 when the function ran and production would accept its result, 1 when it failed
(syntax or execution error), 2 when it ran but production would reject its result (a 502).

Examples:
  $ edgelite test rewrite.js --uri /blog/ -H host=example.org
  $ edgelite test headers.js --event viewer-response --status 200 --runtime 1.0
  $ edgelite test fn.js --event my-event.json --json`,
    )
    .action((file: string, options: TestOptions) => {
      process.exitCode = runTest(file, options);
    });
}

function runTest(file: string, options: TestOptions): number {
  const paint = colour(process.stdout);
  const runtime = parseRuntimeName(options.runtime);
  const code = readFileSync(file, "utf8");
  const event = buildEvent(options);
  const compiled = new CompiledFunction(code, runtime);
  const result = compiled.run(event, options.now ? { now: new Date(options.now) } : {});
  compiled.dispose();
  const status = result.error ? 1 : result.validationErrors.length > 0 ? 2 : 0;

  if (options.json) {
    const report = {
      runtime,
      computeUtilization: result.computeUtilization,
      logs: result.logs,
      error: result.errorMessage || undefined,
      errorLocation: result.errorLocation,
      output: result.output,
      validationErrors: result.validationErrors,
      originCalls: result.originCalls.length > 0 ? result.originCalls : undefined,
    };
    console.log(JSON.stringify(report, null, 2));
    return status;
  }

  console.log(`${paint.bold(file)} ${paint.dim(`(${runtime}, ${event.context.eventType})`)}`);
  if (result.logs.length > 0) {
    console.log(paint.dim("logs:"));
    for (const line of result.logs) console.log(`  ${line}`);
  }
  if (result.error) {
    console.log(`${paint.red("error:")} ${result.errorMessage}`);
    if (result.error && result.errorLocation) {
      // Where, as compilers print it (editors and terminals link `file:line:column`), and the code around it.
      console.log(`${paint.bold(formatLocation(file, result.errorLocation))}: ${printable(result.error.text)}`);
      console.log(codeFrame(code, result.errorLocation));
    }
  } else {
    console.log(paint.dim("output:"));
    console.log(JSON.stringify(result.output, null, 2).replace(/^/gm, "  "));
    for (const problem of result.validationErrors) console.log(`${paint.yellow("would return 502 in production:")} ${problem}`);
    for (const call of result.originCalls) console.log(`${paint.cyan("origin:")} ${JSON.stringify(call)}`);
  }
  console.log(`${paint.dim("compute utilization:")} ${result.computeUtilization}`);
  return status;
}

function pairs(values: string[], what: string): Record<string, string[]> {
  const out = emptyRecord<string[]>();
  for (const value of values) {
    const at = value.indexOf("=");
    if (at <= 0) throw new Error(`${what} must look like name=value (got "${value}")`);
    const name = value.slice(0, at);
    const list = getOwn(out, name) ?? [];
    list.push(value.slice(at + 1));
    setOwn(out, name, list);
  }
  return out;
}

function buildEvent(options: TestOptions): FunctionEvent {
  if (options.event !== "viewer-request" && options.event !== "viewer-response") {
    const event = parseEvent(readFileSync(options.event));
    if (!event) throw new Error(`${options.event} is not a valid CloudFront Functions event (TestFunction would answer "The provided event object is not valid.")`);
    return event;
  }
  const init = {
    method: options.method,
    url: options.uri ?? "/",
    headers: pairs(options.header, "--header"),
    cookies: pairs(options.cookie, "--cookie"),
    ip: options.ip,
  };
  if (options.event === "viewer-response") {
    return viewerResponseEvent({ ...init, statusCode: options.status ? Number(options.status) : 200, responseHeaders: pairs(options.responseHeader, "--response-header") });
  }
  return viewerRequestEvent(init);
}
