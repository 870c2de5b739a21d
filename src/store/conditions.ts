import type { FunctionRecord, FunctionVersionCondition } from "./types.js";

export function matchesVersions(record: FunctionRecord, expected: FunctionVersionCondition): boolean {
  return record.development.version === expected.developmentVersion && record.live?.version === expected.liveVersion;
}
