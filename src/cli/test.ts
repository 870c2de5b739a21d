import { InvalidArgumentError, Option, type Command } from "commander";
import { statSync } from "node:fs";
import { emptyRecord, getOwn, setOwn } from "../nullPrototype.js";
import { viewerRequestEvent, viewerResponseEvent } from "../runtime/builders.js";
import type { KvsData } from "../runtime/engine.js";
import { parseEvent, type FunctionEvent } from "../runtime/event.js";
import { CompiledFunction } from "../runtime/function.js";
import { parseRuntimeName, type EventType, type RuntimeName } from "../runtime/types.js";
import { describeJsonError } from "../service/importFormat.js";
import { errorReport } from "./errorReport.js";
import { CliError, closest, EXIT, readInputFile, usageError } from "./failures.js";
import { colour, printable } from "./format.js";
import { readKvsFile } from "./kvs.js";

interface TestOptions {
  event: string;
  runtime: RuntimeName;
  method?: string;
  uri?: string;
  header: string[];
  cookie: string[];
  ip?: string;
  status?: string;
  responseHeader: string[];
  now?: Date;
  kvs?: string;
  json: boolean;
}

const EVENT_TYPES: readonly EventType[] = ["viewer-request", "viewer-response"];

const collect = (value: string, previous: string[]) => [...previous, value];

export function registerTest(program: Command): void {
  program
    .command("test")
    .description("Run a CloudFront function file locally, as TestFunction would, and report what production would do with its result.")
    .argument("<file>", "the function's code (.js)")
    .option("-e, --event <event>", "an event JSON file, or viewer-request / viewer-response to build one", "viewer-request")
    .addOption(new Option("-r, --runtime <runtime>", "cloudfront-js-1.0 or cloudfront-js-2.0 (1.0 and 2.0 work too)").default("cloudfront-js-2.0", "2.0").argParser(runtimeOption))
    .option("--method <method>", "request method of a built event")
    .option("--uri <uri>", "request path and query of a built event, e.g. /a/b?x=1")
    .option("-H, --header <name=value>", "request header of a built event (repeatable)", collect, [])
    .option("-c, --cookie <name=value>", "cookie of a built event (repeatable)", collect, [])
    .option("--ip <address>", "viewer IP of a built event")
    .option("--status <code>", "response status of a built viewer-response event")
    .option("--response-header <name=value>", "response header of a built viewer-response event (repeatable)", collect, [])
    .option("--now <iso-date>", "the run's clock (Date inside the function), e.g. 2025-01-31T12:00:00Z", dateOption)
    .option("--kvs <file.json>", "a key value store for cf.kvs() (2.0), in CloudFront's import format, as dev --kvs takes it")
    .option("--json", "print one JSON document instead of the report", false)
    .addHelpText(
      "after",
      `
Exit status: 0 when the function ran and production would accept its result, 1 when it failed
(syntax or execution error), 2 when it ran but production would reject its result (a 502);
64 for a mistake on the command line, 65 for an --event or --kvs file whose content is wrong,
66 for a file that cannot be read (see edgelite --help).

Examples:
  $ edgelite test rewrite.js --uri /blog/ -H host=example.org
  $ edgelite test headers.js --event viewer-response --status 200 --runtime 1.0
  $ edgelite test fn.js --event my-event.json --json
  $ edgelite test redirects.js --kvs redirects.json --uri /old-page   # cf.kvs() reads redirects.json`,
    )
    .action(async (file: string, options: TestOptions) => {
      process.exitCode = await runTest(file, options);
    });
}

function runtimeOption(value: string): RuntimeName {
  try {
    return parseRuntimeName(value);
  } catch {
    throw new InvalidArgumentError("expected 1.0, 2.0, cloudfront-js-1.0 or cloudfront-js-2.0.");
  }
}

function dateOption(value: string): Date {
  const date = new Date(value);
  if (Number.isNaN(date.getTime())) throw new InvalidArgumentError("expected a date such as 2025-01-31T12:00:00Z (ISO 8601).");
  return date;
}

async function runTest(file: string, options: TestOptions): Promise<number> {
  const paint = colour(process.stdout);
  const runtime = options.runtime;
  if (options.kvs !== undefined && runtime !== "cloudfront-js-2.0") {
    throw usageError(`--kvs needs the cloudfront-js-2.0 runtime (key value stores are not available to ${runtime} functions); drop --runtime ${runtime} or --kvs.`);
  }
  const code = readInputFile(file, "function file");
  const event = buildEvent(options);
  const kvs = options.kvs === undefined ? undefined : await localStore(options.kvs);
  const compiled = new CompiledFunction(code, runtime);
  const result = compiled.run(event, { ...(options.now ? { now: options.now } : {}), ...(kvs ? { kvs } : {}) });
  compiled.dispose();
  const status = result.error ? EXIT.failed : result.validationErrors.length > 0 ? EXIT.rejected : EXIT.ok;

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
    console.log(`${paint.red("error:")} ${printable(result.errorMessage)}`);
    if (result.error && result.errorLocation) console.log(errorReport(file, code, result.error.text, result.errorLocation));
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
    if (at <= 0) throw usageError(`${what} must look like name=value (got "${value}").`);
    const name = value.slice(0, at);
    const list = getOwn(out, name) ?? [];
    list.push(value.slice(at + 1));
    setOwn(out, name, list);
  }
  return out;
}

/**
 * The store cf.kvs() reads: the --kvs file, as a store associated with the function. Its id is not known
 * here, so cf.kvs(id) accepts any id (as the library's `loadFunction(code, { kvs })` does).
 */
async function localStore(file: string): Promise<KvsData> {
  const entries = new Map(await readKvsFile(file, "--kvs"));
  const now = new Date().toISOString();
  return { id: "*", entries, meta: { creationDateTime: now, lastUpdatedDateTime: now, keyCount: entries.size } };
}

/** The --event file's event; a file that is not JSON is told apart from JSON that is not an event. */
function readEventFile(file: string): FunctionEvent {
  const text = readInputFile(file, "--event file");
  const where = describeJsonError(text);
  if (where !== undefined) throw new CliError(`--event ${file} is not valid JSON (${where}). Fix the file, or build an event with --event viewer-request / viewer-response and the flags --uri, --header, …`, EXIT.dataError);
  const event = parseEvent(text);
  if (!event) throw new CliError(`${file} is not a valid CloudFront Functions event (TestFunction would answer "The provided event object is not valid.")`, EXIT.dataError);
  return event;
}

function buildEvent(options: TestOptions): FunctionEvent {
  if (options.event !== "viewer-request" && options.event !== "viewer-response") {
    if (statSync(options.event, { throwIfNoEntry: false }) === undefined && !/[./\\]/.test(options.event)) {
      const guess = closest(options.event, EVENT_TYPES);
      throw usageError(
        `--event ${options.event} is neither an event type nor a file.${guess ? ` Did you mean ${guess}?` : ""} Give viewer-request, viewer-response or the path of an event JSON file.`,
      );
    }
    return readEventFile(options.event);
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
