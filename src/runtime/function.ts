import { Sandbox, type KvsData, type OriginCall } from "./engine.js";
import { normaliseOutput, type FunctionEvent, type FunctionOutput } from "./event.js";
import { gate, GateSyntaxError, type GateResult } from "./gate.js";
import { njsWording } from "./messages.js";
import { COMPUTE_LIMIT_ERROR, overBudget, statementBudget, utilization, type RunWork } from "./meter.js";
import { lineStarts, locationAt, offsetAt, type SourceLocation } from "./sourceLocation.js";
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
  /**
   * Where the failure is in the user's source, for edgelite's own output (never in TestFunction's answer):
   * a syntax error's position, or the top-most frame of the user's code when an error was raised (the call
   * site when a built-in threw). Absent when unknown: a thrown value that is not an object, limits, runner failures.
   */
  errorLocation?: SourceLocation;
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
  private readonly gated: GateResult | undefined;
  private readonly compileError: EngineError | undefined;
  private readonly compileErrorLocation: SourceLocation | undefined;
  /** Line starts of the source and of the compiled script, computed at the first located error. */
  private lines: { source: number[]; script: number[] } | undefined;
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
      this.gated = gate(code, runtime);
      this.sandbox = new Sandbox(this.gated, runtime);
    } catch (error) {
      if (!(error instanceof GateSyntaxError) && !(error instanceof SyntaxError)) throw error;
      const message = error instanceof GateSyntaxError ? error.message : `${error.message} in ${lineOf(error)}`;
      const name = error instanceof GateSyntaxError ? error.errorName : "SyntaxError";
      this.compileError = { name, message, text: `${name}: ${message}` };
      this.compileErrorLocation = error instanceof GateSyntaxError ? error.location : this.locate(scriptPositionOf(error));
    }
  }

  run(event: FunctionEvent, options: RunOptions = {}): RunResult {
    if (!this.sandbox) return failure(this.compileError!, [], 0, [], this.compileErrorLocation);
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
    if (raw.error) return failure(njsWording(raw.error), raw.logs, compute, raw.originCalls, raw.limitExceeded ? undefined : this.locate(raw.errorAt));
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

  /** A position in the compiled script as a line and column of the user's source. */
  private locate(at: SourceLocation | undefined): SourceLocation | undefined {
    if (!at || !this.gated) return undefined;
    this.lines ??= { source: lineStarts(this.code), script: lineStarts(this.gated.code) };
    const scriptOffset = offsetAt(this.gated.code, at.line, at.column, this.lines.script);
    return locationAt(this.code, this.gated.positions.toSource(scriptOffset), this.lines.source);
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

function failure(error: EngineError, logs: string[], compute: number, originCalls: OriginCall[] = [], location?: SourceLocation): RunResult {
  const result: RunResult = { output: undefined, logs, error, errorMessage: ERROR_PREFIX + error.text, computeUtilization: compute, validationErrors: [], originCalls };
  if (location) result.errorLocation = location;
  return result;
}

/** The script position isolated-vm gives a compile error (`[function.js:3:14]` in its message or stack). */
function scriptPositionOf(error: Error): SourceLocation | undefined {
  const match = /function\.js:(\d+):(\d+)/.exec(`${error.message}\n${error.stack ?? ""}`);
  return match ? { line: Number(match[1]), column: Number(match[2]) } : undefined;
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
