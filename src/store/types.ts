import type { RuntimeName } from "../runtime/types.js";

/**
 * The persistence boundary. Everything above it talks in these plain records; nothing here knows
 * about HTTP, XML or a particular database. Every write is a conditional write on the version the
 * caller read (compare-and-swap), so an implementation only needs atomic single-function updates —
 * a SQLite transaction, a PostgreSQL `UPDATE … WHERE version = $n` — never an in-process lock.
 */

export type Runtime = RuntimeName;
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
export type InsertResult = InsertFunctionResult;

/** A key value store's metadata. Its keys live beside it, read and written through the Store. */
export interface KeyValueStoreRecord {
  readonly id: string;
  readonly name: string;
  readonly comment: string;
  /** Until this instant the store is PROVISIONING, then READY. */
  readonly readyAt: Date;
  /** Control-plane version (Update/DeleteKeyValueStore's ETag). */
  readonly version: number;
  /** Data-plane version (key writes' ETag); every key write moves it. */
  readonly dataVersion: number;
  readonly createdTime: Date;
  readonly lastModifiedTime: Date;
  readonly dataLastModifiedTime: Date;
  readonly itemCount: number;
  /** UTF-8 bytes of every key and value. */
  readonly totalSizeInBytes: number;
  readonly tags: readonly Tag[];
}

/** A distribution: the config as sent (stored whole, returned unchanged) and what edgelite reads from it. */
export interface DistributionRecord {
  readonly id: string;
  readonly domainName: string;
  readonly callerReference: string;
  readonly enabled: boolean;
  readonly aliases: readonly string[];
  /** Every function ARN the config associates, in any behaviour and for any event type. */
  readonly functionArns: readonly string[];
  /** The DistributionConfig element's inner XML exactly as last sent. */
  readonly configXml: string;
  /**
   * What the distribution service reads of the config, as its JSON (opaque here). Absent only in rows
   * written before schema 4, until the service's upgrade rewrites them.
   */
  readonly parsedConfigJson?: string;
  readonly version: number;
  /** Absent in rows written before tagging distributions: no tags. */
  readonly tags?: readonly Tag[];
  /** The local port serving the distribution on a plain http://127.0.0.1:<port>/ URL, once one is assigned. */
  readonly edgePort?: number;
  readonly createdTime: Date;
  readonly lastModifiedTime: Date;
}

/** The kinds of resource the generic `resources` table holds. */
export type ResourceType = "cache-policy" | "origin-request-policy" | "response-headers-policy" | "origin-access-control" | "invalidation";

/**
 * A policy, origin access control or invalidation: its identity, unique name and the owning service's typed
 * config as JSON (opaque to the store).
 */
export interface ResourceRecord {
  readonly type: ResourceType;
  /** Unique per type. */
  readonly id: string;
  /** What the name is unique within: the distribution id of an invalidation, "" for the rest. */
  readonly scope: string;
  /** Unique per type and scope: a policy's or OAC's Name, an invalidation's CallerReference. */
  readonly name: string;
  readonly configJson: string;
  /** The ETag is derived from it. */
  readonly version: number;
  readonly createdTime: Date;
  readonly lastModifiedTime: Date;
  readonly tags: readonly Tag[];
}

export interface KeyChanges {
  puts: ReadonlyArray<readonly [string, string]>;
  deletes: readonly string[];
}

/** A store's keys as of one data version: a copy, unaffected by later writes. */
export interface KeySnapshot {
  /** The store's `dataVersion` these keys are at. */
  readonly version: number;
  readonly entries: ReadonlyMap<string, string>;
}

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

  getKeyValueStore(id: string): Promise<KeyValueStoreRecord | undefined>;
  getKeyValueStoreByName(name: string): Promise<KeyValueStoreRecord | undefined>;
  /** Stores ordered by name, strictly after `afterName`. */
  listKeyValueStores(options: { afterName?: string; limit: number }): Promise<KeyValueStoreRecord[]>;
  /** Inserts a store and its initial keys unless the name is taken or `maxStores` exist. */
  insertKeyValueStore(record: KeyValueStoreRecord, keys: ReadonlyArray<readonly [string, string]>, options: { maxStores: number }): Promise<InsertResult>;
  /** Replaces a store's metadata if its control-plane version still matches. */
  replaceKeyValueStore(record: KeyValueStoreRecord, expectedVersion: number): Promise<boolean>;
  deleteKeyValueStore(id: string, expectedVersion: number): Promise<boolean>;
  getKey(storeId: string, key: string): Promise<string | undefined>;
  /** Keys in UTF-8 byte order, strictly after `afterKey`. */
  listKeys(storeId: string, options: { afterKey?: string; limit: number }): Promise<Array<[string, string]>>;
  /**
   * All of a store's keys and the data version they are at (for the runtime); undefined when the store
   * does not exist. Costly on a large or remote store: callers keep it and compare the record's
   * `dataVersion` (a cheap read) before asking again.
   */
  keySnapshot(storeId: string): Promise<KeySnapshot | undefined>;
  /**
   * Applies key changes and the store's new metadata atomically if the data version still matches, so
   * whatever the caller computed from the version it read (sizes, counts) still holds. The new record's
   * `dataVersion` must be later than `expectedDataVersion`: it is what tells readers the keys changed.
   */
  updateKeys(storeId: string, expectedDataVersion: number, changes: KeyChanges, record: KeyValueStoreRecord): Promise<boolean>;

  getDistribution(id: string): Promise<DistributionRecord | undefined>;
  /** Distributions ordered by id, strictly after `afterId`. */
  listDistributions(options: { afterId?: string; limit: number }): Promise<DistributionRecord[]>;
  /** Inserts unless a distribution with the same caller reference exists. */
  insertDistribution(record: DistributionRecord): Promise<"inserted" | "exists">;
  replaceDistribution(record: DistributionRecord, expectedVersion: number): Promise<boolean>;
  deleteDistribution(id: string, expectedVersion: number): Promise<boolean>;

  getResource(type: ResourceType, id: string): Promise<ResourceRecord | undefined>;
  /** Every resource of a type (and scope, when given), oldest first (createdTime, then id). */
  listResources(type: ResourceType, scope?: string): Promise<ResourceRecord[]>;
  /**
   * Inserts unless the id or the type + scope + name is taken ("exists"), or `max` resources of that type and
   * scope already exist ("limit").
   */
  insertResource(record: ResourceRecord, options?: { max?: number }): Promise<InsertResult>;
  /** Replaces the resource if its version still matches; false when it does not (or it is gone). */
  replaceResource(record: ResourceRecord, expectedVersion: number): Promise<boolean>;
  deleteResource(type: ResourceType, id: string, expectedVersion: number): Promise<boolean>;

  close(): Promise<void>;
}
