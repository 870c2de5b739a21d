import type { EntryChanges, Loaded, TableSpec, WriteOp } from "./table.js";

const utf8Order = (a: string, b: string) => Buffer.compare(Buffer.from(a), Buffer.from(b));

/** A record's entries as read for a run: a copy, at the owner's entries version. */
export interface EntriesSnapshot {
  readonly version: number;
  readonly entries: ReadonlyMap<string, string>;
}

/**
 * One table of a MirrorStore: the committed records (what reads see), the writes accepted but not yet
 * durable (what conditional writes are checked against as well), a map per unique field, and each
 * record's entries when the table has them.
 */
export class MirrorTable<R> {
  private readonly committed = new Map<string, R>();
  /** The newest accepted value per key (undefined = deleted), until its commit lands. */
  private readonly pending = new Map<string, R | undefined>();
  /** Per unique field: value → key, over committed records. */
  private readonly indexes = new Map<string, Map<string, string>>();
  private readonly entries = new Map<string, Map<string, string>>();

  constructor(readonly spec: TableSpec<R>) {
    for (const field of Object.keys(spec.unique ?? {})) this.indexes.set(field, new Map());
  }

  load(rows: Iterable<Loaded<R>>): void {
    for (const { record, entries } of rows) {
      this.setCommitted(this.spec.key(record), record);
      if (this.spec.entries) this.entries.set(this.spec.key(record), new Map(entries ?? []));
    }
  }

  // ---- reads (committed state)

  get(key: string): R | undefined {
    return this.committed.get(key);
  }

  /** The committed record whose unique `field` is `value`. */
  findBy(field: string, value: string): R | undefined {
    const key = this.indexes.get(field)?.get(value);
    return key === undefined ? undefined : this.committed.get(key);
  }

  /** Records in the table's order, strictly after `after`, up to `limit`. */
  list({ after, limit }: { after?: string | undefined; limit: number }): R[] {
    const order = this.spec.order;
    const keyed = [...this.committed.values()].map((record) => [order(record), record] as const);
    return keyed
      .filter(([value]) => after === undefined || value > after)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .slice(0, limit)
      .map(([, record]) => record);
  }

  /** Every committed record, in no particular order. */
  values(): R[] {
    return [...this.committed.values()];
  }

  entry(owner: string, key: string): string | undefined {
    return this.entries.get(owner)?.get(key);
  }

  /** An owner's entries in UTF-8 byte order of their keys, strictly after `after`. */
  listEntries(owner: string, { after, limit }: { after?: string | undefined; limit: number }): Array<[string, string]> {
    const entries = this.entries.get(owner);
    if (!entries) return [];
    const afterBytes = after === undefined ? undefined : Buffer.from(after);
    return [...entries.keys()]
      .filter((key) => afterBytes === undefined || Buffer.compare(Buffer.from(key), afterBytes) > 0)
      .sort(utf8Order)
      .slice(0, limit)
      .map((key) => [key, entries.get(key)!]);
  }

  /** A copy of an owner's entries with the version they are at; undefined when there is no such owner. */
  entriesSnapshot(owner: string): EntriesSnapshot | undefined {
    const record = this.committed.get(owner);
    const entries = this.entries.get(owner);
    if (record === undefined || !entries || !this.spec.entries) return undefined;
    return { version: this.spec.entries.version(record), entries: new Map(entries) };
  }

  // ---- what conditional writes check (committed state plus accepted writes)

  latest(key: string): R | undefined {
    return this.pending.has(key) ? this.pending.get(key) : this.committed.get(key);
  }

  latestCount(): number {
    let count = this.committed.size;
    for (const [key, value] of this.pending) {
      if (value !== undefined && !this.committed.has(key)) count++;
      if (value === undefined && this.committed.has(key)) count--;
    }
    return count;
  }

  /** How many records meeting `test` there are, counting accepted writes. */
  latestCountWhere(test: (record: R) => boolean): number {
    let count = 0;
    for (const [key, record] of this.committed) if (!this.pending.has(key) && test(record)) count++;
    for (const record of this.pending.values()) if (record !== undefined && test(record)) count++;
    return count;
  }

  /** Whether a record other than `key` holds the same value of a unique field, counting accepted writes. */
  clashes(record: R): boolean {
    const key = this.spec.key(record);
    for (const [field, of] of Object.entries(this.spec.unique ?? {})) {
      const value = of(record);
      const holder = this.indexes.get(field)!.get(value);
      if (holder !== undefined && holder !== key && !this.pending.has(holder)) return true;
      for (const [other, pending] of this.pending) {
        if (other !== key && pending !== undefined && of(pending) === value) return true;
      }
    }
    return false;
  }

  // ---- the write path

  /** Records a write as accepted: later checks see it, reads do not. */
  accept(op: WriteOp): void {
    this.pending.set(op.key, op.kind === "put" ? (op.record as R) : undefined);
  }

  /** Makes a durable write visible to reads. */
  apply(op: WriteOp): void {
    if (op.kind === "put") {
      const record = op.record as R;
      this.setCommitted(op.key, record);
      if (op.entries) this.applyEntries(op.key, op.entries);
      else if (this.spec.entries && !this.entries.has(op.key)) this.entries.set(op.key, new Map());
      this.settle(op.key, record);
    } else {
      this.removeFromIndexes(op.key);
      this.committed.delete(op.key);
      this.entries.delete(op.key);
      this.settle(op.key, undefined);
    }
  }

  /** Forgets every accepted write (their commit failed). */
  forgetPending(): void {
    this.pending.clear();
  }

  private setCommitted(key: string, record: R): void {
    this.removeFromIndexes(key);
    this.committed.set(key, record);
    for (const [field, of] of Object.entries(this.spec.unique ?? {})) this.indexes.get(field)!.set(of(record), key);
  }

  private removeFromIndexes(key: string): void {
    const old = this.committed.get(key);
    if (old === undefined) return;
    for (const [field, of] of Object.entries(this.spec.unique ?? {})) {
      const index = this.indexes.get(field)!;
      if (index.get(of(old)) === key) index.delete(of(old));
    }
  }

  private applyEntries(owner: string, changes: EntryChanges): void {
    let entries = this.entries.get(owner);
    if (!entries) this.entries.set(owner, (entries = new Map()));
    for (const key of changes.deletes) entries.delete(key);
    for (const [key, value] of changes.puts) entries.set(key, value);
  }

  /** Forgets a pending entry once committed, unless a newer write for the same key is still on its way. */
  private settle(key: string, value: R | undefined): void {
    if (this.pending.get(key) === value) this.pending.delete(key);
  }
}
