import { matchesVersions, snapshot } from "./records.js";
import type {
  DistributionRecord,
  FunctionRecord,
  FunctionVersionCondition,
  InsertResult,
  KeyChanges,
  KeyValueStoreRecord,
  Store,
} from "./types.js";

/** A change to make durable, applied blindly and in order by a journal: the checks happened before. */
export type WriteOp =
  | { kind: "put"; record: FunctionRecord }
  | { kind: "delete"; name: string }
  | { kind: "putStore"; record: KeyValueStoreRecord; keys?: ReadonlyArray<readonly [string, string]> }
  | { kind: "deleteStore"; id: string }
  | { kind: "keys"; record: KeyValueStoreRecord; changes: KeyChanges }
  | { kind: "putDistribution"; record: DistributionRecord }
  | { kind: "deleteDistribution"; id: string };

/** Where a MirrorStore makes its writes durable. */
export interface Journal {
  /** Makes `ops` durable, all or nothing; resolves once they are. */
  commit(ops: WriteOp[]): Promise<void>;
  close(): Promise<void>;
}

/** What a MirrorStore starts from. */
export interface MirrorContents {
  functions: Iterable<FunctionRecord>;
  stores: Iterable<{ record: KeyValueStoreRecord; keys: Iterable<readonly [string, string]> }>;
  distributions: Iterable<DistributionRecord>;
}

interface PendingWrite {
  op: WriteOp;
  resolve: () => void;
  reject: (error: unknown) => void;
}

const utf8Order = (a: string, b: string) => Buffer.compare(Buffer.from(a), Buffer.from(b));

/**
 * A store that answers every read from memory and sends every write to a journal.
 *
 * Readers see only committed state: a write becomes visible, and its promise resolves, once the journal
 * says it is durable. Conditional writes are checked against committed state plus the writes still on
 * their way (`pending`), so compare-and-swap stays exact while commits are queued. One journal commit is
 * in flight at a time; writes arriving meanwhile go together in the next (group commit), so a slow fsync
 * batches writes instead of stalling the event loop.
 *
 * Suitable for a store that one process owns (memory, an exclusively locked SQLite file); a store shared
 * between processes (PostgreSQL) must query instead of mirroring.
 */
export class MirrorStore implements Store {
  private readonly functions = new Map<string, FunctionRecord>();
  private readonly stores = new Map<string, KeyValueStoreRecord>();
  private readonly keys = new Map<string, Map<string, string>>();
  private readonly distributions = new Map<string, DistributionRecord>();
  private readonly pendingDistributions = new Map<string, DistributionRecord | undefined>();
  /** Writes accepted but not yet durable: the newest value per function name / store id (undefined = deleted). */
  private readonly pendingFunctions = new Map<string, FunctionRecord | undefined>();
  private readonly pendingStores = new Map<string, KeyValueStoreRecord | undefined>();
  private queued: PendingWrite[] = [];
  private inFlight = false;
  private closed = false;

  constructor(
    readonly kind: string,
    readonly location: string,
    initial: MirrorContents,
    private readonly journal: Journal,
  ) {
    for (const record of initial.functions) this.functions.set(record.name, record);
    for (const { record, keys } of initial.stores) {
      this.stores.set(record.id, record);
      this.keys.set(record.id, new Map(keys));
    }
    for (const record of initial.distributions) this.distributions.set(record.id, record);
  }

  // ---- functions

  async getFunction(name: string): Promise<FunctionRecord | undefined> {
    return this.functions.get(name);
  }

  async listFunctions({ afterName, limit }: { afterName?: string; limit: number }): Promise<FunctionRecord[]> {
    const names = [...this.functions.keys()].filter((name) => afterName === undefined || name > afterName).sort();
    return names.slice(0, limit).map((name) => this.functions.get(name)!);
  }

  async insertFunction(record: FunctionRecord, { maxFunctions }: { maxFunctions: number }): Promise<InsertResult> {
    if (latest(this.pendingFunctions, this.functions, record.name)) return "exists";
    if (latestCount(this.pendingFunctions, this.functions) >= maxFunctions) return "limit";
    await this.write({ kind: "put", record: snapshot(record) });
    return "inserted";
  }

  async replaceFunction(record: FunctionRecord, expected: FunctionVersionCondition): Promise<boolean> {
    const current = latest(this.pendingFunctions, this.functions, record.name);
    if (!current || !matchesVersions(current, expected)) return false;
    await this.write({ kind: "put", record: snapshot(record) });
    return true;
  }

  async deleteFunction(name: string, expectedDevelopmentVersion: number): Promise<boolean> {
    const current = latest(this.pendingFunctions, this.functions, name);
    if (!current || current.development.version !== expectedDevelopmentVersion) return false;
    await this.write({ kind: "delete", name });
    return true;
  }

  // ---- key value stores

  async getKeyValueStore(id: string): Promise<KeyValueStoreRecord | undefined> {
    return this.stores.get(id);
  }

  async getKeyValueStoreByName(name: string): Promise<KeyValueStoreRecord | undefined> {
    for (const record of this.stores.values()) if (record.name === name) return record;
    return undefined;
  }

  async listKeyValueStores({ afterName, limit }: { afterName?: string; limit: number }): Promise<KeyValueStoreRecord[]> {
    return [...this.stores.values()]
      .filter((record) => afterName === undefined || record.name > afterName)
      .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
      .slice(0, limit);
  }

  async insertKeyValueStore(record: KeyValueStoreRecord, keys: ReadonlyArray<readonly [string, string]>, { maxStores }: { maxStores: number }): Promise<InsertResult> {
    for (const id of new Set([...this.stores.keys(), ...this.pendingStores.keys()])) {
      if (latest(this.pendingStores, this.stores, id)?.name === record.name) return "exists";
    }
    if (latestCount(this.pendingStores, this.stores) >= maxStores) return "limit";
    await this.write({ kind: "putStore", record: Object.freeze({ ...record }), keys: keys.map(([k, v]) => [k, v] as const) });
    return "inserted";
  }

  async replaceKeyValueStore(record: KeyValueStoreRecord, expectedVersion: number): Promise<boolean> {
    const current = latest(this.pendingStores, this.stores, record.id);
    if (!current || current.version !== expectedVersion || current.dataVersion !== record.dataVersion) return false;
    await this.write({ kind: "putStore", record: Object.freeze({ ...record }) });
    return true;
  }

  async deleteKeyValueStore(id: string, expectedVersion: number): Promise<boolean> {
    const current = latest(this.pendingStores, this.stores, id);
    if (!current || current.version !== expectedVersion) return false;
    await this.write({ kind: "deleteStore", id });
    return true;
  }

  async getKey(storeId: string, key: string): Promise<string | undefined> {
    return this.keys.get(storeId)?.get(key);
  }

  async listKeys(storeId: string, { afterKey, limit }: { afterKey?: string; limit: number }): Promise<Array<[string, string]>> {
    const keys = this.keys.get(storeId);
    if (!keys) return [];
    const after = afterKey === undefined ? undefined : Buffer.from(afterKey);
    return [...keys.keys()]
      .filter((key) => after === undefined || Buffer.compare(Buffer.from(key), after) > 0)
      .sort(utf8Order)
      .slice(0, limit)
      .map((key) => [key, keys.get(key)!]);
  }

  async keySnapshot(storeId: string): Promise<ReadonlyMap<string, string> | undefined> {
    return this.keys.get(storeId);
  }

  async updateKeys(storeId: string, expectedDataVersion: number, changes: KeyChanges, record: KeyValueStoreRecord): Promise<boolean> {
    const current = latest(this.pendingStores, this.stores, storeId);
    if (!current || current.dataVersion !== expectedDataVersion || current.version !== record.version) return false;
    await this.write({ kind: "keys", record: Object.freeze({ ...record }), changes: { puts: changes.puts.map(([k, v]) => [k, v] as const), deletes: [...changes.deletes] } });
    return true;
  }

  // ---- distributions

  async getDistribution(id: string): Promise<DistributionRecord | undefined> {
    return this.distributions.get(id);
  }

  async listDistributions({ afterId, limit }: { afterId?: string; limit: number }): Promise<DistributionRecord[]> {
    const ids = [...this.distributions.keys()].filter((id) => afterId === undefined || id > afterId).sort();
    return ids.slice(0, limit).map((id) => this.distributions.get(id)!);
  }

  async insertDistribution(record: DistributionRecord): Promise<"inserted" | "exists"> {
    for (const id of new Set([...this.distributions.keys(), ...this.pendingDistributions.keys()])) {
      if (latest(this.pendingDistributions, this.distributions, id)?.callerReference === record.callerReference) return "exists";
    }
    await this.write({ kind: "putDistribution", record: Object.freeze({ ...record }) });
    return "inserted";
  }

  async replaceDistribution(record: DistributionRecord, expectedVersion: number): Promise<boolean> {
    const current = latest(this.pendingDistributions, this.distributions, record.id);
    if (!current || current.version !== expectedVersion) return false;
    await this.write({ kind: "putDistribution", record: Object.freeze({ ...record }) });
    return true;
  }

  async deleteDistribution(id: string, expectedVersion: number): Promise<boolean> {
    const current = latest(this.pendingDistributions, this.distributions, id);
    if (!current || current.version !== expectedVersion) return false;
    await this.write({ kind: "deleteDistribution", id });
    return true;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    while (this.inFlight || this.queued.length > 0) await new Promise((resolve) => setImmediate(resolve));
    await this.journal.close();
  }

  /** Accepts a write (synchronously visible to later checks) and resolves once it is durable. */
  private write(op: WriteOp): Promise<void> {
    if (this.closed) return Promise.reject(new Error("the store is closed"));
    switch (op.kind) {
      case "put": this.pendingFunctions.set(op.record.name, op.record); break;
      case "delete": this.pendingFunctions.set(op.name, undefined); break;
      case "putStore": case "keys": this.pendingStores.set(op.record.id, op.record); break;
      case "deleteStore": this.pendingStores.set(op.id, undefined); break;
      case "putDistribution": this.pendingDistributions.set(op.record.id, op.record); break;
      case "deleteDistribution": this.pendingDistributions.set(op.id, undefined); break;
    }
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
        for (const { op } of batch) this.applyCommitted(op);
        this.inFlight = false;
        for (const write of batch) write.resolve();
        this.commitNext();
      },
      (error: unknown) => {
        // Nothing in the batch was written, and queued writes may have been checked against it: fail them all.
        const failed = [...batch, ...this.queued];
        this.queued = [];
        this.pendingFunctions.clear();
        this.pendingStores.clear();
        this.pendingDistributions.clear();
        this.inFlight = false;
        for (const write of failed) write.reject(error);
      },
    );
  }

  private applyCommitted(op: WriteOp): void {
    switch (op.kind) {
      case "put":
        this.functions.set(op.record.name, op.record);
        settle(this.pendingFunctions, op.record.name, op.record);
        return;
      case "delete":
        this.functions.delete(op.name);
        settle(this.pendingFunctions, op.name, undefined);
        return;
      case "putStore":
        this.stores.set(op.record.id, op.record);
        if (op.keys) this.keys.set(op.record.id, new Map(op.keys));
        settle(this.pendingStores, op.record.id, op.record);
        return;
      case "deleteStore":
        this.stores.delete(op.id);
        this.keys.delete(op.id);
        settle(this.pendingStores, op.id, undefined);
        return;
      case "keys": {
        this.stores.set(op.record.id, op.record);
        let keys = this.keys.get(op.record.id);
        if (!keys) this.keys.set(op.record.id, (keys = new Map()));
        for (const key of op.changes.deletes) keys.delete(key);
        for (const [key, value] of op.changes.puts) keys.set(key, value);
        settle(this.pendingStores, op.record.id, op.record);
        return;
      }
      case "putDistribution":
        this.distributions.set(op.record.id, op.record);
        settle(this.pendingDistributions, op.record.id, op.record);
        return;
      case "deleteDistribution":
        this.distributions.delete(op.id);
        settle(this.pendingDistributions, op.id, undefined);
        return;
    }
  }
}

function latest<K, V>(pending: Map<K, V | undefined>, committed: Map<K, V>, key: K): V | undefined {
  return pending.has(key) ? pending.get(key) : committed.get(key);
}

function latestCount<K, V>(pending: Map<K, V | undefined>, committed: Map<K, V>): number {
  let count = committed.size;
  for (const [key, value] of pending) {
    if (value && !committed.has(key)) count++;
    if (!value && committed.has(key)) count--;
  }
  return count;
}

/** Forgets a pending entry once committed, unless a newer write for the same key is still on its way. */
function settle<K, V>(pending: Map<K, V | undefined>, key: K, value: V | undefined): void {
  if (pending.get(key) === value) pending.delete(key);
}
