import type { FunctionRecord, FunctionVersionCondition, InsertFunctionResult, Store } from "./types.js";
import { matchesVersions, snapshot } from "./records.js";

/** Keeps everything in process memory: for `--in-memory`, tests and the library API. */
export class MemoryStore implements Store {
  readonly kind = "memory";
  readonly location = "memory";
  private readonly functions = new Map<string, FunctionRecord>();

  async getFunction(name: string): Promise<FunctionRecord | undefined> {
    return this.functions.get(name);
  }

  async listFunctions({ afterName, limit }: { afterName?: string; limit: number }): Promise<FunctionRecord[]> {
    const names = [...this.functions.keys()]
      .filter((name) => afterName === undefined || name > afterName)
      .sort()
      .slice(0, limit);
    return names.map((name) => this.functions.get(name)!);
  }

  async insertFunction(record: FunctionRecord, { maxFunctions }: { maxFunctions: number }): Promise<InsertFunctionResult> {
    if (this.functions.has(record.name)) return "exists";
    if (this.functions.size >= maxFunctions) return "limit";
    this.functions.set(record.name, snapshot(record));
    return "inserted";
  }

  async replaceFunction(record: FunctionRecord, expected: FunctionVersionCondition): Promise<boolean> {
    const current = this.functions.get(record.name);
    if (!current || !matchesVersions(current, expected)) return false;
    this.functions.set(record.name, snapshot(record));
    return true;
  }

  async deleteFunction(name: string, expectedDevelopmentVersion: number): Promise<boolean> {
    const current = this.functions.get(name);
    if (!current || current.development.version !== expectedDevelopmentVersion) return false;
    return this.functions.delete(name);
  }

  async close(): Promise<void> {}
}
