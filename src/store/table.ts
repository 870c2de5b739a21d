import type { KeyChanges } from "./types.js";

/**
 * A resource as the store keeps it, declared once: how a record is keyed, ordered and kept unique (for the
 * in-memory mirror) and how it maps to a row (for the SQLite journal). Adding a resource is one such
 * declaration in `tables/`, its migration in `sqliteMigrations.ts`, and the Store methods that name it.
 */

/** A value a SQLite column holds. */
export type SqlValue = string | number | bigint | Buffer | null;
export type Row = Readonly<Record<string, SqlValue>>;

/** Entries kept beside each record (a key value store's keys): string keys to string values, in their own SQL table. */
export interface EntriesSpec<R> {
  /** The SQL table, and its columns: the owner's key, the entry's key, its value. */
  readonly table: string;
  readonly ownerColumn: string;
  readonly keyColumn: string;
  readonly valueColumn: string;
  /** The owner's version of its entries: it moves whenever they change (the key value store's data version). */
  version(owner: R): number;
}

/**
 * A field of a record. Typed as a method so that a declaration of any record type is also a
 * `TableSpec<unknown>`, which is how the journal and the loader, handling every table alike, see them.
 */
type Field<R> = { of(record: R): string }["of"];

export interface TableSpec<R> {
  /** The table's name, in SQL and in the journal. */
  readonly name: string;
  key(record: R): string;
  /** What lists are ordered by (string order), and what `after` compares with. */
  order(record: R): string;
  /** Fields no two records may share: an insert that repeats one is refused ("exists"); each can be looked up. */
  readonly unique?: Readonly<Record<string, Field<R>>>;
  readonly entries?: EntriesSpec<R>;
  /** The SQL columns, the key's first: a record is one row, written whole. */
  readonly columns: readonly [key: string, ...rest: string[]];
  toRow(record: R): Row;
  fromRow(row: Row): R;
}

/** Names the record type once so that each declaration's functions are checked against it. */
export function defineTable<R>(spec: TableSpec<R>): TableSpec<R> {
  return Object.freeze(spec);
}

/** Changes to a record's entries, applied deletes first. */
export type EntryChanges = KeyChanges;

/**
 * A change to make durable, applied blindly and in order by a journal: the checks happened before. Only
 * plain data, so that it crosses to the journal's thread; `table` names a declaration in `tables/`.
 */
export type WriteOp =
  | { readonly table: string; readonly kind: "put"; readonly key: string; readonly record: unknown; readonly entries?: EntryChanges }
  | { readonly table: string; readonly kind: "delete"; readonly key: string };

/** A record as loaded, with its entries when its table has them. */
export interface Loaded<R> {
  readonly record: R;
  readonly entries?: Iterable<readonly [string, string]>;
}

/** What a store starts from: the loaded records of each table. */
export class TableContents {
  private readonly byTable = new Map<string, readonly Loaded<unknown>[]>();

  set<R>(spec: TableSpec<R>, rows: readonly Loaded<R>[]): void {
    this.byTable.set(spec.name, rows);
  }

  of<R>(spec: TableSpec<R>): readonly Loaded<R>[] {
    // Filled only through set() with the same declaration, so the rows are R's.
    return (this.byTable.get(spec.name) ?? []) as readonly Loaded<R>[];
  }
}

