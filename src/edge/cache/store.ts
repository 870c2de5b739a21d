/**
 * The edge cache's memory: a least-recently-used map of cached objects bounded by bytes (body plus header
 * lines plus a fixed per-entry overhead). A lookup makes an entry the most recent; storing evicts the least
 * recent ones until the new object fits. An object larger than the per-object limit is never stored.
 */

/** The cache's size unless `--cache-size` says otherwise: 256 MB. */
export const DEFAULT_CACHE_BYTES = 256 * 1024 * 1024;
/** The largest object cached when the cache has the default size (a quarter of the cache below that). */
export const MAX_OBJECT_BYTES = 32 * 1024 * 1024;
/** What an entry costs beyond its body and header text: the key, the record and the map's slot, roughly. */
export const ENTRY_OVERHEAD_BYTES = 512;

/** An object as the cache keeps it: the origin's status, header lines and whole body, and when it goes stale. */
export interface CachedObject {
  distributionId: string;
  /** What invalidation paths are compared with: the uri, with `?query` when the key holds query strings. */
  path: string;
  status: number;
  reason: string;
  /** The origin's writable header lines (raw name, value pairs), without Age, Set-Cookie and framing. */
  lines: readonly string[];
  body: Buffer;
  /** The clock's time (ms) the object was stored or last revalidated. */
  storedAt: number;
  /** The Age the origin gave (seconds), added to the object's time in the cache. */
  initialAge: number;
  /** How long the object stays fresh from storedAt, in ms. */
  ttlMs: number;
  /** Validators for revalidation and viewers' conditional requests. */
  etag?: string;
  lastModified?: string;
}

/** The bytes an object counts for against the cache's size. */
export function sizeOf(key: string, object: CachedObject): number {
  let bytes = ENTRY_OVERHEAD_BYTES + key.length + object.path.length + object.body.byteLength;
  for (const line of object.lines) bytes += line.length;
  return bytes;
}

export class CacheStore {
  private readonly entries = new Map<string, { object: CachedObject; bytes: number }>();
  private used = 0;
  readonly maxObjectBytes: number;

  constructor(readonly maxBytes: number = DEFAULT_CACHE_BYTES) {
    this.maxObjectBytes = Math.min(MAX_OBJECT_BYTES, Math.floor(maxBytes / 4));
  }

  /** Bytes held now. */
  get bytes(): number {
    return this.used;
  }

  get size(): number {
    return this.entries.size;
  }

  /** The object stored under a key (fresh or stale), made the most recently used. */
  get(key: string): CachedObject | undefined {
    const entry = this.entries.get(key);
    if (!entry) return undefined;
    this.entries.delete(key);
    this.entries.set(key, entry);
    return entry.object;
  }

  /** Stores an object, evicting the least recently used until it fits; false when it is too large to keep. */
  set(key: string, object: CachedObject): boolean {
    const bytes = sizeOf(key, object);
    this.delete(key);
    if (object.body.byteLength > this.maxObjectBytes || bytes > this.maxBytes) return false;
    while (this.used + bytes > this.maxBytes) {
      const oldest = this.entries.keys().next();
      if (oldest.done) break;
      this.delete(oldest.value);
    }
    this.entries.set(key, { object, bytes });
    this.used += bytes;
    return true;
  }

  delete(key: string): boolean {
    const entry = this.entries.get(key);
    if (!entry) return false;
    this.entries.delete(key);
    this.used -= entry.bytes;
    return true;
  }

  /** Removes every object of a distribution the predicate picks; how many were removed. */
  deleteWhere(distributionId: string, picks: (object: CachedObject) => boolean): number {
    let removed = 0;
    for (const [key, entry] of this.entries) {
      if (entry.object.distributionId === distributionId && picks(entry.object)) {
        this.delete(key);
        removed++;
      }
    }
    return removed;
  }
}
