import { defineTable } from "../table.js";
import type { KeyValueStoreRecord, Tag } from "../types.js";

/** A key value store's metadata is one row (its name also in a column, kept unique by SQL); its keys are rows beside it. */
export const KEY_VALUE_STORES = defineTable<KeyValueStoreRecord>({
  name: "key_value_stores",
  key: (record) => record.id,
  order: (record) => record.name,
  unique: { name: (record) => record.name },
  entries: {
    table: "key_value_store_keys",
    ownerColumn: "store_id",
    keyColumn: "key",
    valueColumn: "value",
    version: (record) => record.dataVersion,
  },
  columns: ["id", "name", "metadata"],
  toRow: (record) => ({
    id: record.id,
    name: record.name,
    metadata: JSON.stringify({
      name: record.name,
      comment: record.comment,
      readyAt: record.readyAt.getTime(),
      version: record.version,
      dataVersion: record.dataVersion,
      createdTime: record.createdTime.getTime(),
      lastModifiedTime: record.lastModifiedTime.getTime(),
      dataLastModifiedTime: record.dataLastModifiedTime.getTime(),
      itemCount: record.itemCount,
      totalSizeInBytes: record.totalSizeInBytes,
      tags: [...record.tags],
    } satisfies StoredKeyValueStore),
  }),
  fromRow: (row) => {
    const stored = JSON.parse(row["metadata"] as string) as StoredKeyValueStore;
    return {
      ...stored,
      id: row["id"] as string,
      readyAt: new Date(stored.readyAt),
      createdTime: new Date(stored.createdTime),
      lastModifiedTime: new Date(stored.lastModifiedTime),
      dataLastModifiedTime: new Date(stored.dataLastModifiedTime),
    };
  },
});

/** The JSON in `key_value_stores.metadata`: the record without its id, dates in milliseconds. */
interface StoredKeyValueStore {
  name: string;
  comment: string;
  readyAt: number;
  version: number;
  dataVersion: number;
  createdTime: number;
  lastModifiedTime: number;
  dataLastModifiedTime: number;
  itemCount: number;
  totalSizeInBytes: number;
  tags: Tag[];
}
