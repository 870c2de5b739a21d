import { afterEach, describe, expect, it } from "vitest";
import { join } from "node:path";
import { MirrorStore, type Journal } from "../../src/store/mirror.js";
import { sqliteDriver } from "../../src/store/sqliteDatabase.js";
import { SqliteStore } from "../../src/store/sqlite.js";
import type { WriteOp } from "../../src/store/table.js";
import type { FunctionRecord, KeyValueStoreRecord } from "../../src/store/types.js";
import { encode, tempDir } from "../helpers.js";

/** A commit that fails: what was written in that batch must be neither acknowledged nor visible. */

const at = new Date("2024-08-06T22:19:30.510Z");

function fn(name: string, version = 1, comment = "c"): FunctionRecord {
  return {
    name,
    development: { comment, runtime: "cloudfront-js-2.0", keyValueStoreArns: [], code: encode(`// ${name} ${version}`), version, createdTime: at, lastModifiedTime: at },
    tags: [],
  };
}

function kvs(dataVersion: number, itemCount: number): KeyValueStoreRecord {
  return {
    id: "0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0",
    name: "main",
    comment: "",
    readyAt: at,
    version: 1,
    dataVersion,
    createdTime: at,
    lastModifiedTime: at,
    dataLastModifiedTime: at,
    itemCount,
    totalSizeInBytes: 0,
    tags: [],
  };
}

/** A journal whose commits the test settles by hand, one batch at a time. */
class HeldJournal implements Journal {
  readonly batches: Array<{ ops: WriteOp[]; succeed: () => void; fail: (error: Error) => void }> = [];

  commit(ops: WriteOp[]): Promise<void> {
    return new Promise((resolve, reject) => this.batches.push({ ops, succeed: resolve, fail: reject }));
  }

  async close(): Promise<void> {}
}

const settled = () => new Promise((resolve) => setImmediate(resolve));

describe("a failed journal commit (the mirror over a journal that fails)", () => {
  it("rejects every write of the failed batch and those queued behind it, shows none of them, and accepts them again afterwards", async () => {
    const journal = new HeldJournal();
    const store = new MirrorStore("test", "test", undefined, journal);
    const first = store.insertFunction(fn("a"), { maxFunctions: 10 });
    await settled();
    journal.batches[0]!.succeed();
    expect(await first).toBe("inserted");

    // b is committed alone; the replace of a and the delete (checked against that pending replace) wait behind it.
    const b = store.insertFunction(fn("b"), { maxFunctions: 10 });
    const replaceA = store.replaceFunction(fn("a", 2, "two"), { developmentVersion: 1, liveVersion: undefined });
    await settled();
    const d = store.deleteFunction("a", 2);
    await settled();
    expect(journal.batches).toHaveLength(2);
    expect(journal.batches[1]!.ops.map((op) => `${op.kind} ${op.key}`)).toEqual(["put b"]);
    // Until the commit lands, readers see only what is durable.
    expect(await store.getFunction("b")).toBeUndefined();
    expect((await store.getFunction("a"))!.development.comment).toBe("c");

    const failure = new Error("disk said no");
    journal.batches[1]!.fail(failure);
    await expect(b).rejects.toBe(failure);
    await expect(replaceA).rejects.toBe(failure);
    await expect(d).rejects.toBe(failure);
    expect(journal.batches).toHaveLength(2); // the queued writes were never sent: they were checked against what failed

    // The mirror is as it was before the failed batch.
    expect(await store.getFunction("b")).toBeUndefined();
    expect(await store.getFunction("a")).toEqual(fn("a"));
    expect((await store.listFunctions({ limit: 10 })).map((record) => record.name)).toEqual(["a"]);

    // The failed writes' conditions are forgotten too: the same writes are accepted again.
    const retry = store.replaceFunction(fn("a", 2, "two"), { developmentVersion: 1, liveVersion: undefined });
    const full = store.insertFunction(fn("b"), { maxFunctions: 2 });
    const overLimit = store.insertFunction(fn("c"), { maxFunctions: 2 });
    expect(await overLimit).toBe("limit"); // b counts as soon as it is accepted
    await settled();
    journal.batches[2]!.succeed();
    await settled();
    journal.batches[3]!.succeed();
    expect(await retry).toBe(true);
    expect(await full).toBe("inserted");
    expect((await store.getFunction("a"))!.development.comment).toBe("two");
  });

  it("leaves a key value store's keys and data version untouched when a key batch fails", async () => {
    const journal = new HeldJournal();
    const store = new MirrorStore("test", "test", undefined, journal);
    const inserted = store.insertKeyValueStore(kvs(1, 1), [["k", "old"]], { maxStores: 5 });
    await settled();
    journal.batches[0]!.succeed();
    expect(await inserted).toBe("inserted");

    const update = store.updateKeys(kvs(1, 1).id, 1, { puts: [["k", "new"], ["k2", "v"]], deletes: [] }, kvs(2, 2));
    await settled();
    journal.batches[1]!.fail(new Error("no"));
    await expect(update).rejects.toThrow("no");
    expect(await store.getKey(kvs(1, 1).id, "k")).toBe("old");
    expect(await store.getKey(kvs(1, 1).id, "k2")).toBeUndefined();
    expect((await store.getKeyValueStore(kvs(1, 1).id))!.dataVersion).toBe(1);
    const snapshot = await store.keySnapshot(kvs(1, 1).id);
    expect(snapshot!.version).toBe(1);
    expect([...snapshot!.entries]).toEqual([["k", "old"]]);
  });

  it("hands out key snapshots that later writes do not change, at the version they were read", async () => {
    const journal = new HeldJournal();
    const store = new MirrorStore("test", "test", undefined, journal);
    const id = kvs(1, 1).id;
    const inserted = store.insertKeyValueStore(kvs(1, 1), [["k", "v1"]], { maxStores: 5 });
    await settled();
    journal.batches[0]!.succeed();
    await inserted;
    const before = await store.keySnapshot(id);
    const update = store.updateKeys(id, 1, { puts: [["k", "v2"]], deletes: [] }, kvs(2, 1));
    await settled();
    journal.batches[1]!.succeed();
    await update;
    expect(before).toEqual({ version: 1, entries: new Map([["k", "v1"]]) });
    expect(await store.keySnapshot(id)).toEqual({ version: 2, entries: new Map([["k", "v2"]]) });
    // A key write must move the data version: it is what tells readers their snapshot is stale.
    await expect(store.updateKeys(id, 2, { puts: [["k", "v3"]], deletes: [] }, kvs(2, 1))).rejects.toThrow(/later data version/);
  });
});

describe("a failed SQLite commit (a real transaction that SQLite aborts)", () => {
  const cleanups: Array<() => Promise<void> | void> = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });

  it("rolls the whole batch back: nothing of it is acknowledged, mirrored or in the file, and the journal goes on committing", async () => {
    const dir = tempDir();
    cleanups.push(dir.remove);
    const path = join(dir.path, "edgelite.sqlite");
    // Create the schema, then plant a trigger that makes SQLite abort any transaction writing the function "boom".
    await new SqliteStore(path).close();
    const db = new (sqliteDriver())(path);
    db.exec(`CREATE TRIGGER refuse_boom BEFORE INSERT ON functions WHEN NEW.name = 'boom' BEGIN SELECT RAISE(ABORT, 'boom is refused'); END`);
    db.close();

    const store = new SqliteStore(path);
    cleanups.push(() => store.close());
    // "first" commits alone; the other three are accepted meanwhile and go together in the next batch.
    const results = await Promise.allSettled([
      store.insertFunction(fn("first"), { maxFunctions: 10 }),
      store.insertFunction(fn("before"), { maxFunctions: 10 }),
      store.insertFunction(fn("boom"), { maxFunctions: 10 }),
      store.replaceFunction(fn("first", 2, "two"), { developmentVersion: 1, liveVersion: undefined }),
    ]);
    expect(results.map((result) => result.status)).toEqual(["fulfilled", "rejected", "rejected", "rejected"]);
    for (const result of results.slice(1)) expect((result as PromiseRejectedResult).reason).toEqual(new Error("SQLite commit failed: boom is refused"));

    expect((await store.listFunctions({ limit: 10 })).map((record) => record.name)).toEqual(["first"]);
    expect((await store.getFunction("first"))!.development.comment).toBe("c");

    // No transaction was left open: the next write commits, and the same conditional write as before succeeds.
    expect(await store.insertFunction(fn("after"), { maxFunctions: 10 })).toBe("inserted");
    expect(await store.replaceFunction(fn("first", 2, "two"), { developmentVersion: 1, liveVersion: undefined })).toBe(true);
    await store.close();

    const reopened = new SqliteStore(path);
    cleanups.push(() => reopened.close());
    expect((await reopened.listFunctions({ limit: 10 })).map((record) => record.name)).toEqual(["after", "first"]);
    expect((await reopened.getFunction("first"))!.development.comment).toBe("two");
  });
});
