import { randomUUID } from "node:crypto";
import type { Clock } from "../clock.js";
import { DEFAULT_LIST_MAX_ITEMS, MAX_CACHE_POLICIES_PER_ACCOUNT, MAX_ORIGIN_REQUEST_POLICIES_PER_ACCOUNT, MAX_RESPONSE_HEADERS_POLICIES_PER_ACCOUNT } from "../limits.js";
import type { ResourceRecord, ResourceType, Store } from "../store/types.js";
import { CloudFrontError, preconditionFailed, requireIfMatch, type CloudFrontErrorCode } from "./errors.js";
import { etagForVersion } from "./etag.js";
import { MANAGED_CACHE_POLICIES, MANAGED_ORIGIN_REQUEST_POLICIES, MANAGED_POLICY_TIME, type CachePolicy, type OriginRequestPolicy } from "./managedPolicies.js";
import { CACHE_POLICY_RULES, checkRules, ORIGIN_REQUEST_POLICY_RULES, RESPONSE_HEADERS_POLICY_RULES, type PolicyRule } from "./policyRules.js";
import { MANAGED_RESPONSE_HEADERS_POLICIES, type ResponseHeadersPolicy } from "./responseHeadersPolicy.js";
import type { PolicySet, PolicyType } from "./policySet.js";

/**
 * Custom cache policies, origin request policies and response headers policies, beside AWS's managed ones
 * (CloudFront Developer Guide, "Working with policies"). One `PolicyKind` per kind says its store type,
 * its errors, its quota, its managed policies and its rules; `Policies<P>` does Create/Get/Update/Delete/
 * List for any kind with ETags from the record's version, as functions and distributions do. Managed
 * policies are read-only (IllegalUpdate, IllegalDelete); a policy a distribution uses cannot be deleted
 * (…InUse, asked of the stored distributions through `usedBy`).
 */

/** What every policy has; the rest is the kind's own config. */
export interface PolicyBase {
  readonly id: string;
  readonly name: string;
  readonly comment: string;
}

/** A policy without its Id: what Create and Update are given. */
export type PolicyConfig<P extends PolicyBase> = Omit<P, "id">;

export interface PolicyKind<P extends PolicyBase> {
  readonly type: PolicyType;
  /** For messages: "cache policy". */
  readonly label: string;
  readonly errors: { noSuch: CloudFrontErrorCode; alreadyExists: CloudFrontErrorCode; tooMany: CloudFrontErrorCode; inUse: CloudFrontErrorCode };
  /** Custom policies of this kind per account. */
  readonly max: number;
  readonly managed: readonly P[];
  readonly rules: ReadonlyArray<PolicyRule<P>>;
}

/** A policy as the API shows it. */
export interface PolicyView<P extends PolicyBase> {
  readonly policy: P;
  readonly type: "managed" | "custom";
  readonly etag: string;
  readonly lastModifiedTime: Date;
}

export interface PolicyPage<P extends PolicyBase> {
  items: Array<PolicyView<P>>;
  maxItems: number;
  nextMarker?: string;
}

/** Managed policies were never updated: their ETag is the first version's. */
const MANAGED_ETAG = etagForVersion(1);

export interface PoliciesOptions {
  store: Store;
  clock: Clock;
  /** How many distributions use a policy of this type (a policy in use cannot be deleted). */
  usedBy(type: ResourceType, id: string): Promise<number>;
  /** Told after every write, so whoever keeps policies in memory drops them. */
  onChange(): void;
}

/** One kind of policy: its managed ones and the account's custom ones in the store. */
export class Policies<P extends PolicyBase> {
  private readonly managedById: ReadonlyMap<string, P>;
  /** Custom policies by Id, read once from the store and dropped on every write (the edge reads them per request). */
  private custom: ReadonlyMap<string, P> | undefined;
  private generation = 0;

  constructor(
    readonly kind: PolicyKind<P>,
    private readonly options: PoliciesOptions,
  ) {
    this.managedById = new Map(kind.managed.map((p) => [p.id, p]));
  }

  async create(config: PolicyConfig<P>): Promise<PolicyView<P>> {
    const policy = { ...config, id: randomUUID() } as P;
    checkRules(this.kind.rules, policy);
    const now = this.options.clock.now();
    const record: ResourceRecord = { type: this.kind.type, id: policy.id, scope: "", name: policy.name, configJson: configJsonOf(policy), version: 1, createdTime: now, lastModifiedTime: now, tags: [] };
    const result = await this.options.store.insertResource(record, { max: this.kind.max });
    if (result === "exists") throw this.alreadyExists(policy.name);
    if (result === "limit") throw new CloudFrontError(this.kind.errors.tooMany, `This account already has ${this.kind.max} custom ${this.kind.label}s, CloudFront's quota; delete one first.`);
    this.changed();
    return this.customView(record);
  }

  /** A managed or custom policy, or the kind's NoSuch… error. */
  async get(id: string): Promise<PolicyView<P>> {
    const managed = this.managedById.get(id);
    if (managed) return { policy: managed, type: "managed", etag: MANAGED_ETAG, lastModifiedTime: MANAGED_POLICY_TIME };
    return this.customView(await this.requireCustom(id));
  }

  /**
   * `config` is read once If-Match, the Id and the version are known good: a stale or missing ETag and an
   * unknown or managed Id are answered whatever the body holds.
   */
  async update(id: string, ifMatch: string | undefined, config: () => PolicyConfig<P>): Promise<PolicyView<P>> {
    const etag = requireIfMatch(ifMatch);
    if (this.managedById.has(id)) throw new CloudFrontError("IllegalUpdate", `${id} is an AWS managed ${this.kind.label}, which cannot be changed; create a custom ${this.kind.label} instead.`);
    const record = await this.requireCustom(id);
    if (etag !== etagForVersion(record.version)) throw preconditionFailed();
    const policy = { ...config(), id } as P;
    checkRules(this.kind.rules, policy);
    if (policy.name !== record.name && (await this.nameTaken(policy.name))) throw this.alreadyExists(policy.name);
    const updated: ResourceRecord = { ...record, name: policy.name, configJson: configJsonOf(policy), version: record.version + 1, lastModifiedTime: this.options.clock.now() };
    if (!(await this.options.store.replaceResource(updated, record.version))) throw preconditionFailed();
    this.changed();
    return this.customView(updated);
  }

  async delete(id: string, ifMatch: string | undefined): Promise<void> {
    const etag = requireIfMatch(ifMatch);
    if (this.managedById.has(id)) throw new CloudFrontError("IllegalDelete", `${id} is an AWS managed ${this.kind.label}, which cannot be deleted.`);
    const record = await this.requireCustom(id);
    if (etag !== etagForVersion(record.version)) throw preconditionFailed();
    const users = await this.options.usedBy(this.kind.type, id);
    if (users > 0) {
      throw new CloudFrontError(this.kind.errors.inUse, `Cannot delete ${this.kind.label} ${id}: ${users} distribution(s) use it. Point their cache behaviours at another policy first.`);
    }
    if (!(await this.options.store.deleteResource(this.kind.type, id, record.version))) throw preconditionFailed();
    this.changed();
  }

  /** Managed policies first (in AWS's order), then custom ones oldest first; `marker` is the Id a page starts at. */
  async list(options: { type?: "managed" | "custom"; marker?: string; maxItems?: number }): Promise<PolicyPage<P>> {
    const maxItems = options.maxItems ?? DEFAULT_LIST_MAX_ITEMS;
    const views: Array<PolicyView<P>> = [];
    if (options.type !== "custom") for (const id of this.managedById.keys()) views.push(await this.get(id));
    if (options.type !== "managed") for (const record of await this.options.store.listResources(this.kind.type)) views.push(this.customView(record));
    const start = options.marker ? Math.max(0, views.findIndex((v) => v.policy.id === options.marker)) : 0;
    const next = views[start + maxItems];
    const page = { items: views.slice(start, start + maxItems), maxItems };
    return next ? { ...page, nextMarker: next.policy.id } : page;
  }

  /** Whether an Id names a managed or custom policy of this kind. */
  async exists(id: string): Promise<boolean> {
    return this.managedById.has(id) || (await this.customPolicies()).has(id);
  }

  /** The custom policies by Id, from memory after the first read (see `changed`). */
  async customPolicies(): Promise<ReadonlyMap<string, P>> {
    if (this.custom) return this.custom;
    const generation = this.generation;
    const map = new Map<string, P>();
    for (const record of await this.options.store.listResources(this.kind.type)) map.set(record.id, policyOf<P>(record));
    // A write during the read makes this map stale: use it once, do not keep it.
    if (generation === this.generation) this.custom = map;
    return map;
  }

  managed(id: string): P | undefined {
    return this.managedById.get(id);
  }

  private changed(): void {
    this.custom = undefined;
    this.generation++;
    this.options.onChange();
  }

  private async nameTaken(name: string): Promise<boolean> {
    for (const policy of (await this.customPolicies()).values()) if (policy.name === name) return true;
    return false;
  }

  private alreadyExists(name: string): CloudFrontError {
    return new CloudFrontError(this.kind.errors.alreadyExists, `A ${this.kind.label} named ${name} already exists in this account; choose another name, or update that policy.`);
  }

  private async requireCustom(id: string): Promise<ResourceRecord> {
    const record = await this.options.store.getResource(this.kind.type, id);
    if (!record) throw new CloudFrontError(this.kind.errors.noSuch, `The ${this.kind.label} ${id} does not exist.`);
    return record;
  }

  private customView(record: ResourceRecord): PolicyView<P> {
    return { policy: policyOf<P>(record), type: "custom", etag: etagForVersion(record.version), lastModifiedTime: record.lastModifiedTime };
  }
}

/** The stored config: the policy without its Id (the record holds that). */
function configJsonOf(policy: PolicyBase): string {
  const { id: _id, ...config } = policy;
  return JSON.stringify(config);
}

const parsedPolicies = new WeakMap<ResourceRecord, PolicyBase>();

/** A stored policy, parsed once per record (records are immutable values). */
function policyOf<P extends PolicyBase>(record: ResourceRecord): P {
  let policy = parsedPolicies.get(record);
  if (!policy) {
    // The store keeps this service's own JSON (written by create and update) as opaque text.
    policy = { ...(JSON.parse(record.configJson) as Omit<P, "id">), id: record.id } as P;
    parsedPolicies.set(record, policy);
  }
  return policy as P;
}

/** The kinds edgelite serves through the API, by store type. */
export interface PolicyKinds {
  cache: Policies<CachePolicy>;
  originRequest: Policies<OriginRequestPolicy>;
  responseHeaders: Policies<ResponseHeadersPolicy>;
}

export const CACHE_POLICY_KIND: PolicyKind<CachePolicy> = {
  type: "cache-policy",
  label: "cache policy",
  errors: { noSuch: "NoSuchCachePolicy", alreadyExists: "CachePolicyAlreadyExists", tooMany: "TooManyCachePolicies", inUse: "CachePolicyInUse" },
  max: MAX_CACHE_POLICIES_PER_ACCOUNT,
  managed: MANAGED_CACHE_POLICIES,
  rules: CACHE_POLICY_RULES,
};

export const ORIGIN_REQUEST_POLICY_KIND: PolicyKind<OriginRequestPolicy> = {
  type: "origin-request-policy",
  label: "origin request policy",
  errors: { noSuch: "NoSuchOriginRequestPolicy", alreadyExists: "OriginRequestPolicyAlreadyExists", tooMany: "TooManyOriginRequestPolicies", inUse: "OriginRequestPolicyInUse" },
  max: MAX_ORIGIN_REQUEST_POLICIES_PER_ACCOUNT,
  managed: MANAGED_ORIGIN_REQUEST_POLICIES,
  rules: ORIGIN_REQUEST_POLICY_RULES,
};

export const RESPONSE_HEADERS_POLICY_KIND: PolicyKind<ResponseHeadersPolicy> = {
  type: "response-headers-policy",
  label: "response headers policy",
  errors: { noSuch: "NoSuchResponseHeadersPolicy", alreadyExists: "ResponseHeadersPolicyAlreadyExists", tooMany: "TooManyResponseHeadersPolicies", inUse: "ResponseHeadersPolicyInUse" },
  max: MAX_RESPONSE_HEADERS_POLICIES_PER_ACCOUNT,
  managed: MANAGED_RESPONSE_HEADERS_POLICIES,
  rules: RESPONSE_HEADERS_POLICY_RULES,
};

/**
 * Every kind of policy, and the `PolicySet` the edge reads them through: managed and custom policies by
 * Id from memory, rebuilt only after a write, so a request never scans the store and an UpdateCachePolicy
 * takes effect on the next request.
 */
export class PolicyService implements PolicyKinds {
  readonly cache: Policies<CachePolicy>;
  readonly originRequest: Policies<OriginRequestPolicy>;
  readonly responseHeaders: Policies<ResponseHeadersPolicy>;
  private set: PolicySet | undefined;
  private generation = 0;

  constructor(options: Omit<PoliciesOptions, "onChange">) {
    const kindOptions = {
      ...options,
      onChange: () => {
        this.set = undefined;
        this.generation++;
      },
    };
    this.cache = new Policies(CACHE_POLICY_KIND, kindOptions);
    this.originRequest = new Policies(ORIGIN_REQUEST_POLICY_KIND, kindOptions);
    this.responseHeaders = new Policies(RESPONSE_HEADERS_POLICY_KIND, kindOptions);
  }

  /** Whether an Id names a managed or custom policy of a type (a distribution may name only those). */
  async exists(type: PolicyType, id: string): Promise<boolean> {
    if (type === "cache-policy") return this.cache.exists(id);
    if (type === "origin-request-policy") return this.originRequest.exists(id);
    if (type === "response-headers-policy") return this.responseHeaders.exists(id);
    return false;
  }

  /** The policies as they are now; a later write gives a new set (a request in flight keeps the one it got). */
  async policySet(): Promise<PolicySet> {
    if (this.set) return this.set;
    const generation = this.generation;
    const [cache, originRequest, responseHeaders] = await Promise.all([this.cache.customPolicies(), this.originRequest.customPolicies(), this.responseHeaders.customPolicies()]);
    const set: PolicySet = {
      cachePolicy: (id) => this.cache.managed(id) ?? cache.get(id),
      originRequestPolicy: (id) => this.originRequest.managed(id) ?? originRequest.get(id),
      responseHeadersPolicy: (id) => this.responseHeaders.managed(id) ?? responseHeaders.get(id),
    };
    // A write during the reads makes this set stale: answer this request with it, do not keep it.
    if (generation === this.generation) this.set = set;
    return set;
  }
}
