import type { TableSpec } from "../table.js";
import { DISTRIBUTIONS } from "./distributions.js";
import { FUNCTIONS } from "./functions.js";
import { KEY_VALUE_STORES } from "./keyValueStores.js";
import { RESOURCES } from "./resources.js";

export { DISTRIBUTIONS, FUNCTIONS, KEY_VALUE_STORES, RESOURCES };

/** Every table the store keeps: what a journal loads at start and resolves a write's `table` against. */
export const TABLES: readonly TableSpec<unknown>[] = [FUNCTIONS, KEY_VALUE_STORES, DISTRIBUTIONS, RESOURCES];
