import { afterEach, describe, expect, it } from "vitest";
import { join } from "node:path";
import { MemoryStore } from "../../src/store/memory.js";
import { SqliteStore } from "../../src/store/sqlite.js";
import type { ResourceRecord, Store } from "../../src/store/types.js";
import { tempDir } from "../helpers.js";

/** The generic resources table (policies, origin access controls, invalidations), in memory and in a SQLite file. */

const at = (iso: string) => new Date(iso);

function resource(overrides: Partial<ResourceRecord> = {}): ResourceRecord {
  return {
    type: "cache-policy",
    id: "2a5f7c1e-0000-4000-8000-000000000001",
    scope: "",
    name: "my-policy",
    configJson: JSON.stringify({ minTtl: 1, names: ["ünï", "__proto__"] }),
    version: 1,
    createdTime: at("2026-12-02T10:00:00.000Z"),
    lastModifiedTime: at("2026-12-02T10:00:00.000Z"),
    tags: [{ key: "team", value: "edge" }, { key: "no-value" }],
    ...overrides,
  };
}

const open: Store[] = [];
afterEach(async () => {
  for (const store of open.splice(0)) await store.close();
});

const stores: Array<[string, () => Store]> = [
  ["memory", () => new MemoryStore()],
  ["sqlite", () => new SqliteStore(join(tempDir().path, "edgelite.sqlite"))],
];

describe.each(stores)("resources in the %s store", (_kind, make) => {
  it("inserts, refuses a taken id or type+scope+name, counts the limit per type and scope, lists oldest first", async () => {
    const store = make();
    open.push(store);
    expect(await store.insertResource(resource())).toBe("inserted");
    expect(await store.insertResource(resource({ name: "other" }))).toBe("exists");
    expect(await store.insertResource(resource({ id: "second" }))).toBe("exists");
    // The same name under another type or scope is free.
    expect(await store.insertResource(resource({ type: "origin-request-policy" }))).toBe("inserted");
    expect(await store.insertResource(resource({ type: "invalidation", id: "I1", scope: "E1", name: "ref" }))).toBe("inserted");
    expect(await store.insertResource(resource({ type: "invalidation", id: "I2", scope: "E2", name: "ref", createdTime: at("2026-12-02T09:00:00.000Z") }))).toBe("inserted");
    expect(await store.insertResource(resource({ type: "invalidation", id: "I3", scope: "E1", name: "ref2" }), { max: 1 })).toBe("limit");
    expect((await store.listResources("invalidation")).map((r) => r.id)).toEqual(["I2", "I1"]);
    expect((await store.listResources("invalidation", "E1")).map((r) => r.id)).toEqual(["I1"]);
    expect(await store.getResource("cache-policy", "2a5f7c1e-0000-4000-8000-000000000001")).toEqual(resource());
    expect(await store.getResource("response-headers-policy", "2a5f7c1e-0000-4000-8000-000000000001")).toBeUndefined();
  });

  it("replaces and deletes only at the expected version", async () => {
    const store = make();
    open.push(store);
    await store.insertResource(resource());
    expect(await store.replaceResource(resource({ version: 3 }), 2)).toBe(false);
    expect(await store.replaceResource(resource({ version: 2, name: "renamed" }), 1)).toBe(true);
    expect((await store.getResource("cache-policy", resource().id))?.name).toBe("renamed");
    // The old name is free again once renamed.
    expect(await store.insertResource(resource({ id: "x" }))).toBe("inserted");
    expect(await store.deleteResource("cache-policy", resource().id, 1)).toBe(false);
    expect(await store.deleteResource("cache-policy", resource().id, 2)).toBe(true);
    expect(await store.getResource("cache-policy", resource().id)).toBeUndefined();
  });
});

describe("resources in a SQLite file", () => {
  it("come back exactly as written after a reopen, with distributions' tags and ports", async () => {
    const path = join(tempDir().path, "edgelite.sqlite");
    const first = new SqliteStore(path);
    await first.insertResource(resource());
    await first.insertResource(resource({ type: "origin-access-control", id: "E2QWRUHAPOMQZL", name: "oac" }));
    await first.insertDistribution({
      id: "E1U5RQF7T870K0",
      domainName: "d111111abcdef8.cloudfront.net",
      callerReference: "ref",
      enabled: true,
      aliases: [],
      functionArns: [],
      configXml: "<Comment/>",
      version: 1,
      createdTime: at("2026-12-02T10:00:00.000Z"),
      lastModifiedTime: at("2026-12-02T10:00:00.000Z"),
      tags: [{ key: "env", value: "dev" }],
      edgePort: 4601,
    });
    await first.close();
    const second = new SqliteStore(path);
    open.push(second);
    expect(await second.getResource("cache-policy", resource().id)).toEqual(resource());
    expect((await second.listResources("origin-access-control")).map((r) => r.name)).toEqual(["oac"]);
    const distribution = await second.getDistribution("E1U5RQF7T870K0");
    expect(distribution?.tags).toEqual([{ key: "env", value: "dev" }]);
    expect(distribution?.edgePort).toBe(4601);
    expect(await second.insertResource(resource({ id: "new" }))).toBe("exists");
  });
});
