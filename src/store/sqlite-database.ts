import Database from "better-sqlite3";
import { deepFreeze } from "./records.js";
import { SQLITE_MIGRATIONS } from "./sqlite-migrations.js";
import type { WriteOp } from "./mirror.js";
import type { FunctionRecord, FunctionStageRecord, Runtime, Stage, Tag } from "./types.js";

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

interface StageRow {
  name: string;
  tags: string;
  stage: Stage;
  version: number;
  comment: string;
  runtime: string;
  key_value_store_arns: string;
  code: Buffer;
  created_time: number;
  last_modified_time: number;
}

export function loadFunctions(db: SqliteDatabase): FunctionRecord[] {
  const rows = db
    .prepare<[], StageRow>(
      `SELECT f.name, f.tags, s.stage, s.version, s.comment, s.runtime, s.key_value_store_arns, s.code, s.created_time,
         s.last_modified_time
       FROM functions f JOIN function_stages s ON s.function_name = f.name ORDER BY f.name, s.stage`,
    )
    .all();
  const byName = new Map<string, StageRow[]>();
  for (const row of rows) byName.set(row.name, [...(byName.get(row.name) ?? []), row]);
  return [...byName.values()].map((group) => {
    const development = group.find((row) => row.stage === "DEVELOPMENT")!;
    const live = group.find((row) => row.stage === "LIVE");
    return deepFreeze({
      name: development.name,
      development: stageFromRow(development),
      ...(live ? { live: stageFromRow(live) } : {}),
      tags: JSON.parse(development.tags) as Tag[],
    });
  });
}

function stageFromRow(row: StageRow): FunctionStageRecord {
  return {
    comment: row.comment,
    runtime: row.runtime as Runtime,
    keyValueStoreArns: JSON.parse(row.key_value_store_arns) as string[],
    code: new Uint8Array(row.code),
    version: row.version,
    createdTime: new Date(row.created_time),
    lastModifiedTime: new Date(row.last_modified_time),
  };
}

/** Returns a function that applies a batch of writes in one transaction (one fsync). */
export function writer(db: SqliteDatabase): (ops: WriteOp[]) => void {
  const upsertFunction = db.prepare(`INSERT INTO functions (name, tags) VALUES (?, ?) ON CONFLICT (name) DO UPDATE SET tags = excluded.tags`);
  const upsertStage = db.prepare(
    `INSERT INTO function_stages (function_name, stage, version, comment, runtime, key_value_store_arns, code,
       created_time, last_modified_time)
     VALUES (@name, @stage, @version, @comment, @runtime, @arns, @code, @created, @modified)
     ON CONFLICT (function_name, stage) DO UPDATE SET version = excluded.version, comment = excluded.comment,
       runtime = excluded.runtime, key_value_store_arns = excluded.key_value_store_arns, code = excluded.code,
       created_time = excluded.created_time, last_modified_time = excluded.last_modified_time`,
  );
  const deleteStage = db.prepare(`DELETE FROM function_stages WHERE function_name = ? AND stage = ?`);
  const deleteFunction = db.prepare(`DELETE FROM functions WHERE name = ?`);

  const putStage = (name: string, stage: Stage, data: FunctionStageRecord) =>
    upsertStage.run({
      name,
      stage,
      version: data.version,
      comment: data.comment,
      runtime: data.runtime,
      arns: JSON.stringify(data.keyValueStoreArns),
      code: Buffer.from(data.code.buffer, data.code.byteOffset, data.code.byteLength),
      created: data.createdTime.getTime(),
      modified: data.lastModifiedTime.getTime(),
    });

  const apply = db.transaction((ops: WriteOp[]) => {
    for (const op of ops) {
      if (op.kind === "delete") {
        deleteFunction.run(op.name);
        continue;
      }
      const { record } = op;
      upsertFunction.run(record.name, JSON.stringify(record.tags));
      putStage(record.name, "DEVELOPMENT", record.development);
      if (record.live) putStage(record.name, "LIVE", record.live);
      else deleteStage.run(record.name, "LIVE");
    }
  });
  return (ops) => apply.immediate(ops);
}
