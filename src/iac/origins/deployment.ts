import { existsSync, lstatSync, mkdirSync, readdirSync, readFileSync, realpathSync, renameSync, rmSync, statSync } from "node:fs";
import { basename, join } from "node:path";
import { getOwn } from "../../nullPrototype.js";
import { isBeneath } from "../../service/localFiles.js";
import { IacError, type LocalObject, type S3ObjectLocator, type TemplateObject, type TemplateValue } from "../types.js";
import { copyFolderInto, keyProblem, MAX_ZIP_FILE_BYTES, unzipInto, WriteBudget, writeObjectInto, zipFolder } from "./archive.js";
import { markerReplacements, replaceMarkersInFile, stringified } from "./markers.js";
import { checkedBucketName } from "./names.js";

/**
 * Custom::CDKBucketDeployment as CDK's handler runs it (aws-cdk-lib, custom-resource-handlers
 * aws-s3-deployment/bucket-deployment-handler/index.py): every source (a zip in the asset bucket) is unpacked
 * in turn into one contents folder, its markers replaced; then `aws s3 sync contents s3://bucket/prefix`
 * (with `--delete` when Prune, `--exclude`s then `--include`s). Here the bucket is a folder.
 */

/** The deployment's properties, as the handler reads them (CloudFormation hands it strings). */
export interface DeploymentSpec {
  readonly sources: ReadonlyArray<{ bucket: string; key: string }>;
  readonly markers: readonly TemplateObject[];
  readonly markersConfig: readonly TemplateObject[];
  readonly bucket: string;
  /** "" or ending with "/". */
  readonly prefix: string;
  readonly extract: boolean;
  readonly prune: boolean;
  readonly retainOnDelete: boolean;
  /** Excludes first, then includes: the order the handler passes them to `aws s3 sync`. */
  readonly filters: ReadonlyArray<{ include: boolean; pattern: RegExp }>;
  readonly distributionId: string;
  readonly distributionPaths: readonly string[];
}

const flag = (value: TemplateValue | undefined, fallback: boolean): boolean => (value === undefined || value === null ? fallback : String(value).toLowerCase() === "true");

function stringList(properties: TemplateObject, name: string, what: string): string[] {
  const value = getOwn(properties, name);
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value) || value.some((item) => typeof item !== "string" && typeof item !== "number")) throw new IacError(`${what}: ${name} must be a list of strings`);
  return value.map(String);
}

function objectList(properties: TemplateObject, name: string, what: string): TemplateObject[] {
  const value = getOwn(properties, name);
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) throw new IacError(`${what}: ${name} must be a list`);
  return value.map((item) => {
    if (item === null || typeof item !== "object" || Array.isArray(item)) throw new IacError(`${what}: each of ${name} must be an object`);
    return stringified(item) as TemplateObject;
  });
}

/** `aws s3 sync`'s filter patterns: `*` any run of characters (slashes too), `?` one, `[…]` a class, `[!…]` its complement. */
export function filterPattern(pattern: string): RegExp {
  let source = "";
  for (let i = 0; i < pattern.length; i++) {
    const char = pattern[i] ?? "";
    if (char === "*") source += "[\\s\\S]*";
    else if (char === "?") source += "[\\s\\S]";
    else if (char === "[" && pattern.indexOf("]", i + 2) !== -1) {
      const end = pattern.indexOf("]", i + 2);
      let body = pattern.slice(i + 1, end);
      const negated = body.startsWith("!");
      if (negated) body = body.slice(1);
      source += `[${negated ? "^" : ""}${body.replace(/[\\\]^]/g, "\\$&")}]`;
      i = end;
    } else source += char.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&");
  }
  return new RegExp(`^${source}$`);
}

/** Whether the filters let a path (relative to the contents or the prefix) take part: the last that matches decides. */
export function included(filters: DeploymentSpec["filters"], path: string): boolean {
  let result = true;
  for (const filter of filters) if (filter.pattern.test(path)) result = filter.include;
  return result;
}

export function deploymentSpec(properties: TemplateObject, stackName: string, logicalId: string): DeploymentSpec {
  const what = `${stackName}/${logicalId} (Custom::CDKBucketDeployment)`;
  const buckets = stringList(properties, "SourceBucketNames", what);
  const keys = stringList(properties, "SourceObjectKeys", what);
  if (buckets.length !== keys.length) throw new IacError(`${what}: SourceBucketNames has ${buckets.length} entries and SourceObjectKeys ${keys.length}; they go in pairs`, logicalId);
  const markers = objectList(properties, "SourceMarkers", what);
  if (markers.length > keys.length) throw new IacError(`${what}: can never have more SourceMarkers (${markers.length}) than SourceObjectKeys (${keys.length})`, logicalId);
  const destination = getOwn(properties, "DestinationBucketName");
  if (typeof destination !== "string") throw new IacError(`${what}: DestinationBucketName is required (a bucket name)`, logicalId);
  const bucket = checkedBucketName(destination, stackName, logicalId, "DestinationBucketName");
  let prefix = String(getOwn(properties, "DestinationBucketKeyPrefix") ?? "");
  if (prefix === "/") prefix = "";
  if (prefix !== "") {
    const problem = keyProblem(prefix);
    if (problem !== undefined) throw new IacError(`${what}: DestinationBucketKeyPrefix ${JSON.stringify(prefix.slice(0, 200))} ${problem}; a prefix is a folder here`, logicalId);
    if (!prefix.endsWith("/")) prefix += "/";
  }
  const distributionPathDefault = `/${prefix}*`.replace(/^\/\//, "/");
  const distributionPaths = stringList(properties, "DistributionPaths", what);
  return {
    sources: buckets.map((name, index) => ({ bucket: name, key: keys[index] ?? "" })),
    markers,
    markersConfig: objectList(properties, "SourceMarkersConfig", what),
    bucket,
    prefix,
    extract: flag(getOwn(properties, "Extract"), true),
    prune: flag(getOwn(properties, "Prune"), true),
    retainOnDelete: flag(getOwn(properties, "RetainOnDelete"), true),
    filters: [
      ...stringList(properties, "Exclude", what).map((pattern) => ({ include: false, pattern: filterPattern(pattern) })),
      ...stringList(properties, "Include", what).map((pattern) => ({ include: true, pattern: filterPattern(pattern) })),
    ],
    distributionId: String(getOwn(properties, "DistributionId") ?? ""),
    distributionPaths: distributionPaths.length > 0 ? distributionPaths : [distributionPathDefault],
  };
}

/** The source's bytes as a zip, or its folder when cdk synth staged it as one. */
function sourceContent(object: LocalObject): { folder: string } | { file: string } {
  const stats = statSync(object.path);
  if (stats.isDirectory()) return { folder: object.path };
  if (!stats.isFile()) throw new IacError(`${object.path} is neither a file nor a folder`);
  return { file: object.path };
}

/**
 * Builds the contents folder: each source unpacked (or, with Extract false, copied as its object key's
 * base name) in turn, later sources over earlier ones, each one's markers replaced in its own files.
 */
export function buildContents(spec: DeploymentSpec, contents: string, locator: S3ObjectLocator, what: string, warn: (message: string) => void): void {
  const budget = new WriteBudget(what);
  const skipped = (name: string) => warn(`${what}: skipped ${name} (a link out of its folder, or not a regular file)`);
  spec.sources.forEach((source, index) => {
    const object = locator.locate(source.bucket, source.key);
    if (object === undefined) {
      throw new IacError(`${what}: nothing local stands for s3://${source.bucket}/${source.key}; run up on the cdk.out folder (its assets), or add --s3 ${source.bucket}=<folder>`);
    }
    const content = sourceContent(object);
    if (!spec.extract) {
      const bytes = "folder" in content ? zipFolder(content.folder, new WriteBudget(what), what, skipped) : readZipFile(content.file, what);
      writeObjectInto(contents, basename(source.key), bytes, budget, what);
      return;
    }
    const names = "folder" in content ? copyFolderInto(content.folder, contents, budget, what, skipped) : unzipInto(readZipFile(content.file, what), contents, budget, `${what}: s3://${source.bucket}/${source.key}`);
    const replacements = markerReplacements(spec.markers[index] ?? Object.create(null), spec.markersConfig[index] ?? Object.create(null), what);
    for (const name of names) replaceMarkersInFile(join(contents, ...name.split("/")), replacements);
  });
}

function readZipFile(path: string, what: string): Uint8Array {
  const size = statSync(path).size;
  if (size > MAX_ZIP_FILE_BYTES) throw new IacError(`${what}: ${path} is larger than ${MAX_ZIP_FILE_BYTES} bytes; edgelite up refuses larger sources`);
  return readFileSync(path);
}

/** Every file under a folder, by its name relative to it (slashes). */
function filesUnder(folder: string, prefix = ""): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(folder, { withFileTypes: true })) {
    const name = `${prefix}${entry.name}`;
    if (entry.isDirectory()) out.push(...filesUnder(join(folder, entry.name), `${name}/`));
    else out.push(name);
  }
  return out;
}

/** Removes a path and then its parents while they are empty, up to (not including) the root. */
function removeObject(root: string, name: string): void {
  const segments = name.split("/");
  rmSync(join(root, ...segments), { recursive: true, force: true });
  for (let depth = segments.length - 1; depth > 0; depth--) {
    const dir = join(root, ...segments.slice(0, depth));
    try {
      if (readdirSync(dir).length > 0) return;
      rmSync(dir, { recursive: true });
    } catch {
      return;
    }
  }
}

/**
 * `aws s3 sync contents s3://bucket/prefix [--delete]` on folders: files the filters let through are moved
 * to bucket/prefix (replacing what is there, a folder in the way too), and with prune the files under the
 * prefix that the contents lack (and the filters let through) are removed.
 */
export function syncInto(contents: string, bucketFolder: string, spec: DeploymentSpec): number {
  const target = spec.prefix === "" ? bucketFolder : join(bucketFolder, ...spec.prefix.slice(0, -1).split("/"));
  mkdirSync(bucketFolder, { recursive: true });
  const sources = filesUnder(contents).filter((name) => included(spec.filters, name));
  const present = new Set(sources);
  if (spec.prune && lstatSync(target, { throwIfNoEntry: false })?.isDirectory()) {
    for (const name of filesUnder(target)) if (!present.has(name) && included(spec.filters, name)) removeObject(target, name);
  }
  const root = realpathSync(bucketFolder);
  for (const name of sources) {
    const segments = name.split("/");
    // A file where a folder must go (S3 has both "a" and "a/b"; a folder cannot): the later object wins.
    for (let depth = 1; depth < segments.length; depth++) {
      const dir = join(target, ...segments.slice(0, depth));
      if (lstatSync(dir, { throwIfNoEntry: false })?.isDirectory() === false) rmSync(dir, { force: true });
    }
    const path = join(target, ...segments);
    mkdirSync(join(target, ...segments.slice(0, -1)), { recursive: true });
    const parent = realpathSync(join(target, ...segments.slice(0, -1)));
    if (parent !== root && !isBeneath(root, parent)) throw new IacError(`${spec.bucket}: ${name} would leave the bucket's folder`);
    rmSync(path, { recursive: true, force: true });
    renameSync(join(contents, ...segments), path);
  }
  return sources.length;
}

/** `aws s3 rm s3://bucket/prefix --recursive` on the folder (RetainOnDelete false, or a moved destination). */
export function removePrefix(bucketFolder: string, prefix: string): void {
  if (prefix === "") {
    if (existsSync(bucketFolder)) for (const entry of readdirSync(bucketFolder)) rmSync(join(bucketFolder, entry), { recursive: true, force: true });
    return;
  }
  removeObject(bucketFolder, prefix.slice(0, -1));
}
