import type { FunctionRequest } from "../../runtime/event.js";
import type { Fill } from "./edgeCache.js";
import type { CacheSettings } from "./policy.js";
import type { CachedObject } from "./store.js";

/** What the cache steps carry from lookupCache to storeInCache for one request. */
export interface CacheExchange {
  settings: CacheSettings;
  key: string;
  /** What invalidation paths are compared with. */
  path: string;
  /** The response may be stored: a GET (or OPTIONS) for the whole object. */
  storable: boolean;
  /** This request leads the fill others wait on. */
  fill?: Fill;
  /** A stale object being revalidated with the origin. */
  stale?: CachedObject;
  /** The request as the functions see it, while the origin gets a copy with the cache's own conditional headers. */
  viewerRequest?: FunctionRequest;
  /** The distribution's invalidation count when the request looked the cache up. */
  generation: number;
  /** The Age header of a response from the cache. */
  age?: number;
}
