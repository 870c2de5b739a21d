import { FUNCTION_LOG_BYTES, FUNCTION_MEMORY_BYTES, FUNCTION_RESULT_MAX_CHARS, FUNCTION_WALL_CLOCK_LIMIT_MS, ISOLATE_MEMORY_LIMIT_MB } from "../limits.js";
import type { GateResult } from "./gate.js";
import { loadIsolatedVm, type Context, type Isolate, type Reference, type Script } from "./ivm.js";
import { preludeSource } from "./prelude.js";
import type { EngineError, RuntimeName } from "./types.js";

/** What one execution produced, before any CloudFront-level interpretation. */
export interface RawRun {
  /** What the handler returned, through JSON (null when it returned undefined or threw). */
  output: unknown;
  /** `typeof` the returned value. */
  returned?: string;
  error?: EngineError;
  logs: string[];
  statements: number;
  /** Heap growth during the run, in bytes (approximate). */
  heapGrowth: number;
  /** True when the run was cut short by a limit (statements, wall clock or memory). */
  limitExceeded?: "compute" | "memory";
  /** Calls to the cloudfront module's origin helpers, in order, for the edge. */
  originCalls: OriginCall[];
}

/** Overrides a function may give an origin it selects (only hostHeader has a local effect). */
export interface OriginOverrides {
  hostHeader?: string;
}

/**
 * A call to cf.updateRequestOrigin/selectRequestOriginById/createRequestOriginGroup, as the cloudfront
 * module records it once its arguments passed validation (src/runtime/modules/cloudfront.ts).
 */
export type OriginCall =
  | { kind: "updateRequestOrigin"; params: Record<string, unknown> }
  | { kind: "selectRequestOriginById"; originId: string; options?: OriginOverrides }
  | { kind: "createRequestOriginGroup"; params: { originIds: Array<{ originId: string; originOverrides?: OriginOverrides }>; originOverrides?: OriginOverrides; failoverCriteria: { statusCodes: number[] } } };

/** The key value store a run can read through cf.kvs() (2.0): its id, keys and metadata. */
export interface KvsData {
  id: string;
  entries: ReadonlyMap<string, string>;
  meta: { creationDateTime: string; lastUpdatedDateTime: string; keyCount: number };
}

export interface RunInput {
  eventJson: string;
  rawQuery: string | null;
  now: number;
  statementLimit: number;
  /** What `cf.edgeLocation` returns (viewer-request); undefined leaves it undefined. */
  edgeLocation?: { name: string; serverIp: string; region: string };
  /** The associated key value store, if any. */
  kvs?: KvsData;
}

const preludes = new Map<RuntimeName, string>();

/**
 * One compiled function in its own V8 isolate (isolated-vm): no Node, no disk, no network, hard memory
 * and time caps. The context is reused across runs for speed; every run gets fresh top-level bindings
 * (the user's code runs inside a factory called per run), and code that could reach a built-in to change
 * it (the gate decides, conservatively) gets a new context for every run — so each run starts as
 * CloudFront starts a request: from a clean VM.
 */
export class Sandbox {
  private isolate!: Isolate;
  private script!: Script;
  private context: Context | undefined;
  private runRef: Reference | undefined;
  private collectRef: Reference | undefined;
  private disposed = false;
  /** The store the current run reads; the isolate reaches it through one synchronous host callback. */
  private currentKvs: KvsData | undefined;
  /** Heap in use after the previous run: nothing runs in the isolate between runs, so it is the next run's start. */
  private heapAtRest = 0;
  private contextsBuilt = 0;

  constructor(
    private readonly gated: GateResult,
    private readonly runtime: RuntimeName,
  ) {
    this.createIsolate();
  }

  /** How many contexts this sandbox has built (read-only, for benches and tests: 1 after many runs means the warm path held). */
  get contextsCreated(): number {
    return this.contextsBuilt;
  }

  run(input: RunInput): RawRun {
    if (this.disposed) throw new Error("the sandbox was disposed");
    if (this.isolate.isDisposed) this.createIsolate();
    if (!this.context) {
      this.buildContext();
      this.heapAtRest = this.isolate.getHeapStatisticsSync().used_heap_size;
    }
    const before = this.heapAtRest;
    this.currentKvs = input.kvs;
    let text: unknown;
    try {
      const first: unknown = this.runRef!.applySync(undefined, [input.eventJson, input.rawQuery, input.now, input.statementLimit, input.edgeLocation ? JSON.stringify(input.edgeLocation) : null, input.kvs?.id ?? null], {
        timeout: FUNCTION_WALL_CLOCK_LIMIT_MS,
      });
      text = first === "PENDING" ? this.collectRef!.applySync(undefined, [], { timeout: FUNCTION_WALL_CLOCK_LIMIT_MS }) : first;
    } catch (error) {
      return this.abandon(error, input);
    }
    this.heapAtRest = this.isolate.getHeapStatisticsSync().used_heap_size;
    const heapGrowth = Math.max(0, this.heapAtRest - before);
    const parsed = readOutcome(text);
    // Code that may have changed a built-in never shares its context with the next run (gate.ts).
    if (this.gated.touchesIntrinsics || !parsed) this.dropContext();
    if (!parsed) return unreadable();
    const run: RawRun = { output: parsed.output, logs: parsed.logs, statements: parsed.count, heapGrowth, originCalls: parsed.originCalls };
    if (parsed.returned !== undefined) run.returned = parsed.returned;
    if (parsed.error) {
      run.error = parsed.error;
      if (parsed.error.name === "InternalError" && parsed.error.message === "execution time limit exceeded") run.limitExceeded = "compute";
    } else if (heapGrowth > FUNCTION_MEMORY_BYTES) {
      return { ...run, output: null, error: memoryError(), limitExceeded: "memory" };
    }
    return run;
  }

  dispose(): void {
    this.disposed = true;
    this.dropContext();
    if (!this.isolate.isDisposed) this.isolate.dispose();
  }

  /** A run that the engine itself stopped: out of time or out of memory. The context cannot be trusted after. */
  private abandon(error: unknown, input: RunInput): RawRun {
    this.dropContext();
    const message = error instanceof Error ? error.message : String(error);
    const outOfMemory = this.isolate.isDisposed || /memory limit/i.test(message);
    // Anything else that escaped the prelude is still this function's failure, never edgelite's.
    if (!outOfMemory && !/timed out/i.test(message)) return unreadable();
    if (outOfMemory) {
      if (!this.isolate.isDisposed) this.isolate.dispose();
      return { output: null, error: memoryError(), logs: [], statements: 0, heapGrowth: 0, limitExceeded: "memory", originCalls: [] };
    }
    return {
      output: null,
      error: { name: "InternalError", message: "execution time limit exceeded", text: "InternalError: execution time limit exceeded" },
      logs: [],
      statements: input.statementLimit + 1,
      heapGrowth: 0,
      limitExceeded: "compute",
      originCalls: [],
    };
  }

  private createIsolate(): void {
    const ivm = loadIsolatedVm();
    this.isolate = new ivm.Isolate({ memoryLimit: ISOLATE_MEMORY_LIMIT_MB });
    // The user's code runs inside a factory called once per run, so its top-level bindings are new each
    // time. "use strict" shares the first line with the code, so V8's line numbers are the user's.
    this.script = this.isolate.compileScriptSync(
      `(function () { "use strict"; ${this.gated.code}\n;return typeof handler === "function" ? handler : undefined; })`,
      { filename: "function.js" },
    );
  }

  private buildContext(): void {
    let prelude = preludes.get(this.runtime);
    if (!prelude) {
      prelude = preludeSource(this.runtime, { logBytes: FUNCTION_LOG_BYTES, resultChars: FUNCTION_RESULT_MAX_CHARS });
      preludes.set(this.runtime, prelude);
    }
    const context = this.isolate.createContextSync();
    this.contextsBuilt++;
    context.evalSync(prelude);
    const factory = this.script.runSync(context, { reference: true }) as Reference;
    const setup = context.global.getSync("__edgelite$setup", { reference: true }) as Reference;
    const ivm = loadIsolatedVm();
    const kvsCallback = new ivm.Callback((operation: string, key: string) => {
      const kvs = this.currentKvs;
      if (!kvs) return null;
      if (operation === "meta") return JSON.stringify(kvs.meta);
      return kvs.entries.get(key) ?? null;
    });
    setup.applySync(undefined, [factory.derefInto(), kvsCallback]);
    setup.release();
    factory.release();
    this.runRef = context.global.getSync("__edgelite$run", { reference: true }) as Reference;
    this.collectRef = context.global.getSync("__edgelite$collect", { reference: true }) as Reference;
    this.context = context;
  }

  private dropContext(): void {
    this.runRef?.release();
    this.collectRef?.release();
    this.runRef = this.collectRef = undefined;
    if (this.context && !this.isolate.isDisposed) this.context.release();
    this.context = undefined;
  }
}

/** The execution error of a run whose outcome could not be read back from the isolate. */
function unreadable(): RawRun {
  return {
    output: null,
    error: { name: "InternalError", message: "the function's result could not be read", text: "InternalError: the function's result could not be read" },
    logs: [],
    statements: 0,
    heapGrowth: 0,
    originCalls: [],
  };
}

interface Outcome {
  output: unknown;
  returned?: string;
  error?: EngineError;
  logs: string[];
  count: number;
  originCalls: OriginCall[];
}

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === "object" && value !== null && !Array.isArray(value);

const isOverrides = (value: unknown) => value === undefined || (isRecord(value) && (value.hostHeader === undefined || typeof value.hostHeader === "string"));

/** An OriginCall of the shape the cloudfront module records (its arguments were validated there; this checks what came back). */
function isOriginCall(call: unknown): call is OriginCall {
  if (!isRecord(call)) return false;
  if (call.kind === "selectRequestOriginById") return typeof call.originId === "string" && isOverrides(call.options);
  if (call.kind === "updateRequestOrigin") return isRecord(call.params);
  if (call.kind !== "createRequestOriginGroup" || !isRecord(call.params)) return false;
  const { originIds, originOverrides, failoverCriteria } = call.params;
  return (
    Array.isArray(originIds) &&
    originIds.every((member) => isRecord(member) && typeof member.originId === "string" && isOverrides(member.originOverrides)) &&
    isOverrides(originOverrides) &&
    isRecord(failoverCriteria) &&
    Array.isArray(failoverCriteria.statusCodes) &&
    failoverCriteria.statusCodes.every((code) => typeof code === "number")
  );
}

/**
 * The prelude's outcome, checked field by field: user code can reach the built-ins the prelude's
 * serialisation uses (a toJSON on Object.prototype, say), so nothing from the isolate is trusted by shape.
 * Undefined when it is not what the prelude writes.
 */
function readOutcome(text: unknown): Outcome | undefined {
  if (typeof text !== "string") return undefined;
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (!isRecord(value)) return undefined;
  const { returned, error, logs, count, originCalls } = value;
  if (!Array.isArray(logs) || !logs.every((line) => typeof line === "string")) return undefined;
  if (typeof count !== "number" || !Array.isArray(originCalls) || !originCalls.every(isOriginCall)) return undefined;
  if (returned !== undefined && typeof returned !== "string") return undefined;
  const outcome: Outcome = { output: null, logs, count, originCalls: originCalls as OriginCall[] };
  if (returned !== undefined) outcome.returned = returned;
  if (error !== undefined) {
    if (!isRecord(error) || typeof error.name !== "string" || typeof error.message !== "string" || typeof error.text !== "string") return undefined;
    outcome.error = { name: error.name, message: error.message, text: error.text };
    return outcome;
  }
  if (!("output" in value)) return undefined;
  outcome.output = value.output;
  return outcome;
}

function memoryError(): EngineError {
  return { name: "MemoryError", message: "memory limit exceeded", text: "MemoryError: memory limit exceeded" };
}
