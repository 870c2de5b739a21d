import type { AttributeSource, StackOutput } from "../template/stackModel.js";
import type { StackSource, TemplateObject, TemplateResource } from "../types.js";

export type { AttributeSource, StackOutput };

/**
 * What the engine needs of a stack read from a template: the shape template/'s StackModel has, so tests can
 * give the engine a stand-in; the attribute and output types are the reader's own.
 */

export interface StackPlan {
  readonly stackName: string;
  /** Conditions applied: only the resources that exist. */
  readonly resources: ReadonlyMap<string, TemplateResource>;
  /** Logical ids, dependencies first. */
  readonly order: readonly string[];
  /** A resource's properties with every intrinsic resolved against `attributes`; throws IacError when one cannot be. */
  resolve(logicalId: string, attributes: AttributeSource): TemplateObject;
  outputs(attributes: AttributeSource): readonly StackOutput[];
}

/** Builds a stack's plan; `imports` are the values Fn::ImportValue finds (--import, and the exports of stacks applied before). */
export type PlanStack = (source: StackSource, imports: ReadonlyMap<string, string>) => StackPlan;
