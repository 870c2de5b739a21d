import type { BehaviourConfig } from "../../service/distributionConfig.js";
import { MANAGED_CACHE_POLICIES, type ManagedCachePolicy } from "../../service/managedPolicies.js";
import type { Selection } from "../forwarding.js";

/**
 * What a behaviour caches by and for how long (CloudFront Developer Guide, "Understand the cache key" and
 * "Manage how long content stays in the cache (expiration)"): its cache policy's key values and TTLs, or
 * the legacy cache settings' (ForwardedValues with MinTTL/DefaultTTL/MaxTTL).
 */
export interface CacheSettings {
  minTtl: number;
  defaultTtl: number;
  maxTtl: number;
  /** Lower-case header names in the key. */
  headers: readonly string[];
  cookies: Selection;
  query: Selection;
  /** The normalised Accept-Encoding is in the key (EnableAcceptEncodingGzip / Brotli). */
  gzip: boolean;
  brotli: boolean;
  /** Methods whose responses are cached: GET and HEAD, plus OPTIONS when CachedMethods says so. */
  cachedMethods: ReadonlySet<string>;
}

/** The legacy settings' TTLs when a config gives none (the API's documented defaults). */
export const LEGACY_TTL = { min: 0, default: 86_400, max: 31_536_000 } as const;

const NONE: Selection = { kind: "none" };
const ALL: Selection = { kind: "all" };
const DEFAULT_CACHED_METHODS: ReadonlySet<string> = new Set(["GET", "HEAD"]);

/** The config fields the cache reads that the lead's config commit adds (interface 1 of issue 13). */
type CacheFields = { cachedMethods?: readonly string[]; legacyTtl?: { min: number; default: number; max: number }; compress?: boolean };

/** A cache policy's named values as a Selection. */
function selection(values: ManagedCachePolicy["cookies"]): Selection {
  if (values.behavior === "none") return NONE;
  if (values.behavior === "all") return ALL;
  const names = new Set(values.names);
  return values.behavior === "whitelist" ? { kind: "only", names } : { kind: "allExcept", names };
}

/** Settings computed once per behaviour and policy version (a custom policy updated is a new object). */
const settingsByBehaviour = new WeakMap<BehaviourConfig, { policy: ManagedCachePolicy | undefined; settings: CacheSettings | undefined }>();

/** Finds a cache policy by id: the managed ones, or whatever the target's policy set knows. */
export type CachePolicyLookup = (id: string) => ManagedCachePolicy | undefined;

export const managedCachePolicyLookup: CachePolicyLookup = (id) => MANAGED_CACHE_POLICIES.find((p) => p.id === id);

/**
 * The behaviour's cache settings, or undefined when nothing is cached: a policy whose MaxTTL is 0
 * (Managed-CachingDisabled), legacy settings forwarding all headers ("CloudFront never caches" them), an
 * unknown policy id, or a behaviour with neither a policy nor legacy settings (CloudFront requires one; edgelite
 * accepts neither and then caches nothing, so it passes every request on).
 */
export function cacheSettingsOf(behaviour: BehaviourConfig, lookup: CachePolicyLookup = managedCachePolicyLookup): CacheSettings | undefined {
  const policy = behaviour.cachePolicyId ? lookup(behaviour.cachePolicyId) : undefined;
  const known = settingsByBehaviour.get(behaviour);
  if (known && known.policy === policy) return known.settings;
  const settings = computeSettings(behaviour, policy);
  settingsByBehaviour.set(behaviour, { policy, settings });
  return settings;
}

function cachedMethodsOf(fields: CacheFields): ReadonlySet<string> {
  return fields.cachedMethods?.includes("OPTIONS") ? new Set(["GET", "HEAD", "OPTIONS"]) : DEFAULT_CACHED_METHODS;
}

function computeSettings(behaviour: BehaviourConfig, policy: ManagedCachePolicy | undefined): CacheSettings | undefined {
  const fields = behaviour as BehaviourConfig & CacheFields;
  if (behaviour.cachePolicyId) {
    if (!policy || policy.maxTtl === 0) return undefined;
    return {
      minTtl: policy.minTtl,
      defaultTtl: policy.defaultTtl,
      maxTtl: policy.maxTtl,
      headers: policy.headers.names.map((n) => n.toLowerCase()),
      cookies: selection(policy.cookies),
      query: selection(policy.queryStrings),
      gzip: policy.gzip,
      brotli: policy.brotli,
      cachedMethods: cachedMethodsOf(fields),
    };
  }
  const legacy = behaviour.forwardedValues;
  if (!legacy || legacy.headers.includes("*")) return undefined;
  const ttl = fields.legacyTtl ?? LEGACY_TTL;
  if (ttl.max === 0) return undefined;
  const compress = fields.compress ?? false;
  return {
    minTtl: ttl.min,
    defaultTtl: ttl.default,
    maxTtl: ttl.max,
    headers: legacy.headers,
    cookies: legacy.cookies === "all" ? ALL : legacy.cookies === "whitelist" ? { kind: "only", names: new Set(legacy.cookieNames) } : NONE,
    query: legacy.queryString ? ALL : NONE,
    gzip: compress,
    brotli: compress,
    cachedMethods: cachedMethodsOf(fields),
  };
}
