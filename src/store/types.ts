/**
 * The persistence boundary. Everything above it talks in these plain records; nothing here knows
 * about HTTP, XML or a particular database. Every write is a conditional write on the version the
 * caller read (compare-and-swap), so an implementation only needs atomic single-function updates —
 * a SQLite transaction, a PostgreSQL `UPDATE … WHERE version = $n` — never an in-process lock.
 */

export type Runtime = "cloudfront-js-1.0" | "cloudfront-js-2.0";
export type Stage = "DEVELOPMENT" | "LIVE";

export interface Tag {
  readonly key: string;
  readonly value?: string;
}

/** One stage (DEVELOPMENT or LIVE) of a function: its config, code and version. */
export interface FunctionStageRecord {
  readonly comment: string;
  readonly runtime: Runtime;
  readonly keyValueStoreArns: readonly string[];
  readonly code: Uint8Array;
  /** Per-stage version counter; the ETag is derived from it. LIVE takes DEVELOPMENT's version on publish. */
  readonly version: number;
  readonly createdTime: Date;
  readonly lastModifiedTime: Date;
}

/**
 * Records are values: a store may hand the same object to several readers, so nobody mutates one —
 * a change is a new record passed to a conditional write.
 */
export interface FunctionRecord {
  readonly name: string;
  readonly development: FunctionStageRecord;
  /** Absent until the function is first published. */
  readonly live?: FunctionStageRecord;
  readonly tags: readonly Tag[];
}

/** What a conditional write expects to find; a mismatch means someone else wrote first. */
export interface FunctionVersionCondition {
  developmentVersion: number;
  liveVersion: number | undefined;
}

export type InsertFunctionResult = "inserted" | "exists" | "limit";

export interface FunctionPage {
  records: FunctionRecord[];
}

export interface Store {
  readonly kind: string;
  /** Where the data lives, for humans (a file path, "memory", a connection string without password). */
  readonly location: string;

  getFunction(name: string): Promise<FunctionRecord | undefined>;
  /** Functions ordered by name (binary order), starting strictly after `afterName` when given. */
  listFunctions(options: { afterName?: string; limit: number }): Promise<FunctionRecord[]>;
  /** Inserts unless the name is taken or `maxFunctions` already exist, atomically. */
  insertFunction(record: FunctionRecord, options: { maxFunctions: number }): Promise<InsertFunctionResult>;
  /** Replaces the function if its versions still match `expected`; false when they do not (or it is gone). */
  replaceFunction(record: FunctionRecord, expected: FunctionVersionCondition): Promise<boolean>;
  /** Deletes the function if its DEVELOPMENT version still matches; false otherwise. */
  deleteFunction(name: string, expectedDevelopmentVersion: number): Promise<boolean>;

  close(): Promise<void>;
}
