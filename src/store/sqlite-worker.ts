import { parentPort, workerData } from "node:worker_threads";
import type { WriteOp } from "./mirror.js";
import { openDatabase, writer } from "./sqlite-database.js";

/**
 * The thread that owns the SQLite connection and does the committing, so that a commit's fsync never
 * blocks the server's event loop. Messages: {id, ops} → {id, ok} | {id, ok: false, message}; {close}.
 */
export type JournalRequest = { id: number; ops: WriteOp[] } | { close: true };
export type JournalReply = { id: number; ok: true } | { id: number; ok: false; message: string } | { fatal: string } | { closed: true };

const port = parentPort!;
let db: ReturnType<typeof openDatabase>;
let apply: (ops: WriteOp[]) => void;
try {
  db = openDatabase((workerData as { location: string }).location);
  apply = writer(db);
} catch (error) {
  port.postMessage({ fatal: error instanceof Error ? error.message : String(error) } satisfies JournalReply);
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
    port.postMessage({ id: request.id, ok: false, message: error instanceof Error ? error.message : String(error) } satisfies JournalReply);
  }
});
