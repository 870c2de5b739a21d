import { defineTable } from "../table.js";
import type { FunctionRecord, FunctionStageRecord, Runtime, Tag } from "../types.js";

/**
 * A function is one row: its stages' metadata as JSON and each stage's code as a blob, so that every
 * write is a single-row upsert.
 */
export const FUNCTIONS = defineTable<FunctionRecord>({
  name: "functions",
  key: (record) => record.name,
  order: (record) => record.name,
  columns: ["name", "metadata", "development_code", "live_code"],
  toRow: (record) => ({
    name: record.name,
    metadata: JSON.stringify({
      tags: [...record.tags],
      development: storedStage(record.development),
      ...(record.live ? { live: storedStage(record.live) } : {}),
    } satisfies StoredMetadata),
    development_code: asBuffer(record.development.code),
    live_code: record.live ? asBuffer(record.live.code) : null,
  }),
  fromRow: (row) => {
    const metadata = JSON.parse(row["metadata"] as string) as StoredMetadata;
    const liveCode = row["live_code"] as Buffer | null;
    return {
      name: row["name"] as string,
      development: stageFrom(metadata.development, row["development_code"] as Buffer),
      ...(metadata.live && liveCode ? { live: stageFrom(metadata.live, liveCode) } : {}),
      tags: metadata.tags,
    };
  },
});

/** The JSON in `functions.metadata`: the record without its code. */
interface StoredMetadata {
  tags: Tag[];
  development: StoredStage;
  live?: StoredStage;
}

interface StoredStage {
  comment: string;
  runtime: Runtime;
  keyValueStoreArns: string[];
  version: number;
  createdTime: number;
  lastModifiedTime: number;
}

function storedStage(stage: FunctionStageRecord): StoredStage {
  return {
    comment: stage.comment,
    runtime: stage.runtime,
    keyValueStoreArns: [...stage.keyValueStoreArns],
    version: stage.version,
    createdTime: stage.createdTime.getTime(),
    lastModifiedTime: stage.lastModifiedTime.getTime(),
  };
}

function stageFrom(stored: StoredStage, code: Buffer): FunctionStageRecord {
  return {
    comment: stored.comment,
    runtime: stored.runtime,
    keyValueStoreArns: stored.keyValueStoreArns,
    code: new Uint8Array(code),
    version: stored.version,
    createdTime: new Date(stored.createdTime),
    lastModifiedTime: new Date(stored.lastModifiedTime),
  };
}

const asBuffer = (bytes: Uint8Array) => Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
