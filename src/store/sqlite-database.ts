import Database from "better-sqlite3";
import { deepFreeze } from "./records.js";
import { SQLITE_MIGRATIONS } from "./sqlite-migrations.js";
import type { WriteOp } from "./mirror.js";
import type { FunctionRecord, FunctionStageRecord, Runtime, Tag } from "./types.js";

/** Everything that touches the SQLite file: opening it right, migrating, loading, applying writes. */

export type SqliteDatabase = Database.Database;

/**
 * WAL with synchronous=FULL: a commit returns only after it is fsynced, so an acknowledged write
 * survives `kill -9` and power loss. locking_mode=EXCLUSIVE: one process owns the file, which is what
 * lets the store answer reads from memory.
 */
export function openDatabase(location: string): SqliteDatabase {
  const db = new Database(location, { timeout: 1000 });
  try {
    db.pragma("locking_mode = EXCLUSIVE");
    db.pragma("journal_mode = WAL");
    db.pragma("synchronous = FULL");
    db.pragma("foreign_keys = ON");
    migrate(db);
    return db;
  } catch (error) {
    db.close();
    if ((error as { code?: string }).code === "SQLITE_BUSY") {
      throw new Error(`${location} is in use by another edgelite process; stop it or choose another --data-dir.`);
    }
    throw error;
  }
}

function migrate(db: SqliteDatabase): void {
  const current = db.pragma("user_version", { simple: true }) as number;
  if (current > SQLITE_MIGRATIONS.length) {
    throw new Error(
      `The database was written by a newer edgelite (schema ${current}, this one knows ${SQLITE_MIGRATIONS.length}). Upgrade edgelite.`,
    );
  }
  for (let version = current; version < SQLITE_MIGRATIONS.length; version++) {
    db.transaction(() => {
      db.exec(SQLITE_MIGRATIONS[version]!);
      db.pragma(`user_version = ${version + 1}`);
    }).immediate();
  }
}

/** The JSON in `functions.metadata`: the record without its code. */
interface StoredMetadata {
  tags: Tag[];
  development: StoredStage;
  live?: StoredStage;
}

interface StoredStage {
  comment: string;
  runtime: Runtime;
  keyValueStoreArns: string[];
  version: number;
  createdTime: number;
  lastModifiedTime: number;
}

interface FunctionRow {
  name: string;
  metadata: string;
  development_code: Buffer;
  live_code: Buffer | null;
}

export function loadFunctions(db: SqliteDatabase): FunctionRecord[] {
  return db
    .prepare<[], FunctionRow>(`SELECT name, metadata, development_code, live_code FROM functions ORDER BY name`)
    .all()
    .map((row) => {
      const metadata = JSON.parse(row.metadata) as StoredMetadata;
      const record: FunctionRecord = {
        name: row.name,
        development: stageFrom(metadata.development, row.development_code),
        ...(metadata.live && row.live_code ? { live: stageFrom(metadata.live, row.live_code) } : {}),
        tags: metadata.tags,
      };
      return deepFreeze(record);
    });
}

function stageFrom(stored: StoredStage, code: Buffer): FunctionStageRecord {
  return {
    comment: stored.comment,
    runtime: stored.runtime,
    keyValueStoreArns: stored.keyValueStoreArns,
    code: new Uint8Array(code),
    version: stored.version,
    createdTime: new Date(stored.createdTime),
    lastModifiedTime: new Date(stored.lastModifiedTime),
  };
}

function storedStage(stage: FunctionStageRecord): StoredStage {
  return {
    comment: stage.comment,
    runtime: stage.runtime,
    keyValueStoreArns: [...stage.keyValueStoreArns],
    version: stage.version,
    createdTime: stage.createdTime.getTime(),
    lastModifiedTime: stage.lastModifiedTime.getTime(),
  };
}

const asBuffer = (bytes: Uint8Array) => Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);

/** Returns a function that applies a batch of writes in one transaction (one fsync). */
export function writer(db: SqliteDatabase): (ops: WriteOp[]) => void {
  const upsert = db.prepare(
    `INSERT INTO functions (name, metadata, development_code, live_code) VALUES (?, ?, ?, ?)
     ON CONFLICT (name) DO UPDATE SET metadata = excluded.metadata, development_code = excluded.development_code,
       live_code = excluded.live_code`,
  );
  const remove = db.prepare(`DELETE FROM functions WHERE name = ?`);

  const nameOf = (op: WriteOp) => (op.kind === "put" ? op.record.name : op.name);
  const apply = db.transaction((ops: WriteOp[]) => {
    // Only the last write to a name in a batch matters: the batch commits whole or not at all.
    const last = new Map(ops.map((op, index) => [nameOf(op), index]));
    for (const [index, op] of ops.entries()) {
      if (last.get(nameOf(op)) !== index) continue;
      if (op.kind === "delete") {
        remove.run(op.name);
        continue;
      }
      const { record } = op;
      const metadata: StoredMetadata = {
        tags: [...record.tags],
        development: storedStage(record.development),
        ...(record.live ? { live: storedStage(record.live) } : {}),
      };
      upsert.run(record.name, JSON.stringify(metadata), asBuffer(record.development.code), record.live ? asBuffer(record.live.code) : null);
    }
  });
  return (ops) => apply.immediate(ops);
}
