import type { Clock } from "../clock.js";
import {
  DEFAULT_LIST_MAX_ITEMS,
  MAX_FUNCTION_CODE_BYTES,
  MAX_FUNCTION_COMMENT_LENGTH,
  MAX_KEY_VALUE_STORE_ASSOCIATIONS,
} from "../limits.js";
import type { FunctionRecord, FunctionStageRecord, Runtime, Stage, Store, Tag } from "../store/types.js";
import { CloudFrontError, MESSAGES, preconditionFailed, requireIfMatch } from "./errors.js";
import { etagForVersion } from "./etag.js";
import { decodeListMarker, encodeListMarker, type ListPosition } from "./listMarker.js";
import type { RunnerPool, PoolKvs } from "../runtime/pool.js";
import { parseEvent, type FunctionEvent } from "../runtime/event.js";
import type { RunResult } from "../runtime/function.js";
import { validationMessage } from "../runtime/validate.js";

/** The names the API shares with the store's records. */
export type { Stage, Tag } from "../store/types.js";
export type FunctionStatus = "UNPUBLISHED" | "UNASSOCIATED" | "DEPLOYED";

export interface FunctionConfigInput {
  comment: string;
  runtime: Runtime;
  keyValueStoreArns: readonly string[];
}

export interface CreateFunctionInput {
  name: string;
  config: FunctionConfigInput;
  code: Uint8Array;
  tags: Tag[];
}

/** One stage of a function as the API shows it (FunctionSummary plus the stage's ETag). */
export interface FunctionSummary {
  name: string;
  status: FunctionStatus;
  config: FunctionConfigInput;
  arn: string;
  stage: Stage;
  createdTime: Date;
  lastModifiedTime: Date;
  etag: string;
}

export interface TestResult {
  summary: FunctionSummary;
  computeUtilization: string;
  logs: string[];
  errorMessage: string;
  /** JSON text of `{"request":…}` or `{"response":…}`; "" when the run failed. */
  output: string;
}

export interface FunctionListPage {
  items: FunctionSummary[];
  maxItems: number;
  nextMarker?: string;
}

/** How many distributions use a function (src/service/references.ts answers it). */
export interface FunctionUsageLookup {
  distributionsUsing(functionArn: string): Promise<number>;
}

/** What CreateFunction/UpdateFunction need to know of key value stores. */
export interface KeyValueStoreLookup {
  /** The store's status, or undefined when no store of this account has that ARN. */
  statusOfArn(arn: string): Promise<"READY" | "PROVISIONING" | undefined>;
  /** What a run reads through cf.kvs(): the store's keys, at its current version. */
  forRun(arn: string): Promise<PoolKvs | undefined>;
}

export interface FunctionServiceOptions {
  store: Store;
  clock: Clock;
  accountId: string;
  maxFunctions: number;
  usage: FunctionUsageLookup;
  /** Runs TestFunction and the edge's functions; whoever builds the service owns it (and closes it). */
  runner: RunnerPool;
  keyValueStores?: KeyValueStoreLookup;
}

/** CloudFront Functions' control-plane behaviour: stages, ETags, status, quotas. Knows nothing of HTTP. */
export class FunctionService {
  private readonly store: Store;
  private readonly clock: Clock;
  private readonly accountId: string;
  private readonly maxFunctions: number;
  private readonly usage: FunctionUsageLookup;
  private readonly runner: RunnerPool;
  private readonly keyValueStores: KeyValueStoreLookup | undefined;

  constructor(options: FunctionServiceOptions) {
    this.store = options.store;
    this.clock = options.clock;
    this.accountId = options.accountId;
    this.maxFunctions = options.maxFunctions;
    this.usage = options.usage;
    this.runner = options.runner;
    this.keyValueStores = options.keyValueStores;
  }

  functionArn(name: string): string {
    return `arn:aws:cloudfront::${this.accountId}:function/${name}`;
  }

  async create(input: CreateFunctionInput): Promise<FunctionSummary> {
    await this.checkConfig(input.config);
    checkCodeSize(input.code);
    const now = this.clock.now();
    const record: FunctionRecord = {
      name: input.name,
      development: { ...input.config, code: input.code, version: 1, createdTime: now, lastModifiedTime: now },
      tags: input.tags,
    };
    const result = await this.store.insertFunction(record, { maxFunctions: this.maxFunctions });
    if (result === "exists") throw new CloudFrontError("FunctionAlreadyExists", MESSAGES.functionAlreadyExists);
    if (result === "limit") throw new CloudFrontError("TooManyFunctions", MESSAGES.tooManyFunctions(this.maxFunctions));
    return this.summarize(record, "DEVELOPMENT");
  }

  async describe(name: string, stage: Stage = "DEVELOPMENT"): Promise<FunctionSummary> {
    const record = await this.require(name);
    return this.summarize(record, stage);
  }

  async getCode(name: string, stage: Stage = "DEVELOPMENT"): Promise<{ code: Uint8Array; etag: string }> {
    const record = await this.require(name);
    const data = stageOf(record, stage);
    return { code: data.code, etag: etagForVersion(data.version) };
  }

  async update(name: string, ifMatch: string | undefined, config: FunctionConfigInput, code: Uint8Array): Promise<FunctionSummary> {
    const etag = requireIfMatch(ifMatch);
    await this.checkConfig(config);
    checkCodeSize(code);
    const record = await this.require(name);
    checkPrecondition(etag, record.development);
    const development: FunctionStageRecord = {
      ...config,
      code,
      version: record.development.version + 1,
      createdTime: record.development.createdTime,
      lastModifiedTime: this.clock.now(),
    };
    const updated: FunctionRecord = { ...record, development };
    await this.replace(record, updated);
    return this.summarize(updated, "DEVELOPMENT");
  }

  /** Copies DEVELOPMENT to LIVE. If-Match is the DEVELOPMENT ETag, which publishing leaves unchanged. */
  async publish(name: string, ifMatch: string | undefined): Promise<FunctionSummary> {
    const etag = requireIfMatch(ifMatch);
    const record = await this.require(name);
    checkPrecondition(etag, record.development);
    const now = this.clock.now();
    const live: FunctionStageRecord = { ...record.development, createdTime: now, lastModifiedTime: now };
    const published: FunctionRecord = { ...record, live };
    await this.replace(record, published);
    return this.summarize(published, "LIVE");
  }

  /**
   * TestFunction: runs the stage's code against an event. If-Match is the ETag of the stage under test
   * (after a publish both stages share it). An event that is not valid is TestFunctionFailed (500), as
   * AWS answers; a function that fails is a 200 whose FunctionErrorMessage says why.
   */
  async test(name: string, ifMatch: string | undefined, stage: Stage, eventObject: Uint8Array): Promise<TestResult> {
    const etag = requireIfMatch(ifMatch);
    const record = await this.require(name);
    const data = stageOf(record, stage);
    checkPrecondition(etag, data);
    const event = parseEvent(eventObject);
    if (!event) throw new CloudFrontError("TestFunctionFailed", MESSAGES.invalidEventObject);
    const arn = data.keyValueStoreArns[0];
    const kvs = arn ? await this.keyValueStores?.forRun(arn) : undefined;
    const result = await this.runner.run(data.code, data.runtime, event, { now: this.clock.now(), ...(kvs ? { kvs } : {}) });
    return {
      summary: await this.summarize(record, stage),
      computeUtilization: String(result.computeUtilization),
      logs: result.logs,
      // A result CloudFront would refuse in production (a 502 at the edge) is stated here too, in the
      // 502 page's words, so a test shows it (docs/security.md, "Responses and function results").
      errorMessage: result.errorMessage || validationMessage(result.validationErrors),
      output: result.output ? JSON.stringify(result.output) : "",
    };
  }

  async delete(name: string, ifMatch: string | undefined): Promise<void> {
    const etag = requireIfMatch(ifMatch);
    const record = await this.require(name);
    checkPrecondition(etag, record.development);
    const inUse = await this.usage.distributionsUsing(this.functionArn(name));
    if (inUse > 0) throw new CloudFrontError("FunctionInUse", MESSAGES.functionInUse(name, inUse));
    if (!(await this.store.deleteFunction(name, record.development.version))) {
      throw preconditionFailed();
    }
  }

  /**
   * One entry per function and stage (a published function is listed twice, DEVELOPMENT then LIVE),
   * ordered by name; NextMarker names the last entry returned and is absent on the last page.
   */
  async list(options: { marker?: string; maxItems?: number; stage?: Stage }): Promise<FunctionListPage> {
    const maxItems = options.maxItems ?? DEFAULT_LIST_MAX_ITEMS;
    const after = options.marker ? decodeListMarker(options.marker) : undefined;
    const entries: Array<{ record: FunctionRecord; stage: Stage }> = [];
    const wanted = maxItems + 1; // one extra tells whether another page exists

    const push = (record: FunctionRecord) => {
      for (const stage of stagesOf(record)) {
        if (options.stage && stage !== options.stage) continue;
        if (after && !isAfter({ name: record.name, stage }, after)) continue;
        entries.push({ record, stage });
      }
    };

    if (after?.stage === "DEVELOPMENT") {
      const same = await this.store.getFunction(after.name);
      if (same) push(same);
    }
    let afterName = after?.name;
    while (entries.length < wanted) {
      const batch = await this.store.listFunctions({ afterName, limit: wanted });
      for (const record of batch) push(record);
      if (batch.length < wanted) break;
      afterName = batch[batch.length - 1]!.name;
    }

    const page = entries.slice(0, maxItems);
    const items = await Promise.all(page.map(({ record, stage }) => this.summarize(record, stage)));
    const last = page[page.length - 1];
    const nextMarker = entries.length > maxItems && last ? encodeListMarker({ name: last.record.name, stage: last.stage }) : undefined;
    return nextMarker ? { items, maxItems, nextMarker } : { items, maxItems };
  }

  private async require(name: string): Promise<FunctionRecord> {
    const record = await this.store.getFunction(name);
    if (!record) throw new CloudFrontError("NoSuchFunctionExists", MESSAGES.noSuchFunction);
    return record;
  }

  private async replace(current: FunctionRecord, next: FunctionRecord): Promise<void> {
    const expected = { developmentVersion: current.development.version, liveVersion: current.live?.version };
    if (!(await this.store.replaceFunction(next, expected))) {
      // Someone else wrote between our read and our write: their ETag won, ours is stale.
      throw preconditionFailed();
    }
  }

  private async summarize(record: FunctionRecord, stage: Stage): Promise<FunctionSummary> {
    const data = stageOf(record, stage);
    const arn = this.functionArn(record.name);
    return {
      name: record.name,
      status: await this.statusOf(record, stage, arn),
      config: { comment: data.comment, runtime: data.runtime, keyValueStoreArns: data.keyValueStoreArns },
      arn,
      stage,
      createdTime: data.createdTime,
      lastModifiedTime: data.lastModifiedTime,
      etag: etagForVersion(data.version),
    };
  }

  /**
   * LIVE is DEPLOYED when a distribution uses the function, else UNASSOCIATED. DEVELOPMENT shares
   * LIVE's status while it holds the published version and is UNPUBLISHED otherwise (never published,
   * or updated since: AWS's status after an update is undocumented, UNPUBLISHED is our choice).
   */
  private async statusOf(record: FunctionRecord, stage: Stage, arn: string): Promise<FunctionStatus> {
    if (!record.live) return "UNPUBLISHED";
    if (stage === "DEVELOPMENT" && record.live.version !== record.development.version) return "UNPUBLISHED";
    return (await this.usage.distributionsUsing(arn)) > 0 ? "DEPLOYED" : "UNASSOCIATED";
  }

  /**
   * Runs the LIVE stage of a function named by its ARN (for the edge): the same runner pool and
   * key value store binding as TestFunction. Undefined when the function or its LIVE stage is gone.
   */
  async runLive(arn: string, event: FunctionEvent, options: { rawQueryString?: string | null } = {}): Promise<RunResult | undefined> {
    const name = this.nameFromArn(arn);
    const live = name === undefined ? undefined : (await this.store.getFunction(name))?.live;
    if (!live) return undefined;
    const kvsArn = live.keyValueStoreArns[0];
    const kvs = kvsArn ? await this.keyValueStores?.forRun(kvsArn) : undefined;
    return this.runner.run(live.code, live.runtime, event, { now: this.clock.now(), ...(kvs ? { kvs } : {}), ...(options.rawQueryString !== undefined ? { rawQueryString: options.rawQueryString } : {}) });
  }

  /** Whether an ARN names a function of this account that has a LIVE stage (what a distribution may associate). */
  async isPublished(arn: string): Promise<boolean> {
    const name = this.nameFromArn(arn);
    return name !== undefined && Boolean((await this.store.getFunction(name))?.live);
  }

  /** The tags of a function named by its ARN, or undefined when there is no such function. */
  async tagsOf(arn: string): Promise<readonly Tag[] | undefined> {
    const name = this.nameFromArn(arn);
    return name === undefined ? undefined : (await this.store.getFunction(name))?.tags;
  }

  /** Replaces a function's tags (its ETags do not move: tags are not part of a stage). False when there is no such function. */
  async setTags(arn: string, change: (tags: readonly Tag[]) => Tag[]): Promise<boolean> {
    const name = this.nameFromArn(arn);
    const record = name === undefined ? undefined : await this.store.getFunction(name);
    if (!record) return false;
    await this.replace(record, { ...record, tags: change(record.tags) });
    return true;
  }

  private nameFromArn(arn: string): string | undefined {
    const prefix = `arn:aws:cloudfront::${this.accountId}:function/`;
    return arn.startsWith(prefix) ? arn.slice(prefix.length) : undefined;
  }

  private async checkConfig(config: FunctionConfigInput): Promise<void> {
    if (config.comment.length > MAX_FUNCTION_COMMENT_LENGTH) {
      throw new CloudFrontError(
        "InvalidArgument",
        `The parameter Comment is too big. It has ${config.comment.length} characters; the maximum is ${MAX_FUNCTION_COMMENT_LENGTH}.`,
      );
    }
    const arns = config.keyValueStoreArns;
    if (arns.length === 0) return;
    if (arns.length > MAX_KEY_VALUE_STORE_ASSOCIATIONS) {
      throw new CloudFrontError(
        "InvalidArgument",
        `A function can be associated with at most ${MAX_KEY_VALUE_STORE_ASSOCIATIONS} key value store; this request has ${arns.length}.`,
      );
    }
    if (config.runtime !== "cloudfront-js-2.0") {
      throw new CloudFrontError(
        "InvalidArgument",
        `Key value store associations require runtime cloudfront-js-2.0; this function uses ${config.runtime}.`,
      );
    }
    for (const arn of arns) {
      const status = arn.split(":")[4] === this.accountId ? await this.keyValueStores?.statusOfArn(arn) : undefined;
      if (status === undefined) {
        throw new CloudFrontError("InvalidArgument", `The key value store ${arn} does not exist in account ${this.accountId}.`);
      }
      if (status !== "READY") {
        // The real service's wording ends this way (recorded in a user's published CLI session; the message is undocumented).
        throw new CloudFrontError("InvalidArgument", `The key value store ${arn} cannot be associated before the resource is provisioned`);
      }
    }
  }
}

function checkPrecondition(etag: string, stage: FunctionStageRecord): void {
  if (etag !== etagForVersion(stage.version)) throw preconditionFailed();
}

function checkCodeSize(code: Uint8Array): void {
  if (code.byteLength > MAX_FUNCTION_CODE_BYTES) {
    throw new CloudFrontError("FunctionSizeLimitExceeded", MESSAGES.functionTooLarge(code.byteLength, MAX_FUNCTION_CODE_BYTES));
  }
}

function stageOf(record: FunctionRecord, stage: Stage): FunctionStageRecord {
  const data = stage === "LIVE" ? record.live : record.development;
  if (!data) throw new CloudFrontError("NoSuchFunctionExists", MESSAGES.noSuchFunction);
  return data;
}

function stagesOf(record: FunctionRecord): Stage[] {
  return record.live ? ["DEVELOPMENT", "LIVE"] : ["DEVELOPMENT"];
}

function isAfter(entry: ListPosition, marker: ListPosition): boolean {
  if (entry.name !== marker.name) return entry.name > marker.name;
  return marker.stage === "DEVELOPMENT" && entry.stage === "LIVE";
}
