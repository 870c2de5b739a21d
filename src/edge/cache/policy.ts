import { LEGACY_TTL_SECONDS } from "../../limits.js";
import type { BehaviourConfig } from "../../service/distributionConfig.js";
import type { CachePolicy, PolicySet } from "../../service/policySet.js";
import { selection, type Selection } from "../forwarding.js";

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


const NONE: Selection = { kind: "none" };
const ALL: Selection = { kind: "all" };
const DEFAULT_CACHED_METHODS: ReadonlySet<string> = new Set(["GET", "HEAD"]);

/** Settings computed once per behaviour and policy version (a custom policy updated is a new object). */
const settingsByBehaviour = new WeakMap<BehaviourConfig, { policy: CachePolicy | undefined; settings: CacheSettings | undefined }>();

/**
 * The behaviour's cache settings, or undefined when nothing is cached: a policy whose MaxTTL is 0
 * (Managed-CachingDisabled), legacy settings forwarding all headers ("CloudFront never caches" them), an
 * unknown policy id, or a behaviour with neither a policy nor legacy settings (CloudFront requires one; edgelite
 * accepts neither and then caches nothing, so it passes every request on).
 */
export function cacheSettingsOf(behaviour: BehaviourConfig, policies: PolicySet): CacheSettings | undefined {
  const policy = behaviour.cachePolicyId ? policies.cachePolicy(behaviour.cachePolicyId) : undefined;
  const known = settingsByBehaviour.get(behaviour);
  if (known && known.policy === policy) return known.settings;
  const settings = computeSettings(behaviour, policy);
  settingsByBehaviour.set(behaviour, { policy, settings });
  return settings;
}

const WITH_OPTIONS: ReadonlySet<string> = new Set(["GET", "HEAD", "OPTIONS"]);

function cachedMethodsOf(behaviour: BehaviourConfig): ReadonlySet<string> {
  return behaviour.cachedMethods.includes("OPTIONS") ? WITH_OPTIONS : DEFAULT_CACHED_METHODS;
}

function computeSettings(behaviour: BehaviourConfig, policy: CachePolicy | undefined): CacheSettings | undefined {
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
      cachedMethods: cachedMethodsOf(behaviour),
    };
  }
  const legacy = behaviour.forwardedValues;
  if (!legacy || legacy.headers.includes("*")) return undefined;
  const ttl = behaviour.legacyTtl ?? LEGACY_TTL_SECONDS;
  if (ttl.max === 0) return undefined;
  return {
    minTtl: ttl.min,
    defaultTtl: ttl.default,
    maxTtl: ttl.max,
    headers: legacy.headers,
    cookies: legacy.cookies === "all" ? ALL : legacy.cookies === "whitelist" ? { kind: "only", names: new Set(legacy.cookieNames) } : NONE,
    query: legacy.queryString ? ALL : NONE,
    // The normalised Accept-Encoding always reaches the origin under legacy settings (forwarding.ts).
    gzip: true,
    brotli: true,
    cachedMethods: cachedMethodsOf(behaviour),
  };
}
