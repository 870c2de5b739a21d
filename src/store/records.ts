import type { FunctionRecord, FunctionVersionCondition } from "./types.js";

export function matchesVersions(record: FunctionRecord, expected: FunctionVersionCondition): boolean {
  return record.development.version === expected.developmentVersion && record.live?.version === expected.liveVersion;
}

/** Freezes a freshly built value and everything it holds (typed arrays and dates excepted). */
export function deepFreeze<T>(value: T): T {
  if (value && typeof value === "object" && !ArrayBuffer.isView(value) && !(value instanceof Date) && !Object.isFrozen(value)) {
    for (const child of Object.values(value)) deepFreeze(child);
    Object.freeze(value);
  }
  return value;
}
