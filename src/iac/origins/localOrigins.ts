import { CreateInvalidationCommand, type Origin } from "@aws-sdk/client-cloudfront";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, realpathSync, rmSync, statSync } from "node:fs";
import { join, resolve } from "node:path";
import { placeholderKey } from "../../placeholderDomains.js";
import { isBeneath } from "../../service/localFiles.js";
import { getOwn } from "../../nullPrototype.js";
import { IacError, type Applied, type ApplyContext, type IacLog, type LocalObject, type OriginMapper, type ResourceHandler, type S3ObjectLocator, type TemplateObject, type TemplateValue } from "../types.js";
import { keyProblem } from "./archive.js";
import { buildContents, deploymentSpec, removePrefix, syncInto, type DeploymentSpec } from "./deployment.js";
import { checkedBucketName, generatedBucketName, partitionOf, stableHash, urlSuffixOf, type Place } from "./names.js";
import { bucketOfS3Domain, isAwsDomain, isInvalidDomain, isLoopback, originAtUrl, originOnBucket, originOnPlaceholder, parseOriginUrl, placeholderFlagKey } from "./originMapping.js";
import { Placeholder, placeholderApplied } from "./placeholders.js";

export const BUCKET_TYPE = "AWS::S3::Bucket";
export const BUCKET_DEPLOYMENT_TYPE = "Custom::CDKBucketDeployment";

export interface LocalOriginsOptions {
  /** `--origin <key>=<url|folder>`: key is an origin's Id, its DomainName, or the logical id its domain came from. */
  readonly originFlags: ReadonlyMap<string, string>;
  /** `--s3 <bucket>=<folder|URL>`, as serve takes it (folders already absolute). */
  readonly s3Flags: ReadonlyMap<string, string>;
  /** The embedded server's live map of S3 sources by bucket; undefined with `--endpoint`. */
  readonly s3Sources: Map<string, string> | undefined;
  /** Where deployed buckets are materialized, one folder per bucket. */
  readonly workDir: string;
  readonly log: IacLog;
  /** For ARNs and domains (defaults us-east-1 and 123456789012, serve's). */
  readonly region?: string;
  readonly accountId?: string;
}

/** An emulated S3 bucket: the logical id it came from. */
interface BucketRecord {
  readonly stackName: string;
  readonly logicalId: string;
}

const isUrl = (source: string) => /^https?:\/\//i.test(source);

/**
 * The local side of a template's origins: S3 buckets (their BucketDeployments materialized as folders the
 * edge serves), placeholders for what is not emulated, and the mapping of a distribution's origins to
 * `--origin` and `--s3` sources. Also where S3 objects a template names are found (`--s3` folders, deployed
 * buckets, then the cloud assembly's assets).
 */
export class LocalOrigins implements OriginMapper, S3ObjectLocator {
  readonly handlers: ReadonlyMap<string, ResourceHandler>;
  private readonly place: Place;
  private assets: S3ObjectLocator | undefined;
  /** Emulated buckets by name. */
  private readonly buckets = new Map<string, BucketRecord>();
  /** Buckets whose folder may hold objects (an emulated bucket, or one a deployment wrote), by name → the folder. */
  private readonly bucketFolders = new Map<string, string>();
  /** Placeholder Ref values (lower case) → the logical id, to tell which resource an origin's domain is built on. */
  private readonly placeholderRefs = new Map<string, string>();
  /** s3Sources entries this made (bucket → folder), removed again by close(). */
  private readonly registered = new Map<string, string>();
  private readonly warned = new Set<string>();
  /** The keys the distributions' origins answer to (Ids, domains, logical ids), and the `--origin` keys that matched one. */
  private readonly originKeysSeen = new Set<string>();
  private readonly originFlagsUsed = new Set<string>();

  constructor(private readonly options: LocalOriginsOptions) {
    this.place = { region: options.region ?? "us-east-1", accountId: options.accountId ?? "123456789012" };
    for (const [bucket, source] of options.s3Flags) if (options.s3Sources !== undefined && !options.s3Sources.has(bucket)) options.s3Sources.set(bucket, source);
    this.handlers = new Map<string, ResourceHandler>([
      [BUCKET_TYPE, { type: BUCKET_TYPE, apply: async (context, logicalId, properties) => this.applyBucket(context, logicalId, properties), delete: async (_context, previous) => this.deleteBucket(previous) }],
      [BUCKET_DEPLOYMENT_TYPE, { type: BUCKET_DEPLOYMENT_TYPE, apply: (context, logicalId, properties, previous) => this.applyDeployment(context, logicalId, properties, previous), delete: async (context, previous) => this.deleteDeployment(context, previous) }],
    ]);
  }

  setAssets(locator: S3ObjectLocator): void {
    this.assets = locator;
  }

  /** `--s3` folders (the key contained in the folder), then buckets deployments wrote, then the assets. */
  locate(bucket: string, key: string): LocalObject | undefined {
    const flagged = this.options.s3Flags.get(bucket);
    const folder = flagged !== undefined && !isUrl(flagged) ? flagged : this.bucketFolders.get(bucket);
    if (folder !== undefined) {
      const path = fileUnder(folder, key);
      if (path !== undefined) return { path, packaging: "file" };
    }
    return this.assets?.locate(bucket, key);
  }

  notEmulated(stackName: string, logicalId: string, type: string, properties: TemplateObject): Applied {
    const placeholder = new Placeholder(stackName, logicalId, type, this.place, properties);
    this.placeholderRefs.set(placeholder.name.toLowerCase(), logicalId);
    return placeholderApplied(placeholder, properties);
  }

  mapOrigins<T extends { Origins?: { Items?: ReadonlyArray<{ Id?: string; DomainName?: string }> } }>(config: T, distributionLogicalId: string): T {
    const items = config.Origins?.Items;
    if (items === undefined) return config;
    const mapped = items.map((item) => this.mapOrigin(item as Origin, distributionLogicalId));
    return { ...config, Origins: { ...config.Origins, Items: mapped } };
  }

  /** Removes what this registered in the server's S3 sources (the folders stay, for the next run). */
  close(): void {
    for (const [bucket, folder] of this.registered) if (this.options.s3Sources?.get(bucket) === folder) this.options.s3Sources.delete(bucket);
    this.registered.clear();
  }

  private mapOrigin(origin: Origin, distribution: string): Origin {
    const domain = origin.DomainName ?? "";
    const logicalId = this.logicalIdOf(domain);
    const spelled = placeholderKey(domain);
    const keys = [origin.Id, domain, logicalId, spelled !== undefined && "domain" in spelled ? spelled.domain : undefined].filter((key): key is string => key !== undefined && key !== "");
    const flag = this.originFlag(keys);
    if (flag !== undefined) return this.mapToFlag(origin, flag.key, flag.value);
    const where = `${distribution}: origin ${origin.Id ?? "?"} (${domain})`;
    const unmapped = (placeheld: Origin) => {
      this.tell(where, `${where} has no local source; it answers 502 until you add --origin ${placeholderFlagKey(placeheld)}=<url|folder>`);
      return placeheld;
    };
    if (isInvalidDomain(domain)) return unmapped(origin);
    if (origin.S3OriginConfig !== undefined) {
      this.checkS3Origin(origin, where);
      return origin;
    }
    // A custom origin on a bucket's REST or website endpoint: the bucket's folder, when it has one here.
    const bucket = bucketOfS3Domain(domain);
    if (bucket !== undefined && isAwsDomain(domain) && this.servedLocally(bucket)) {
      this.options.log.info(`${where}: bucket ${bucket}'s endpoint, served from its local source as an S3 origin (S3's REST answers: 403 for a missing key, no index documents)`);
      return originOnBucket(origin, bucket, this.place.region, urlSuffixOf(this.place.region));
    }
    if (isLoopback(domain)) return origin;
    return unmapped(originOnPlaceholder(origin, logicalId));
  }

  /** An S3 origin's bucket: served by `--s3`, a deployment, or nothing yet (the edge then names `--s3`). */
  private checkS3Origin(origin: Origin, where: string): void {
    const bucket = bucketOfS3Domain(origin.DomainName ?? "");
    if (bucket === undefined || this.servedLocally(bucket)) return;
    this.tell(where, `${where}: bucket ${bucket} has no local source (it is not in the template); add --s3 ${bucket}=<folder>`);
  }

  private servedLocally(bucket: string): boolean {
    return this.options.s3Flags.has(bucket) || this.buckets.has(bucket) || this.bucketFolders.has(bucket) || this.options.s3Sources?.has(bucket) === true;
  }

  /** The logical id a domain comes from: a placeholder's, a placeholder Ref in one of its labels, or an emulated bucket's. */
  private logicalIdOf(domain: string): string | undefined {
    const placeholder = placeholderKey(domain);
    if (placeholder !== undefined && "logicalId" in placeholder) return placeholder.logicalId;
    for (const label of domain.toLowerCase().split(".")) {
      const id = this.placeholderRefs.get(label);
      if (id !== undefined) return id;
    }
    const bucket = bucketOfS3Domain(domain);
    return bucket === undefined ? undefined : this.buckets.get(bucket)?.logicalId;
  }

  /** The `--origin` flag for the first key that has one (exactly as written, else ignoring case). */
  private originFlag(keys: readonly string[]): { key: string; value: string } | undefined {
    for (const key of keys) this.originKeysSeen.add(key);
    const found = this.findOriginFlag(keys);
    if (found !== undefined) this.originFlagsUsed.add(found.key);
    return found;
  }

  private findOriginFlag(keys: readonly string[]): { key: string; value: string } | undefined {
    for (const key of keys) {
      const value = this.options.originFlags.get(key);
      if (value !== undefined) return { key, value };
    }
    for (const key of keys) {
      for (const [flagKey, value] of this.options.originFlags) if (flagKey.toLowerCase() === key.toLowerCase()) return { key: flagKey, value };
    }
    return undefined;
  }

  /**
   * The `--origin` flags no origin matched so far, each with the keys the distributions' origins answer to:
   * a mistyped key must be told, not silently ignored.
   */
  unmatchedOriginFlags(): Array<{ key: string; knownKeys: readonly string[] }> {
    const knownKeys = [...this.originKeysSeen];
    return [...this.options.originFlags.keys()].filter((key) => !this.originFlagsUsed.has(key)).map((key) => ({ key, knownKeys }));
  }

  private mapToFlag(origin: Origin, key: string, value: string): Origin {
    const url = parseOriginUrl(value, key);
    if (url !== undefined) return originAtUrl(origin, url);
    const folder = resolve(value);
    if (!statSync(folder, { throwIfNoEntry: false })?.isDirectory()) throw new IacError(`--origin ${key}=${value}: not a folder (nor an http:// or https:// URL)`);
    if (this.options.s3Sources === undefined) {
      throw new IacError(`--origin ${key}=${value}: a folder origin needs the embedded server; with --endpoint, start that server with edgelite serve --s3 <bucket>=${value} and map the origin to the bucket's domain, or give --origin a URL`);
    }
    const real = realpathSync(folder);
    const bucket = `edgelite-origin-${stableHash(real).toLowerCase()}`;
    this.register(bucket, real);
    return originOnBucket(origin, bucket, this.place.region, urlSuffixOf(this.place.region));
  }

  private register(bucket: string, folder: string): void {
    const sources = this.options.s3Sources;
    if (sources === undefined) {
      this.tell(`endpoint:${bucket}`, `bucket ${bucket} is deployed to ${folder}; the server at --endpoint serves it only if started with --s3 ${bucket}=${folder}`);
      return;
    }
    sources.set(bucket, folder);
    this.registered.set(bucket, folder);
  }

  /** A warning once per subject (each reload would repeat it otherwise). */
  private tell(subject: string, message: string): void {
    if (this.warned.has(subject)) return;
    this.warned.add(subject);
    this.options.log.warn(message);
  }

  private bucketFolder(bucket: string): string {
    return join(this.options.workDir, bucket);
  }

  private applyBucket(context: ApplyContext, logicalId: string, properties: TemplateObject): Applied {
    const given = getOwn(properties, "BucketName");
    if (given !== undefined && typeof given !== "string") throw new IacError(`${context.stackName}/${logicalId}: BucketName must be a string`, logicalId);
    const name = given === undefined ? generatedBucketName(context.stackName, logicalId) : checkedBucketName(given, context.stackName, logicalId, "BucketName");
    const other = this.buckets.get(name);
    if (other !== undefined && (other.logicalId !== logicalId || other.stackName !== context.stackName)) {
      throw new IacError(`${context.stackName}/${logicalId}: the bucket name ${name} is already ${other.stackName}/${other.logicalId}'s`, logicalId, "BucketAlreadyExists");
    }
    this.buckets.set(name, { stackName: context.stackName, logicalId });
    const { region } = this.place;
    const suffix = urlSuffixOf(region);
    const flagged = this.options.s3Flags.get(name);
    const attributes = new Map<string, TemplateValue>([
      ["Arn", `arn:${partitionOf(region)}:s3:::${name}`],
      ["DomainName", `${name}.s3.${suffix}`],
      ["RegionalDomainName", `${name}.s3.${region}.${suffix}`],
      ["DualStackDomainName", `${name}.s3.dualstack.${region}.${suffix}`],
      ["WebsiteURL", `http://${name}.${websiteEndpoint(region)}.${suffix}`],
    ]);
    const folder = this.bucketFolder(name);
    let summary = `${name}, served from --s3 ${flagged ?? ""}`;
    if (flagged === undefined) {
      // An emulated bucket is there from the start, empty until a deployment writes to it (S3 answers 403 for a missing key).
      mkdirSync(folder, { recursive: true });
      this.bucketFolders.set(name, folder);
      if (this.options.s3Sources !== undefined) this.register(name, folder);
      summary = `${name}, served from ${folder}${readdirSync(folder).length === 0 ? " (empty until a BucketDeployment writes to it, or --s3 " + name + "=<folder>)" : ""}`;
    }
    return { logicalId, type: BUCKET_TYPE, physicalId: name, ref: name, attributes, properties, summary };
  }

  private deleteBucket(previous: Applied): void {
    const name = previous.physicalId;
    this.buckets.delete(name);
    this.bucketFolders.delete(name);
    const folder = this.bucketFolder(name);
    if (this.registered.get(name) === folder) {
      this.options.s3Sources?.delete(name);
      this.registered.delete(name);
    }
    rmSync(folder, { recursive: true, force: true });
  }

  private async applyDeployment(context: ApplyContext, logicalId: string, properties: TemplateObject, previous: Applied | undefined): Promise<Applied> {
    const spec = deploymentSpec(properties, context.stackName, logicalId);
    const what = `${context.stackName}/${logicalId}`;
    const old = previous === undefined ? undefined : safeSpec(previous.properties, context.stackName, logicalId);
    if (old !== undefined && !spec.retainOnDelete && (old.bucket !== spec.bucket || old.prefix !== spec.prefix)) removePrefix(this.bucketFolder(old.bucket), old.prefix);
    // Made when first needed: a template without buckets leaves no folder behind (with --endpoint, in the current folder).
    mkdirSync(this.options.workDir, { recursive: true });
    const staging = mkdtempSync(join(this.options.workDir, ".staging-"));
    let count: number;
    try {
      const contents = join(staging, "contents");
      mkdirSync(contents);
      buildContents(spec, contents, this, what, (message) => context.log.warn(message));
      count = syncInto(contents, this.bucketFolder(spec.bucket), spec);
    } finally {
      rmSync(staging, { recursive: true, force: true });
    }
    this.bucketFolders.set(spec.bucket, this.bucketFolder(spec.bucket));
    const flagged = this.options.s3Flags.get(spec.bucket);
    if (flagged !== undefined) this.tell(`flag:${spec.bucket}`, `${what}: bucket ${spec.bucket} is served from --s3 ${flagged}, not from what this deployment wrote (${this.bucketFolder(spec.bucket)})`);
    else this.register(spec.bucket, this.bucketFolder(spec.bucket));
    if (spec.distributionId !== "") await this.invalidate(context, spec, what);
    const physicalId = previous?.physicalId ?? `aws.cdk.s3deployment.${stableHash(context.stackName, logicalId).toLowerCase()}`;
    const outputKeys = String(getOwn(properties, "OutputObjectKeys") ?? "true").toLowerCase() === "true";
    const attributes = new Map<string, TemplateValue>([
      ["DestinationBucketArn", getOwn(properties, "DestinationBucketArn") ?? null],
      ["SourceObjectKeys", outputKeys ? spec.sources.map((source) => source.key) : []],
    ]);
    return { logicalId, type: BUCKET_DEPLOYMENT_TYPE, physicalId, ref: physicalId, attributes, properties, summary: `${count} object${count === 1 ? "" : "s"} in s3://${spec.bucket}/${spec.prefix}` };
  }

  private deleteDeployment(context: ApplyContext, previous: Applied): void {
    const spec = safeSpec(previous.properties, context.stackName, previous.logicalId);
    if (spec !== undefined && !spec.retainOnDelete) removePrefix(this.bucketFolder(spec.bucket), spec.prefix);
  }

  /** The handler's cloudfront_invalidate: DistributionPaths (default `/<prefix>*`) on DistributionId. */
  private async invalidate(context: ApplyContext, spec: DeploymentSpec, what: string): Promise<void> {
    try {
      await context.cloudfront.send(
        new CreateInvalidationCommand({
          DistributionId: spec.distributionId,
          InvalidationBatch: { CallerReference: `${what}-${Date.now()}`, Paths: { Quantity: spec.distributionPaths.length, Items: [...spec.distributionPaths] } },
        }),
      );
    } catch (error) {
      context.log.warn(`${what}: invalidating ${spec.distributionPaths.join(" ")} on distribution ${spec.distributionId} failed: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
}

function safeSpec(properties: TemplateObject, stackName: string, logicalId: string): DeploymentSpec | undefined {
  try {
    return deploymentSpec(properties, stackName, logicalId);
  } catch {
    return undefined;
  }
}

/** The file a key names under a folder (a regular file strictly inside it, links resolved), or undefined. */
function fileUnder(folder: string, key: string): string | undefined {
  if (keyProblem(key) !== undefined || key.endsWith("/")) return undefined;
  try {
    const root = realpathSync(folder);
    const path = realpathSync(join(root, ...key.split("/")));
    return isBeneath(root, path) && existsSync(path) && statSync(path).isFile() ? path : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The website endpoint's host label: `s3-website-<region>` in the regions that had website endpoints before
 * 2014, `s3-website.<region>` elsewhere (Amazon S3 User Guide, "Website endpoints").
 */
const DASHED_WEBSITE_REGIONS = new Set(["us-east-1", "us-west-1", "us-west-2", "ap-southeast-1", "ap-southeast-2", "ap-northeast-1", "eu-west-1", "sa-east-1", "us-gov-west-1"]);
function websiteEndpoint(region: string): string {
  return DASHED_WEBSITE_REGIONS.has(region) ? `s3-website-${region}` : `s3-website.${region}`;
}
