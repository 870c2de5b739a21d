import { API_SHAPES } from "./apiModel.generated.js";
import type { ApiShape, ApiStructure } from "./shapeTypes.js";

/** The shape named `name` (a name the generated model holds: the converter only follows its own members). */
export function apiShape(name: string): ApiShape {
  if (!Object.hasOwn(API_SHAPES, name)) throw new Error(`CloudFront API model: no shape ${name}`);
  return API_SHAPES[name]!;
}

/** The shape of a structure's member, or undefined when the structure has no such member. */
export function memberShape(structure: ApiStructure, member: string): string | undefined {
  return Object.hasOwn(structure.members, member) ? structure.members[member] : undefined;
}

/** A `{ Quantity, Items }` wrapper: CloudFormation writes it as a plain list (or as `{ Items }`). */
export function isQuantityWrapper(shape: ApiShape): shape is ApiStructure {
  return shape.type === "structure" && Object.hasOwn(shape.members, "Quantity") && Object.hasOwn(shape.members, "Items");
}
