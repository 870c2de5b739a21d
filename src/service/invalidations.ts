import type { Clock } from "../clock.js";
import { DEFAULT_LIST_MAX_ITEMS, MAX_INVALIDATION_PATH_LENGTH, MAX_INVALIDATION_PATHS_IN_PROGRESS, MAX_WILDCARD_INVALIDATION_PATHS_IN_PROGRESS } from "../limits.js";
import { CloudFrontError } from "./errors.js";
import { cloudFrontId } from "./resourceIds.js";
import { pageAfterId, type Page } from "./resourcePages.js";
import type { ResourceRecord, Store } from "../store/types.js";

/** An InvalidationBatch, typed. */
export interface InvalidationBatch {
  callerReference: string;
  paths: readonly string[];
}

export interface InvalidationView {
  id: string;
  distributionId: string;
  /** Always Completed: edgelite's cache is in this process, so an invalidation is done when it is created. */
  status: "Completed";
  createTime: Date;
  batch: InvalidationBatch;
}

export interface InvalidationServiceOptions {
  store: Store;
  clock: Clock;
  /** Throws NoSuchDistribution when there is no distribution with this Id. */
  requireDistribution(id: string): Promise<unknown>;
  /** Told of each new invalidation, before it is reported: the edge drops the cached objects its paths name. */
  onCreated?: (distributionId: string, paths: readonly string[]) => void;
}

const TYPE = "invalidation";

/** What the store keeps of an invalidation beside its record (its CallerReference is the record's name). */
interface StoredInvalidation {
  paths: string[];
}

/** C0 and C1 control characters and DEL: never part of a URL path, so never part of an invalidation path. */
const CONTROL_CHARACTER = /[\u0000-\u001f\u007f-\u009f]/u;

/**
 * CloudFront's invalidations (Developer Guide, "Invalidate files"): CreateInvalidation, GetInvalidation,
 * ListInvalidations. Each batch is kept per distribution under its CallerReference; the edge drops the
 * matching cached objects at once, so every invalidation reports Completed and none is ever in progress.
 */
export class InvalidationService {
  constructor(private readonly options: InvalidationServiceOptions) {}

  /** The invalidation, and whether it is new (false: the same CallerReference and paths were sent before). */
  async create(distributionId: string, batch: InvalidationBatch): Promise<{ invalidation: InvalidationView; created: boolean }> {
    await this.options.requireDistribution(distributionId);
    checkPaths(batch.paths);
    const now = this.options.clock.now();
    const stored: StoredInvalidation = { paths: [...batch.paths] };
    const record: ResourceRecord = {
      type: TYPE,
      id: cloudFrontId("I"),
      scope: distributionId,
      name: batch.callerReference,
      configJson: JSON.stringify(stored),
      version: 1,
      createdTime: now,
      lastModifiedTime: now,
      tags: [],
    };
    if ((await this.options.store.insertResource(record, {})) === "exists") {
      return { invalidation: await this.existing(distributionId, batch), created: false };
    }
    this.options.onCreated?.(distributionId, stored.paths);
    return { invalidation: view(record), created: true };
  }

  async get(distributionId: string, id: string): Promise<InvalidationView> {
    await this.options.requireDistribution(distributionId);
    const record = await this.options.store.getResource(TYPE, id);
    if (!record || record.scope !== distributionId) {
      throw new CloudFrontError("NoSuchInvalidation", `The invalidation ${id.slice(0, 64)} does not exist for the distribution ${distributionId}.`);
    }
    return view(record);
  }

  /** Newest first, as CloudFront lists them; `marker` is the Id the previous page ended with (its NextMarker). */
  async list(distributionId: string, options: { marker?: string; maxItems?: number }): Promise<Page<InvalidationView>> {
    await this.options.requireDistribution(distributionId);
    const newestFirst = (await this.options.store.listResources(TYPE, distributionId)).reverse();
    const page = pageAfterId(newestFirst, options.marker, options.maxItems ?? DEFAULT_LIST_MAX_ITEMS, "ListInvalidations");
    return { ...page, items: page.items.map(view) };
  }

  /**
   * A CallerReference sent before: the same paths (in any order) get the invalidation already made, as the
   * model's CallerReference documentation says; different paths are InvalidationBatchAlreadyExists.
   */
  private async existing(distributionId: string, batch: InvalidationBatch): Promise<InvalidationView> {
    const record = await this.withCallerReference(distributionId, batch.callerReference);
    if (!record) throw new CloudFrontError("ServiceUnavailable", "An invalidation with this CallerReference is still being written by another request; send it again.");
    const earlier = view(record);
    if (!samePaths(earlier.batch.paths, batch.paths)) {
      throw new CloudFrontError(
        "InvalidationBatchAlreadyExists",
        `The CallerReference ${batch.callerReference.slice(0, 128)} was already used by the invalidation ${earlier.id} with other paths. Use a new CallerReference for a new invalidation.`,
      );
    }
    return earlier;
  }

  /** The invalidation of a distribution with this CallerReference; one a concurrent request is still writing is waited for, briefly. */
  private async withCallerReference(distributionId: string, callerReference: string): Promise<ResourceRecord | undefined> {
    for (let attempt = 0; attempt < IN_FLIGHT_LOOKUPS.attempts; attempt++) {
      const record = (await this.options.store.listResources(TYPE, distributionId)).find((candidate) => candidate.name === callerReference);
      if (record) return record;
      await new Promise((resolve) => setTimeout(resolve, IN_FLIGHT_LOOKUPS.intervalMs));
    }
    return undefined;
  }
}

/** How often, and how long apart, a repeated CallerReference looks for the first request's invalidation while its write is not yet durable. */
const IN_FLIGHT_LOOKUPS = { attempts: 20, intervalMs: 5 } as const;

/**
 * The Developer Guide's rules for a path sent through the API ("Invalidation paths"): it begins with `/`, is
 * at most 4,000 characters, and may hold the `*` wildcard only as its last character; and the quotas
 * ("Concurrent invalidation request maximum"): 3,000 paths and, separately, 15 wildcard paths in progress
 * per distribution. Nothing stays in progress here, so only the batch itself can exceed them.
 */
function checkPaths(paths: readonly string[]): void {
  if (paths.length === 0) throw new CloudFrontError("InvalidArgument", "An invalidation batch must name at least one path, such as /index.html or /images/*.");
  const wildcards = paths.filter((path) => path.endsWith("*")).length;
  const individual = paths.length - wildcards;
  if (individual > MAX_INVALIDATION_PATHS_IN_PROGRESS || wildcards > MAX_WILDCARD_INVALIDATION_PATHS_IN_PROGRESS) {
    throw new CloudFrontError(
      "TooManyInvalidationsInProgress",
      `Processing your request will cause you to exceed the maximum number of in-progress invalidations: this batch has ${individual} path(s) and ${wildcards} wildcard path(s); ` +
        `CloudFront allows ${MAX_INVALIDATION_PATHS_IN_PROGRESS} and ${MAX_WILDCARD_INVALIDATION_PATHS_IN_PROGRESS} in progress per distribution. Split it, or use a wildcard such as /images/*.`,
    );
  }
  paths.forEach((path, index) => {
    const problem = pathProblem(path);
    if (problem) {
      throw new CloudFrontError("InvalidArgument", `Your request contains one or more invalid invalidation paths: path ${index + 1} ${problem}.`);
    }
  });
}

function pathProblem(path: string): string | undefined {
  if (!path.startsWith("/")) return "must begin with /";
  if (path.length > MAX_INVALIDATION_PATH_LENGTH) return `is ${path.length} characters long; the maximum is ${MAX_INVALIDATION_PATH_LENGTH}`;
  if (CONTROL_CHARACTER.test(path)) return "contains a control character (URL-encode unsafe characters)";
  const star = path.indexOf("*");
  if (star !== -1 && star !== path.length - 1) return "has a * that is not its last character (a wildcard may only end a path)";
  return undefined;
}

function samePaths(a: readonly string[], b: readonly string[]): boolean {
  if (a.length !== b.length) return false;
  const sortedA = [...a].sort();
  const sortedB = [...b].sort();
  return sortedA.every((path, index) => path === sortedB[index]);
}

function view(record: ResourceRecord): InvalidationView {
  // The store keeps this service's own JSON (written by create) as opaque text.
  const stored = JSON.parse(record.configJson) as StoredInvalidation;
  return { id: record.id, distributionId: record.scope, status: "Completed", createTime: record.createdTime, batch: { callerReference: record.name, paths: stored.paths } };
}
