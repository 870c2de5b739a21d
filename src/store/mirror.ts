import { MirrorTable } from "./mirrorTable.js";
import { matchesVersions, deepFreeze } from "./records.js";
import type { EntryChanges, TableContents, TableSpec, WriteOp } from "./table.js";
import { DISTRIBUTIONS, FUNCTIONS, KEY_VALUE_STORES, RESOURCES } from "./tables/index.js";
import { resourceKey } from "./tables/resources.js";
import type {
  DistributionRecord,
  FunctionRecord,
  FunctionVersionCondition,
  InsertResult,
  KeyChanges,
  KeySnapshot,
  KeyValueStoreRecord,
  ResourceRecord,
  ResourceType,
  Store,
} from "./types.js";

/** Where a MirrorStore makes its writes durable. */
export interface Journal {
  /** Makes `ops` durable, all or nothing; resolves once they are. */
  commit(ops: WriteOp[]): Promise<void>;
  close(): Promise<void>;
}

interface PendingWrite {
  op: WriteOp;
  resolve: () => void;
  reject: (error: unknown) => void;
}

/**
 * A store that answers every read from memory and sends every write to a journal.
 *
 * Readers see only committed state: a write becomes visible, and its promise resolves, once the journal
 * says it is durable. Conditional writes are checked against committed state plus the writes still on
 * their way (each table's pending writes), so compare-and-swap stays exact while commits are queued. One
 * journal commit is in flight at a time; writes arriving meanwhile go together in the next (group
 * commit), so a slow fsync batches writes instead of stalling the event loop.
 *
 * Each resource is a MirrorTable over its declaration (`tables/`); the methods below only say which
 * table and which condition.
 *
 * Suitable for a store that one process owns (memory, an exclusively locked SQLite file); a store shared
 * between processes (PostgreSQL) must query instead of mirroring.
 */
export class MirrorStore implements Store {
  private readonly tables = new Map<string, MirrorTable<unknown>>();
  private readonly functions = this.table(FUNCTIONS);
  private readonly stores = this.table(KEY_VALUE_STORES);
  private readonly distributions = this.table(DISTRIBUTIONS);
  private readonly resources = this.table(RESOURCES);
  private queued: PendingWrite[] = [];
  private inFlight = false;
  private closed = false;

  constructor(
    readonly kind: string,
    readonly location: string,
    initial: TableContents | undefined,
    private readonly journal: Journal,
  ) {
    if (initial) for (const table of this.tables.values()) table.load(initial.of(table.spec));
  }

  // ---- functions

  async getFunction(name: string): Promise<FunctionRecord | undefined> {
    return this.functions.get(name);
  }

  async listFunctions({ afterName, limit }: { afterName?: string; limit: number }): Promise<FunctionRecord[]> {
    return this.functions.list({ after: afterName, limit });
  }

  async insertFunction(record: FunctionRecord, { maxFunctions }: { maxFunctions: number }): Promise<InsertResult> {
    return this.insert(this.functions, record, { max: maxFunctions });
  }

  async replaceFunction(record: FunctionRecord, expected: FunctionVersionCondition): Promise<boolean> {
    return this.replace(this.functions, record, (current) => matchesVersions(current, expected));
  }

  async deleteFunction(name: string, expectedDevelopmentVersion: number): Promise<boolean> {
    return this.delete(this.functions, name, (current) => current.development.version === expectedDevelopmentVersion);
  }

  // ---- key value stores

  async getKeyValueStore(id: string): Promise<KeyValueStoreRecord | undefined> {
    return this.stores.get(id);
  }

  async getKeyValueStoreByName(name: string): Promise<KeyValueStoreRecord | undefined> {
    return this.stores.findBy("name", name);
  }

  async listKeyValueStores({ afterName, limit }: { afterName?: string; limit: number }): Promise<KeyValueStoreRecord[]> {
    return this.stores.list({ after: afterName, limit });
  }

  async insertKeyValueStore(record: KeyValueStoreRecord, keys: ReadonlyArray<readonly [string, string]>, { maxStores }: { maxStores: number }): Promise<InsertResult> {
    return this.insert(this.stores, record, { max: maxStores, entries: { puts: keys, deletes: [] } });
  }

  async replaceKeyValueStore(record: KeyValueStoreRecord, expectedVersion: number): Promise<boolean> {
    return this.replace(this.stores, record, (current) => current.version === expectedVersion && current.dataVersion === record.dataVersion);
  }

  async deleteKeyValueStore(id: string, expectedVersion: number): Promise<boolean> {
    return this.delete(this.stores, id, (current) => current.version === expectedVersion);
  }

  async getKey(storeId: string, key: string): Promise<string | undefined> {
    return this.stores.entry(storeId, key);
  }

  async listKeys(storeId: string, { afterKey, limit }: { afterKey?: string; limit: number }): Promise<Array<[string, string]>> {
    return this.stores.listEntries(storeId, { after: afterKey, limit });
  }

  async keySnapshot(storeId: string): Promise<KeySnapshot | undefined> {
    return this.stores.entriesSnapshot(storeId);
  }

  async updateKeys(storeId: string, expectedDataVersion: number, changes: KeyChanges, record: KeyValueStoreRecord): Promise<boolean> {
    if (record.id !== storeId || record.dataVersion <= expectedDataVersion) throw new Error("updateKeys: the record must be the store's, at a later data version");
    return this.replace(this.stores, record, (current) => current.dataVersion === expectedDataVersion && current.version === record.version, changes);
  }

  // ---- distributions

  async getDistribution(id: string): Promise<DistributionRecord | undefined> {
    return this.distributions.get(id);
  }

  async listDistributions({ afterId, limit }: { afterId?: string; limit: number }): Promise<DistributionRecord[]> {
    return this.distributions.list({ after: afterId, limit });
  }

  async insertDistribution(record: DistributionRecord): Promise<"inserted" | "exists"> {
    return this.insert(this.distributions, record, {});
  }

  async replaceDistribution(record: DistributionRecord, expectedVersion: number): Promise<boolean> {
    return this.replace(this.distributions, record, (current) => current.version === expectedVersion);
  }

  async deleteDistribution(id: string, expectedVersion: number): Promise<boolean> {
    return this.delete(this.distributions, id, (current) => current.version === expectedVersion);
  }

  // ---- policies, origin access controls, invalidations

  async getResource(type: ResourceType, id: string): Promise<ResourceRecord | undefined> {
    return this.resources.get(resourceKey(type, id));
  }

  async listResources(type: ResourceType, scope?: string): Promise<ResourceRecord[]> {
    const order = RESOURCES.order;
    return this.resources
      .values()
      .filter((record) => record.type === type && (scope === undefined || record.scope === scope))
      .sort((a, b) => (order(a) < order(b) ? -1 : order(a) > order(b) ? 1 : 0));
  }

  async insertResource(record: ResourceRecord, { max }: { max?: number } = {}): Promise<InsertResult> {
    const table = this.resources;
    if (table.latest(table.spec.key(record)) !== undefined || table.clashes(record)) return "exists";
    if (max !== undefined && table.latestCountWhere((other) => other.type === record.type && other.scope === record.scope) >= max) return "limit";
    await this.write(put(table.spec, record, undefined));
    return "inserted";
  }

  async replaceResource(record: ResourceRecord, expectedVersion: number): Promise<boolean> {
    return this.replace(this.resources, record, (current) => current.version === expectedVersion);
  }

  async deleteResource(type: ResourceType, id: string, expectedVersion: number): Promise<boolean> {
    return this.delete(this.resources, resourceKey(type, id), (current) => current.version === expectedVersion);
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    while (this.inFlight || this.queued.length > 0) await new Promise((resolve) => setImmediate(resolve));
    await this.journal.close();
  }

  // ---- the generic conditional writes

  /** Inserts unless the key or a unique field is taken ("exists") or `max` records already exist ("limit"). */
  private insert<R>(table: MirrorTable<R>, record: R, options: { entries?: EntryChanges }): Promise<"inserted" | "exists">;
  private insert<R>(table: MirrorTable<R>, record: R, options: { max: number; entries?: EntryChanges }): Promise<InsertResult>;
  private async insert<R>(table: MirrorTable<R>, record: R, { max, entries }: { max?: number; entries?: EntryChanges }): Promise<InsertResult> {
    if (table.latest(table.spec.key(record)) !== undefined || table.clashes(record)) return "exists";
    if (max !== undefined && table.latestCount() >= max) return "limit";
    await this.write(put(table.spec, record, entries));
    return "inserted";
  }

  /** Replaces the record of the same key if the latest one meets `condition`; false when it does not (or is gone). */
  private async replace<R>(table: MirrorTable<R>, record: R, condition: (current: R) => boolean, entries?: EntryChanges): Promise<boolean> {
    const current = table.latest(table.spec.key(record));
    if (current === undefined || !condition(current)) return false;
    await this.write(put(table.spec, record, entries));
    return true;
  }

  private async delete<R>(table: MirrorTable<R>, key: string, condition: (current: R) => boolean): Promise<boolean> {
    const current = table.latest(key);
    if (current === undefined || !condition(current)) return false;
    await this.write({ table: table.spec.name, kind: "delete", key });
    return true;
  }

  /** Accepts a write (synchronously visible to later checks) and resolves once it is durable. */
  private write(op: WriteOp): Promise<void> {
    if (this.closed) return Promise.reject(new Error("the store is closed"));
    this.tableOf(op).accept(op);
    return new Promise<void>((resolve, reject) => {
      this.queued.push({ op, resolve, reject });
      this.commitNext();
    });
  }

  private commitNext(): void {
    if (this.inFlight || this.queued.length === 0) return;
    const batch = this.queued;
    this.queued = [];
    this.inFlight = true;
    this.journal.commit(batch.map((write) => write.op)).then(
      () => {
        for (const { op } of batch) this.tableOf(op).apply(op);
        this.inFlight = false;
        for (const write of batch) write.resolve();
        this.commitNext();
      },
      (error: unknown) => {
        // Nothing in the batch was written, and queued writes may have been checked against it: fail them all.
        const failed = [...batch, ...this.queued];
        this.queued = [];
        for (const table of this.tables.values()) table.forgetPending();
        this.inFlight = false;
        for (const write of failed) write.reject(error);
      },
    );
  }

  private table<R>(spec: TableSpec<R>): MirrorTable<R> {
    const table = new MirrorTable(spec);
    this.tables.set(spec.name, table);
    return table;
  }

  private tableOf(op: WriteOp): MirrorTable<unknown> {
    return this.tables.get(op.table)!;
  }
}

/**
 * A put of a record taken into the store: frozen in place (no copy: records are values, and the writer
 * gave this one up), so that neither the writer nor any reader can change what the store holds. Entry
 * changes are copied, the caller may reuse its arrays.
 */
function put<R>(spec: TableSpec<R>, record: R, entries: EntryChanges | undefined): WriteOp {
  return {
    table: spec.name,
    kind: "put",
    key: spec.key(record),
    record: deepFreeze(record),
    ...(entries ? { entries: { puts: entries.puts.map(([key, value]) => [key, value] as const), deletes: [...entries.deletes] } } : {}),
  };
}
