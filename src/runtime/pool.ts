import { existsSync } from "node:fs";
import { availableParallelism } from "node:os";
import { fileURLToPath } from "node:url";
import { Worker } from "node:worker_threads";
import { BATCH_TARGET_MS, MAX_BATCH_RUNS, SCHEDULER_KNOWN_FUNCTIONS, SLOW_RUN_MS } from "../limits.js";
import { codeDigest } from "./codeKey.js";
import { withRecordMaps, type FunctionEvent } from "./event.js";
import type { KvsData } from "./engine.js";
import { runnerFailure, type RunResult } from "./function.js";
import type { PoolBatchReply, PoolRequest } from "./poolWorker.js";
import type { RuntimeName } from "./types.js";

/** A worker's RunResult, its output's name maps null-prototype records again (JSON.parse made them ordinary). */
function resultFromJson(json: string): RunResult {
  const result = JSON.parse(json) as RunResult;
  if (result.output) result.output = withRecordMaps(result.output);
  return result;
}

/** Compiled next to this module; when running from TypeScript sources (tests), from the build. */
function workerUrl(): URL {
  const beside = new URL("./poolWorker.js", import.meta.url);
  if (existsSync(fileURLToPath(beside))) return beside;
  return new URL("../../dist/src/runtime/poolWorker.js", import.meta.url);
}

/** A store to hand a run: sent whole to a worker only when that worker lacks this version. */
export interface PoolKvs {
  id: string;
  version: string;
  load(): KvsData;
}

/** One requested run, from `run()` until its result is handed back. */
interface Run {
  id: number;
  fn: FunctionQueue;
  runtime: RuntimeName;
  eventJson: string;
  now?: number;
  rawQueryString?: string | null;
  kvs?: PoolKvs;
  code: () => string;
  resolve: (result: RunResult) => void;
}

/** A function's runs waiting for a worker, in the order they were requested. */
interface FunctionQueue {
  key: string;
  queued: Run[];
  /** Runs sent to workers and not answered yet. */
  inFlight: number;
  /** Workers busy with one of this function's slow runs. */
  slowWorkers: number;
  /** The dispatcher's clock when this function last got a run onto a worker: the least recent goes first. */
  lastServed: number;
}

interface Sent {
  run: Run;
  carriedCode: boolean;
  /** A slow run: it went last in its batch, alone among its function's. */
  alone: boolean;
}

interface Slot {
  worker: Worker;
  /** Whether the worker is on a batch (until its reply marked done): a worker has one batch at a time. */
  busy: boolean;
  /** Whether that batch has a slow run in it (which may keep the worker for up to the wall-clock limit). */
  onSlowRun: boolean;
  /** The runs of that batch not answered yet, by id. */
  batch: Map<number, Sent>;
  /** Which version of each key value store this worker holds. */
  stores: Map<string, string>;
  /** Which functions (by key) this worker has been sent the code of. */
  codes: Set<string>;
}

/** A batch being filled for an idle worker during one dispatch. */
interface Draft {
  slot: Slot;
  fast: Run[];
  /** Estimated milliseconds of the fast runs. */
  cost: number;
  slow: Run | undefined;
}

/**
 * Runs functions on worker threads, each owning warm isolates, so that the server's event loop only
 * posts messages. Scheduling (docs/runtime.md, "Scheduling"): every function has its own queue; when a
 * worker is idle, the dispatcher hands it a bounded batch, taking one run at a time from the function
 * served least recently. A function whose last run was slow (or that has not run yet) sends its runs one
 * per batch, last in it, and occupies at most all workers but one; fast functions' runs are batched by
 * their expected time. A worker that has the function warm is preferred; any worker can compile it. A
 * worker that dies is replaced and the runs it held fail with a clear error.
 */
export class RunnerPool {
  private readonly slots: Slot[] = [];
  private readonly functions = new Map<string, FunctionQueue>();
  /** Each function's last run time in ms (recently run last); a function not in it is treated as slow. */
  private readonly lastRunMs = new Map<string, number>();
  private nextId = 1;
  private clock = 0;
  private dispatchScheduled = false;
  private closed = false;

  /** Workers start on first use, so a server that never runs a function never pays for them. */
  constructor(readonly size = Math.max(1, Math.min(4, availableParallelism()))) {}

  run(code: Uint8Array | string, runtime: RuntimeName, event: FunctionEvent, options: { now?: Date; kvs?: PoolKvs; rawQueryString?: string | null } = {}): Promise<RunResult> {
    if (this.closed) return Promise.reject(new Error("the runner pool is closed"));
    const key = codeDigest(code, runtime).toString("base64");
    let fn = this.functions.get(key);
    if (!fn) {
      fn = { key, queued: [], inFlight: 0, slowWorkers: 0, lastServed: 0 };
      this.functions.set(key, fn);
    }
    const queue = fn;
    return new Promise<RunResult>((resolve) => {
      // JSON both ways: cheaper for the server's thread than structured-cloning the objects.
      const run: Run = { id: this.nextId++, fn: queue, runtime, eventJson: JSON.stringify(event), code: () => (typeof code === "string" ? code : new TextDecoder().decode(code)), resolve };
      if (options.now) run.now = options.now.getTime();
      if (options.rawQueryString !== undefined) run.rawQueryString = options.rawQueryString;
      if (options.kvs) run.kvs = options.kvs;
      queue.queued.push(run);
      this.scheduleDispatch();
    });
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const fn of this.functions.values()) for (const run of fn.queued.splice(0)) run.resolve(runnerFailure("the runner pool is closed"));
    for (const slot of this.slots) this.failBatch(slot, "the runner pool is closed");
    await Promise.all(this.slots.map((slot) => slot.worker.terminate()));
  }

  /**
   * Runs requested during one turn of the event loop are dispatched together when it ends: under load that
   * is one cross-thread message for many runs (each wake-up is costly, on VMs especially).
   */
  private scheduleDispatch(): void {
    if (this.dispatchScheduled) return;
    this.dispatchScheduled = true;
    setImmediate(() => {
      this.dispatchScheduled = false;
      if (!this.closed) this.dispatch();
    });
  }

  /**
   * Fills a batch for every idle worker, in rounds: each round takes one run from every function with runs
   * waiting, the one served least recently first (round robin across functions). A function that cannot be
   * placed (its limit of workers reached, or no batch with room for it) waits for the next dispatch.
   */
  private dispatch(): void {
    // Workers start when there is work for them: at first use, and to replace one that died.
    while (this.slots.length < this.size) this.slots.push(this.spawn());
    const drafts: Draft[] = [];
    for (const slot of this.slots) if (!slot.busy) drafts.push({ slot, fast: [], cost: 0, slow: undefined });
    if (drafts.length === 0) return;
    let round: FunctionQueue[] = [];
    for (const fn of this.functions.values()) if (fn.queued.length > 0) round.push(fn);
    round.sort((a, b) => a.lastServed - b.lastServed);
    while (round.length > 0) {
      const next: FunctionQueue[] = [];
      for (const fn of round) {
        const estimate = this.lastRunMs.get(fn.key);
        const placed = estimate === undefined || estimate > SLOW_RUN_MS ? this.placeSlow(drafts, fn) : this.placeFast(drafts, fn, estimate);
        if (!placed) continue;
        fn.lastServed = ++this.clock;
        if (fn.queued.length > 0) next.push(fn);
      }
      round = next;
    }
    for (const draft of drafts) if (draft.fast.length > 0 || draft.slow) this.post(draft);
  }

  /** A slow run goes last in an idle worker's batch, at most one per batch, on at most all workers but one. */
  private placeSlow(drafts: Draft[], fn: FunctionQueue): boolean {
    if (fn.slowWorkers >= Math.max(1, this.size - 1)) return false;
    const draft = this.preferred(
      drafts.filter((d) => d.slow === undefined),
      fn.key,
      (d) => d.fast.length,
    );
    if (!draft) return false;
    draft.slow = fn.queued.shift();
    fn.slowWorkers++;
    return true;
  }

  /** Fast runs fill batches up to BATCH_TARGET_MS of expected time (at least one run each) and MAX_BATCH_RUNS. */
  private placeFast(drafts: Draft[], fn: FunctionQueue, estimate: number): boolean {
    const draft = this.preferred(
      drafts.filter((d) => d.fast.length < MAX_BATCH_RUNS && (d.fast.length === 0 || d.cost + estimate <= BATCH_TARGET_MS)),
      fn.key,
      (d) => d.cost,
    );
    if (!draft) return false;
    draft.fast.push(fn.queued.shift()!);
    draft.cost += estimate;
    return true;
  }

  private post(draft: Draft): void {
    const { slot } = draft;
    const requests: PoolRequest[] = [];
    const add = (run: Run, alone: boolean) => {
      const request = this.request(slot, run);
      if (alone) request.alone = true;
      slot.batch.set(run.id, { run, carriedCode: request.code !== undefined, alone });
      run.fn.inFlight++;
      requests.push(request);
    };
    for (const run of draft.fast) add(run, false);
    if (draft.slow) add(draft.slow, true);
    slot.busy = true;
    slot.onSlowRun = draft.slow !== undefined;
    slot.worker.ref();
    slot.worker.postMessage(requests);
  }

  /** The message for one run: the code only if this worker lacks it, the store's data only if it lacks that version. */
  private request(slot: Slot, run: Run): PoolRequest {
    const { key } = run.fn;
    const request: PoolRequest = { id: run.id, key, runtime: run.runtime, eventJson: run.eventJson };
    if (!slot.codes.has(key)) {
      request.code = run.code();
      slot.codes.add(key);
    }
    if (run.now !== undefined) request.now = run.now;
    if (run.rawQueryString !== undefined) request.rawQueryString = run.rawQueryString;
    if (run.kvs) {
      const { id, version } = run.kvs;
      if (slot.stores.get(id) === version) {
        request.kvs = { id, version };
      } else {
        const data = run.kvs.load();
        request.kvs = { id, version, entries: [...data.entries], meta: data.meta };
        slot.stores.set(id, version);
      }
    }
    return request;
  }

  private receive(slot: Slot, message: PoolBatchReply): void {
    for (const reply of message.replies) {
      const sent = slot.batch.get(reply.id);
      if (!sent) continue;
      slot.batch.delete(reply.id);
      const { run } = sent;
      if ("needCode" in reply || "deferred" in reply) {
        // Not run: the worker had dropped the function from its warm set, or gave the rest of its batch back.
        if ("needCode" in reply || sent.carriedCode) slot.codes.delete(run.fn.key);
        requeue(run);
      } else {
        if ("took" in reply) this.learn(run.fn.key, reply.took);
        // A run the worker could not complete is the function's execution error, not a failed call.
        run.resolve("resultJson" in reply ? resultFromJson(reply.resultJson) : runnerFailure(reply.failure));
      }
      this.finished(sent);
    }
    if (message.done) this.failBatch(slot, "the function runner did not answer");
    this.scheduleDispatch();
  }

  /**
   * Among the batches being filled, one for a worker that has the function warm (the least loaded), else one
   * for a worker that will compile it — unless a worker that has it warm is busy with fast runs only: that
   * one is free again within a few milliseconds, sooner than a compile.
   */
  private preferred(drafts: Draft[], key: string, load: (draft: Draft) => number): Draft | undefined {
    let best: Draft | undefined;
    for (const draft of drafts) {
      if (!best) {
        best = draft;
        continue;
      }
      const warm = draft.slot.codes.has(key);
      const bestWarm = best.slot.codes.has(key);
      if ((warm && !bestWarm) || (warm === bestWarm && load(draft) < load(best))) best = draft;
    }
    if (best && !best.slot.codes.has(key) && this.slots.some((slot) => slot.busy && !slot.onSlowRun && slot.codes.has(key))) return undefined;
    return best;
  }

  private learn(key: string, ms: number): void {
    this.lastRunMs.delete(key);
    this.lastRunMs.set(key, ms);
    if (this.lastRunMs.size > SCHEDULER_KNOWN_FUNCTIONS) this.lastRunMs.delete(this.lastRunMs.keys().next().value!);
  }

  private finished(sent: Sent): void {
    const { fn } = sent.run;
    fn.inFlight--;
    if (sent.alone) fn.slowWorkers--;
    if (fn.inFlight === 0 && fn.queued.length === 0) this.functions.delete(fn.key);
  }

  /** Every run the worker still holds fails cleanly; the worker is idle afterwards. */
  private failBatch(slot: Slot, reason: string): void {
    const held = [...slot.batch.values()];
    slot.batch.clear();
    slot.busy = false;
    slot.onSlowRun = false;
    slot.worker.unref();
    for (const sent of held) {
      sent.run.resolve(runnerFailure(reason));
      this.finished(sent);
    }
  }

  private spawn(): Slot {
    const slot: Slot = { worker: new Worker(workerUrl()), busy: false, onSlowRun: false, batch: new Map(), stores: new Map(), codes: new Set() };
    slot.worker.on("message", (message: PoolBatchReply) => this.receive(slot, message));
    let replaced = false;
    // Replaced at the next dispatch, so a worker that cannot even start fails the runs it was given,
    // one batch at a time, instead of being restarted in a loop.
    const replace = (reason: string) => {
      if (replaced || this.closed) return;
      replaced = true;
      this.slots.splice(this.slots.indexOf(slot), 1);
      this.failBatch(slot, `the function runner stopped: ${reason}`);
      if ([...this.functions.values()].some((fn) => fn.queued.length > 0)) this.scheduleDispatch();
    };
    slot.worker.on("error", (error) => replace(error.message));
    slot.worker.on("exit", (code) => replace(`exit code ${code}`));
    // After the listeners: adding a "message" listener refs the worker's port again.
    slot.worker.unref();
    return slot;
  }
}

/** Back in its function's queue, in request order (it was requested before anything still queued after it). */
function requeue(run: Run): void {
  const { queued } = run.fn;
  let index = 0;
  while (index < queued.length && queued[index]!.id < run.id) index++;
  queued.splice(index, 0, run);
}
