import { parentPort } from "node:worker_threads";
import { withRecordMaps, type FunctionEvent } from "./event.js";
import type { KvsData } from "./engine.js";
import { CompiledFunction, type RunOptions, type RunResult } from "./function.js";
import type { RuntimeName } from "./types.js";

/**
 * A worker thread of the RunnerPool: owns a set of warm compiled functions (one isolate each) and runs
 * them on request, so that a slow or hostile function never blocks the server's event loop.
 */
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
};
export type PoolReply = { id: number; resultJson: string } | { id: number; failure: string } | { id: number; needCode: true };

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

/** Functions whose last run took longer than REPLY_HOLD_MS: replies are sent before they run. */
const slow = new Set<string>();

/**
 * A batch of requests (one event-loop turn of the server's) is answered with one batch of replies; a
 * slow function does not hold back the replies finished before it (after its first slow run).
 */
parentPort!.on("message", (requests: PoolRequest[]) => {
  let replies: PoolReply[] = [];
  let since = performance.now();
  const flush = () => {
    if (replies.length > 0) parentPort!.postMessage(replies);
    replies = [];
    since = performance.now();
  };
  for (const request of requests) {
    if (slow.has(request.key)) flush();
    const started = performance.now();
    replies.push(handle(request));
    const took = performance.now() - started;
    if (took > REPLY_HOLD_MS) slow.add(request.key);
    else slow.delete(request.key);
    if (performance.now() - since > REPLY_HOLD_MS) flush();
  }
  flush();
});

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
    const result: RunResult = fn.run(event, { ...options, eventJson: request.eventJson });
    return { id: request.id, resultJson: JSON.stringify(result) };
  } catch (error) {
    return { id: request.id, failure: error instanceof Error ? error.message : String(error) };
  }
}
