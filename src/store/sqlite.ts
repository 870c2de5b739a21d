import Database from "better-sqlite3";
import { mkdirSync } from "node:fs";
import { dirname } from "node:path";
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

/**
 * The embedded default. WAL with synchronous=FULL: a write is acknowledged only after its commit is
 * fsynced, so it survives `kill -9` and power loss. better-sqlite3 is synchronous, so every method
 * runs to completion inside one event-loop turn, and the conditional writes are single transactions.
 */
export class SqliteStore implements Store {
  readonly kind = "sqlite";
  private readonly db: Database.Database;
  private readonly statements;
  private readonly transactions;

  constructor(readonly location: string) {
    if (location !== ":memory:") mkdirSync(dirname(location), { recursive: true });
    this.db = new Database(location);
    this.db.pragma("journal_mode = WAL");
    this.db.pragma("synchronous = FULL");
    this.db.pragma("foreign_keys = ON");
    this.db.pragma("busy_timeout = 5000");
    migrate(this.db);
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
    this.transactions = {
      insert: this.db.transaction(this.insertInTransaction.bind(this)),
      replace: this.db.transaction(this.replaceInTransaction.bind(this)),
      delete: this.db.transaction(this.deleteInTransaction.bind(this)),
    };
  }

  async getFunction(name: string): Promise<FunctionRecord | undefined> {
    return recordsFromRows(this.statements.get.all(name))[0];
  }

  async listFunctions({ afterName, limit }: { afterName?: string; limit: number }): Promise<FunctionRecord[]> {
    const after = afterName ?? null;
    return recordsFromRows(this.statements.list.all(after, after, limit));
  }

  async insertFunction(record: FunctionRecord, options: { maxFunctions: number }): Promise<InsertFunctionResult> {
    return this.transactions.insert.immediate(record, options);
  }

  async replaceFunction(record: FunctionRecord, expected: FunctionVersionCondition): Promise<boolean> {
    return this.transactions.replace.immediate(record, expected);
  }

  async deleteFunction(name: string, expectedDevelopmentVersion: number): Promise<boolean> {
    return this.transactions.delete.immediate(name, expectedDevelopmentVersion);
  }

  async close(): Promise<void> {
    if (this.db.open) this.db.close();
  }

  private insertInTransaction(record: FunctionRecord, { maxFunctions }: { maxFunctions: number }): InsertFunctionResult {
    if (this.statements.exists.get(record.name)) return "exists";
    if (this.statements.count.get()!.n >= maxFunctions) return "limit";
    this.statements.insertFunction.run(record.name, JSON.stringify(record.tags));
    this.writeStages(record);
    return "inserted";
  }

  private replaceInTransaction(record: FunctionRecord, expected: FunctionVersionCondition): boolean {
    const versions = new Map(this.statements.versions.all(record.name).map((row) => [row.stage, row.version]));
    if (!versions.has("DEVELOPMENT")) return false;
    if (versions.get("DEVELOPMENT") !== expected.developmentVersion || versions.get("LIVE") !== expected.liveVersion) {
      return false;
    }
    this.statements.updateTags.run(JSON.stringify(record.tags), record.name);
    this.writeStages(record);
    return true;
  }

  private deleteInTransaction(name: string, expectedDevelopmentVersion: number): boolean {
    const development = this.statements.versions.all(name).find((row) => row.stage === "DEVELOPMENT");
    if (!development || development.version !== expectedDevelopmentVersion) return false;
    this.statements.deleteFunction.run(name);
    return true;
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
  const records: FunctionRecord[] = [];
  let current: FunctionRecord | undefined;
  for (const row of rows) {
    if (current?.name !== row.name) {
      current = { name: row.name, tags: JSON.parse(row.tags) as Tag[] } as FunctionRecord;
      records.push(current);
    }
    const stage = stageFromRow(row);
    if (row.stage === "DEVELOPMENT") current.development = stage;
    else current.live = stage;
  }
  return records;
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
