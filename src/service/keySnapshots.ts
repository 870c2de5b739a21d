import type { KeySnapshot, KeyValueStoreRecord, Store } from "../store/types.js";

const NO_KEYS: ReadonlyMap<string, string> = new Map();

/**
 * Each key value store's keys as of the last data version a function run read. A run first reads the
 * store's record (cheap: its `dataVersion` moves on every key change) and reads all of its keys only
 * when that version is not the one kept — so a store that is written rarely and read on every request
 * (the usual case) costs one record read per run, whatever its size or wherever it lives.
 */
export class KeySnapshots {
  private readonly kept = new Map<string, KeySnapshot>();

  constructor(private readonly store: Pick<Store, "keySnapshot">) {}

  /** The keys of `record`'s store, at its data version or (when a write landed meanwhile) a later one. */
  async of(record: KeyValueStoreRecord): Promise<KeySnapshot> {
    const kept = this.kept.get(record.id);
    if (kept && kept.version >= record.dataVersion) return kept;
    const fresh = await this.store.keySnapshot(record.id);
    if (!fresh) {
      this.kept.delete(record.id);
      return { version: record.dataVersion, entries: NO_KEYS };
    }
    const newest = this.kept.get(record.id);
    if (!newest || newest.version < fresh.version) this.kept.set(record.id, fresh);
    return fresh;
  }

  /** Drops what is kept of a store (it was deleted). */
  forget(storeId: string): void {
    this.kept.delete(storeId);
  }
}
