import { readDistributionConfigAsSent } from "./api/cloudfront/distributionRequest.js";
import type { ApiServices } from "./api/operation.js";
import { systemClock, type Clock } from "./clock.js";
import { Edge, type EdgeLogEntry, type EdgeNotice, type FunctionErrorPageRenderer } from "./edge/edge.js";
import type { S3Sources } from "./edge/origin.js";
import { DEFAULT_KVS_PROVISIONING_MS, DEFAULT_MAX_FUNCTIONS_PER_ACCOUNT, DEFAULT_MAX_KEY_VALUE_STORES_PER_ACCOUNT, DEFAULT_MAX_ORIGIN_ACCESS_CONTROLS } from "./limits.js";
import { loadIsolatedVm } from "./runtime/ivm.js";
import { RunnerPool } from "./runtime/pool.js";
import { DistributionService, type DistributionView, type EdgePorts } from "./service/distributions.js";
import { FunctionLogStore, type RetentionLimits } from "./service/functionLogs.js";
import { FunctionService, type FunctionConfigInput, type FunctionSummary } from "./service/functions.js";
import { parseImportFile } from "./service/importFormat.js";
import { InvalidationService } from "./service/invalidations.js";
import { KeyValueStoreService } from "./service/keyValueStores.js";
import { OriginAccessControlService } from "./service/originAccessControls.js";
import { PolicyService } from "./service/policies.js";
import { References } from "./service/references.js";
import { TaggingService } from "./service/tagging.js";
import type { Store } from "./store/types.js";

export const DEFAULT_ACCOUNT_ID = "123456789012";
/** `*.localhost` resolves to loopback in browsers, so a distribution's DomainName opens as it is. */
export const DEFAULT_DISTRIBUTION_DOMAIN_SUFFIX = "cloudfront.localhost";

export interface AppOptions {
  store: Store;
  accountId?: string;
  clock?: Clock;
  maxFunctions?: number;
  maxKeyValueStores?: number;
  /** How long a new key value store stays PROVISIONING (AWS: ~35 s). */
  kvsProvisioningMs?: number;
  /** Origin access controls per account (CloudFront's quota: 100). */
  maxOriginAccessControls?: number;
  /**
   * Told of each new invalidation, after the edge has dropped the cached objects its paths name (the
   * CLI may print it).
   */
  onInvalidation?: (distributionId: string, paths: readonly string[]) => void;
  /** Distribution DomainNames are `d<13 characters>.<suffix>`. */
  distributionDomainSuffix?: string;
  /** Folders CreateKeyValueStore may read `file://` import sources from (`--import-dir`); none by default. */
  importDirs?: readonly string[];
  /** Told of each new distribution. */
  onDistributionCreated?: (distribution: DistributionView) => void;
  onEdgeRequest?: (entry: EdgeLogEntry) => void;
  /** Told once per distribution (and config version) of what its edge accepts but does not do (src/edge/notices.ts). */
  onEdgeNotice?: (notice: EdgeNotice) => void;
  /** Local sources of S3 origins by bucket name: a folder, or the URL of an S3-compatible server. */
  s3Sources?: S3Sources;
  /** The edge forwards every header, cookie and query string to origins, whatever the policies say. */
  forwardAll?: boolean;
  /** CloudFront-Viewer-Country at the edge (when a policy asks for it); US by default. */
  viewerCountry?: string;
  /** Every Host names this host's distribution (`edgelite dev`). */
  edgeHost?: string;
  /** A page instead of CloudFront's 503 when a function fails at the edge (`edgelite dev`; src/edge/devErrorPage.ts). */
  functionErrorPage?: FunctionErrorPageRenderer;
  /** Certificates (PEM) of local CAs the edge trusts for HTTPS origins (`--origin-ca`). */
  originCa?: readonly string[];
  /** Each distribution also on a port of its own (`serve --distribution-ports`; src/distributionPorts.ts). */
  edgePorts?: EdgePorts;
  /** The edge cache's size in bytes (256 MB by default), or false for no cache (`--no-cache`). */
  cache?: { maxBytes?: number } | false;
  /** Bounds of the in-memory function logs (CloudWatch Logs' view); DEFAULT_RETENTION in src/service/functionLogs.ts. */
  functionLogRetention?: Partial<RetentionLimits>;
}

/** An emulator without its HTTP front: the services the API dispatches to, the edge, and what the CLI does in-process. */
export interface App {
  readonly store: Store;
  readonly clock: Clock;
  readonly services: ApiServices;
  readonly edge: Edge;
  functionArn(name: string): string;
  /** Puts code and config in a function's DEVELOPMENT stage (creating the function when `create`) and publishes it. */
  deployFunction(name: string, config: FunctionConfigInput, code: Uint8Array, options: { create: boolean }): Promise<FunctionSummary>;
  /** Creates a key value store from an import source (`file://…` in an allowed folder): its id, ARN and key count. */
  importKeyValueStore(input: { name: string; comment: string; sourceUrl: string }): Promise<{ id: string; arn: string; itemCount: number }>;
  /**
   * Makes a store hold exactly the keys of an import file's text (`edgelite dev --kvs` on save): one new data
   * version, or none when nothing changed. Throws CloudFrontError (with the position) when the text is not
   * a valid import file; the store is then untouched. `source` names the file in messages.
   */
  reloadKeyValueStore(arn: string, text: string, source: string): Promise<{ itemCount: number; puts: number; deletes: number }>;
  createDistribution: DistributionService["create"];
  /** Every distribution, as the API shows it. */
  distributions(): AsyncGenerator<DistributionView>;
  /** Rewrites records stored in an older form (distributions without their parsed config); before serving. */
  upgradeStored(): Promise<void>;
  /** Opens each stored distribution's own port (with `edgePorts`), once the server listens. */
  openEdgePorts(): Promise<void>;
  /** Stops the function runners, then closes the store. */
  close(): Promise<void>;
}

/**
 * Builds the emulator in dependency order, each part given only what it asks for. The services never ask
 * each other who references whom: `References` answers that from the stored records (functions name their
 * key value stores, distributions their functions), so key value stores come first, functions next (they
 * read stores), then distributions (they accept only published functions), tagging, the function log store
 * (CloudWatch Logs' view of LIVE runs) and the edge last.
 */
export function composeApp(options: AppOptions): App {
  const { store } = options;
  const clock = options.clock ?? systemClock;
  const accountId = options.accountId ?? DEFAULT_ACCOUNT_ID;
  const references = new References(store);
  // The sandbox must load before anything listens: an unusable one (not built, built for another Node) is
  // reported at start as NativeModuleUnavailable, saying how to rebuild it, not at the first function run.
  loadIsolatedVm();
  const runners = new RunnerPool();

  const keyValueStores = new KeyValueStoreService({
    store,
    clock,
    accountId,
    maxStores: options.maxKeyValueStores ?? DEFAULT_MAX_KEY_VALUE_STORES_PER_ACCOUNT,
    provisioningMs: options.kvsProvisioningMs ?? DEFAULT_KVS_PROVISIONING_MS,
    importDirs: options.importDirs ?? [],
    functionsUsing: (arn) => references.functionsUsing(arn),
  });
  const functions = new FunctionService({
    store,
    clock,
    accountId,
    maxFunctions: options.maxFunctions ?? DEFAULT_MAX_FUNCTIONS_PER_ACCOUNT,
    runner: runners,
    usage: references,
    keyValueStores: {
      statusOfArn: async (arn) => {
        const record = await keyValueStores.findByArn(arn);
        return record && keyValueStores.statusOf(record);
      },
      forRun: (arn) => keyValueStores.forRun(arn),
    },
  });
  const originAccessControls = new OriginAccessControlService({
    store,
    clock,
    maxOriginAccessControls: options.maxOriginAccessControls ?? DEFAULT_MAX_ORIGIN_ACCESS_CONTROLS,
    distributionsUsing: (id) => references.distributionsUsingOriginAccessControl(id),
  });
  const policies = new PolicyService({ store, clock, usedBy: (type, id) => references.distributionsUsingPolicy(type, id) });
  const distributions = new DistributionService({
    store,
    clock,
    accountId,
    domainSuffix: options.distributionDomainSuffix ?? DEFAULT_DISTRIBUTION_DOMAIN_SUFFIX,
    isPublishedFunction: (arn) => functions.isPublished(arn),
    originAccessControlExists: async (id) => (await originAccessControls.find(id)) !== undefined,
    policyExists: (type, id) => policies.exists(type, id),
    policySet: () => policies.policySet(),
    policyUsers: (type, id, exceptId) => references.distributionsUsingPolicy(type, id, exceptId),
    readAsSent: readDistributionConfigAsSent,
    ...(options.onDistributionCreated ? { onCreated: options.onDistributionCreated } : {}),
    ...(options.edgePorts ? { edgePorts: options.edgePorts } : {}),
  });
  const tagging = new TaggingService(functions, keyValueStores, distributions);
  const functionLogs = new FunctionLogStore({ clock, accountId, ...(options.functionLogRetention ? { retention: options.functionLogRetention } : {}) });
  const edge = new Edge(
    {
      forHost: (host) => distributions.forHost(options.edgeHost ?? host),
      runLive: (arn, event, runOptions) => functions.runLive(arn, event, runOptions),
      recordRun: (run) => functionLogs.record(run),
    },
    {
      ...(options.onEdgeRequest ? { log: options.onEdgeRequest } : {}),
      ...(options.onEdgeNotice ? { notice: options.onEdgeNotice } : {}),
      ...(options.s3Sources ? { s3: options.s3Sources } : {}),
      forwardAll: options.forwardAll ?? false,
      ...(options.viewerCountry ? { viewerCountry: options.viewerCountry } : {}),
      ...(options.functionErrorPage ? { functionErrorPage: options.functionErrorPage } : {}),
      ...(options.originCa ? { originCa: options.originCa } : {}),
      ...(options.cache !== undefined ? { cache: options.cache } : {}),
      clock,
    },
  );

  const invalidations = new InvalidationService({
    store,
    clock,
    requireDistribution: (id) => distributions.get(id),
    onCreated: (distributionId, paths) => {
      dropCached(edge, distributionId, paths);
      options.onInvalidation?.(distributionId, paths);
    },
  });

  return {
    store,
    clock,
    services: { functions, keyValueStores, tagging, distributions, functionLogs, originAccessControls, invalidations, policies },
    edge,
    functionArn: (name) => functions.functionArn(name),
    async deployFunction(name, config, code, { create }) {
      const summary = create ? await functions.create({ name, config, code, tags: [] }) : await functions.update(name, (await functions.describe(name)).etag, config, code);
      return functions.publish(name, summary.etag);
    },
    async importKeyValueStore({ name, comment, sourceUrl }) {
      const created = await keyValueStores.create({ name, comment, tags: [], importSource: { sourceType: "S3", sourceArn: sourceUrl } });
      const { itemCount } = await keyValueStores.describeData(created.arn);
      return { id: created.id, arn: created.arn, itemCount };
    },
    async reloadKeyValueStore(arn, text, source) {
      const { itemCount, puts, deletes } = await keyValueStores.replaceKeys(arn, parseImportFile(text, source));
      return { itemCount, puts, deletes };
    },
    createDistribution: (config, configAsSent) => distributions.create(config, configAsSent),
    distributions: () => distributions.views(),
    async upgradeStored() {
      await distributions.upgradeStored();
    },
    openEdgePorts: () => distributions.openEdgePorts(),
    async close() {
      edge.close();
      await runners.close();
      await store.close();
    },
  };
}

/** The edge's cache drops what an invalidation's paths name (Edge.invalidate, COMMON interface 6). */
function dropCached(edge: Edge, distributionId: string, paths: readonly string[]): void {
  edge.invalidate(distributionId, paths);
}
