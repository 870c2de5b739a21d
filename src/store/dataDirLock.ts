import { readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { DATA_DIR_LOCK_WAIT_MS } from "../limits.js";
import { sqliteDriver, type SqliteDatabase } from "./sqliteDatabase.js";
import { asStartupError, errorCode, startupError, storageProblemOf } from "./storageErrors.js";

export const LOCK_FILE_NAME = "edgelite.lock";
/** Next to the lock: the pid of the process holding it, so that a second one can name it. */
export const LOCK_OWNER_FILE_NAME = "edgelite.lock.pid";

/**
 * One process per data directory. Node has no flock(), so the lock is SQLite's own: a small database
 * file opened in `locking_mode=EXCLUSIVE` and written once, which makes SQLite take an fcntl() write lock
 * on it and keep it while the connection is open. The kernel drops that lock when the process ends,
 * however it ends (kill -9 included), so a stale lock cannot outlive its owner; and fcntl() is atomic, so
 * of two processes started at the same moment exactly one gets it.
 */
export class DataDirLock {
  private constructor(
    private readonly connection: SqliteDatabase,
    private readonly ownerFile: string,
  ) {}

  /** Takes the lock on `dir` (which must exist) or throws a StorageError naming the directory and the process holding it. */
  static acquire(dir: string): DataDirLock {
    const lockFile = join(dir, LOCK_FILE_NAME);
    const ownerFile = join(dir, LOCK_OWNER_FILE_NAME);
    // Outside the try below: a driver that cannot load is not a storage problem of this directory.
    const Database = sqliteDriver();
    let connection: SqliteDatabase | undefined;
    try {
      // A short busy wait: two processes racing for the lock can both back off on the first try.
      connection = new Database(lockFile, { timeout: DATA_DIR_LOCK_WAIT_MS });
      connection.pragma("locking_mode = EXCLUSIVE");
      // The exclusive lock is the first thing taken: any read before it (a journal_mode pragma reads the
      // header) would hold a shared lock in this mode, and two processes each holding one wait for the
      // other until both give up.
      connection.exec("BEGIN EXCLUSIVE; CREATE TABLE IF NOT EXISTS lock (held INTEGER); COMMIT");
    } catch (error) {
      connection?.close();
      if (storageProblemOf(errorCode(error)) === "in-use") {
        const owner = awaitRecordedOwner(ownerFile);
        throw startupError(
          "in-use",
          dir,
          owner === undefined ? "another edgelite process holds its lock" : `edgelite process ${owner} holds its lock, see ${ownerFile}`,
          errorCode(error),
        );
      }
      throw asStartupError(error, lockFile);
    }
    try {
      writeFileSync(ownerFile, `${process.pid}\n`);
    } catch (error) {
      connection.close();
      throw asStartupError(error, ownerFile);
    }
    return new DataDirLock(connection, ownerFile);
  }

  release(): void {
    if (!this.connection.open) return;
    if (recordedOwner(this.ownerFile) === process.pid) rmSync(this.ownerFile, { force: true });
    this.connection.close();
  }
}

/**
 * The owner writes its pid just after it takes the lock: a process that lost a race by a hair may look
 * before that, so it looks again for a moment before saying it does not know.
 */
function awaitRecordedOwner(ownerFile: string): number | undefined {
  const deadline = Date.now() + DATA_DIR_LOCK_WAIT_MS;
  const pause = new Int32Array(new SharedArrayBuffer(4));
  for (;;) {
    const owner = recordedOwner(ownerFile);
    if (owner !== undefined && owner !== process.pid) return owner;
    if (Date.now() >= deadline) return owner;
    Atomics.wait(pause, 0, 0, 20);
  }
}

/** The pid in the owner file, if there is one and that process is alive. */
function recordedOwner(ownerFile: string): number | undefined {
  let text: string;
  try {
    text = readFileSync(ownerFile, "utf8");
  } catch {
    return undefined;
  }
  const pid = Number(text.trim());
  if (!Number.isSafeInteger(pid) || pid <= 0) return undefined;
  try {
    process.kill(pid, 0);
    return pid;
  } catch (error) {
    // EPERM: alive, but another user's.
    return errorCode(error) === "EPERM" ? pid : undefined;
  }
}
