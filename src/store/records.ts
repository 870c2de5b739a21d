import type { FunctionRecord, FunctionVersionCondition } from "./types.js";

export function matchesVersions(record: FunctionRecord, expected: FunctionVersionCondition): boolean {
  return record.development.version === expected.developmentVersion && record.live?.version === expected.liveVersion;
}

/**
 * Takes a record into the store: frozen in place (no copy: records are values, and the writer gave this
 * one up), so that neither the writer nor any reader can change what the store holds.
 */
export function snapshot(record: FunctionRecord): FunctionRecord {
  for (const stage of [record.development, record.live]) {
    if (!stage || Object.isFrozen(stage)) continue;
    Object.freeze(stage.keyValueStoreArns);
    Object.freeze(stage);
  }
  for (const tag of record.tags) Object.freeze(tag);
  Object.freeze(record.tags);
  return Object.freeze(record);
}

/** Freezes a freshly built value and everything it holds (typed arrays and dates excepted). */
export function deepFreeze<T>(value: T): T {
  if (value && typeof value === "object" && !ArrayBuffer.isView(value) && !(value instanceof Date)) {
    for (const child of Object.values(value)) deepFreeze(child);
    Object.freeze(value);
  }
  return value;
}
