import type { StackSource, TemplateObject, TemplateResource, TemplateValue } from "../types.js";

/**
 * What the engine needs of a stack read from a template: the shape template/'s StackModel has (COMMON.md's
 * interface), restated here so the engine depends on the contract, not on the reader.
 */

/** How intrinsics see the resources applied so far (`Ref`, `Fn::GetAtt`). */
export interface AttributeSource {
  ref(logicalId: string): string | undefined;
  getAtt(logicalId: string, attribute: string): TemplateValue | undefined;
}

export interface StackOutput {
  readonly name: string;
  readonly value: TemplateValue | undefined;
  /** Why the value could not be resolved (the output is still listed). */
  readonly error?: string;
  readonly exportName?: string;
  readonly description?: string;
}

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
