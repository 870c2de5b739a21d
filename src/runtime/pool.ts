import { existsSync } from "node:fs";
import { availableParallelism } from "node:os";
import { fileURLToPath } from "node:url";
import { Worker } from "node:worker_threads";
import { codeDigest } from "./codeKey.js";
import { withRecordMaps, type FunctionEvent } from "./event.js";
import type { KvsData } from "./engine.js";
import { runnerFailure, type RunResult } from "./function.js";
import type { PoolReply, PoolRequest } from "./pool-worker.js";
import type { RuntimeName } from "./types.js";

/** A worker's RunResult, its output's name maps null-prototype records again (JSON.parse made them ordinary). */
function resultFromJson(json: string): RunResult {
  const result = JSON.parse(json) as RunResult;
  if (result.output) result.output = withRecordMaps(result.output);
  return result;
}

/** Compiled next to this module; when running from TypeScript sources (tests), from the build. */
function workerUrl(): URL {
  const beside = new URL("./pool-worker.js", import.meta.url);
  if (existsSync(fileURLToPath(beside))) return beside;
  return new URL("../../dist/src/runtime/pool-worker.js", import.meta.url);
}

interface Pending {
  resolve: (result: RunResult) => void;
  reject: (error: Error) => void;
  request: PoolRequest;
  code: () => string;
}

interface Slot {
  worker: Worker;
  pending: Map<number, Pending>;
  /** Which version of each key value store this worker holds. */
  stores: Map<string, string>;
  /** Which functions (by key) this worker has been sent the code of. */
  codes: Set<string>;
  /** Requests of this event-loop turn, posted together in one message when the turn ends. */
  outbox: PoolRequest[];
}

/** A store to hand a run: sent whole to a worker only when that worker lacks this version. */
export interface PoolKvs {
  id: string;
  version: string;
  load(): KvsData;
}

/**
 * Runs functions on worker threads, each owning warm isolates. A function always goes to the same
 * worker (by a hash of its code), so its isolate stays warm there; the server's event loop only posts
 * messages. A worker that dies is replaced and its pending runs fail with a clear error.
 */
export class RunnerPool {
  private readonly slots: Slot[] = [];
  private nextId = 1;
  private closed = false;

  /** Workers start on first use, so a server that never runs a function never pays for them. */
  constructor(private readonly size = Math.max(1, Math.min(4, availableParallelism()))) {}

  run(code: Uint8Array | string, runtime: RuntimeName, event: FunctionEvent, options: { now?: Date; kvs?: PoolKvs; rawQueryString?: string | null } = {}): Promise<RunResult> {
    if (this.closed) return Promise.reject(new Error("the runner pool is closed"));
    while (this.slots.length < this.size) this.slots.push(this.spawn());
    const digest = codeDigest(code, runtime);
    const key = digest.toString("base64");
    const slot = this.slots[digest.readUInt32BE(0) % this.slots.length]!;
    const id = this.nextId++;
    const codeText = () => (typeof code === "string" ? code : new TextDecoder().decode(code));
    return new Promise<RunResult>((resolve, reject) => {
      // The code travels only the first time a worker sees this function (or after it dropped it).
      // JSON both ways: cheaper for the server's thread than structured-cloning the objects.
      const request: PoolRequest = { id, key, runtime, eventJson: JSON.stringify(event) };
      if (!slot.codes.has(key)) {
        request.code = codeText();
        slot.codes.add(key);
      }
      slot.pending.set(id, { resolve, reject, request, code: codeText });
      if (slot.pending.size === 1) slot.worker.ref();
      if (options.now) request.now = options.now.getTime();
      if (options.rawQueryString !== undefined) request.rawQueryString = options.rawQueryString;
      if (options.kvs) {
        const { id, version } = options.kvs;
        if (slot.stores.get(id) === version) {
          request.kvs = { id, version };
        } else {
          const data = options.kvs.load();
          request.kvs = { id, version, entries: [...data.entries], meta: data.meta };
          slot.stores.set(id, version);
        }
      }
      this.post(slot, request);
    });
  }

  /**
   * Every run requested during one turn of the event loop goes to a worker in one message: under load
   * that is one cross-thread wake-up for many runs (each is costly, on VMs especially).
   */
  private post(slot: Slot, request: PoolRequest): void {
    slot.outbox.push(request);
    if (slot.outbox.length > 1) return;
    setImmediate(() => {
      const batch = slot.outbox;
      slot.outbox = [];
      slot.worker.postMessage(batch);
    });
  }

  async close(): Promise<void> {
    this.closed = true;
    await Promise.all(this.slots.map((slot) => slot.worker.terminate()));
  }

  private spawn(): Slot {
    const slot: Slot = { worker: new Worker(workerUrl()), pending: new Map(), stores: new Map(), codes: new Set(), outbox: [] };
    slot.worker.unref();
    slot.worker.on("message", (replies: PoolReply[]) => {
      for (const reply of replies) {
        const pending = slot.pending.get(reply.id);
        if (pending && "needCode" in reply) {
          // The worker had dropped this function from its warm set: send it again, with the code.
          this.post(slot, { ...pending.request, code: pending.code() });
          continue;
        }
        slot.pending.delete(reply.id);
        if (!pending) continue;
        // A run the worker could not complete is the function's execution error, not a failed call.
        if ("resultJson" in reply) pending.resolve(resultFromJson(reply.resultJson));
        else if ("failure" in reply) pending.resolve(runnerFailure(reply.failure));
      }
      if (slot.pending.size === 0) slot.worker.unref();
    });
    let replaced = false;
    const replace = (reason: string) => {
      if (replaced) return;
      replaced = true;
      for (const pending of slot.pending.values()) pending.resolve(runnerFailure(`the function runner stopped: ${reason}`));
      slot.pending.clear();
      if (this.closed) return;
      const index = this.slots.indexOf(slot);
      if (index !== -1) this.slots[index] = this.spawn();
    };
    slot.worker.on("error", (error) => replace(error.message));
    slot.worker.on("exit", (code) => {
      if (!this.closed) replace(`exit code ${code}`);
    });
    return slot;
  }
}
