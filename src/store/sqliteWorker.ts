import { parentPort, workerData } from "node:worker_threads";
import type { WriteOp } from "./table.js";
import { openDatabase, writer } from "./sqliteDatabase.js";
import { errorCode } from "./storageErrors.js";

/**
 * The thread that owns the SQLite connection and does the committing, so that a commit's fsync never
 * blocks the server's event loop. Messages: {id, ops} → {id, ok} | {id, ok: false, message}; {close}.
 */
export type JournalRequest = { id: number; ops: WriteOp[] } | { close: true };
/** A failure as it crosses the thread boundary: SQLite's words and code (`SQLITE_FULL`, `SQLITE_IOERR_WRITE`). */
export interface JournalFailure {
  message: string;
  code?: string;
}
export type JournalReply = { id: number; ok: true } | ({ id: number; ok: false } & JournalFailure) | { fatal: JournalFailure } | { closed: true };

function failure(error: unknown): JournalFailure {
  const code = errorCode(error);
  return { message: error instanceof Error ? error.message : String(error), ...(code ? { code } : {}) };
}

const port = parentPort!;
let db: ReturnType<typeof openDatabase>;
let apply: (ops: WriteOp[]) => void;
try {
  db = openDatabase((workerData as { location: string }).location);
  apply = writer(db);
} catch (error) {
  port.postMessage({ fatal: failure(error) } satisfies JournalReply);
  process.exit(1);
}

port.on("message", (request: JournalRequest) => {
  if ("close" in request) {
    db.close();
    port.postMessage({ closed: true } satisfies JournalReply);
    port.close();
    return;
  }
  try {
    apply(request.ops);
    port.postMessage({ id: request.id, ok: true } satisfies JournalReply);
  } catch (error) {
    // SQLite rolls back a transaction that failed for a disk reason; make sure none is left open for the next batch.
    if (db.inTransaction) {
      try {
        db.exec("ROLLBACK");
      } catch {
        // nothing more to undo
      }
    }
    port.postMessage({ id: request.id, ok: false, ...failure(error) } satisfies JournalReply);
  }
});
