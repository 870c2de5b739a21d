import { resolve } from "node:path";

/**
 * What can go wrong with the files a store lives in, as typed data: the problem, the file, and the
 * low-level detail (SQLite's or the OS's code and words). The same error serves both moments it can
 * happen: at start (the CLI prints `message`, which names the file and says what to do) and on a write
 * (the API answers 503 ServiceUnavailable with `reason`, and logs `message`).
 */
export type StorageProblem = "in-use" | "empty" | "corrupt" | "read-only" | "full" | "io" | "not-a-folder" | "newer-schema";

export class StorageError extends Error {
  constructor(
    readonly problem: StorageProblem,
    /** The file or folder concerned. */
    readonly path: string,
    message: string,
    /** SQLite's or the OS's code (`SQLITE_FULL`, `EROFS`), when there is one. */
    readonly code?: string,
  ) {
    super(message);
    this.name = "StorageError";
  }

  /** What went wrong, without the path (that stays in the server's log): for a reply to a client. */
  get reason(): string {
    return `${REASONS[this.problem]}${this.code ? ` (${this.code})` : ""}`;
  }
}

const REASONS: Record<StorageProblem, string> = {
  "in-use": "the database is locked by another process",
  empty: "the database file is empty",
  corrupt: "the database file is damaged",
  "read-only": "the database file cannot be written",
  full: "the disk is full",
  io: "the disk reported an I/O error",
  "not-a-folder": "the data directory is not a folder",
  "newer-schema": "the database was written by a newer edgelite",
};

/** Which problem a SQLite (`SQLITE_*`, extended codes included) or Node fs (`E*`) error code means; undefined: not a storage problem. */
export function storageProblemOf(code: string | undefined): StorageProblem | undefined {
  if (code === undefined) return undefined;
  if (code === "SQLITE_FULL" || code === "ENOSPC" || code === "EDQUOT" || code === "EFBIG") return "full";
  if (code.startsWith("SQLITE_IOERR") || code === "EIO") return "io";
  if (code.startsWith("SQLITE_CORRUPT") || code === "SQLITE_NOTADB") return "corrupt";
  if (code.startsWith("SQLITE_READONLY") || code.startsWith("SQLITE_CANTOPEN") || code === "SQLITE_PERM" || code === "EROFS" || code === "EACCES" || code === "EPERM") {
    return "read-only";
  }
  if (code.startsWith("SQLITE_BUSY") || code.startsWith("SQLITE_LOCKED")) return "in-use";
  if (code === "ENOTDIR" || code === "EEXIST") return "not-a-folder";
  return undefined;
}

/** The `code` of a better-sqlite3 SqliteError or a Node system error. */
export function errorCode(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === "string" ? code : undefined;
}

const detailOf = (error: unknown) => (error instanceof Error ? error.message : String(error));

/** What to do about each problem, told at start. */
const ADVICE: Record<StorageProblem, (path: string) => string> = {
  "in-use": () => "Stop the other process, or start this one with another --data-dir (or --in-memory).",
  empty: () =>
    "It holds no edgelite data (a copy or restore may have gone wrong). Restore it from a backup, or delete it and start again for a new, empty database.",
  corrupt: (path) =>
    `Move it aside (keep it if it holds data you need: \`sqlite3 ${path} .recover\` may save some) and start again for a new, empty database, or choose another --data-dir.`,
  "read-only": () => "Make the file and its folder writable by this user, or choose another --data-dir (or --in-memory).",
  full: () => "Free some space on that disk and start again, or choose another --data-dir.",
  io: () => "Check the disk (`dmesg`, `df`), then start again, or choose another --data-dir.",
  "not-a-folder": () => "Give --data-dir a folder (it is created if missing).",
  "newer-schema": () => "Upgrade edgelite, or choose another --data-dir.",
};

const WHAT: Record<StorageProblem, string> = {
  "in-use": "is in use by another process",
  empty: "is empty",
  corrupt: "is not a readable edgelite database",
  "read-only": "cannot be written",
  full: "is on a full disk",
  io: "could not be read or written",
  "not-a-folder": "is not a folder",
  "newer-schema": "was written by a newer edgelite",
};

/** A start-up failure told plainly: `<path> <what> (<detail>). <what to do>` */
export function startupError(problem: StorageProblem, path: string, detail: string, code?: string): StorageError {
  const where = resolve(path);
  return new StorageError(problem, where, `edgelite cannot use ${where}: it ${WHAT[problem]} (${detail}). ${ADVICE[problem](where)}`, code);
}

/** Turns an error met while opening `path` into a StorageError that says what to do; other errors pass unchanged. */
export function asStartupError(error: unknown, path: string): unknown {
  if (error instanceof StorageError) return error;
  const code = errorCode(error);
  const problem = storageProblemOf(code);
  const detail = detailOf(error);
  return problem ? startupError(problem, path, code && !detail.startsWith(code) ? `${code}: ${detail}` : detail, code) : error;
}

/** Turns an error met while committing to `path` into a StorageError (a write refused for disk reasons); other errors pass unchanged. */
export function asWriteError(error: { code?: string; message: string }, path: string): Error {
  const problem = storageProblemOf(error.code);
  if (!problem) return new Error(`SQLite commit failed: ${error.message}`);
  return new StorageError(problem, resolve(path), `writing ${resolve(path)} failed: ${error.message}${error.code ? ` (${error.code})` : ""}`, error.code);
}
