import Database from "better-sqlite3";
import { mkdirSync } from "node:fs";
import { dirname } from "node:path";
import { deepFreeze, snapshot } from "./records.js";
import { SQLITE_MIGRATIONS } from "./sqlite-migrations.js";
import type {
  FunctionRecord,
  FunctionStageRecord,
  FunctionVersionCondition,
  InsertFunctionResult,
  Runtime,
  Stage,
  Store,
  Tag,
} from "./types.js";

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

const STAGE_COLUMNS = `f.name, f.tags, s.stage, s.version, s.comment, s.runtime, s.key_value_store_arns, s.code,
  s.created_time, s.last_modified_time`;

interface PendingWrite {
  run: () => unknown;
  resolve: (value: never) => void;
  reject: (error: unknown) => void;
}

/**
 * The embedded default.
 *
 * Durability: WAL with synchronous=FULL, and a write is acknowledged only after the commit holding it
 * is fsynced, so it survives `kill -9` and power loss.
 *
 * Group commit: writes arriving in the same event-loop turn are committed together, each inside its own
 * savepoint (one failing write rolls back alone), with one fsync for the batch. Conditional writes see
 * the writes queued before them, so compare-and-swap stays exact.
 *
 * Exclusive ownership: the file is opened with locking_mode=EXCLUSIVE, so one server owns a data
 * directory; that is what lets committed records be cached in memory for reads.
 */
export class SqliteStore implements Store {
  readonly kind = "sqlite";
  private readonly db: Database.Database;
  private readonly statements;
  private readonly commitBatch: Database.Transaction<(batch: PendingWrite[]) => Array<{ ok: boolean; value: unknown }>>;
  private readonly inSavepoint: Database.Transaction<(run: () => unknown) => unknown>;
  /** Committed records by name; absent means "not cached", not "does not exist". */
  private readonly cache = new Map<string, FunctionRecord>();
  /** Cache changes made by the batch being committed, applied only once it is durable. */
  private cacheChanges: Array<() => void> = [];
  private pending: PendingWrite[] = [];
  private flushScheduled = false;

  constructor(readonly location: string) {
    if (location !== ":memory:") mkdirSync(dirname(location), { recursive: true });
    this.db = new Database(location, { timeout: 1000 });
    try {
      this.db.pragma("locking_mode = EXCLUSIVE");
      this.db.pragma("journal_mode = WAL");
      this.db.pragma("synchronous = FULL");
      this.db.pragma("foreign_keys = ON");
      migrate(this.db);
    } catch (error) {
      this.db.close();
      if ((error as { code?: string }).code === "SQLITE_BUSY") {
        throw new Error(`${location} is in use by another edgelite process; stop it or choose another --data-dir.`);
      }
      throw error;
    }
    this.statements = {
      get: this.db.prepare<[string], StageRow>(
        `SELECT ${STAGE_COLUMNS} FROM functions f JOIN function_stages s ON s.function_name = f.name WHERE f.name = ?`,
      ),
      list: this.db.prepare<[string | null, string | null, number], StageRow>(
        `SELECT ${STAGE_COLUMNS}
         FROM (SELECT name, tags FROM functions WHERE ? IS NULL OR name > ? ORDER BY name LIMIT ?) f
         JOIN function_stages s ON s.function_name = f.name
         ORDER BY f.name, s.stage`,
      ),
      exists: this.db.prepare<[string], { one: number }>(`SELECT 1 AS one FROM functions WHERE name = ?`),
      count: this.db.prepare<[], { n: number }>(`SELECT count(*) AS n FROM functions`),
      versions: this.db.prepare<[string], { stage: Stage; version: number }>(
        `SELECT stage, version FROM function_stages WHERE function_name = ?`,
      ),
      insertFunction: this.db.prepare(`INSERT INTO functions (name, tags) VALUES (?, ?)`),
      updateTags: this.db.prepare(`UPDATE functions SET tags = ? WHERE name = ?`),
      upsertStage: this.db.prepare(
        `INSERT INTO function_stages (function_name, stage, version, comment, runtime, key_value_store_arns, code,
           created_time, last_modified_time)
         VALUES (@name, @stage, @version, @comment, @runtime, @arns, @code, @created, @modified)
         ON CONFLICT (function_name, stage) DO UPDATE SET version = excluded.version, comment = excluded.comment,
           runtime = excluded.runtime, key_value_store_arns = excluded.key_value_store_arns, code = excluded.code,
           created_time = excluded.created_time, last_modified_time = excluded.last_modified_time`,
      ),
      deleteStage: this.db.prepare(`DELETE FROM function_stages WHERE function_name = ? AND stage = ?`),
      deleteFunction: this.db.prepare(`DELETE FROM functions WHERE name = ?`),
    };
    // A transaction function called inside another runs as a SAVEPOINT (better-sqlite3).
    this.inSavepoint = this.db.transaction((run: () => unknown) => run());
    this.commitBatch = this.db.transaction((batch: PendingWrite[]) =>
      batch.map(({ run }) => {
        try {
          return { ok: true, value: this.inSavepoint(run) };
        } catch (error) {
          return { ok: false, value: error };
        }
      }),
    );
  }

  async getFunction(name: string): Promise<FunctionRecord | undefined> {
    const cached = this.cache.get(name);
    if (cached) return cached;
    const record = recordsFromRows(this.statements.get.all(name))[0];
    if (record) this.cache.set(name, record);
    return record;
  }

  async listFunctions({ afterName, limit }: { afterName?: string; limit: number }): Promise<FunctionRecord[]> {
    const after = afterName ?? null;
    return recordsFromRows(this.statements.list.all(after, after, limit));
  }

  insertFunction(record: FunctionRecord, { maxFunctions }: { maxFunctions: number }): Promise<InsertFunctionResult> {
    return this.write((): InsertFunctionResult => {
      if (this.statements.exists.get(record.name)) return "exists";
      if (this.statements.count.get()!.n >= maxFunctions) return "limit";
      this.statements.insertFunction.run(record.name, JSON.stringify(record.tags));
      this.writeStages(record);
      this.cacheAfterCommit(record.name, snapshot(record));
      return "inserted";
    });
  }

  replaceFunction(record: FunctionRecord, expected: FunctionVersionCondition): Promise<boolean> {
    return this.write(() => {
      const versions = new Map(this.statements.versions.all(record.name).map((row) => [row.stage, row.version]));
      if (!versions.has("DEVELOPMENT")) return false;
      if (versions.get("DEVELOPMENT") !== expected.developmentVersion || versions.get("LIVE") !== expected.liveVersion) {
        return false;
      }
      this.statements.updateTags.run(JSON.stringify(record.tags), record.name);
      this.writeStages(record);
      this.cacheAfterCommit(record.name, snapshot(record));
      return true;
    });
  }

  deleteFunction(name: string, expectedDevelopmentVersion: number): Promise<boolean> {
    return this.write(() => {
      const development = this.statements.versions.all(name).find((row) => row.stage === "DEVELOPMENT");
      if (!development || development.version !== expectedDevelopmentVersion) return false;
      this.statements.deleteFunction.run(name);
      this.cacheAfterCommit(name, undefined);
      return true;
    });
  }

  async close(): Promise<void> {
    if (!this.db.open) return;
    this.flush();
    this.db.close();
  }

  /** Queues a write for the next group commit; resolves once it is durable. */
  private write<R>(run: () => R): Promise<R> {
    if (!this.db.open) return Promise.reject(new Error("the store is closed"));
    return new Promise<R>((resolve, reject) => {
      this.pending.push({ run, resolve: resolve as (value: never) => void, reject });
      if (!this.flushScheduled) {
        this.flushScheduled = true;
        setImmediate(() => this.flush());
      }
    });
  }

  private flush(): void {
    this.flushScheduled = false;
    const batch = this.pending;
    if (batch.length === 0) return;
    this.pending = [];
    this.cacheChanges = [];
    let outcomes: Array<{ ok: boolean; value: unknown }>;
    try {
      outcomes = this.commitBatch.immediate(batch);
    } catch (error) {
      // The commit itself failed (disk full, I/O error): nothing in the batch was written.
      this.cacheChanges = [];
      for (const write of batch) write.reject(error);
      return;
    }
    for (const change of this.cacheChanges) change();
    this.cacheChanges = [];
    outcomes.forEach((outcome, index) => {
      const write = batch[index]!;
      if (outcome.ok) write.resolve(outcome.value as never);
      else write.reject(outcome.value);
    });
  }

  private cacheAfterCommit(name: string, record: FunctionRecord | undefined): void {
    this.cacheChanges.push(() => {
      if (record) this.cache.set(name, record);
      else this.cache.delete(name);
    });
  }

  private writeStages(record: FunctionRecord): void {
    this.upsertStage(record.name, "DEVELOPMENT", record.development);
    if (record.live) this.upsertStage(record.name, "LIVE", record.live);
    else this.statements.deleteStage.run(record.name, "LIVE");
  }

  private upsertStage(name: string, stage: Stage, data: FunctionStageRecord): void {
    this.statements.upsertStage.run({
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
  }
}

function migrate(db: Database.Database): void {
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

function recordsFromRows(rows: StageRow[]): FunctionRecord[] {
  const byName = new Map<string, StageRow[]>();
  for (const row of rows) {
    const group = byName.get(row.name);
    if (group) group.push(row);
    else byName.set(row.name, [row]);
  }
  return [...byName.values()].map((group) => {
    const development = group.find((row) => row.stage === "DEVELOPMENT")!;
    const live = group.find((row) => row.stage === "LIVE");
    const record: FunctionRecord = {
      name: development.name,
      development: stageFromRow(development),
      ...(live ? { live: stageFromRow(live) } : {}),
      tags: JSON.parse(development.tags) as Tag[],
    };
    return deepFreeze(record);
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
