import type { Clock } from "../../clock.js";
import { CacheStore, type CachedObject } from "./store.js";

/** Misses waiting on one origin request for the same key, at most (more go to the origin themselves). */
export const MAX_WAITERS_PER_FILL = 1000;
/** Keys being filled at once, at most (a miss beyond that goes to the origin without being collapsed). */
export const MAX_FILLS = 10_000;

/** One origin request others wait on (request collapsing); released when its object is stored or cannot be. */
export interface Fill {
  readonly done: Promise<void>;
  waiters: number;
  release(): void;
}

/**
 * The edge's cache: the LRU store, the clock that says what is fresh, and the misses in flight. Concurrent
 * misses for one key make one origin request: the first leads (its response is stored as it streams), the
 * others wait for it and are then served from the cache (CloudFront Developer Guide, "Simultaneous requests
 * for the same object (request collapsing)"). When the leader's response is not stored (not cacheable, too
 * large, an error, a viewer gone), the waiters go to the origin themselves.
 */
export class EdgeCache {
  readonly store: CacheStore;
  private readonly fills = new Map<string, Fill>();
  /** Bytes of origin bodies being collected for the store right now, at most the cache's size in all. */
  private collecting = 0;
  /** Bumped by each invalidation of a distribution: a response fetched before it is not stored after it. */
  private readonly generations = new Map<string, number>();

  constructor(
    maxBytes: number | undefined,
    private readonly clock: Clock,
  ) {
    this.store = new CacheStore(maxBytes);
  }

  now(): number {
    return this.clock.now().getTime();
  }

  isFresh(object: CachedObject): boolean {
    return this.now() - object.storedAt < object.ttlMs;
  }

  /** The Age header's value: seconds since the object was stored or revalidated, plus the origin's own Age. */
  ageOf(object: CachedObject): number {
    return Math.max(0, Math.floor((this.now() - object.storedAt) / 1000)) + object.initialAge;
  }

  /**
   * Takes room for `bytes` more of a body being collected; false when the bodies in flight would hold more
   * than the cache's size (that response is then passed on without being kept).
   */
  reserve(bytes: number): boolean {
    if (this.collecting + bytes > this.store.maxBytes) return false;
    this.collecting += bytes;
    return true;
  }

  /** Gives back what reserve took, once the body is stored or abandoned. */
  unreserve(bytes: number): void {
    this.collecting -= bytes;
  }

  /** The distribution's invalidation count: a fill stores its object only if it has not moved since the fill began. */
  generationOf(distributionId: string): number {
    return this.generations.get(distributionId) ?? 0;
  }

  /** Waits for the fill in flight for this key, if there is one with room; false when there is none to wait for. */
  async follow(key: string): Promise<boolean> {
    const fill = this.fills.get(key);
    if (!fill || fill.waiters >= MAX_WAITERS_PER_FILL) return false;
    fill.waiters++;
    await fill.done;
    return true;
  }

  /** Makes this request the one others wait on for the key; undefined when another leads or too many fills run. */
  lead(key: string): Fill | undefined {
    if (this.fills.has(key) || this.fills.size >= MAX_FILLS) return undefined;
    let resolve!: () => void;
    const done = new Promise<void>((r) => (resolve = r));
    const fill: Fill = {
      done,
      waiters: 0,
      release: () => {
        if (this.fills.get(key) === fill) this.fills.delete(key);
        resolve();
      },
    };
    this.fills.set(key, fill);
    return fill;
  }

  /**
   * Removes a distribution's objects whose path an invalidation path names (CloudFront Developer Guide,
   * "What you need to know when invalidating paths"): exact and case-sensitive, or a prefix when the path
   * ends with `*`; every variant of a path (headers, cookies, encodings in its key) goes. Query strings are
   * compared as part of the path: `/a.jpg` does not remove `/a.jpg?v=2`, `/a.jpg*` does.
   */
  invalidate(distributionId: string, paths: readonly string[]): number {
    this.generations.set(distributionId, this.generationOf(distributionId) + 1);
    const exact = new Set<string>();
    const prefixes: string[] = [];
    for (const path of paths) {
      const normalised = path.startsWith("/") ? path : `/${path}`;
      if (normalised.endsWith("*")) prefixes.push(normalised.slice(0, -1));
      else exact.add(normalised);
    }
    return this.store.deleteWhere(distributionId, (object) => exact.has(object.path) || prefixes.some((prefix) => object.path.startsWith(prefix)));
  }
}
