import type BetterSqlite3 from "better-sqlite3";
import { loadNativeModule } from "../native.js";
import { deepFreeze } from "./records.js";
import { SQLITE_MIGRATIONS } from "./sqliteMigrations.js";
import { startupError } from "./storageErrors.js";
import { TableContents, type Loaded, type Row, type TableSpec, type WriteOp } from "./table.js";
import { TABLES } from "./tables/index.js";

/** Everything that touches the SQLite file: opening it right, migrating, loading, applying writes. */

export type SqliteDatabase = BetterSqlite3.Database;

let driver: typeof BetterSqlite3 | undefined;

/**
 * The better-sqlite3 driver for this Node version, loaded on first use (so a missing build is reported where the
 * database is opened, as NativeModuleUnavailable, not as an import failure). better-sqlite3 12 is the last that runs
 * on Node 20 (13 crashes there); on Node 24, 12 aborts when statements are finalised ("RemoveEnvironmentCleanupHook …
 * (env) != nullptr", seen here) and 13 does not: native/node<major>/package.json names the one each major installs.
 */
export function sqliteDriver(): typeof BetterSqlite3 {
  driver ??= loadNativeModule("better-sqlite3") as typeof BetterSqlite3;
  return driver;
}

/**
 * WAL with synchronous=FULL: a commit returns only after it is fsynced, so an acknowledged write
 * survives `kill -9` and power loss. locking_mode=EXCLUSIVE: one process owns the file, which is what
 * lets the store answer reads from memory. Errors are SQLite's own (SqliteError with its code); the
 * caller tells them plainly (storageErrors.ts).
 */
export function openDatabase(location: string): SqliteDatabase {
  const db = new (sqliteDriver())(location, { timeout: 1000 });
  try {
    db.pragma("locking_mode = EXCLUSIVE");
    db.pragma("journal_mode = WAL");
    db.pragma("synchronous = FULL");
    db.pragma("foreign_keys = ON");
    migrate(db, location);
    // SQLite quietly opens a file it may not write read-only; one small write now finds that out at start, not on the first request.
    db.pragma(`user_version = ${SQLITE_MIGRATIONS.length}`);
    return db;
  } catch (error) {
    db.close();
    throw error;
  }
}

function migrate(db: SqliteDatabase, location: string): void {
  const current = db.pragma("user_version", { simple: true }) as number;
  if (current > SQLITE_MIGRATIONS.length) {
    throw startupError("newer-schema", location, `schema ${current}, this edgelite knows ${SQLITE_MIGRATIONS.length}`);
  }
  for (let version = current; version < SQLITE_MIGRATIONS.length; version++) {
    db.transaction(() => {
      db.exec(SQLITE_MIGRATIONS[version]!);
      db.pragma(`user_version = ${version + 1}`);
    }).immediate();
  }
}

/** Reads every table into memory (the store never queries after start). */
export function loadContents(db: SqliteDatabase): TableContents {
  const contents = new TableContents();
  for (const spec of TABLES) contents.set(spec, loadTable(db, spec));
  return contents;
}

function loadTable<R>(db: SqliteDatabase, spec: TableSpec<R>): Loaded<R>[] {
  const entriesByOwner = new Map<string, Array<[string, string]>>();
  if (spec.entries) {
    const { table, ownerColumn, keyColumn, valueColumn } = spec.entries;
    for (const row of db.prepare<[], { owner: string; key: string; value: string }>(`SELECT ${ownerColumn} AS owner, ${keyColumn} AS key, ${valueColumn} AS value FROM ${table}`).all()) {
      let list = entriesByOwner.get(row.owner);
      if (!list) entriesByOwner.set(row.owner, (list = []));
      list.push([row.key, row.value]);
    }
  }
  return db
    .prepare<[], Row>(`SELECT ${spec.columns.join(", ")} FROM ${spec.name} ORDER BY ${spec.columns[0]}`)
    .all()
    .map((row) => {
      const record = deepFreeze(spec.fromRow(row));
      return spec.entries ? { record, entries: entriesByOwner.get(spec.key(record)) ?? [] } : { record };
    });
}

/** The statements that write one table, prepared once. */
interface TableWriter {
  upsert: BetterSqlite3.Statement;
  remove: BetterSqlite3.Statement;
  putEntry?: BetterSqlite3.Statement;
  deleteEntry?: BetterSqlite3.Statement;
}

function tableWriter(db: SqliteDatabase, spec: TableSpec<unknown>): TableWriter {
  const [key, ...rest] = spec.columns;
  const writer: TableWriter = {
    upsert: db.prepare(
      `INSERT INTO ${spec.name} (${spec.columns.join(", ")}) VALUES (${spec.columns.map((column) => `@${column}`).join(", ")})
       ON CONFLICT (${key}) DO ${rest.length === 0 ? "NOTHING" : `UPDATE SET ${rest.map((column) => `${column} = excluded.${column}`).join(", ")}`}`,
    ),
    remove: db.prepare(`DELETE FROM ${spec.name} WHERE ${key} = ?`),
  };
  if (spec.entries) {
    const { table, ownerColumn, keyColumn, valueColumn } = spec.entries;
    writer.putEntry = db.prepare(
      `INSERT INTO ${table} (${ownerColumn}, ${keyColumn}, ${valueColumn}) VALUES (?, ?, ?) ON CONFLICT (${ownerColumn}, ${keyColumn}) DO UPDATE SET ${valueColumn} = excluded.${valueColumn}`,
    );
    writer.deleteEntry = db.prepare(`DELETE FROM ${table} WHERE ${ownerColumn} = ? AND ${keyColumn} = ?`);
  }
  return writer;
}

/** Returns a function that applies a batch of writes in one transaction (one fsync). */
export function writer(db: SqliteDatabase): (ops: WriteOp[]) => void {
  const specs = new Map(TABLES.map((spec) => [spec.name, spec]));
  const writers = new Map(TABLES.map((spec) => [spec.name, tableWriter(db, spec)]));
  const apply = db.transaction((ops: WriteOp[]) => {
    // A write that a later one in the batch replaces is skipped (the batch commits whole or not at all), except
    // in a table with entries, where each write may carry its own entry changes.
    const last = new Map<string, number>();
    ops.forEach((op, index) => last.set(`${op.table}\0${op.key}`, index));
    for (const [index, op] of ops.entries()) {
      const spec = specs.get(op.table);
      const statements = writers.get(op.table);
      if (!spec || !statements) throw new Error(`no table named ${op.table}`);
      if (!spec.entries && last.get(`${op.table}\0${op.key}`) !== index) continue;
      if (op.kind === "delete") {
        statements.remove.run(op.key);
        continue;
      }
      statements.upsert.run(spec.toRow(op.record));
      for (const key of op.entries?.deletes ?? []) statements.deleteEntry!.run(op.key, key);
      for (const [key, value] of op.entries?.puts ?? []) statements.putEntry!.run(op.key, key, value);
    }
  });
  return (ops) => apply.immediate(ops);
}
