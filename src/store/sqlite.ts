import { existsSync, mkdirSync } from "node:fs";
import { dirname } from "node:path";
import { fileURLToPath } from "node:url";
import { Worker } from "node:worker_threads";
import { MirrorStore, type Journal, type WriteOp } from "./mirror.js";
import { loadContents, openDatabase } from "./sqlite-database.js";
import type { JournalReply, JournalRequest } from "./sqlite-worker.js";

/**
 * The embedded default: an exclusively owned SQLite file (WAL, synchronous=FULL), mirrored in memory
 * for reads, written through a worker thread that group-commits (see MirrorStore). A write is
 * acknowledged only after its commit is fsynced.
 */
export class SqliteStore extends MirrorStore {
  constructor(location: string) {
    if (location !== ":memory:") mkdirSync(dirname(location), { recursive: true });
    // Load (and migrate) on this thread so the store is usable at once; the worker then takes the file over.
    const db = openDatabase(location);
    const contents = loadContents(db);
    db.close();
    super("sqlite", location, contents, new WorkerJournal(location));
  }
}

/** Compiled next to this module; when running from TypeScript sources (tests), from the build. */
function workerUrl(): URL {
  const beside = new URL("./sqlite-worker.js", import.meta.url);
  if (existsSync(fileURLToPath(beside))) return beside;
  return new URL("../../dist/src/store/sqlite-worker.js", import.meta.url);
}

class WorkerJournal implements Journal {
  private readonly worker: Worker;
  private readonly waiting = new Map<number, { resolve: () => void; reject: (error: Error) => void }>();
  private nextId = 1;
  private fatal: Error | undefined;
  private closed: Promise<void> | undefined;

  constructor(location: string) {
    this.worker = new Worker(workerUrl(), { workerData: { location } });
    this.worker.on("message", (reply: JournalReply) => this.receive(reply));
    this.worker.on("error", (error) => this.fail(error));
    // Referenced only while a commit is outstanding: an idle store never keeps the process alive, a busy one does.
    this.worker.unref();
    this.worker.on("exit", (code) => {
      if (!this.closed) this.fail(new Error(`the SQLite writer thread stopped (exit code ${code})`));
    });
  }

  commit(ops: WriteOp[]): Promise<void> {
    if (this.fatal) return Promise.reject(this.fatal);
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.waiting.set(id, { resolve, reject });
      this.worker.ref();
      this.worker.postMessage({ id, ops } satisfies JournalRequest);
    });
  }

  close(): Promise<void> {
    this.closed ??= this.fatal
      ? this.worker.terminate().then(() => undefined)
      : new Promise<void>((resolve) => {
          this.worker.once("exit", () => resolve());
          this.worker.ref();
          this.worker.postMessage({ close: true } satisfies JournalRequest);
        });
    return this.closed;
  }

  private receive(reply: JournalReply): void {
    if ("fatal" in reply) return this.fail(new Error(reply.fatal));
    if ("closed" in reply) return;
    const waiter = this.waiting.get(reply.id);
    this.waiting.delete(reply.id);
    if (this.waiting.size === 0) this.worker.unref();
    if (reply.ok) waiter?.resolve();
    else waiter?.reject(new Error(`SQLite commit failed: ${reply.message}`));
  }

  private fail(error: Error): void {
    this.fatal ??= error;
    for (const waiter of this.waiting.values()) waiter.reject(error);
    this.waiting.clear();
  }
}
