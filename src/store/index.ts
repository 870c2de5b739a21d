import { join } from "node:path";
import { MemoryStore } from "./memory.js";
import { SqliteStore } from "./sqlite.js";
import type { Store } from "./types.js";

export type { Store } from "./types.js";
export * from "./types.js";
export { MemoryStore } from "./memory.js";
export { SqliteStore } from "./sqlite.js";

export const SQLITE_FILE_NAME = "edgelite.sqlite";

export interface StoreOptions {
  inMemory?: boolean;
  dataDir?: string;
}

export function openStore({ inMemory, dataDir = ".edgelite" }: StoreOptions): Store {
  return inMemory ? new MemoryStore() : new SqliteStore(join(dataDir, SQLITE_FILE_NAME));
}
