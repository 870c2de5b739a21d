import { afterEach, describe, expect, it } from "vitest";
import { join } from "node:path";
import { sqliteDriver } from "../../src/store/sqliteDatabase.js";
import { SqliteStore } from "../../src/store/sqlite.js";
import type { DistributionRecord, FunctionRecord, KeyValueStoreRecord, Store } from "../../src/store/types.js";
import { tempDir } from "../helpers.js";

/**
 * The store contract reads from the in-memory mirror; these tests read back from the file: write every
 * kind of record through a SqliteStore, close it, open the file again (which loads only what SQLite
 * holds) and compare every record, field by field.
 */

const at = (iso: string) => new Date(iso);
const FN_ARN = "arn:aws:cloudfront::123456789012:function/";
const KVS_ARN = "arn:aws:cloudfront::123456789012:key-value-store/";
const KVS_ID = "0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0";
const OTHER_KVS_ID = "11111111-2222-3333-4444-555555555555";

/** Code with every byte value, a NUL and invalid UTF-8 among them: what comes back must be these bytes. */
const BINARY_CODE = new Uint8Array([...Array.from({ length: 256 }, (_, i) => i), 0, 0xc3, 0x28, 0xff]);

function fn(name: string, overrides: Partial<FunctionRecord> = {}): FunctionRecord {
  return {
    name,
    development: {
      comment: `dev of ${name} — ünïcödé`,
      runtime: "cloudfront-js-2.0",
      keyValueStoreArns: [`${KVS_ARN}${KVS_ID}`],
      code: new TextEncoder().encode(`function handler(e) { return e.request; } // ${name}`),
      version: 1,
      createdTime: at("2024-08-06T22:19:30.510Z"),
      lastModifiedTime: at("2024-08-06T22:19:31.001Z"),
    },
    tags: [{ key: "team", value: "edge" }, { key: "no-value" }],
    ...overrides,
  };
}

function kvs(id: string, name: string, overrides: Partial<KeyValueStoreRecord> = {}): KeyValueStoreRecord {
  return {
    id,
    name,
    comment: "keys for the edge",
    readyAt: at("2024-08-06T22:19:35.000Z"),
    version: 1,
    dataVersion: 1,
    createdTime: at("2024-08-06T22:19:30.000Z"),
    lastModifiedTime: at("2024-08-06T22:19:30.000Z"),
    dataLastModifiedTime: at("2024-08-06T22:19:30.000Z"),
    itemCount: 2,
    totalSizeInBytes: 14,
    tags: [{ key: "env", value: "test" }],
    ...overrides,
  };
}

function distribution(id: string, overrides: Partial<DistributionRecord> = {}): DistributionRecord {
  return {
    id,
    domainName: `${id.toLowerCase()}.cloudfront.net`,
    callerReference: `ref-${id}`,
    enabled: true,
    aliases: ["www.example.com", "ünï.example.com"],
    functionArns: [`${FN_ARN}both`, `${FN_ARN}dev-only`],
    configXml: `<CallerReference>ref-${id}</CallerReference><Comment>a &amp; b — ü</Comment><Enabled>true</Enabled>`,
    version: 1,
    createdTime: at("2024-08-07T10:00:00.000Z"),
    lastModifiedTime: at("2024-08-07T10:00:00.000Z"),
    ...overrides,
  };
}

/** Everything a store can be asked, through every read method. */
async function everything(store: Store) {
  const functions = await store.listFunctions({ limit: 100 });
  const stores = await store.listKeyValueStores({ limit: 100 });
  const distributions = await store.listDistributions({ limit: 100 });
  return {
    functions,
    functionsByName: await Promise.all(functions.map((record) => store.getFunction(record.name))),
    stores,
    storesById: await Promise.all(stores.map((record) => store.getKeyValueStore(record.id))),
    storesByName: await Promise.all(stores.map((record) => store.getKeyValueStoreByName(record.name))),
    keys: await Promise.all(stores.map((record) => store.listKeys(record.id, { limit: 1000 }))),
    keySnapshots: await Promise.all(stores.map(async (record) => {
      const snapshot = await store.keySnapshot(record.id);
      return snapshot && { version: snapshot.version, entries: [...snapshot.entries].sort() };
    })),
    distributions,
    distributionsById: await Promise.all(distributions.map((record) => store.getDistribution(record.id))),
  };
}

describe("SqliteStore read back from the file after close and reopen", () => {
  const cleanups: Array<() => Promise<void> | void> = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });

  function open(path: string): SqliteStore {
    const store = new SqliteStore(path);
    cleanups.push(() => store.close());
    return store;
  }

  it("gives back every record type exactly as written: functions (binary code, both stages, dates, tags), key value stores and their keys, distributions with their config and associations", async () => {
    const dir = tempDir();
    cleanups.push(dir.remove);
    const path = join(dir.path, "edgelite.sqlite");
    const first = open(path);

    // Functions: one with both stages (the LIVE code binary), one DEVELOPMENT only after an update, one deleted.
    const both = fn("both", {
      live: { comment: "live", runtime: "cloudfront-js-1.0", keyValueStoreArns: [], code: BINARY_CODE, version: 3, createdTime: at("2023-01-01T00:00:00.001Z"), lastModifiedTime: at("2023-06-30T23:59:59.999Z") },
    });
    expect(await first.insertFunction(both, { maxFunctions: 10 })).toBe("inserted");
    expect(await first.insertFunction(fn("dev-only"), { maxFunctions: 10 })).toBe("inserted");
    const devOnly = fn("dev-only", { development: { ...fn("dev-only").development, version: 2, comment: "updated", code: new Uint8Array([0]) }, tags: [] });
    expect(await first.replaceFunction(devOnly, { developmentVersion: 1, liveVersion: undefined })).toBe(true);
    expect(await first.insertFunction(fn("gone"), { maxFunctions: 10 })).toBe("inserted");
    expect(await first.deleteFunction("gone", 1)).toBe(true);

    // Key value stores: one with initial keys, then a batch that puts and deletes, then new tags; one deleted with its keys.
    const initialKeys: Array<[string, string]> = [["a", "1"], ["ünï", "välue"], ["deleted", "x"]];
    expect(await first.insertKeyValueStore(kvs(KVS_ID, "main", { itemCount: 3 }), initialKeys, { maxStores: 10 })).toBe("inserted");
    const afterKeys = kvs(KVS_ID, "main", { dataVersion: 2, dataLastModifiedTime: at("2024-08-06T22:20:00.123Z"), itemCount: 3, totalSizeInBytes: 30 });
    expect(await first.updateKeys(KVS_ID, 1, { puts: [["a", "2"], ["new", "{\"json\":true}"]], deletes: ["deleted"] }, afterKeys)).toBe(true);
    const retagged = { ...afterKeys, version: 2, lastModifiedTime: at("2024-08-06T22:21:00.000Z"), tags: [{ key: "env", value: "prod" }] };
    expect(await first.replaceKeyValueStore(retagged, 1)).toBe(true);
    expect(await first.insertKeyValueStore(kvs(OTHER_KVS_ID, "other"), [["k", "v"]], { maxStores: 10 })).toBe("inserted");
    expect(await first.deleteKeyValueStore(OTHER_KVS_ID, 1)).toBe(true);

    // Distributions: one replaced (new config, fewer associations, disabled), one as created, one deleted.
    expect(await first.insertDistribution(distribution("E1ABCDEFGHIJKL"))).toBe("inserted");
    const replaced = distribution("E1ABCDEFGHIJKL", { enabled: false, aliases: [], functionArns: [`${FN_ARN}both`], configXml: "<Comment>second</Comment>", version: 2, lastModifiedTime: at("2024-08-07T11:00:00.000Z") });
    expect(await first.replaceDistribution(replaced, 1)).toBe(true);
    expect(await first.insertDistribution(distribution("E2ABCDEFGHIJKL"))).toBe("inserted");
    expect(await first.insertDistribution(distribution("E3ABCDEFGHIJKL"))).toBe("inserted");
    expect(await first.deleteDistribution("E3ABCDEFGHIJKL", 1)).toBe(true);

    const expected = {
      functions: [both, devOnly],
      functionsByName: [both, devOnly],
      stores: [retagged],
      storesById: [retagged],
      storesByName: [retagged],
      keys: [[["a", "2"], ["new", "{\"json\":true}"], ["ünï", "välue"]]],
      keySnapshots: [{ version: 2, entries: [["a", "2"], ["new", "{\"json\":true}"], ["ünï", "välue"]] }],
      distributions: [replaced, distribution("E2ABCDEFGHIJKL")],
      distributionsById: [replaced, distribution("E2ABCDEFGHIJKL")],
    };
    const fromMirror = await everything(first);
    expect(fromMirror).toEqual(expected);
    await first.close();

    const second = open(path);
    const fromFile = await everything(second);
    expect(fromFile).toEqual(expected);
    // toEqual would take a Buffer or a plain array of numbers for the code: it must be a Uint8Array of the same bytes.
    const live = fromFile.functions[0]!.live!;
    expect(Object.getPrototypeOf(live.code)).toBe(Uint8Array.prototype);
    expect(Array.from(live.code)).toEqual(Array.from(BINARY_CODE));
    expect(fromFile.functions[0]!.development.createdTime).toBeInstanceOf(Date);
    expect(fromFile.stores[0]!.readyAt.getTime()).toBe(retagged.readyAt.getTime());
    // Nothing deleted comes back, through any door.
    expect(await second.getFunction("gone")).toBeUndefined();
    expect(await second.getKeyValueStore(OTHER_KVS_ID)).toBeUndefined();
    expect(await second.keySnapshot(OTHER_KVS_ID)).toBeUndefined();
    expect(await second.getDistribution("E3ABCDEFGHIJKL")).toBeUndefined();
    // And records read from the file are values too.
    expect(Object.isFrozen(fromFile.functions[0]!.tags)).toBe(true);
    expect(Object.isFrozen(fromFile.distributions[0]!.aliases)).toBe(true);
    await second.close();

    // The deleted store's keys are gone from the file, not only hidden.
    const db = new (sqliteDriver())(path, { readonly: true });
    try {
      expect(db.prepare("SELECT count(*) AS n FROM key_value_store_keys WHERE store_id = ?").get(OTHER_KVS_ID)).toEqual({ n: 0 });
      expect(db.prepare("SELECT count(*) AS n FROM key_value_store_keys").get()).toEqual({ n: 3 });
    } finally {
      db.close();
    }
  });

  it("keeps the conditions of conditional writes after a reopen: versions, unique names and caller references, the account limit", async () => {
    const dir = tempDir();
    cleanups.push(dir.remove);
    const path = join(dir.path, "edgelite.sqlite");
    const first = open(path);
    await first.insertFunction(fn("f"), { maxFunctions: 2 });
    await first.insertFunction(fn("g"), { maxFunctions: 2 });
    await first.insertKeyValueStore(kvs(KVS_ID, "main"), [], { maxStores: 5 });
    await first.insertDistribution(distribution("E1ABCDEFGHIJKL"));
    await first.close();

    const second = open(path);
    expect(await second.insertFunction(fn("h"), { maxFunctions: 2 })).toBe("limit");
    expect(await second.insertFunction(fn("f"), { maxFunctions: 10 })).toBe("exists");
    expect(await second.replaceFunction(fn("f"), { developmentVersion: 2, liveVersion: undefined })).toBe(false);
    expect(await second.insertKeyValueStore(kvs(OTHER_KVS_ID, "main"), [], { maxStores: 5 })).toBe("exists");
    expect(await second.getKeyValueStoreByName("main")).toEqual(kvs(KVS_ID, "main"));
    expect(await second.insertDistribution(distribution("E9ABCDEFGHIJKL", { callerReference: "ref-E1ABCDEFGHIJKL" }))).toBe("exists");
    expect(await second.deleteDistribution("E1ABCDEFGHIJKL", 2)).toBe(false);
    expect(await second.deleteDistribution("E1ABCDEFGHIJKL", 1)).toBe(true);
  });
});
