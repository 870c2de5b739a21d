import { randomUUID } from "node:crypto";
import type { Clock } from "../clock.js";
import {
  DEFAULT_LIST_MAX_ITEMS,
  KVS_LIST_KEYS_DEFAULT,
  KVS_LIST_KEYS_MAX,
  KVS_MAX_BATCH_BYTES,
  KVS_MAX_BATCH_KEYS,
  KVS_MAX_KEY_BYTES,
  KVS_MAX_STORE_BYTES,
  KVS_MAX_VALUE_BYTES,
} from "../limits.js";
import type { KeyValueStoreRecord, Store, Tag } from "../store/types.js";
import { CloudFrontError, preconditionFailed, requireIfMatch } from "./errors.js";
import { etagForVersion } from "./etag.js";
import { readImportSource } from "./importFile.js";
import { KeySnapshots } from "./keySnapshots.js";
import { parseImportFile } from "./importFormat.js";
import { KVS_MESSAGES, KvsError } from "./kvsErrors.js";
import type { PoolKvs } from "../runtime/pool.js";
import { missingMemberMessage, validationMessage } from "./validation.js";

export type KeyValueStoreStatus = "PROVISIONING" | "READY";

/** A store as the control plane shows it (KeyValueStore plus its ETag). */
export interface KeyValueStoreSummary {
  name: string;
  id: string;
  comment: string;
  arn: string;
  status: KeyValueStoreStatus;
  lastModifiedTime: Date;
  etag: string;
}

/** A store as the data plane shows it (DescribeKeyValueStore of cloudfront-keyvaluestore). */
export interface KeyValueStoreData {
  itemCount: number;
  totalSizeInBytes: number;
  kvsArn: string;
  created: Date;
  lastModified: Date;
  status: KeyValueStoreStatus;
  etag: string;
}

export interface KeyWriteResult {
  itemCount: number;
  totalSizeInBytes: number;
  etag: string;
}

export interface KeyValueStoreServiceOptions {
  store: Store;
  clock: Clock;
  accountId: string;
  maxStores: number;
  provisioningMs: number;
  /** Folders `file://` import sources may be read from (`--import-dir`); none: such imports are refused. */
  importDirs?: readonly string[];
  /** Names of the functions (either stage) associated with a store ARN: a store in use cannot be deleted. */
  functionsUsing(arn: string): Promise<string[]>;
}

const ARN_PATTERN = /^arn:aws:cloudfront::(\d{12}):key-value-store\/([0-9a-fA-F-]{36})$/;
const bytes = (text: string) => Buffer.byteLength(text, "utf8");
const entrySize = (key: string, value: string) => bytes(key) + bytes(value);

/** CloudFront KeyValueStore: stores (control plane) and their keys (data plane). Knows nothing of HTTP. */
export class KeyValueStoreService {
  private readonly snapshots: KeySnapshots;

  constructor(private readonly options: KeyValueStoreServiceOptions) {
    this.snapshots = new KeySnapshots(options.store);
  }

  arnOf(id: string): string {
    return `arn:aws:cloudfront::${this.options.accountId}:key-value-store/${id}`;
  }

  statusOf(record: KeyValueStoreRecord): KeyValueStoreStatus {
    return this.options.clock.now().getTime() >= record.readyAt.getTime() ? "READY" : "PROVISIONING";
  }

  /** The store an association names, if it exists in this account (used by CreateFunction/UpdateFunction). */
  async findByArn(arn: string): Promise<KeyValueStoreRecord | undefined> {
    const match = ARN_PATTERN.exec(arn);
    if (!match || match[1] !== this.options.accountId) return undefined;
    return this.options.store.getKeyValueStore(match[2]!.toLowerCase());
  }

  // ---- control plane

  /** Replaces a store's tags (its ETag does not move). False when no store has that ARN. */
  async setTags(arn: string, change: (tags: readonly Tag[]) => Tag[]): Promise<boolean> {
    const record = await this.findByArn(arn);
    if (!record) return false;
    if (!(await this.options.store.replaceKeyValueStore({ ...record, tags: change(record.tags) }, record.version))) throw preconditionFailed();
    return true;
  }

  async create(input: { name: string; comment: string; importSource?: { sourceType: string; sourceArn: string }; tags: Tag[] }): Promise<KeyValueStoreSummary> {
    const keys = input.importSource ? await this.readImport(input.importSource.sourceArn) : [];
    const now = this.options.clock.now();
    const record: KeyValueStoreRecord = {
      id: randomUUID(),
      name: input.name,
      comment: input.comment,
      readyAt: new Date(now.getTime() + this.options.provisioningMs),
      version: 1,
      dataVersion: 1,
      createdTime: now,
      lastModifiedTime: now,
      dataLastModifiedTime: now,
      itemCount: keys.length,
      totalSizeInBytes: keys.reduce((n, [k, v]) => n + entrySize(k, v), 0),
      tags: input.tags,
    };
    const result = await this.options.store.insertKeyValueStore(record, keys, { maxStores: this.options.maxStores });
    if (result === "exists") throw new CloudFrontError("EntityAlreadyExists", `A key value store named ${input.name} already exists in this account.`);
    if (result === "limit") {
      throw new CloudFrontError("EntityLimitExceeded", `You have reached the maximum number of key value stores for this account (${this.options.maxStores}).`);
    }
    // As on AWS, a new store reports PROVISIONING; it becomes READY after the provisioning time (0 by default).
    return { ...this.summarize(record), status: "PROVISIONING" };
  }

  async describe(name: string): Promise<KeyValueStoreSummary> {
    return this.summarize(await this.requireByName(name));
  }

  async list(options: { marker?: string; maxItems?: number; status?: string }): Promise<{ items: KeyValueStoreSummary[]; maxItems: number; nextMarker?: string }> {
    const maxItems = options.maxItems ?? DEFAULT_LIST_MAX_ITEMS;
    const items: KeyValueStoreSummary[] = [];
    let after = options.marker;
    let more = false;
    for (;;) {
      const batch = await this.options.store.listKeyValueStores({ afterName: after, limit: maxItems + 1 });
      for (const record of batch) {
        const summary = this.summarize(record);
        if (options.status && summary.status !== options.status) continue;
        if (items.length === maxItems) {
          more = true;
          break;
        }
        items.push(summary);
      }
      if (more || batch.length <= maxItems) break;
      after = batch[batch.length - 1]!.name;
    }
    const last = items[items.length - 1];
    return more && last ? { items, maxItems, nextMarker: last.name } : { items, maxItems };
  }

  async update(name: string, ifMatch: string | undefined, comment: string): Promise<KeyValueStoreSummary> {
    const etag = requireIfMatch(ifMatch);
    const record = await this.requireByName(name);
    if (etag !== etagForVersion(record.version)) throw preconditionFailed();
    const updated: KeyValueStoreRecord = { ...record, comment, version: record.version + 1, lastModifiedTime: this.options.clock.now() };
    if (!(await this.options.store.replaceKeyValueStore(updated, record.version))) throw preconditionFailed();
    return this.summarize(updated);
  }

  async delete(name: string, ifMatch: string | undefined): Promise<void> {
    const etag = requireIfMatch(ifMatch);
    const record = await this.requireByName(name);
    if (etag !== etagForVersion(record.version)) throw preconditionFailed();
    const users = await this.options.functionsUsing(this.arnOf(record.id));
    if (users.length > 0) {
      throw new CloudFrontError(
        "CannotDeleteEntityWhileInUse",
        `Cannot delete key value store ${name}: it is associated with ${users.length === 1 ? "function" : "functions"} ${users.join(", ")}.`,
      );
    }
    if (!(await this.options.store.deleteKeyValueStore(record.id, record.version))) throw preconditionFailed();
    this.snapshots.forget(record.id);
  }

  // ---- data plane (addressed by ARN)

  async describeData(arn: string): Promise<KeyValueStoreData> {
    const record = await this.requireByArn(arn);
    return {
      itemCount: record.itemCount,
      totalSizeInBytes: record.totalSizeInBytes,
      kvsArn: this.arnOf(record.id),
      created: record.createdTime,
      lastModified: record.dataLastModifiedTime,
      status: this.statusOf(record),
      etag: etagForVersion(record.dataVersion, "KV"),
    };
  }

  async getKey(arn: string, key: string): Promise<{ key: string; value: string; itemCount: number; totalSizeInBytes: number }> {
    const record = await this.requireReady(arn);
    const value = await this.options.store.getKey(record.id, key);
    if (value === undefined) throw new KvsError("ResourceNotFoundException", KVS_MESSAGES.keyNotFound(key));
    return { key, value, itemCount: record.itemCount, totalSizeInBytes: record.totalSizeInBytes };
  }

  async listKeys(arn: string, options: { nextToken?: string; maxResults?: number }): Promise<{ items: Array<[string, string]>; nextToken?: string }> {
    const record = await this.requireReady(arn);
    const limit = options.maxResults ?? KVS_LIST_KEYS_DEFAULT;
    if (!Number.isInteger(limit) || limit < 1 || limit > KVS_LIST_KEYS_MAX) {
      throw new KvsError("ValidationException", validationMessage([{ at: "maxResults", value: `${options.maxResults}`, constraint: { kind: "range", min: 1, max: KVS_LIST_KEYS_MAX } }]));
    }
    let afterKey: string | undefined;
    if (options.nextToken) {
      afterKey = Buffer.from(options.nextToken, "base64url").toString("utf8");
      if (options.nextToken !== Buffer.from(afterKey).toString("base64url")) throw new KvsError("ValidationException", "The NextToken is not valid.");
    }
    const items = await this.options.store.listKeys(record.id, { afterKey, limit: limit + 1 });
    if (items.length <= limit) return { items };
    const page = items.slice(0, limit);
    return { items: page, nextToken: Buffer.from(page[page.length - 1]![0]).toString("base64url") };
  }

  async putKey(arn: string, key: string, value: string, ifMatch: string | undefined): Promise<KeyWriteResult> {
    return this.writeKeys(arn, ifMatch, [[key, value]], [], { single: true });
  }

  async deleteKey(arn: string, key: string, ifMatch: string | undefined): Promise<KeyWriteResult> {
    const record = await this.requireReady(arn);
    if ((await this.options.store.getKey(record.id, key)) === undefined) throw new KvsError("ResourceNotFoundException", KVS_MESSAGES.keyNotFound(key));
    return this.writeKeys(arn, ifMatch, [], [key], { single: true });
  }

  async updateKeys(arn: string, ifMatch: string | undefined, puts: Array<[string, string]>, deletes: string[]): Promise<KeyWriteResult> {
    return this.writeKeys(arn, ifMatch, puts, deletes, { single: false });
  }

  /**
   * Makes a store hold exactly `entries` (an import file's keys, as `edgelite dev --kvs` reloads it on save):
   * what differs is written in one new data version, keys not among them are deleted; when nothing differs
   * the version does not move. The store's own limits apply, not UpdateKeys' per-request ones.
   */
  async replaceKeys(arn: string, entries: ReadonlyArray<readonly [string, string]>): Promise<KeyWriteResult & { puts: number; deletes: number }> {
    const record = await this.requireReady(arn);
    const puts = new Map<string, string>(entries);
    const deletes: string[] = [];
    const page = 1000;
    for (let afterKey: string | undefined; ; ) {
      const keys = await this.options.store.listKeys(record.id, { afterKey, limit: page });
      for (const [key, value] of keys) {
        const wanted = puts.get(key);
        if (wanted === undefined) deletes.push(key);
        else if (wanted === value) puts.delete(key);
      }
      if (keys.length < page) break;
      afterKey = keys[keys.length - 1]![0];
    }
    if (puts.size === 0 && deletes.length === 0) {
      return { itemCount: record.itemCount, totalSizeInBytes: record.totalSizeInBytes, etag: etagForVersion(record.dataVersion, "KV"), puts: 0, deletes: 0 };
    }
    const written = await this.writeKeys(arn, etagForVersion(record.dataVersion, "KV"), [...puts], deletes, { single: true });
    return { ...written, puts: puts.size, deletes: deletes.length };
  }

  /**
   * What a function run reads through cf.kvs(): the store's committed keys at their current version. Reads
   * the store's record every run (a key written is seen by the next run) but its keys only when their
   * version moved (KeySnapshots).
   */
  async forRun(arn: string): Promise<PoolKvs | undefined> {
    let record = await this.findByArn(arn);
    if (!record) return undefined;
    const keys = await this.snapshots.of(record);
    if (keys.version !== record.dataVersion) {
      // A key write landed between the two reads: describe the keys with the record of their version.
      const current = await this.options.store.getKeyValueStore(record.id);
      if (current?.dataVersion === keys.version) record = current;
    }
    const { id, createdTime, dataLastModifiedTime, itemCount } = record;
    return {
      id,
      version: `${keys.version}`,
      load: () => ({
        id,
        entries: keys.entries,
        meta: { creationDateTime: createdTime.toISOString(), lastUpdatedDateTime: dataLastModifiedTime.toISOString(), keyCount: itemCount },
      }),
    };
  }

  private async writeKeys(arn: string, ifMatch: string | undefined, puts: Array<[string, string]>, deletes: string[], { single }: { single: boolean }): Promise<KeyWriteResult> {
    if (ifMatch === undefined || ifMatch.trim() === "") {
      throw new KvsError("ValidationException", missingMemberMessage("ifMatch"));
    }
    if (!single) {
      if (puts.length + deletes.length > KVS_MAX_BATCH_KEYS) {
        throw new KvsError("ServiceQuotaExceededException", `UpdateKeys accepts at most ${KVS_MAX_BATCH_KEYS} keys per request; this one has ${puts.length + deletes.length}.`);
      }
      const payload = puts.reduce((n, [k, v]) => n + entrySize(k, v), 0) + deletes.reduce((n, k) => n + bytes(k), 0);
      if (payload > KVS_MAX_BATCH_BYTES) throw new KvsError("ServiceQuotaExceededException", `UpdateKeys accepts at most ${KVS_MAX_BATCH_BYTES} bytes of keys and values per request.`);
    }
    for (const [key, value] of puts) {
      checkKey(key);
      if (bytes(value) > KVS_MAX_VALUE_BYTES) throw new KvsError("ValidationException", `The value of key '${key}' is ${bytes(value)} bytes; a value may be at most ${KVS_MAX_VALUE_BYTES} bytes.`);
    }
    for (const key of deletes) checkKey(key);
    const record = await this.requireReady(arn);
    if (ifMatch.trim() !== etagForVersion(record.dataVersion, "KV")) throw new KvsError("ValidationException", KVS_MESSAGES.preconditionFailed);

    // Later entries for the same key win; a delete of a missing key changes nothing.
    const final = new Map<string, string | undefined>();
    for (const key of deletes) final.set(key, undefined);
    for (const [key, value] of puts) final.set(key, value);
    let itemCount = record.itemCount;
    let size = record.totalSizeInBytes;
    const changes = { puts: [] as Array<[string, string]>, deletes: [] as string[] };
    for (const [key, value] of final) {
      const old = await this.options.store.getKey(record.id, key);
      if (old !== undefined) {
        itemCount--;
        size -= entrySize(key, old);
      }
      if (value === undefined) {
        if (old !== undefined) changes.deletes.push(key);
      } else {
        itemCount++;
        size += entrySize(key, value);
        changes.puts.push([key, value]);
      }
    }
    if (size > KVS_MAX_STORE_BYTES) {
      throw new KvsError("ServiceQuotaExceededException", `The key value store would hold ${size} bytes; a store may hold at most ${KVS_MAX_STORE_BYTES} bytes (5 MB).`);
    }
    const updated: KeyValueStoreRecord = {
      ...record,
      dataVersion: record.dataVersion + 1,
      dataLastModifiedTime: this.options.clock.now(),
      itemCount,
      totalSizeInBytes: size,
    };
    if (!(await this.options.store.updateKeys(record.id, record.dataVersion, changes, updated))) {
      throw new KvsError("ValidationException", KVS_MESSAGES.preconditionFailed);
    }
    return { itemCount, totalSizeInBytes: size, etag: etagForVersion(updated.dataVersion, "KV") };
  }

  private summarize(record: KeyValueStoreRecord): KeyValueStoreSummary {
    return {
      name: record.name,
      id: record.id,
      comment: record.comment,
      arn: this.arnOf(record.id),
      status: this.statusOf(record),
      lastModifiedTime: record.lastModifiedTime,
      etag: etagForVersion(record.version),
    };
  }

  private async requireByName(name: string): Promise<KeyValueStoreRecord> {
    const record = await this.options.store.getKeyValueStoreByName(name);
    if (!record) throw new CloudFrontError("EntityNotFound", `The key value store ${name} was not found.`);
    return record;
  }

  private async requireByArn(arn: string): Promise<KeyValueStoreRecord> {
    const record = await this.findByArn(arn);
    if (!record) throw new KvsError("ResourceNotFoundException", KVS_MESSAGES.notFound);
    return record;
  }

  private async requireReady(arn: string): Promise<KeyValueStoreRecord> {
    const record = await this.requireByArn(arn);
    if (this.statusOf(record) !== "READY") throw new KvsError("ConflictException", KVS_MESSAGES.notReady);
    return record;
  }

  /** An import file in CloudFront's format, from a folder the server was started with (`--import-dir`). */
  private async readImport(sourceArn: string): Promise<Array<[string, string]>> {
    if (!sourceArn.startsWith("file:")) {
      throw new CloudFrontError(
        "InvalidArgument",
        `edgelite cannot read ${sourceArn}: S3 is not reachable from a local emulator. Give the import file as SourceARN "file:///path/to/data.json" from a folder the server was started with (--import-dir <folder>), or load keys with \`edgelite kvs import\`.`,
      );
    }
    return parseImportFile(await readImportSource(sourceArn, this.options.importDirs ?? []), sourceArn);
  }
}

function checkKey(key: string): void {
  if (key.length === 0 || bytes(key) > KVS_MAX_KEY_BYTES) {
    throw new KvsError("ValidationException", `Key '${key.slice(0, 40)}${key.length > 40 ? "…" : ""}' is ${bytes(key)} bytes; a key must be 1 to ${KVS_MAX_KEY_BYTES} bytes.`);
  }
}
