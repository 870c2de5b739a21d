import { statSync } from "node:fs";
import { basename, extname, resolve } from "node:path";
import { IacError, type S3ObjectLocator, type StackSource } from "../types.js";
import { assemblyFolder, assetLocator, readCloudAssembly, type AssemblyStack } from "./assembly.js";
import { dependencyOrder } from "./dependencies.js";
import { MISSING_INPUT, readBoundedText } from "./files.js";
import { MAX_TEMPLATE_BYTES } from "./limits.js";
import { parseTemplateText } from "./parse.js";
import { partitionOf } from "./stackModel.js";
import { TemplateProblem } from "./evaluate.js";

export interface LoadOptions {
  /** `--stack` names (stack name, artifact id or display name; `*` matches any characters); all stacks when absent or empty. */
  readonly stacks?: readonly string[];
  readonly region: string;
  readonly accountId: string;
}

export interface LoadedStacks {
  readonly kind: "template" | "cloud-assembly";
  /** The stacks to bring up, each after the stacks it depends on (a cloud assembly's artifact dependencies). */
  readonly stacks: StackSource[];
  /** Where the assembly's file assets are (nothing for a plain template). */
  readonly assets: S3ObjectLocator;
  /** What `--watch` watches: the template file, or the manifest.json files and the selected stacks' templates. */
  readonly watchPaths: string[];
}

/**
 * Reads what `edgelite up <path>` names: a template file (JSON or YAML), a cloud assembly folder (cdk.out, or
 * its manifest.json), or a folder holding a cdk.out (a CDK app's folder after `cdk synth`).
 */
export function loadStacks(path: string, options: LoadOptions): LoadedStacks {
  const absolute = resolve(path);
  const stats = statSync(absolute, { throwIfNoEntry: false });
  if (stats === undefined) throw new IacError(`${path} does not exist: give a CloudFormation template (.json, .yaml, .yml, .template) or a CDK cloud assembly folder (cdk.out, made by cdk synth).`, undefined, MISSING_INPUT);
  const folder = assemblyFolder(absolute, stats.isDirectory());
  if (folder !== undefined) return loadAssembly(folder, options);
  if (stats.isDirectory()) throw new IacError(`${path} is a folder without a manifest.json or a cdk.out/manifest.json: run cdk synth first, or give a template file.`, undefined, MISSING_INPUT);
  const source: StackSource = { stackName: stackNameOf(absolute), templateFile: absolute, template: parseTemplateText(readBoundedText(absolute, MAX_TEMPLATE_BYTES, "template"), absolute) };
  select([{ source, artifactId: source.stackName, displayName: source.stackName, dependencies: [] }], options.stacks);
  return { kind: "template", stacks: [source], assets: assetLocator(new Map()), watchPaths: [absolute] };
}

function loadAssembly(folder: string, options: LoadOptions): LoadedStacks {
  const assembly = readCloudAssembly(folder, { region: options.region, accountId: options.accountId, partition: partitionOf(options.region) });
  if (assembly.stacks.length === 0) throw new IacError(`${folder}/manifest.json lists no CloudFormation stacks (no aws:cloudformation:stack artifact).`);
  const selected = ordered(select(assembly.stacks, options.stacks));
  const names = new Map<string, AssemblyStack>();
  for (const stack of selected) {
    const other = names.get(stack.source.stackName);
    if (other) throw new IacError(`stacks ${other.displayName} and ${stack.displayName} are both named ${stack.source.stackName}; bring up one at a time with --stack.`);
    names.set(stack.source.stackName, stack);
  }
  return {
    kind: "cloud-assembly",
    stacks: selected.map((stack) => stack.source),
    assets: assetLocator(assembly.assets),
    watchPaths: [...assembly.manifests, ...selected.map((stack) => stack.source.templateFile)],
  };
}

/** The stacks `--stack` names (each name must match at least one), in assembly order; all without names. */
function select(stacks: readonly AssemblyStack[], names: readonly string[] | undefined): AssemblyStack[] {
  if (names === undefined || names.length === 0) return [...stacks];
  const chosen = new Set<AssemblyStack>();
  for (const name of names) {
    const pattern = globPattern(name);
    const matches = stacks.filter((stack) => [stack.source.stackName, stack.artifactId, stack.displayName].some((candidate) => pattern.test(candidate)));
    if (matches.length === 0) {
      const available = [...new Set(stacks.map((stack) => (stack.displayName === stack.source.stackName ? stack.source.stackName : `${stack.source.stackName} (${stack.displayName})`)))];
      throw new IacError(`--stack ${name} matches no stack; the stacks are: ${available.join(", ")}.`);
    }
    for (const match of matches) chosen.add(match);
  }
  return stacks.filter((stack) => chosen.has(stack));
}

function globPattern(name: string): RegExp {
  return new RegExp(`^${name.split("*").map((part) => part.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&")).join(".*")}$`);
}

/** Stacks after those they depend on (dependencies on stacks not selected are left to the user). */
function ordered(stacks: AssemblyStack[]): AssemblyStack[] {
  const byId = new Map(stacks.map((stack) => [stack.artifactId, stack]));
  const dependencies = new Map(stacks.map((stack) => [stack.artifactId, new Set(stack.dependencies.filter((id) => byId.has(id) && id !== stack.artifactId))]));
  try {
    return dependencyOrder(dependencies, (cycle) => `the cloud assembly's stacks depend on one another in a circle: ${cycle}`).map((id) => byId.get(id)!);
  } catch (error) {
    if (error instanceof TemplateProblem) throw new IacError(error.message);
    throw error;
  }
}

/**
 * A template file's stack name: its name without the extension, made a valid CloudFormation stack name
 * ([A-Za-z][-A-Za-z0-9]*, at most 128): other characters become `-`, a leading non-letter gets `stack-`.
 */
function stackNameOf(file: string): string {
  const name = basename(file, extname(file)).replace(/[^A-Za-z0-9-]/g, "-");
  return (/^[A-Za-z]/.test(name) ? name : `stack-${name}`).slice(0, 128);
}
