import type { Clock } from "../clock.js";
import { DEFAULT_LIST_MAX_ITEMS, MAX_DISTRIBUTIONS_PER_POLICY } from "../limits.js";
import type { DistributionRecord, Store, Tag } from "../store/types.js";
import { interpretDistributionConfig, PARSED_CONFIG_FORMAT, withCurrentDefaults, type ParsedDistributionConfig } from "./distributionConfig.js";
import type { DistributionConfig } from "./distributionConfigModel.js";
import { CloudFrontError, preconditionFailed, requireIfMatch, type CloudFrontErrorCode } from "./errors.js";
import { etagForVersion } from "./etag.js";
import { cloudFrontId, randomAlphanumeric } from "./resourceIds.js";
import { isManagedPolicy, MANAGED_POLICY_SET, type PolicySet, type PolicyType } from "./policySet.js";

/** A distribution as the API shows it. */
export interface DistributionView {
  id: string;
  arn: string;
  status: "Deployed";
  domainName: string;
  lastModifiedTime: Date;
  etag: string;
  /** The config exactly as last sent, opaque here: GetDistribution and GetDistributionConfig return it. */
  configAsSent: string;
  enabled: boolean;
}

export interface DistributionServiceOptions {
  store: Store;
  clock: Clock;
  accountId: string;
  /** DomainNames are `d<13 characters>.<suffix>`; `cloudfront.localhost` opens in a local browser as it is. */
  domainSuffix: string;
  /** Whether an origin access control with this Id exists (an origin's OriginAccessControlId must name one); none do when absent. */
  originAccessControlExists?(id: string): Promise<boolean>;
  /** Whether a function ARN names a function of this account with a LIVE stage. */
  isPublishedFunction(arn: string): Promise<boolean>;
  /**
   * Whether a policy Id names a managed or custom policy of that type: a behaviour naming one that does not
   * exist is refused (NoSuchCachePolicy, NoSuchOriginRequestPolicy, NoSuchResponseHeadersPolicy, as the model
   * lists for Create/UpdateDistribution). Without it every Id is accepted.
   */
  policyExists?(type: PolicyType, id: string): Promise<boolean>;
  /** How many distributions other than `exceptId` name a policy (at most MAX_DISTRIBUTIONS_PER_POLICY may). */
  policyUsers?(type: PolicyType, id: string, exceptId: string | undefined): Promise<number>;
  /** The policies as they are now (AWS's managed ones when not given): the edge reads a distribution's through forHost. */
  policySet?(): Promise<PolicySet>;
  /** Told of each new distribution (the CLI prints its URL). */
  onCreated?: (view: DistributionView) => void;
  /**
   * The typed config of a config as sent (the API's reader): only for records stored before the parsed
   * config was kept beside it, which `upgradeStored` rewrites once.
   */
  readAsSent(configAsSent: string): DistributionConfig;
  /** Where each distribution is also served on a port of its own (`serve --distribution-ports`); absent: Host only. */
  edgePorts?: EdgePorts;
}

/**
 * The listeners of distributions' own ports, as the service needs them: a port is opened at creation and
 * kept in the record (`edgePort`), so the same data directory serves each distribution on the same port
 * after a restart; deleting a distribution closes it.
 */
export interface EdgePorts {
  /** Opens the distribution's port, `preferred` if it can (only it when `exact`); its number, or undefined when none is free. */
  listen(request: { id: string; domainName: string; preferred?: number; exact?: boolean; avoid?: ReadonlySet<number> }): Promise<number | undefined>;
  close(id: string): void;
  portOf(id: string): number | undefined;
}

/**
 * CloudFront distributions, the subset the edge needs: the config is stored whole and returned as sent;
 * edgelite reads its origins, behaviours and function associations. Status is always Deployed (there is
 * nothing to propagate locally).
 */
export class DistributionService {
  /** Enabled distributions by DomainName and alias; rebuilt after any write (the edge asks on every request). */
  private hosts: Map<string, { view: DistributionView; config: ParsedDistributionConfig }> | undefined;
  private hostsGeneration = 0;

  constructor(private readonly options: DistributionServiceOptions) {}

  /** `configAsSent` is the config as the client sent it, kept for GetDistribution(Config); `tags` from CreateDistributionWithTags. */
  async create(config: DistributionConfig, configAsSent: string, tags: readonly Tag[] = []): Promise<DistributionView> {
    const parsed = interpretDistributionConfig(config);
    await this.checkAssociations(parsed);
    await this.checkOriginAccessControls(config);
    await this.checkPolicies(parsed, undefined);
    await this.checkAliases(parsed, undefined);
    const now = this.options.clock.now();
    const id = cloudFrontId("E");
    const domainName = `d${randomAlphanumeric(13).toLowerCase()}.${this.options.domainSuffix}`;
    // Its port is open before it can be asked for: the record says which, and `onCreated` can print it.
    const edgePort = this.options.edgePorts && (await this.options.edgePorts.listen({ id, domainName, avoid: await this.keptEdgePorts() }));
    const record: DistributionRecord = {
      id,
      domainName,
      callerReference: parsed.callerReference,
      enabled: parsed.enabled,
      aliases: parsed.aliases,
      functionArns: functionArnsOf(parsed),
      configXml: configAsSent,
      parsedConfigJson: JSON.stringify(parsed),
      version: 1,
      tags,
      createdTime: now,
      lastModifiedTime: now,
      ...(edgePort !== undefined ? { edgePort } : {}),
    };
    if ((await this.options.store.insertDistribution(record)) === "exists") {
      this.options.edgePorts?.close(id);
      throw new CloudFrontError("DistributionAlreadyExists", `A distribution with the caller reference ${parsed.callerReference} already exists.`);
    }
    this.invalidateHosts();
    const view = this.view(record);
    this.options.onCreated?.(view);
    return view;
  }

  async get(id: string): Promise<DistributionView> {
    return this.view(await this.require(id));
  }

  async update(id: string, ifMatch: string | undefined, config: DistributionConfig, configAsSent: string): Promise<DistributionView> {
    const etag = requireIfMatch(ifMatch);
    const record = await this.require(id);
    if (etag !== etagForVersion(record.version)) throw preconditionFailed();
    const parsed = interpretDistributionConfig(config);
    if (parsed.callerReference !== record.callerReference) {
      throw new CloudFrontError("IllegalUpdate", "The CallerReference of a distribution cannot change.");
    }
    await this.checkAssociations(parsed);
    await this.checkOriginAccessControls(config);
    await this.checkPolicies(parsed, id);
    await this.checkAliases(parsed, id);
    const updated: DistributionRecord = {
      ...record,
      enabled: parsed.enabled,
      aliases: parsed.aliases,
      functionArns: functionArnsOf(parsed),
      configXml: configAsSent,
      parsedConfigJson: JSON.stringify(parsed),
      version: record.version + 1,
      lastModifiedTime: this.options.clock.now(),
    };
    if (!(await this.options.store.replaceDistribution(updated, record.version))) throw preconditionFailed();
    this.invalidateHosts();
    return this.view(updated);
  }

  async delete(id: string, ifMatch: string | undefined): Promise<void> {
    const etag = requireIfMatch(ifMatch);
    const record = await this.require(id);
    if (etag !== etagForVersion(record.version)) throw preconditionFailed();
    if (record.enabled) throw new CloudFrontError("DistributionNotDisabled", "The distribution you are trying to delete has not been disabled.");
    if (!(await this.options.store.deleteDistribution(id, record.version))) throw preconditionFailed();
    this.invalidateHosts();
    // Its invalidations go with it (they are listed only through it, and would otherwise be kept forever).
    for (const invalidation of await this.options.store.listResources("invalidation", id)) await this.options.store.deleteResource("invalidation", invalidation.id, invalidation.version);
    this.options.edgePorts?.close(id);
  }

  /** The ports distributions keep, open or not (one another process holds now is theirs again once free). */
  private async keptEdgePorts(): Promise<Set<number>> {
    const kept = new Set<number>();
    for await (const record of this.all()) if (record.edgePort !== undefined) kept.add(record.edgePort);
    return kept;
  }

  /** The port a distribution is served on now (`serve --distribution-ports`), if any. */
  edgePortOf(id: string): number | undefined {
    return this.options.edgePorts?.portOf(id);
  }

  /**
   * At start, opens every stored distribution's port: first each on the port its record keeps (so none
   * takes another's), then those without one or whose port is unavailable now, on the next free one. A
   * port is recorded once, when first given: a distribution whose port another process holds today is
   * served elsewhere for this run only and gets its own back once it is free.
   */
  async openEdgePorts(): Promise<void> {
    const edgePorts = this.options.edgePorts;
    if (!edgePorts) return;
    const records: DistributionRecord[] = [];
    for await (const record of this.all()) records.push(record);
    const unplaced: DistributionRecord[] = [];
    for (const record of records) {
      const placed = record.edgePort !== undefined && (await edgePorts.listen({ id: record.id, domainName: record.domainName, preferred: record.edgePort, exact: true })) !== undefined;
      if (!placed) unplaced.push(record);
    }
    const kept = new Set(records.flatMap((record) => (record.edgePort === undefined ? [] : [record.edgePort])));
    for (const record of unplaced) {
      const edgePort = await edgePorts.listen({ id: record.id, domainName: record.domainName, avoid: kept, ...(record.edgePort !== undefined ? { preferred: record.edgePort } : {}) });
      if (edgePort === undefined || record.edgePort !== undefined) continue;
      // Its version (so its ETag) unchanged; a concurrent write wins, and the port is recorded at the next start.
      await this.options.store.replaceDistribution({ ...record, edgePort }, record.version);
    }
    this.invalidateHosts();
  }

  async list(options: { marker?: string; maxItems?: number }): Promise<{ items: DistributionView[]; maxItems: number; nextMarker?: string }> {
    const maxItems = options.maxItems ?? DEFAULT_LIST_MAX_ITEMS;
    const records = await this.options.store.listDistributions({ afterId: options.marker, limit: maxItems + 1 });
    const items = records.slice(0, maxItems).map((record) => this.view(record));
    const last = items[items.length - 1];
    return records.length > maxItems && last ? { items, maxItems, nextMarker: last.id } : { items, maxItems };
  }

  /** A distribution's tags by its ARN; undefined when the ARN names no distribution of this account. */
  async tagsOf(arn: string): Promise<readonly Tag[] | undefined> {
    const record = await this.byArn(arn);
    return record && (record.tags ?? []);
  }

  /** Replaces a distribution's tags (its ETag does not move: tags are not part of the config). False when there is no such distribution. */
  async setTags(arn: string, change: (tags: readonly Tag[]) => Tag[]): Promise<boolean> {
    const record = await this.byArn(arn);
    if (!record) return false;
    if (!(await this.options.store.replaceDistribution({ ...record, tags: change(record.tags ?? []) }, record.version))) throw preconditionFailed();
    return true;
  }

  private async byArn(arn: string): Promise<DistributionRecord | undefined> {
    const prefix = `arn:aws:cloudfront::${this.options.accountId}:distribution/`;
    return arn.startsWith(prefix) ? this.options.store.getDistribution(arn.slice(prefix.length)) : undefined;
  }

  /** The enabled distribution a viewer's Host names (its DomainName or an alias), with its parsed config. */
  async forHost(host: string): Promise<{ view: DistributionView; config: ParsedDistributionConfig; policies: PolicySet } | undefined> {
    let hosts = this.hosts;
    if (!hosts) {
      const generation = this.hostsGeneration;
      hosts = new Map<string, { view: DistributionView; config: ParsedDistributionConfig }>();
      for await (const record of this.all()) {
        if (!record.enabled) continue;
        const target = { view: this.view(record), config: this.parsedConfigOf(record) };
        for (const name of [record.domainName, ...record.aliases]) hosts.set(name, target);
      }
      // A write during the scan makes this index stale: use it for this request, do not keep it.
      if (generation === this.hostsGeneration) this.hosts = hosts;
    }
    const found = hosts.get(host);
    if (!found) return undefined;
    // Kept in memory by the policy service and replaced on each policy write: no store read per request.
    const policies = this.options.policySet ? await this.options.policySet() : MANAGED_POLICY_SET;
    return { ...found, policies };
  }

  private invalidateHosts(): void {
    this.hosts = undefined;
    this.hostsGeneration++;
  }

  private async checkAssociations(parsed: ParsedDistributionConfig): Promise<void> {
    for (const arn of functionArnsOf(parsed)) {
      if (!(await this.options.isPublishedFunction(arn))) {
        throw new CloudFrontError("InvalidFunctionAssociation", `The parameter FunctionAssociationArn is invalid: ${arn} is not a published (LIVE) function of this account.`);
      }
    }
  }

  /**
   * An origin's OriginAccessControlId must name an origin access control (InvalidOriginAccessControl), and an
   * origin with one must leave S3OriginConfig's OriginAccessIdentity empty (IllegalOriginAccessConfiguration:
   * "An origin cannot contain both an origin access control (OAC) and an origin access identity (OAI)", the model).
   */
  private async checkOriginAccessControls(config: DistributionConfig): Promise<void> {
    for (const origin of config.Origins) {
      const id = origin.OriginAccessControlId;
      if (!id) continue;
      if (origin.S3OriginConfig?.OriginAccessIdentity) {
        throw new CloudFrontError("IllegalOriginAccessConfiguration", `The origin ${origin.Id} names both an origin access control and an origin access identity. Leave <OriginAccessIdentity/> empty when you use an origin access control.`);
      }
      if (!(await this.options.originAccessControlExists?.(id))) {
        throw new CloudFrontError("InvalidOriginAccessControl", `The origin access control ${id.slice(0, 64)} that the origin ${origin.Id} names does not exist. Create it with CreateOriginAccessControl first.`);
      }
    }
  }

  /** Every policy a behaviour names exists, and is not already used by the most distributions one policy may serve. */
  private async checkPolicies(parsed: ParsedDistributionConfig, ownId: string | undefined): Promise<void> {
    const { policyExists, policyUsers } = this.options;
    const checked = new Set<string>();
    for (const behaviour of parsed.behaviours) {
      for (const { type, field, code, tooMany, label } of POLICY_REFERENCES) {
        const id = behaviour[field];
        if (id === undefined || checked.has(`${type} ${id}`)) continue;
        checked.add(`${type} ${id}`);
        if (policyExists && !(await policyExists(type, id))) {
          throw new CloudFrontError(code, `The ${label} ${id} named by the cache behaviour ${behaviour.pathPattern} does not exist; create it first, or name an AWS managed one.`);
        }
        // The quota is read as one on custom policies: every account's distributions share the managed ones.
        if (policyUsers && !isManagedPolicy(type, id) && (await policyUsers(type, id, ownId)) >= MAX_DISTRIBUTIONS_PER_POLICY) {
          throw new CloudFrontError(tooMany, `The ${label} ${id} is already used by ${MAX_DISTRIBUTIONS_PER_POLICY} distributions, CloudFront's quota; use another policy.`);
        }
      }
    }
  }

  private async checkAliases(parsed: ParsedDistributionConfig, ownId: string | undefined): Promise<void> {
    if (parsed.aliases.length === 0) return;
    const taken = new Set<string>();
    for await (const record of this.all()) if (record.id !== ownId) for (const alias of record.aliases) taken.add(alias);
    const clash = parsed.aliases.find((alias) => taken.has(alias));
    if (clash) throw new CloudFrontError("CNAMEAlreadyExists", `One or more of the CNAMEs you provided are already associated with a different resource: ${clash}.`);
  }

  /** Every distribution as the API shows it. */
  async *views(): AsyncGenerator<DistributionView> {
    for await (const record of this.all()) yield this.view(record);
  }

  /** Every distribution, page by page. */
  private async *all(): AsyncGenerator<DistributionRecord> {
    let afterId: string | undefined;
    for (;;) {
      const batch = await this.options.store.listDistributions({ afterId, limit: 500 });
      yield* batch;
      if (batch.length < 500) return;
      afterId = batch[batch.length - 1]!.id;
    }
  }

  private async require(id: string): Promise<DistributionRecord> {
    const record = await this.options.store.getDistribution(id);
    if (!record) throw new CloudFrontError("NoSuchDistribution", "The specified distribution does not exist.");
    return record;
  }

  private readonly parsedConfigs = new WeakMap<DistributionRecord, ParsedDistributionConfig>();

  /** The config edgelite acts on, read once per stored record (records are immutable). */
  private parsedConfigOf(record: DistributionRecord): ParsedDistributionConfig {
    let parsed = this.parsedConfigs.get(record);
    if (!parsed) {
      // The store keeps this service's own JSON (written by create and update) as opaque text.
      const stored = record.parsedConfigJson === undefined ? undefined : (JSON.parse(record.parsedConfigJson) as ParsedDistributionConfig);
      parsed = stored?.format === PARSED_CONFIG_FORMAT ? stored : this.parseStale(record, stored);
      this.parsedConfigs.set(record, parsed);
    }
    return parsed;
  }

  /** A record stored by an older edgelite: read again from its XML, or (when this one refuses it) its old reading with today's defaults. */
  private parseStale(record: DistributionRecord, stored: ParsedDistributionConfig | undefined): ParsedDistributionConfig {
    try {
      return this.parseAsSent(record);
    } catch (error) {
      if (!stored) throw error;
      return withCurrentDefaults(stored);
    }
  }

  private parseAsSent(record: DistributionRecord): ParsedDistributionConfig {
    return interpretDistributionConfig(this.options.readAsSent(record.configXml));
  }

  /**
   * The migration of records stored before the parsed config was kept beside the config as sent: each is
   * read once more and rewritten with it, its version (so its ETag) unchanged. Returns how many.
   */
  async upgradeStored(): Promise<number> {
    let upgraded = 0;
    for await (const record of this.all()) {
      if (record.parsedConfigJson !== undefined && (JSON.parse(record.parsedConfigJson) as Partial<ParsedDistributionConfig>).format === PARSED_CONFIG_FORMAT) continue;
      let parsedConfigJson: string;
      try {
        parsedConfigJson = JSON.stringify(this.parseAsSent(record));
      } catch {
        // A config an older edgelite accepted and this one refuses: left as stored (parseStale serves it as before).
        continue;
      }
      if (await this.options.store.replaceDistribution({ ...record, parsedConfigJson }, record.version)) upgraded++;
    }
    if (upgraded > 0) this.invalidateHosts();
    return upgraded;
  }

  private view(record: DistributionRecord): DistributionView {
    return {
      id: record.id,
      arn: `arn:aws:cloudfront::${this.options.accountId}:distribution/${record.id}`,
      status: "Deployed",
      domainName: record.domainName,
      lastModifiedTime: record.lastModifiedTime,
      etag: etagForVersion(record.version),
      configAsSent: record.configXml,
      enabled: record.enabled,
    };
  }
}

/** The policies a cache behaviour names, and the error for an Id that names none. */
const POLICY_REFERENCES: ReadonlyArray<{
  type: PolicyType;
  field: "cachePolicyId" | "originRequestPolicyId" | "responseHeadersPolicyId";
  code: CloudFrontErrorCode;
  tooMany: CloudFrontErrorCode;
  label: string;
}> = [
  { type: "cache-policy", field: "cachePolicyId", code: "NoSuchCachePolicy", tooMany: "TooManyDistributionsAssociatedToCachePolicy", label: "cache policy" },
  { type: "origin-request-policy", field: "originRequestPolicyId", code: "NoSuchOriginRequestPolicy", tooMany: "TooManyDistributionsAssociatedToOriginRequestPolicy", label: "origin request policy" },
  { type: "response-headers-policy", field: "responseHeadersPolicyId", code: "NoSuchResponseHeadersPolicy", tooMany: "TooManyDistributionsAssociatedToResponseHeadersPolicy", label: "response headers policy" },
];

function functionArnsOf(parsed: ParsedDistributionConfig): string[] {
  return [...new Set(parsed.behaviours.flatMap((behaviour) => behaviour.functions.map((f) => f.functionArn)))];
}
