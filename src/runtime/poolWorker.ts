/**
 * A worker thread of the RunnerPool: owns a set of warm compiled functions (one isolate each) and runs
 * them on request, so that a slow or hostile function never blocks the server's event loop.
 */

import { parentPort } from "node:worker_threads";
import { BATCH_TIME_BUDGET_MS } from "../limits.js";
import { withRecordMaps, type FunctionEvent } from "./event.js";
import type { KvsData } from "./engine.js";
import { CompiledFunction, type RunOptions, type RunResult } from "./function.js";
import type { RuntimeName } from "./types.js";

/** One run asked of a worker; the reply carries the same id. */
export type PoolRequest = {
  id: number;
  key: string;
  /** Sent the first time this worker sees the function; omitted afterwards. */
  code?: string;
  runtime: RuntimeName;
  /** The event, as JSON. */
  eventJson: string;
  now?: number;
  rawQueryString?: string | null;
  /** The associated store: its data when this worker does not have that version yet, else just the version. */
  kvs?: { id: string; version: string; entries?: Array<[string, string]>; meta?: KvsData["meta"] };
  /** A run expected to be slow: the last of its batch, the replies before it are sent first. */
  alone?: true;
};
export type PoolReply =
  /** `took`: the run's own time in ms (not the compile), from which the pool judges the function slow or fast. */
  | { id: number; resultJson: string; took: number }
  | { id: number; failure: string }
  | { id: number; needCode: true }
  | { id: number; deferred: true };
/** What a worker posts: replies to runs of its batch, `done` on the last message of the batch. */
export type PoolBatchReply = { replies: PoolReply[]; done: boolean };

const MAX_WARM = 32;
const warm = new Map<string, CompiledFunction>();
const stores = new Map<string, { version: string; data: KvsData }>();

function storeFor(request: NonNullable<PoolRequest["kvs"]>): KvsData {
  if (request.entries && request.meta) {
    const data: KvsData = { id: request.id, entries: new Map(request.entries), meta: request.meta };
    stores.set(request.id, { version: request.version, data });
    return data;
  }
  const cached = stores.get(request.id);
  if (!cached || cached.version !== request.version) throw new Error(`key value store ${request.id} version ${request.version} was not sent to this runner`);
  return cached.data;
}

function compiled(key: string, code: string | undefined, runtime: RuntimeName): CompiledFunction | undefined {
  let fn = warm.get(key);
  if (fn) {
    warm.delete(key);
  } else {
    if (code === undefined) return undefined;
    fn = new CompiledFunction(code, runtime);
    if (warm.size >= MAX_WARM) {
      const [oldestKey, oldest] = warm.entries().next().value as [string, CompiledFunction];
      warm.delete(oldestKey);
      oldest.dispose();
    }
  }
  warm.set(key, fn);
  return fn;
}

/** How long finished replies may wait for the rest of their batch. */
const REPLY_HOLD_MS = 2;

/**
 * A batch of requests is answered in one or a few messages, the last one marked done: the pool sends a
 * worker its next batch only then. A slow run (marked `alone`, always last) does not hold back the replies
 * finished before it. Once the batch has taken BATCH_TIME_BUDGET_MS, the runs not started are handed back
 * unrun (a run was slower than the pool expected), for the pool to schedule again, maybe elsewhere.
 */
parentPort!.on("message", (requests: PoolRequest[]) => {
  const started = performance.now();
  let replies: PoolReply[] = [];
  let since = started;
  const send = (done: boolean) => {
    if (replies.length > 0 || done) parentPort!.postMessage({ replies, done } satisfies PoolBatchReply);
    replies = [];
    since = performance.now();
  };
  for (const [index, request] of requests.entries()) {
    if (index > 0 && performance.now() - started > BATCH_TIME_BUDGET_MS) {
      for (const rest of requests.slice(index)) replies.push(handBack(rest));
      break;
    }
    if (request.alone) send(false);
    replies.push(handle(request));
    if (performance.now() - since > REPLY_HOLD_MS) send(false);
  }
  send(true);
  prepareWhileIdle();
});

/** Functions whose context a run dropped, to build again while the worker is idle. */
let toPrepare: CompiledFunction[] = [];

/**
 * A function whose run changed shared state lost its context; building the next one costs milliseconds.
 * Between batches the worker builds them, one per turn of its event loop, so a batch arriving meanwhile
 * waits for at most one.
 */
function prepareWhileIdle(): void {
  const idle = toPrepare.length === 0;
  toPrepare = [...warm.values()].filter((fn) => !fn.ready);
  if (idle && toPrepare.length > 0) setImmediate(prepareNext);
}

function prepareNext(): void {
  const fn = toPrepare.shift();
  if (!fn) return;
  try {
    if (!fn.ready) fn.prepare();
  } catch {
    // The next run meets the same failure and reports it.
  }
  if (toPrepare.length > 0) setImmediate(prepareNext);
}

/** A run given back unrun; its store data is kept all the same, since the pool counts this worker as having it. */
function handBack(request: PoolRequest): PoolReply {
  if (request.kvs?.entries) storeFor(request.kvs);
  return { id: request.id, deferred: true };
}

function handle(request: PoolRequest): PoolReply {
  try {
    const options: RunOptions = request.now === undefined ? {} : { now: new Date(request.now) };
    if (request.kvs) options.kvs = storeFor(request.kvs);
    if (request.rawQueryString !== undefined) options.rawQueryString = request.rawQueryString;
    const fn = compiled(request.key, request.code, request.runtime);
    if (!fn) {
      return { id: request.id, needCode: true };
    }
    const event = withRecordMaps(JSON.parse(request.eventJson) as FunctionEvent);
    const started = performance.now();
    const result: RunResult = fn.run(event, { ...options, eventJson: request.eventJson });
    const took = performance.now() - started;
    return { id: request.id, resultJson: JSON.stringify(result), took };
  } catch (error) {
    return { id: request.id, failure: error instanceof Error ? error.message : String(error) };
  }
}
