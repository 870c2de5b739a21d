import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { nativeDirectory } from "../../src/native.js";
import type { FunctionRecord, Store } from "../../src/store/types.js";
import { encode, makeStore, tempDir, type StoreKind } from "../helpers.js";

function record(name: string, overrides: Partial<FunctionRecord> = {}): FunctionRecord {
  const at = new Date("2024-08-06T22:19:30.510Z");
  return {
    name,
    development: { comment: "c", runtime: "cloudfront-js-2.0", keyValueStoreArns: [], code: encode(`// ${name}`), version: 1, createdTime: at, lastModifiedTime: at },
    tags: [{ key: "k", value: "v" }],
    ...overrides,
  };
}

/** One contract, every implementation: a PostgreSQL store must pass this too. */
describe.each<StoreKind>(["sqlite", "memory"])("Store contract (%s)", (kind) => {
  let store: Store;
  let dir: ReturnType<typeof tempDir>;
  beforeEach(() => {
    dir = tempDir();
    store = makeStore(kind, dir.path);
  });
  afterEach(async () => {
    await store.close();
    dir.remove();
  });

  it("round-trips a record with both stages, bytes and dates intact", async () => {
    const live = { comment: "live", runtime: "cloudfront-js-1.0" as const, keyValueStoreArns: ["arn:x"], code: new Uint8Array([0, 255, 10]), version: 3, createdTime: new Date(1), lastModifiedTime: new Date(2) };
    const input = record("full", { live });
    expect(await store.insertFunction(input, { maxFunctions: 10 })).toBe("inserted");
    const out = await store.getFunction("full");
    expect(out).toEqual(input);
    expect(out!.live!.code).toBeInstanceOf(Uint8Array);
    expect(Array.from(out!.live!.code)).toEqual([0, 255, 10]);
  });

  it("hands out records nobody can change, including the writer", async () => {
    const input = record("copy");
    await store.insertFunction(input, { maxFunctions: 10 });
    expect(() => {
      (input.development as { comment: string }).comment = "changed by the writer afterwards";
    }).toThrow(TypeError);
    const out = await store.getFunction("copy");
    expect(() => {
      (out!.development as { comment: string }).comment = "mutated";
    }).toThrow(TypeError);
    expect((await store.getFunction("copy"))!.development.comment).toBe("c");
  });

  it("orders writes issued together: of two swaps on one version exactly one wins", async () => {
    await store.insertFunction(record("pair"), { maxFunctions: 10 });
    const next = (comment: string) => ({ ...record("pair"), development: { ...record("pair").development, version: 2, comment } });
    const expected = { developmentVersion: 1, liveVersion: undefined };
    const results = await Promise.all([store.replaceFunction(next("x"), expected), store.replaceFunction(next("y"), expected), store.deleteFunction("pair", 1)]);
    expect(results).toEqual([true, false, false]);
    expect((await store.getFunction("pair"))!.development.comment).toBe("x");
  });

  it("refuses a taken name and a full account", async () => {
    expect(await store.insertFunction(record("a"), { maxFunctions: 2 })).toBe("inserted");
    expect(await store.insertFunction(record("a"), { maxFunctions: 2 })).toBe("exists");
    expect(await store.insertFunction(record("b"), { maxFunctions: 2 })).toBe("inserted");
    expect(await store.insertFunction(record("c"), { maxFunctions: 2 })).toBe("limit");
    expect(await store.getFunction("c")).toBeUndefined();
  });

  it("replaces only when both stage versions match", async () => {
    await store.insertFunction(record("r"), { maxFunctions: 10 });
    const first = record("r");
    const next = { ...first, development: { ...first.development, version: 2, comment: "two" } };
    expect(await store.replaceFunction(next, { developmentVersion: 2, liveVersion: undefined })).toBe(false);
    expect(await store.replaceFunction(next, { developmentVersion: 1, liveVersion: 1 })).toBe(false);
    expect(await store.replaceFunction(next, { developmentVersion: 1, liveVersion: undefined })).toBe(true);
    expect((await store.getFunction("r"))!.development.comment).toBe("two");
    const published = { ...next, live: { ...next.development } };
    expect(await store.replaceFunction(published, { developmentVersion: 2, liveVersion: undefined })).toBe(true);
    expect((await store.getFunction("r"))!.live?.version).toBe(2);
    expect(await store.replaceFunction(record("missing"), { developmentVersion: 1, liveVersion: undefined })).toBe(false);
  });

  it("deletes only at the expected DEVELOPMENT version", async () => {
    await store.insertFunction(record("d", { live: record("d").development }), { maxFunctions: 10 });
    expect(await store.deleteFunction("d", 2)).toBe(false);
    expect(await store.deleteFunction("d", 1)).toBe(true);
    expect(await store.getFunction("d")).toBeUndefined();
    expect(await store.deleteFunction("d", 1)).toBe(false);
  });

  it("lists by name, after a name, up to a limit", async () => {
    for (const name of ["b", "a", "C", "c", "a-1"]) await store.insertFunction(record(name), { maxFunctions: 10 });
    const names = async (options: { afterName?: string; limit: number }) => (await store.listFunctions(options)).map((r) => r.name);
    expect(await names({ limit: 10 })).toEqual(["C", "a", "a-1", "b", "c"]);
    expect(await names({ limit: 2 })).toEqual(["C", "a"]);
    expect(await names({ afterName: "a", limit: 2 })).toEqual(["a-1", "b"]);
    expect(await names({ afterName: "c", limit: 2 })).toEqual([]);
  });
});

describe("SqliteStore ownership", () => {
  it("refuses a second process on the same data directory with a clear error, and reopens after close", async () => {
    const dir = tempDir();
    const first = makeStore("sqlite", dir.path);
    await first.insertFunction(record("owned"), { maxFunctions: 10 });
    const { spawnSync } = await import("node:child_process");
    const { createRequire } = await import("node:module");
    const driverPath = createRequire(`${nativeDirectory()}/package.json`).resolve("better-sqlite3");
    const probe = spawnSync(process.execPath, [
      "-e",
      `const D=require(${JSON.stringify(driverPath)});const d=new D(${JSON.stringify(dir.path + "/edgelite.sqlite")},{timeout:200});try{d.prepare("select count(*) n from functions").get();console.log("opened")}catch(e){console.log(e.code)}`,
    ], { encoding: "utf8" });
    expect(probe.stdout.trim()).toBe("SQLITE_BUSY");
    await first.close();
    const second = makeStore("sqlite", dir.path);
    expect((await second.getFunction("owned"))?.name).toBe("owned");
    await second.close();
    dir.remove();
  });
});
