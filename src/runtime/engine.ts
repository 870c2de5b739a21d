import { FUNCTION_LOG_BYTES, FUNCTION_RESULT_MAX_CHARS, FUNCTION_WALL_CLOCK_LIMIT_MS, ISOLATE_MEMORY_LIMIT_MB } from "../limits.js";
import type { GateResult } from "./gate.js";
import { COMPUTE_LIMIT_ERROR } from "./meter.js";
import { loadIsolatedVm, type Context, type Isolate, type Reference, type Script } from "./ivm.js";
import { MemoryJudge } from "./memory.js";
import { preludeSource } from "./prelude.js";
import type { SourceLocation } from "./sourceLocation.js";
import type { EngineError, RuntimeName } from "./types.js";

/** What one execution produced, before any CloudFront-level interpretation. */
export interface RawRun {
  /** What the handler returned, through JSON (null when it returned undefined or threw). */
  output: unknown;
  /** `typeof` the returned value. */
  returned?: string;
  /** True when the handler returned a promise (an async handler): the run finished in a later job. */
  awaited?: boolean;
  error?: EngineError;
  /** Where in the compiled script (function.js) the error was raised: the top-most frame of the user's code. */
  errorAt?: SourceLocation;
  logs: string[];
  statements: number;
  /** Heap growth during the run, in bytes (approximate: it depends on when V8 collected garbage). */
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
 * and time caps. The context is reused across runs for speed, and each run still starts as CloudFront
 * starts a request, from a clean VM: the user's code runs inside a factory called per run (fresh
 * top-level bindings), and a run that changed anything shared — a built-in, a module, the global object —
 * is marked dirty by the write barrier compiled into the code (instrument.ts) and the guarded built-ins
 * (prelude.ts), and its context is dropped. Nothing of the sandbox's machinery is on the global object:
 * the host reaches the prelude's entry points through references only it holds.
 */
export class Sandbox {
  private isolate!: Isolate;
  private script!: Script;
  private context: Context | undefined;
  private entryRef: Reference | undefined;
  private runRef: Reference | undefined;
  private collectRef: Reference | undefined;
  private preludeScript: Script | undefined;
  /** Contexts built so far (the first, and one after every run that changed shared state). */
  private built = 0;
  private disposed = false;
  /** The store the current run reads; the isolate reaches it through one synchronous host callback. */
  private currentKvs: KvsData | undefined;
  /** The 2 MB memory judgement (memory.ts). */
  private readonly memory = new MemoryJudge();
  private lastEdgeLocation: RunInput["edgeLocation"];
  private lastEdgeLocationText: string | null = null;

  constructor(
    private readonly gated: GateResult,
    private readonly runtime: RuntimeName,
  ) {
    this.createIsolate();
  }

  run(input: RunInput): RawRun {
    if (this.disposed) throw new Error("the sandbox was disposed");
    this.prepare();
    let before = this.memory.begin(this.isolate);
    this.currentKvs = input.kvs;
    let text: unknown;
    let awaited = false;
    try {
      const args = [input.eventJson, input.rawQuery, input.now, input.statementLimit, this.edgeLocationJson(input.edgeLocation), input.kvs?.id ?? null];
      let first: unknown = this.runRef!.applySync(undefined, args, { timeout: FUNCTION_WALL_CLOCK_LIMIT_MS });
      if (first === "STALE") {
        this.dropContext();
        this.prepare();
        before = this.memory.begin(this.isolate);
        first = this.runRef!.applySync(undefined, args, { timeout: FUNCTION_WALL_CLOCK_LIMIT_MS });
      }
      awaited = first === "PENDING";
      text = awaited ? this.collectRef!.applySync(undefined, [], { timeout: FUNCTION_WALL_CLOCK_LIMIT_MS }) : first;
    } catch (error) {
      return this.abandon(error, input);
    }
    const parsed = readOutcome(text);
    const { verdict, growth: heapGrowth } = this.memory.end(this.isolate, before, parsed?.memory ?? 0, !parsed || parsed.error !== undefined);
    // A run that changed something shared never shares its context with the next run.
    if (!parsed || parsed.dirty) this.dropContext();
    if (!parsed) return unreadable();
    const run: RawRun = { output: parsed.output, logs: parsed.logs, statements: parsed.count, heapGrowth, originCalls: parsed.originCalls };
    if (parsed.returned !== undefined) run.returned = parsed.returned;
    if (awaited) run.awaited = true;
    if (parsed.error) {
      run.error = parsed.error;
      if (parsed.errorAt) run.errorAt = parsed.errorAt;
      if (parsed.error.name === COMPUTE_LIMIT_ERROR.name && parsed.error.message === COMPUTE_LIMIT_ERROR.message) run.limitExceeded = "compute";
    }
    if (verdict === "suspect") return this.run(input); // repeated from a clean state (memory.ts)
    if (verdict === "exceeded") return { ...run, output: null, error: memoryError(), limitExceeded: "memory" };
    return run;
  }

  /** The edge location as the prelude takes it, serialised again only when it changes. */
  private edgeLocationJson(location: RunInput["edgeLocation"]): string | null {
    if (!location) return null;
    const last = this.lastEdgeLocation;
    if (!last || last.name !== location.name || last.serverIp !== location.serverIp || last.region !== location.region) {
      this.lastEdgeLocation = { name: location.name, serverIp: location.serverIp, region: location.region };
      this.lastEdgeLocationText = JSON.stringify(location);
    }
    return this.lastEdgeLocationText;
  }

  /** False after a run that changed shared state, until the next context is built. */
  get ready(): boolean {
    return this.context !== undefined && !this.isolate.isDisposed;
  }

  /** Builds the context the next run will use, if there is none (a runner calls it while idle). */
  prepare(): void {
    if (this.disposed) return;
    if (this.isolate.isDisposed) this.createIsolate();
    if (this.context) return;
    this.buildContext();
    this.memory.settle(this.isolate);
  }

  /** How many contexts this sandbox has built: 1 while every run left shared state untouched. */
  get contextsCreated(): number {
    return this.built;
  }

  /**
   * For tests: the shared objects' state in the current context (building one if needed), and the kinds
   * of exotic objects among them; equal texts mean nothing shared changed.
   */
  sharedStateFingerprint(): { text: string; tags: string[] } {
    if (this.isolate.isDisposed) this.createIsolate();
    if (!this.context) this.buildContext();
    const fingerprint = this.entryRef!.getSync("fingerprint", { reference: true }) as Reference;
    try {
      return JSON.parse(fingerprint.applySync(undefined, [], { timeout: FUNCTION_WALL_CLOCK_LIMIT_MS }) as string) as { text: string; tags: string[] };
    } finally {
      fingerprint.release();
    }
  }

  dispose(): void {
    this.disposed = true;
    this.dropContext();
    this.memory.dispose();
    if (!this.isolate.isDisposed) this.isolate.dispose();
  }

  /** A run that the engine itself stopped: out of time or out of memory. The context cannot be trusted after. */
  private abandon(error: unknown, input: RunInput): RawRun {
    const message = error instanceof Error ? error.message : String(error);
    const outOfMemory = this.isolate.isDisposed || /memory limit/i.test(message);
    const outOfTime = !outOfMemory && /timed out/i.test(message);
    const rejected = !outOfMemory && !outOfTime && this.outcomeWasBuilt();
    this.dropContext();
    // isolated-vm throws a promise rejection nobody handled when the call returns; njs fails the run with it.
    if (rejected) return unhandledRejection(error);
    // Anything else that escaped the prelude is still this function's failure, never edgelite's.
    if (!outOfMemory && !outOfTime) return unreadable();
    if (outOfMemory) {
      if (!this.isolate.isDisposed) this.isolate.dispose();
      return { output: null, error: memoryError(), logs: [], statements: 0, heapGrowth: 0, limitExceeded: "memory", originCalls: [] };
    }
    return {
      output: null,
      error: COMPUTE_LIMIT_ERROR,
      logs: [],
      statements: input.statementLimit + 1,
      heapGrowth: 0,
      limitExceeded: "compute",
      originCalls: [],
    };
  }

  private outcomeWasBuilt(): boolean {
    try {
      const completed = this.entryRef!.getSync("completed", { reference: true }) as Reference;
      try {
        return completed.applySync(undefined, [], { timeout: FUNCTION_WALL_CLOCK_LIMIT_MS }) === true;
      } finally {
        completed.release();
      }
    } catch {
      return false;
    }
  }

  private createIsolate(): void {
    const ivm = loadIsolatedVm();
    this.isolate = new ivm.Isolate({ memoryLimit: ISOLATE_MEMORY_LIMIT_MB });
    // The instrumented code's wrapper shares the first line with the code, so V8's line numbers are the user's.
    this.script = this.isolate.compileScriptSync(this.gated.code, { filename: "function.js" });
    this.preludeScript = undefined;
  }

  private buildContext(): void {
    let prelude = preludes.get(this.runtime);
    if (!prelude) {
      prelude = preludeSource(this.runtime, { logBytes: FUNCTION_LOG_BYTES, resultChars: FUNCTION_RESULT_MAX_CHARS });
      preludes.set(this.runtime, prelude);
    }
    this.preludeScript ??= this.isolate.compileScriptSync(prelude, { filename: "prelude.js" });
    const context = this.isolate.createContextSync();
    // The prelude's completion value is its entry-point object: only this reference leads to it.
    const entry = this.preludeScript.runSync(context, { reference: true }) as Reference;
    const instrumented = this.script.runSync(context, { reference: true }) as Reference;
    const setup = entry.getSync("setup", { reference: true }) as Reference;
    const ivm = loadIsolatedVm();
    const kvsCallback = new ivm.Callback((operation: string, key: string) => {
      const kvs = this.currentKvs;
      if (!kvs) return null;
      if (operation === "meta") return JSON.stringify(kvs.meta);
      return kvs.entries.get(key) ?? null;
    });
    setup.applySync(undefined, [instrumented.derefInto(), kvsCallback]);
    setup.release();
    instrumented.release();
    this.entryRef = entry;
    this.runRef = entry.getSync("run", { reference: true }) as Reference;
    this.collectRef = entry.getSync("collect", { reference: true }) as Reference;
    this.context = context;
    this.built++;
  }

  private dropContext(): void {
    this.runRef?.release();
    this.collectRef?.release();
    this.entryRef?.release();
    this.runRef = this.collectRef = this.entryRef = undefined;
    if (this.context && !this.isolate.isDisposed) this.context.release();
    this.context = undefined;
  }
}

/** njs's error for a run that left a rejected promise unhandled: `Error: unhandled promise rejection: TypeError: …`. */
function unhandledRejection(reason: unknown): RawRun {
  const text = reason instanceof Error ? `${reason.name}: ${reason.message}` : String(reason);
  const message = `unhandled promise rejection: ${text}`;
  return { output: null, error: { name: "Error", message, text: `Error: ${message}` }, logs: [], statements: 0, heapGrowth: 0, originCalls: [] };
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
  errorAt?: SourceLocation;
  logs: string[];
  count: number;
  memory: number;
  originCalls: OriginCall[];
  /** The run changed something shared (a built-in, a module, the global object). */
  dirty: boolean;
}

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === "object" && value !== null && !Array.isArray(value);

const isPosition = (value: unknown): value is number => typeof value === "number" && Number.isSafeInteger(value) && value >= 1;

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
  const { returned, error, logs, count, memory, originCalls, dirty } = value;
  if (typeof dirty !== "boolean") return undefined;
  if (!Array.isArray(logs) || !logs.every((line) => typeof line === "string")) return undefined;
  if (typeof count !== "number" || typeof memory !== "number" || !Array.isArray(originCalls) || !originCalls.every(isOriginCall)) return undefined;
  if (returned !== undefined && typeof returned !== "string") return undefined;
  const outcome: Outcome = { output: null, logs, count, memory, originCalls: originCalls as OriginCall[], dirty };
  if (returned !== undefined) outcome.returned = returned;
  if (error !== undefined) {
    if (!isRecord(error) || typeof error.name !== "string" || typeof error.message !== "string" || typeof error.text !== "string") return undefined;
    outcome.error = { name: error.name, message: error.message, text: error.text };
    const at = error.at;
    if (isRecord(at) && isPosition(at.line) && isPosition(at.column)) outcome.errorAt = { line: at.line, column: at.column };
    return outcome;
  }
  if (!("output" in value)) return undefined;
  outcome.output = value.output;
  return outcome;
}

function memoryError(): EngineError {
  return { name: "MemoryError", message: "memory limit exceeded", text: "MemoryError: memory limit exceeded" };
}
