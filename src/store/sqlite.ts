import { accessSync, constants, existsSync, mkdirSync, statSync } from "node:fs";
import { dirname } from "node:path";
import { fileURLToPath } from "node:url";
import { Worker } from "node:worker_threads";
import { DataDirLock } from "./dataDirLock.js";
import { MirrorStore, type Journal } from "./mirror.js";
import type { WriteOp } from "./table.js";
import { loadContents, openDatabase } from "./sqliteDatabase.js";
import type { JournalReply, JournalRequest } from "./sqliteWorker.js";
import { asStartupError, asWriteError, startupError } from "./storageErrors.js";

/**
 * The embedded default: an exclusively owned SQLite file (WAL, synchronous=FULL), mirrored in memory
 * for reads, written through a worker thread that group-commits (see MirrorStore). A write is
 * acknowledged only after its commit is fsynced.
 *
 * Opening it first takes the data directory's lock (one process per directory, see DataDirLock), then
 * checks the file: an empty, damaged, read-only or full one is refused with a StorageError that names
 * it and says what to do. A write that fails for a disk reason rejects with a StorageError too.
 */
export class SqliteStore extends MirrorStore {
  constructor(location: string) {
    const lock = location === ":memory:" ? undefined : lockDirectoryOf(location);
    let contents;
    try {
      if (location !== ":memory:") {
        refuseUnwritable(location);
        refuseEmptyFile(location);
      }
      // Load (and migrate) on this thread so the store is usable at once; the worker then takes the file over.
      const db = openDatabase(location);
      try {
        contents = loadContents(db);
      } finally {
        db.close();
      }
    } catch (error) {
      lock?.release();
      throw asStartupError(error, location);
    }
    super("sqlite", location, contents, new WorkerJournal(location, lock));
  }
}

function lockDirectoryOf(location: string): DataDirLock {
  const dir = dirname(location);
  try {
    mkdirSync(dir, { recursive: true });
  } catch (error) {
    throw asStartupError(error, dir);
  }
  return DataDirLock.acquire(dir);
}

/**
 * SQLite quietly opens a file it may not write read-only (and then fails on its first lock with a
 * misleading "disk I/O error"); the write-ahead log also needs the folder writable. Asked of the OS
 * first, so the message says what it is. (root passes permission bits, but not a read-only mount.)
 */
function refuseUnwritable(location: string): void {
  for (const path of existsSync(location) ? [location, dirname(location)] : [dirname(location)]) {
    try {
      accessSync(path, constants.W_OK);
    } catch (error) {
      throw asStartupError(error, path);
    }
  }
}

/**
 * SQLite takes a 0-byte file for a new, empty database; but a file that exists and is empty is more
 * likely a failed copy or restore than a wish to start over, so it is refused (edgelite creates the
 * file itself when there is none). A write-ahead log with content means the data is there, in the log.
 */
function refuseEmptyFile(location: string): void {
  if (statSync(location, { throwIfNoEntry: false })?.size !== 0) return;
  if ((statSync(`${location}-wal`, { throwIfNoEntry: false })?.size ?? 0) > 0) return;
  throw startupError("empty", location, "0 bytes");
}

/** Compiled next to this module; when running from TypeScript sources (tests), from the build. */
function workerUrl(): URL {
  const beside = new URL("./sqliteWorker.js", import.meta.url);
  if (existsSync(fileURLToPath(beside))) return beside;
  return new URL("../../dist/src/store/sqliteWorker.js", import.meta.url);
}

class WorkerJournal implements Journal {
  private readonly worker: Worker;
  private readonly waiting = new Map<number, { resolve: () => void; reject: (error: Error) => void }>();
  private nextId = 1;
  private fatal: Error | undefined;
  private closed: Promise<void> | undefined;

  constructor(
    private readonly location: string,
    private readonly lock: DataDirLock | undefined,
  ) {
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
    // The directory's lock goes only once the worker has let go of the database.
    this.closed ??= (
      this.fatal
        ? this.worker.terminate().then(() => undefined)
        : new Promise<void>((resolve) => {
            this.worker.once("exit", () => resolve());
            this.worker.ref();
            this.worker.postMessage({ close: true } satisfies JournalRequest);
          })
    ).then(() => this.lock?.release());
    return this.closed;
  }

  private receive(reply: JournalReply): void {
    if ("fatal" in reply) return this.fail(asWriteError(reply.fatal, this.location));
    if ("closed" in reply) return;
    const waiter = this.waiting.get(reply.id);
    this.waiting.delete(reply.id);
    if (this.waiting.size === 0) this.worker.unref();
    if (reply.ok) waiter?.resolve();
    else waiter?.reject(asWriteError(reply, this.location));
  }

  private fail(error: Error): void {
    this.fatal ??= error;
    for (const waiter of this.waiting.values()) waiter.reject(error);
    this.waiting.clear();
  }
}
