import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { composeApp } from "../src/compose.js";
import { References } from "../src/service/references.js";
import { MemoryStore } from "../src/store/memory.js";
import type { Store } from "../src/store/types.js";
import { tempDir } from "./helpers.js";

const KVS_ARN = "arn:aws:cloudfront::123456789012:key-value-store/0e5e4ab6-8a55-4a5d-9f0c-000000000001";
const FUNCTION_ARN = "arn:aws:cloudfront::123456789012:function/used";

/** A store that holds only what References reads, listed in pages as a real store lists them. */
function listingStore(functions: Array<{ name: string; development: string[]; live?: string[] }>, distributions: Array<{ id: string; functionArns: string[] }>): { store: Store; pages: () => number } {
  let pages = 0;
  const page = <T>(items: T[], after: (item: T) => boolean, limit: number) => {
    pages++;
    return items.filter(after).slice(0, limit);
  };
  const records = functions.map(({ name, development, live }) => ({ name, development: { keyValueStoreArns: development }, ...(live ? { live: { keyValueStoreArns: live } } : {}) }));
  const store = {
    listFunctions: async ({ afterName, limit }: { afterName?: string; limit: number }) => page(records, (r) => afterName === undefined || r.name > afterName, limit),
    listDistributions: async ({ afterId, limit }: { afterId?: string; limit: number }) => page(distributions, (d) => afterId === undefined || d.id > afterId, limit),
  } as unknown as Store;
  return { store, pages: () => pages };
}

const padded = (i: number) => String(i).padStart(4, "0");

describe("References: who references a resource, from the records that hold the reference", () => {
  it("finds the functions whose DEVELOPMENT or LIVE stage names a key value store, across pages", async () => {
    const functions = Array.from({ length: 1203 }, (_, i) => ({ name: `f${padded(i)}`, development: [] as string[] }));
    functions[3] = { name: "f0003", development: [KVS_ARN] };
    functions[700] = { name: "f0700", development: [], live: [KVS_ARN] } as (typeof functions)[number];
    functions[1202] = { name: "f1202", development: ["arn:aws:cloudfront::123456789012:key-value-store/other", KVS_ARN] };
    const { store, pages } = listingStore(functions, []);
    expect(await new References(store).functionsUsing(KVS_ARN)).toEqual(["f0003", "f0700", "f1202"]);
    expect(pages()).toBe(3);
  });

  it("counts the distributions that associate a function, across pages", async () => {
    const distributions = Array.from({ length: 1000 }, (_, i) => ({ id: `E${padded(i)}`, functionArns: i % 250 === 7 ? [FUNCTION_ARN] : [] }));
    const { store, pages } = listingStore([], distributions);
    expect(await new References(store).distributionsUsing(FUNCTION_ARN)).toBe(4);
    // 500 + 500, then an empty page to learn the list ended.
    expect(pages()).toBe(3);
    expect(await new References(store).distributionsUsing("arn:aws:cloudfront::123456789012:function/unused")).toBe(0);
  });
});

describe("composeApp: the emulator without its HTTP front", () => {
  const dir = tempDir();
  afterAll(() => dir.remove());
  const code = (text: string) => new TextEncoder().encode(`function handler(event) { return { statusCode: 200, statusDescription: "${text}" }; }`);
  const config = { comment: "", runtime: "cloudfront-js-2.0" as const, keyValueStoreArns: [] };

  it("deploys a function (create, then update) and publishes each version", async () => {
    const app = composeApp({ store: new MemoryStore() });
    try {
      const first = await app.deployFunction("fn", config, code("one"), { create: true });
      expect(first).toMatchObject({ name: "fn", stage: "LIVE", status: "UNASSOCIATED" });
      expect(app.functionArn("fn")).toBe("arn:aws:cloudfront::123456789012:function/fn");
      const second = await app.deployFunction("fn", config, code("two"), { create: false });
      expect(second.etag).not.toBe(first.etag);
      const live = await app.services.functions.getCode("fn", "LIVE");
      expect(new TextDecoder().decode(live.code)).toContain('"two"');
      await expect(app.deployFunction("missing", config, code("x"), { create: false })).rejects.toMatchObject({ code: "NoSuchFunctionExists" });
    } finally {
      await app.close();
    }
  });

  it("imports a key value store from a file in an allowed folder, and keeps it while a function uses it", async () => {
    const file = join(dir.path, "keys.json");
    writeFileSync(file, JSON.stringify({ data: [{ key: "a", value: "1" }, { key: "b", value: "2" }] }));
    const app = composeApp({ store: new MemoryStore(), importDirs: [dir.path] });
    try {
      const imported = await app.importKeyValueStore({ name: "keys", comment: "test", sourceUrl: pathToFileURL(file).href });
      expect(imported).toMatchObject({ itemCount: 2, arn: `arn:aws:cloudfront::123456789012:key-value-store/${imported.id}` });
      await app.deployFunction("reader", { ...config, keyValueStoreArns: [imported.arn] }, code("r"), { create: true });
      const { etag } = await app.services.keyValueStores.describe("keys");
      await expect(app.services.keyValueStores.delete("keys", etag)).rejects.toMatchObject({ code: "CannotDeleteEntityWhileInUse", message: expect.stringContaining("function reader") });
    } finally {
      await app.close();
    }
  });

  it("close stops the function runners and closes the store", async () => {
    let storeClosed = false;
    class TrackedStore extends MemoryStore {
      override async close(): Promise<void> {
        storeClosed = true;
      }
    }
    const app = composeApp({ store: new TrackedStore() });
    const { etag } = await app.deployFunction("fn", config, code("one"), { create: true });
    const event = new TextEncoder().encode(JSON.stringify({ version: "1.0", context: { eventType: "viewer-request" }, viewer: { ip: "1.2.3.4" }, request: { method: "GET", uri: "/", querystring: {}, headers: {}, cookies: {} } }));
    expect((await app.services.functions.test("fn", etag, "LIVE", event)).errorMessage).toBe("");
    await app.close();
    expect(storeClosed).toBe(true);
    await expect(app.services.functions.test("fn", etag, "LIVE", event)).rejects.toThrow("the runner pool is closed");
  });
});
