import type BetterSqlite3 from "better-sqlite3";
import { createRequire } from "node:module";
import { deepFreeze } from "./records.js";
import { SQLITE_MIGRATIONS } from "./sqlite-migrations.js";
import { startupError } from "./storageErrors.js";
import type { MirrorContents, WriteOp } from "./mirror.js";
import type { DistributionRecord, FunctionRecord, FunctionStageRecord, KeyValueStoreRecord, Runtime, Tag } from "./types.js";

/** Everything that touches the SQLite file: opening it right, migrating, loading, applying writes. */

export type SqliteDatabase = BetterSqlite3.Database;

/**
 * better-sqlite3 12 is the last that runs on Node 20 (13 crashes there); on Node 24, 12 aborts when
 * statements are finalised ("RemoveEnvironmentCleanupHook … (env) != nullptr", seen here) and 13 does
 * not. package.json installs 13 under an alias where Node allows it; this picks it on Node 24+.
 */
function loadDriver(): typeof BetterSqlite3 {
  const require = createRequire(import.meta.url);
  if (Number(process.versions.node.split(".")[0]) >= 24) {
    try {
      return require("better-sqlite3-node24") as typeof BetterSqlite3;
    } catch {
      // fall back to the default driver
    }
  }
  return require("better-sqlite3") as typeof BetterSqlite3;
}

/** The better-sqlite3 driver for this Node version. */
export const Database: typeof BetterSqlite3 = loadDriver();

/**
 * WAL with synchronous=FULL: a commit returns only after it is fsynced, so an acknowledged write
 * survives `kill -9` and power loss. locking_mode=EXCLUSIVE: one process owns the file, which is what
 * lets the store answer reads from memory. Errors are SQLite's own (SqliteError with its code); the
 * caller tells them plainly (storageErrors.ts).
 */
export function openDatabase(location: string): SqliteDatabase {
  const db = new Database(location, { timeout: 1000 });
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

interface StoredKeyValueStore {
  name: string;
  comment: string;
  readyAt: number;
  version: number;
  dataVersion: number;
  createdTime: number;
  lastModifiedTime: number;
  dataLastModifiedTime: number;
  itemCount: number;
  totalSizeInBytes: number;
  tags: Tag[];
}

export function loadContents(db: SqliteDatabase): MirrorContents {
  const keysByStore = new Map<string, Array<[string, string]>>();
  for (const row of db.prepare<[], { store_id: string; key: string; value: string }>(`SELECT store_id, key, value FROM key_value_store_keys`).all()) {
    let list = keysByStore.get(row.store_id);
    if (!list) keysByStore.set(row.store_id, (list = []));
    list.push([row.key, row.value]);
  }
  const stores = db
    .prepare<[], { id: string; metadata: string }>(`SELECT id, metadata FROM key_value_stores`)
    .all()
    .map((row) => {
      const m = JSON.parse(row.metadata) as StoredKeyValueStore;
      const record: KeyValueStoreRecord = Object.freeze({
        id: row.id,
        name: m.name,
        comment: m.comment,
        readyAt: new Date(m.readyAt),
        version: m.version,
        dataVersion: m.dataVersion,
        createdTime: new Date(m.createdTime),
        lastModifiedTime: new Date(m.lastModifiedTime),
        dataLastModifiedTime: new Date(m.dataLastModifiedTime),
        itemCount: m.itemCount,
        totalSizeInBytes: m.totalSizeInBytes,
        tags: m.tags,
      });
      return { record, keys: keysByStore.get(row.id) ?? [] };
    });
  const distributions = db
    .prepare<[], { id: string; metadata: string; config: string }>(`SELECT id, metadata, config FROM distributions`)
    .all()
    .map((row) => {
      const m = JSON.parse(row.metadata) as StoredDistribution;
      return Object.freeze({
        id: row.id,
        domainName: m.domainName,
        callerReference: m.callerReference,
        enabled: m.enabled,
        aliases: m.aliases,
        functionArns: m.functionArns,
        configXml: row.config,
        version: m.version,
        createdTime: new Date(m.createdTime),
        lastModifiedTime: new Date(m.lastModifiedTime),
      });
    });
  return { functions: loadFunctions(db), stores, distributions };
}

interface StoredDistribution {
  domainName: string;
  callerReference: string;
  enabled: boolean;
  aliases: string[];
  functionArns: string[];
  version: number;
  createdTime: number;
  lastModifiedTime: number;
}

function storedDistribution(record: DistributionRecord): StoredDistribution {
  return {
    domainName: record.domainName,
    callerReference: record.callerReference,
    enabled: record.enabled,
    aliases: [...record.aliases],
    functionArns: [...record.functionArns],
    version: record.version,
    createdTime: record.createdTime.getTime(),
    lastModifiedTime: record.lastModifiedTime.getTime(),
  };
}

function storedKeyValueStore(record: KeyValueStoreRecord): StoredKeyValueStore {
  return {
    name: record.name,
    comment: record.comment,
    readyAt: record.readyAt.getTime(),
    version: record.version,
    dataVersion: record.dataVersion,
    createdTime: record.createdTime.getTime(),
    lastModifiedTime: record.lastModifiedTime.getTime(),
    dataLastModifiedTime: record.dataLastModifiedTime.getTime(),
    itemCount: record.itemCount,
    totalSizeInBytes: record.totalSizeInBytes,
    tags: [...record.tags],
  };
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
  const upsertStore = db.prepare(
    `INSERT INTO key_value_stores (id, name, metadata) VALUES (?, ?, ?)
     ON CONFLICT (id) DO UPDATE SET name = excluded.name, metadata = excluded.metadata`,
  );
  const removeStore = db.prepare(`DELETE FROM key_value_stores WHERE id = ?`);
  const putKey = db.prepare(`INSERT INTO key_value_store_keys (store_id, key, value) VALUES (?, ?, ?) ON CONFLICT (store_id, key) DO UPDATE SET value = excluded.value`);
  const deleteKey = db.prepare(`DELETE FROM key_value_store_keys WHERE store_id = ? AND key = ?`);
  const upsertDistribution = db.prepare(
    `INSERT INTO distributions (id, metadata, config) VALUES (?, ?, ?) ON CONFLICT (id) DO UPDATE SET metadata = excluded.metadata, config = excluded.config`,
  );
  const removeDistribution = db.prepare(`DELETE FROM distributions WHERE id = ?`);

  const functionName = (op: WriteOp) => (op.kind === "put" ? op.record.name : op.kind === "delete" ? op.name : undefined);
  const apply = db.transaction((ops: WriteOp[]) => {
    // Only the last write to a function in a batch matters: the batch commits whole or not at all.
    const last = new Map<string, number>();
    ops.forEach((op, index) => {
      const name = functionName(op);
      if (name !== undefined) last.set(name, index);
    });
    for (const [index, op] of ops.entries()) {
      switch (op.kind) {
        case "delete":
          if (last.get(op.name) === index) remove.run(op.name);
          break;
        case "put": {
          if (last.get(op.record.name) !== index) break;
          const { record } = op;
          const metadata: StoredMetadata = {
            tags: [...record.tags],
            development: storedStage(record.development),
            ...(record.live ? { live: storedStage(record.live) } : {}),
          };
          upsert.run(record.name, JSON.stringify(metadata), asBuffer(record.development.code), record.live ? asBuffer(record.live.code) : null);
          break;
        }
        case "putStore":
          upsertStore.run(op.record.id, op.record.name, JSON.stringify(storedKeyValueStore(op.record)));
          for (const [key, value] of op.keys ?? []) putKey.run(op.record.id, key, value);
          break;
        case "deleteStore":
          removeStore.run(op.id);
          break;
        case "keys":
          upsertStore.run(op.record.id, op.record.name, JSON.stringify(storedKeyValueStore(op.record)));
          for (const key of op.changes.deletes) deleteKey.run(op.record.id, key);
          for (const [key, value] of op.changes.puts) putKey.run(op.record.id, key, value);
          break;
        case "putDistribution":
          upsertDistribution.run(op.record.id, JSON.stringify(storedDistribution(op.record)), op.record.configXml);
          break;
        case "deleteDistribution":
          removeDistribution.run(op.id);
          break;
      }
    }
  });
  return (ops) => apply.immediate(ops);
}
