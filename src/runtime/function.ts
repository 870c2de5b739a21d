import { Sandbox, type KvsData, type OriginCall } from "./engine.js";
import { normaliseOutput, type FunctionEvent, type FunctionOutput } from "./event.js";
import { gate, GateSyntaxError } from "./gate.js";
import { njsWording } from "./messages.js";
import { COMPUTE_LIMIT_ERROR, overBudget, statementBudget, utilization, type RunWork } from "./meter.js";
import type { EngineError, RuntimeName } from "./types.js";
import { validateOutput } from "./validate.js";

/** The sentence CloudFront puts before every engine error in FunctionErrorMessage (and on the 503 page). */
export const ERROR_PREFIX = "The CloudFront function associated with the CloudFront distribution is invalid or could not run. ";

export interface RunResult {
  /** `{request}` or `{response}`, as TestFunction's FunctionOutput shows it; undefined when the run failed. */
  output: FunctionOutput | undefined;
  logs: string[];
  /** The engine error in njs's words (`TypeError: cannot get property "value" of undefined`), if the run failed. */
  error: EngineError | undefined;
  /** FunctionErrorMessage as TestFunction reports it: "" on success. */
  errorMessage: string;
  computeUtilization: number;
  /** Production validation problems (a 502 at the edge; TestFunction states them in FunctionErrorMessage). */
  validationErrors: string[];
  /** Origin changes requested through the cloudfront module (2.0), for the edge to apply. */
  originCalls: OriginCall[];
}

export interface RunOptions {
  /** The run's clock: every Date in the run reads this instant. */
  now?: Date;
  /** The raw query string for `event.request.rawQueryString()`; derived from the event when omitted. */
  rawQueryString?: string | null;
  /** What `cf.edgeLocation` reports in viewer-request (2.0); a local default when omitted. */
  edgeLocation?: { name: string; serverIp: string; region: string };
  /** The key value store associated with the function, read by cf.kvs() (2.0). */
  kvs?: KvsData;
  /** `JSON.stringify(event)`, when the caller has it already. */
  eventJson?: string;
}

/** Where a local run "is": what cf.edgeLocation reports unless the caller says otherwise. */
export const LOCAL_EDGE_LOCATION = { name: "LCL", serverIp: "127.0.0.1", region: "local" };

/**
 * A CloudFront function compiled for one runtime. Syntax errors are not thrown: like CloudFront, every
 * run of such a function fails with the compile error.
 */
export class CompiledFunction {
  private readonly sandbox: Sandbox | undefined;
  private readonly compileError: EngineError | undefined;
  private readonly codeBytes: number;
  /** The statements a run may execute: fixed by the runtime and the code's size. */
  private readonly statementLimit: number;

  constructor(
    readonly code: string,
    readonly runtime: RuntimeName,
  ) {
    this.codeBytes = Buffer.byteLength(code);
    this.statementLimit = statementBudget(runtime, this.codeBytes);
    try {
      this.sandbox = new Sandbox(gate(code, runtime), runtime);
    } catch (error) {
      if (!(error instanceof GateSyntaxError) && !(error instanceof SyntaxError)) throw error;
      const message = error instanceof GateSyntaxError ? error.message : `${error.message} in ${lineOf(error)}`;
      const name = error instanceof GateSyntaxError ? error.errorName : "SyntaxError";
      this.compileError = { name, message, text: `${name}: ${message}` };
    }
  }

  run(event: FunctionEvent, options: RunOptions = {}): RunResult {
    if (!this.sandbox) return failure(this.compileError!, [], 0);
    const raw = this.sandbox.run({
      eventJson: options.eventJson ?? JSON.stringify(event),
      rawQuery: options.rawQueryString !== undefined ? options.rawQueryString : rawQueryOf(event),
      now: (options.now ?? new Date()).getTime(),
      statementLimit: this.statementLimit,
      edgeLocation: event.context.eventType === "viewer-request" ? (options.edgeLocation ?? LOCAL_EDGE_LOCATION) : undefined,
      ...(options.kvs ? { kvs: options.kvs } : {}),
    });
    const work: RunWork = { statements: raw.statements, codeBytes: this.codeBytes, awaited: raw.awaited === true };
    if (!raw.error && overBudget(this.runtime, work)) return failure(COMPUTE_LIMIT_ERROR, raw.logs, 100);
    const compute = raw.limitExceeded === "compute" ? 100 : utilization(this.runtime, work);
    if (raw.error) return failure(njsWording(raw.error), raw.logs, compute, raw.originCalls);
    const output = normaliseOutput(event.context.eventType, raw.output === null ? undefined : raw.output);
    return {
      output,
      logs: raw.logs,
      error: undefined,
      errorMessage: "",
      computeUtilization: compute,
      validationErrors: validationOf(event, output),
      originCalls: raw.originCalls,
    };
  }

  /** Whether the next run has its context already (false after a run that changed shared state). */
  get ready(): boolean {
    return this.sandbox?.ready ?? true;
  }

  /** Builds the next run's context ahead of time, if it has none: for a runner with nothing else to do. */
  prepare(): void {
    this.sandbox?.prepare();
  }

  /** Contexts the sandbox has built so far (read-only, for benches and tests: see Sandbox.contextsCreated). */
  get contextsCreated(): number {
    return this.sandbox?.contextsCreated ?? 0;
  }

  dispose(): void {
    this.sandbox?.dispose();
  }
}

/** The production checks; a result so odd that checking it fails is refused, never an error of edgelite's. */
function validationOf(event: FunctionEvent, output: FunctionOutput | undefined): string[] {
  try {
    return validateOutput(event, output);
  } catch (error) {
    return [`The result could not be checked (${error instanceof Error ? error.message : String(error)}).`];
  }
}

/**
 * A run the runner could not complete (its worker failed or stopped): CloudFront's execution error, as a
 * function that could not run is (503 at the edge, FunctionErrorMessage in TestFunction).
 */
export function runnerFailure(reason: string): RunResult {
  return failure({ name: "InternalError", message: reason, text: `InternalError: ${reason}` }, [], 0);
}

function failure(error: EngineError, logs: string[], compute: number, originCalls: OriginCall[] = []): RunResult {
  return { output: undefined, logs, error, errorMessage: ERROR_PREFIX + error.text, computeUtilization: compute, validationErrors: [], originCalls };
}

function lineOf(error: Error): number {
  const match = /function\.js:(\d+)/.exec(error.stack ?? "");
  return match ? Number(match[1]) : 1;
}

/** What `rawQueryString()` returns for a test event: its query string, re-encoded. Built for every run, so in one pass. */
function rawQueryOf(event: FunctionEvent): string | null {
  const query = event.request.querystring ?? {};
  if (typeof query === "string") return query;
  const names = Object.keys(query);
  if (names.length === 0) return null;
  const parts: string[] = [];
  const add = (name: string, value: string) => parts.push(value === "" ? name : `${name}=${value}`);
  for (const name of names) {
    const entry = query[name]!;
    if (entry.multiValue) for (const value of entry.multiValue.map((item) => item.value)) add(name, value);
    else add(name, entry.value);
  }
  return parts.join("&");
}
