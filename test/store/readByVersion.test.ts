import { describe, expect, it } from "vitest";
import { FixedClock } from "../../src/clock.js";
import { KeyValueStoreService } from "../../src/service/keyValueStores.js";
import { etagForVersion } from "../../src/service/etag.js";
import { MemoryStore } from "../../src/store/memory.js";
import type { KeySnapshot } from "../../src/store/types.js";

/**
 * A function run reads its key value store's record (cheap) every time, and all of its keys only when
 * their version moved: what a networked store needs, with a run still seeing a key the moment it is written.
 */

class CountingStore extends MemoryStore {
  snapshots = 0;
  override async keySnapshot(storeId: string): Promise<KeySnapshot | undefined> {
    this.snapshots++;
    return super.keySnapshot(storeId);
  }
}

async function setUp() {
  const store = new CountingStore();
  const service = new KeyValueStoreService({ store, clock: new FixedClock(new Date("2024-08-06T00:00:00Z")), accountId: "123456789012", maxStores: 5, provisioningMs: 0, functionsUsing: async () => [] });
  const { arn } = await service.create({ name: "main", comment: "", tags: [] });
  return { store, service, arn };
}

const entriesOf = async (service: KeyValueStoreService, arn: string) => {
  const kvs = (await service.forRun(arn))!;
  return { version: kvs.version, entries: Object.fromEntries(kvs.load().entries) };
};

describe("KVS data read by version", () => {
  it("reads a store's keys once per data version, and a run sees a key as soon as it is written", async () => {
    const { store, service, arn } = await setUp();
    expect(await entriesOf(service, arn)).toEqual({ version: "1", entries: {} });
    expect(await entriesOf(service, arn)).toEqual({ version: "1", entries: {} });
    expect(store.snapshots).toBe(1);

    await service.putKey(arn, "k", "v1", etagForVersion(1, "KV"));
    expect(await entriesOf(service, arn)).toEqual({ version: "2", entries: { k: "v1" } });
    for (let run = 0; run < 5; run++) await service.forRun(arn);
    expect(store.snapshots).toBe(2);

    await service.updateKeys(arn, etagForVersion(2, "KV"), [["k", "v2"], ["other", "x"]], []);
    expect(await entriesOf(service, arn)).toEqual({ version: "3", entries: { k: "v2", other: "x" } });
    await service.deleteKey(arn, "k", etagForVersion(3, "KV"));
    expect(await entriesOf(service, arn)).toEqual({ version: "4", entries: { other: "x" } });
    expect(store.snapshots).toBe(4);
  });

  it("does not move the version, nor re-read the keys, on a control-plane change (comment, tags)", async () => {
    const { store, service, arn } = await setUp();
    await service.forRun(arn);
    expect(await service.setTags(arn, () => [{ key: "a", value: "b" }])).toBe(true);
    expect((await service.forRun(arn))!.version).toBe("1");
    expect(store.snapshots).toBe(1);
  });

  it("tells runs of a store that does not exist so, and forgets a deleted store's keys", async () => {
    const { store, service, arn } = await setUp();
    expect(await service.forRun(arn.replace(/.{4}$/, "0000"))).toBeUndefined();
    await service.putKey(arn, "k", "v", etagForVersion(1, "KV"));
    await service.forRun(arn);
    const name = (await store.getKeyValueStore(arn.slice(-36)))!.name;
    await service.delete(name, etagForVersion(1));
    expect(await service.forRun(arn)).toBeUndefined();
  });
});
