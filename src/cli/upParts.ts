import type { StackPlan } from "../iac/engine/stack.js";
import type { Applied, IacLog, OriginMapper, ResourceHandler, S3ObjectLocator, StackSource, TemplateObject } from "../iac/types.js";

/**
 * TEMPORARY (engine branch, until template/, resources/ and origins/ are merged into main): their modules are
 * loaded by path at run time and typed with COMMON.md's interfaces, so this branch compiles alone. The lead
 * replaces this file with static imports:
 *   import { loadStacks, StackModel } from "../iac/template/index.js";
 *   import { CLOUDFRONT_HANDLERS } from "../iac/resources/index.js";
 *   import { LocalOrigins } from "../iac/origins/localOrigins.js";
 */
const TEMPLATE_MODULE = "../iac/template/index.js";
const RESOURCES_MODULE = "../iac/resources/index.js";
const ORIGINS_MODULE = "../iac/origins/localOrigins.js";

export interface LoadedStacks {
  readonly kind: "template" | "cloud-assembly";
  readonly stacks: StackSource[];
  readonly assets: S3ObjectLocator;
  readonly watchPaths: string[];
}

export interface LocalOriginsLike extends OriginMapper, S3ObjectLocator {
  readonly handlers: ReadonlyMap<string, ResourceHandler>;
  setAssets(locator: S3ObjectLocator): void;
  notEmulated(stackName: string, logicalId: string, type: string, properties: TemplateObject): Applied;
  close(): void | Promise<void>;
}

export interface UpParts {
  loadStacks(path: string, options: { stacks?: readonly string[]; region: string; accountId: string }): LoadedStacks;
  StackModel: {
    build(source: StackSource, options: { region: string; accountId: string; parameters: ReadonlyMap<string, string>; imports: ReadonlyMap<string, string> }): StackPlan;
  };
  CLOUDFRONT_HANDLERS: ReadonlyMap<string, ResourceHandler>;
  LocalOrigins: new (options: {
    originFlags: ReadonlyMap<string, string>;
    s3Flags: ReadonlyMap<string, string>;
    s3Sources: Map<string, string> | undefined;
    workDir: string;
    log: IacLog;
    region?: string;
    accountId?: string;
  }) => LocalOriginsLike;
}

export async function loadUpParts(): Promise<UpParts> {
  const [template, resources, origins] = (await Promise.all([import(TEMPLATE_MODULE), import(RESOURCES_MODULE), import(ORIGINS_MODULE)])) as [
    Pick<UpParts, "loadStacks" | "StackModel">,
    Pick<UpParts, "CLOUDFRONT_HANDLERS">,
    Pick<UpParts, "LocalOrigins">,
  ];
  return { loadStacks: template.loadStacks, StackModel: template.StackModel, CLOUDFRONT_HANDLERS: resources.CLOUDFRONT_HANDLERS, LocalOrigins: origins.LocalOrigins };
}
