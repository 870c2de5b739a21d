import { existsSync } from "node:fs";
import { basename, dirname, join } from "node:path";
import { getOwn } from "../../nullPrototype.js";
import { IacError, type LocalObject, type S3ObjectLocator, type StackSource, type TemplateObject, type TemplateValue } from "../types.js";
import { containedPath, readBoundedText } from "./files.js";
import { MAX_ASSEMBLY_DEPTH, MAX_MANIFEST_BYTES, MAX_STACKS, MAX_TEMPLATE_BYTES } from "./limits.js";
import { parseJson, parseTemplateText } from "./parse.js";
import { isTemplateObject } from "./values.js";

/**
 * A CDK cloud assembly (cdk.out), read through its manifest.json
 * (https://github.com/aws/aws-cdk/tree/main/packages/aws-cdk-lib/cloud-assembly-schema): its
 * `aws:cloudformation:stack` artifacts (templateFile, properties.stackName), its `cdk:asset-manifest`
 * artifacts (file assets and where cdk deploy would upload them) and nested assemblies (`cdk:cloud-assembly`,
 * one per CDK Stage).
 */
export interface AssemblyStack {
  readonly source: StackSource;
  /** The artifact id, and the display name (`Stage/Stack`), which `--stack` also matches. */
  readonly artifactId: string;
  readonly displayName: string;
  /** Artifact ids this stack depends on (stacks among them come first). */
  readonly dependencies: readonly string[];
}

export interface CloudAssembly {
  readonly stacks: AssemblyStack[];
  /** `bucket\0key` (placeholders substituted) → the file or folder in cdk.out. */
  readonly assets: Map<string, LocalObject>;
  /** manifest.json files read (nested ones included). */
  readonly manifests: string[];
}

interface Environment {
  readonly region: string;
  readonly accountId: string;
  readonly partition: string;
}

export function readCloudAssembly(folder: string, environment: Environment): CloudAssembly {
  const assembly: CloudAssembly = { stacks: [], assets: new Map(), manifests: [] };
  readManifest(folder, environment, assembly, 0);
  return assembly;
}

function readManifest(folder: string, environment: Environment, assembly: CloudAssembly, depth: number): void {
  const manifestFile = join(folder, "manifest.json");
  assembly.manifests.push(manifestFile);
  const manifest = parseJson(readBoundedText(manifestFile, MAX_MANIFEST_BYTES, "cloud assembly manifest"), manifestFile);
  const bad = (message: string) => new IacError(`${manifestFile}: ${message}`);
  const artifacts = isTemplateObject(manifest) ? getOwn(manifest, "artifacts") : undefined;
  if (artifacts === undefined) return;
  if (!isTemplateObject(artifacts)) throw bad("artifacts must be an object (is this a cdk.out manifest?)");
  for (const [artifactId, artifact] of Object.entries(artifacts)) {
    if (!isTemplateObject(artifact)) continue;
    const properties = getOwn(artifact, "properties");
    const props = isTemplateObject(properties ?? null) ? (properties as TemplateObject) : undefined;
    const type = getOwn(artifact, "type");
    const fileIn = (key: string) => {
      const name = props === undefined ? undefined : getOwn(props, key);
      if (typeof name !== "string") throw bad(`artifact ${artifactId} (${String(type)}) has no properties.${key}`);
      const path = containedPath(folder, name);
      if (path === undefined) throw bad(`artifact ${artifactId}: ${key} ${JSON.stringify(name)} is not a name inside ${folder}`);
      return path;
    };
    if (type === "aws:cloudformation:stack") {
      if (assembly.stacks.length >= MAX_STACKS) throw bad(`more than ${MAX_STACKS} stacks`);
      const templateFile = fileIn("templateFile");
      const stackName = props === undefined ? undefined : getOwn(props, "stackName");
      const displayName = getOwn(artifact, "displayName");
      const dependencies = getOwn(artifact, "dependencies");
      assembly.stacks.push({
        source: { stackName: typeof stackName === "string" && stackName !== "" ? stackName : artifactId, templateFile, template: parseTemplateText(readBoundedText(templateFile, MAX_TEMPLATE_BYTES, "stack template"), templateFile) },
        artifactId,
        displayName: typeof displayName === "string" ? displayName : artifactId,
        dependencies: Array.isArray(dependencies) ? dependencies.filter((item): item is string => typeof item === "string") : [],
      });
    } else if (type === "cdk:asset-manifest") {
      const file = fileIn("file");
      readAssetManifest(file, environment, assembly.assets);
    } else if (type === "cdk:cloud-assembly") {
      if (depth + 1 >= MAX_ASSEMBLY_DEPTH) throw bad(`cloud assemblies nested more than ${MAX_ASSEMBLY_DEPTH} deep`);
      readManifest(fileIn("directoryName"), environment, assembly, depth + 1);
    }
  }
}

/**
 * An asset manifest's file assets: each destination's bucketName and objectKey (with `${AWS::AccountId}`,
 * `${AWS::Region}` and `${AWS::Partition}` substituted, as cdk deploy does) stand for `source.path` in cdk.out.
 * Docker images and assets built by a command (`executable`) have no local file here and are skipped.
 */
function readAssetManifest(file: string, environment: Environment, assets: Map<string, LocalObject>): void {
  const folder = dirname(file);
  const manifest = parseJson(readBoundedText(file, MAX_MANIFEST_BYTES, "asset manifest"), file);
  const files = isTemplateObject(manifest) ? getOwn(manifest, "files") : undefined;
  if (!isTemplateObject(files ?? null)) return;
  for (const asset of Object.values(files as TemplateObject)) {
    if (!isTemplateObject(asset)) continue;
    const source = getOwn(asset, "source");
    const destinations = getOwn(asset, "destinations");
    if (!isTemplateObject(source ?? null) || !isTemplateObject(destinations ?? null)) continue;
    const path = getOwn(source as TemplateObject, "path");
    const packaging = getOwn(source as TemplateObject, "packaging") ?? "file";
    if (typeof path !== "string" || (packaging !== "file" && packaging !== "zip")) continue;
    const local = containedPath(folder, path);
    if (local === undefined || !existsSync(local)) continue;
    for (const destination of Object.values(destinations as TemplateObject)) {
      const bucket = placeholders(isTemplateObject(destination) ? getOwn(destination, "bucketName") : undefined, environment);
      const key = placeholders(isTemplateObject(destination) ? getOwn(destination, "objectKey") : undefined, environment);
      if (bucket !== undefined && key !== undefined) assets.set(assetKey(bucket, key), { path: local, packaging });
    }
  }
}

function placeholders(value: TemplateValue | undefined, environment: Environment): string | undefined {
  if (typeof value !== "string") return undefined;
  return value.replaceAll("${AWS::AccountId}", environment.accountId).replaceAll("${AWS::Region}", environment.region).replaceAll("${AWS::Partition}", environment.partition);
}

export function assetKey(bucket: string, key: string): string {
  return `${bucket}\0${key}`;
}

/** The locator over an assembly's assets (and an empty one for a plain template). */
export function assetLocator(assets: ReadonlyMap<string, LocalObject>): S3ObjectLocator {
  return { locate: (bucket, key) => assets.get(assetKey(bucket, key)) };
}

/** The folder a path names as a cloud assembly: itself, the folder of a manifest.json, or its cdk.out. */
export function assemblyFolder(path: string, isDirectory: boolean): string | undefined {
  if (!isDirectory) return basename(path) === "manifest.json" ? dirname(path) : undefined;
  if (existsSync(join(path, "manifest.json"))) return path;
  if (existsSync(join(path, "cdk.out", "manifest.json"))) return join(path, "cdk.out");
  return undefined;
}
