import { matchesVersions, snapshot } from "./records.js";
import type { FunctionRecord, FunctionVersionCondition, InsertFunctionResult, Store } from "./types.js";

/** A change to make durable, applied blindly and in order by a journal: the checks happened before. */
export type WriteOp = { kind: "put"; record: FunctionRecord } | { kind: "delete"; name: string };

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
 * Readers see only `committed` state: a write becomes visible, and its promise resolves, once the
 * journal says it is durable. Conditional writes are checked against `committed` plus the writes still
 * on their way (`pending`), so compare-and-swap stays exact while several commits are queued. One
 * journal commit is in flight at a time; writes arriving meanwhile wait and go together in the next
 * (group commit), so a slow fsync batches writes instead of stalling the event loop.
 *
 * Suitable for a store that one process owns (memory, an exclusively locked SQLite file); a store shared
 * between processes (PostgreSQL) must query instead of mirroring.
 */
export class MirrorStore implements Store {
  private readonly committed = new Map<string, FunctionRecord>();
  /** Writes accepted but not yet durable: the newest value per name (undefined = deleted). */
  private readonly pending = new Map<string, FunctionRecord | undefined>();
  private queued: PendingWrite[] = [];
  private inFlight = false;
  private closed = false;

  constructor(
    readonly kind: string,
    readonly location: string,
    initial: Iterable<FunctionRecord>,
    private readonly journal: Journal,
  ) {
    for (const record of initial) this.committed.set(record.name, record);
  }

  async getFunction(name: string): Promise<FunctionRecord | undefined> {
    return this.committed.get(name);
  }

  async listFunctions({ afterName, limit }: { afterName?: string; limit: number }): Promise<FunctionRecord[]> {
    const names = [...this.committed.keys()].filter((name) => afterName === undefined || name > afterName).sort();
    return names.slice(0, limit).map((name) => this.committed.get(name)!);
  }

  async insertFunction(record: FunctionRecord, { maxFunctions }: { maxFunctions: number }): Promise<InsertFunctionResult> {
    if (this.latest(record.name)) return "exists";
    if (this.latestCount() >= maxFunctions) return "limit";
    await this.write({ kind: "put", record: snapshot(record) });
    return "inserted";
  }

  async replaceFunction(record: FunctionRecord, expected: FunctionVersionCondition): Promise<boolean> {
    const current = this.latest(record.name);
    if (!current || !matchesVersions(current, expected)) return false;
    await this.write({ kind: "put", record: snapshot(record) });
    return true;
  }

  async deleteFunction(name: string, expectedDevelopmentVersion: number): Promise<boolean> {
    const current = this.latest(name);
    if (!current || current.development.version !== expectedDevelopmentVersion) return false;
    await this.write({ kind: "delete", name });
    return true;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    while (this.inFlight || this.queued.length > 0) await new Promise((resolve) => setImmediate(resolve));
    await this.journal.close();
  }

  private latest(name: string): FunctionRecord | undefined {
    return this.pending.has(name) ? this.pending.get(name) : this.committed.get(name);
  }

  private latestCount(): number {
    let count = this.committed.size;
    for (const [name, record] of this.pending) {
      if (record && !this.committed.has(name)) count++;
      if (!record && this.committed.has(name)) count--;
    }
    return count;
  }

  /** Accepts a write (synchronously visible to later checks) and resolves once it is durable. */
  private write(op: WriteOp): Promise<void> {
    if (this.closed) return Promise.reject(new Error("the store is closed"));
    const name = op.kind === "put" ? op.record.name : op.name;
    this.pending.set(name, op.kind === "put" ? op.record : undefined);
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
        this.pending.clear();
        this.inFlight = false;
        for (const write of failed) write.reject(error);
      },
    );
  }

  private applyCommitted(op: WriteOp): void {
    const name = op.kind === "put" ? op.record.name : op.name;
    const value = op.kind === "put" ? op.record : undefined;
    if (value) this.committed.set(name, value);
    else this.committed.delete(name);
    // Forget the pending entry unless a newer write for the same name is still on its way.
    if (this.pending.get(name) === value) this.pending.delete(name);
  }
}
