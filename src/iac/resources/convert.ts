import { IacError, type TemplateObject, type TemplateValue } from "../types.js";
import { apiShape, isQuantityWrapper, memberShape } from "./apiModel.js";
import { CFN_RENAMES, MEMBER_DEFAULTS, renameOf, REWRITES } from "./cfnShapes.js";
import type { ApiObject, ApiStructure, ApiValue, ConvertAt } from "./shapeTypes.js";

export type { ApiObject, ApiValue, ConvertAt } from "./shapeTypes.js";

/**
 * CloudFormation's property shapes → the CloudFront API's, driven by the API model (apiModel.generated.ts):
 * the converter walks the template value alongside the API shape it becomes. CloudFormation writes the
 * API's `{ Quantity, Items }` wrappers as plain lists (or as `{ Items }` without Quantity); its few other
 * differences (renamed members, members it moved, defaults for members the API requires and
 * CloudFormation does not) are in cfnShapes.ts. A property the API shape has no member for is refused,
 * as CloudFormation refuses a property its schema does not have.
 */

export function child(where: ConvertAt, key: string | number): ConvertAt {
  return { ...where, path: typeof key === "number" ? `${where.path}[${key}]` : where.path === "" ? key : `${where.path}.${key}` };
}

/** `Stack/LogicalId (AWS::CloudFront::Type)`: how every message of a resource starts. */
export function resourceLabel(where: Omit<ConvertAt, "path">): string {
  return `${where.stackName}/${where.logicalId} (${where.type})`;
}

/** The IacError for a property value: names the stack, the logical id and the property path. */
export function propertyError(where: ConvertAt, problem: string): IacError {
  return new IacError(`${resourceLabel(where)}: ${where.path} ${problem}`, where.logicalId);
}

/** Converts a resolved template value to the API shape named `shapeName`. */
export function toApiShape(value: TemplateValue, shapeName: string, where: ConvertAt): ApiValue {
  const shape = apiShape(shapeName);
  switch (shape.type) {
    case "structure":
      return toStructure(value, shapeName, shape, where);
    case "list": {
      if (!Array.isArray(value)) throw propertyError(where, `must be a list (it is ${describe(value)}).`);
      return value.map((item, index) => toApiShape(item, shape.member, child(where, index)));
    }
    case "string":
      if (typeof value === "string") return value;
      if (typeof value === "number" || typeof value === "boolean") return String(value);
      throw propertyError(where, `must be a string (it is ${describe(value)}).`);
    case "integer":
    case "long":
      return toInteger(value, where);
    case "float":
    case "double":
      return toNumber(value, where);
    case "boolean":
      return toBoolean(value, where);
    case "blob":
      if (typeof value === "string") return new TextEncoder().encode(value);
      throw propertyError(where, `must be a string (it is ${describe(value)}).`);
    case "timestamp":
      throw propertyError(where, "is a time CloudFront sets; a template does not give it.");
  }
}

function toStructure(value: TemplateValue, shapeName: string, shape: ApiStructure, where: ConvertAt): ApiObject {
  const wrapper = isQuantityWrapper(shape);
  // CloudFormation's plain list for a { Quantity, Items } wrapper.
  const fromList = wrapper && Array.isArray(value);
  const written: TemplateValue = fromList ? Object.assign(Object.create(null) as TemplateObject, { Items: value }) : value;
  if (!isTemplateObject(written)) throw propertyError(where, `must be ${wrapper ? "a list" : "an object"} (it is ${describe(written)}).`);
  // A wrapper is a list, or an object of its members (`{ Items }` in ResponseHeadersPolicy, OriginGroups, GeoRestriction).
  if (wrapper && !Object.keys(written).some((key) => memberShape(shape, renameOf(shapeName, key)) !== undefined)) {
    throw propertyError(where, `must be a list (it is ${describe(written)}).`);
  }
  const rewrite = REWRITES.get(shapeName);
  const source = rewrite ? rewrite(written, where) : written;
  const out: ApiObject = {};
  for (const key of Object.keys(source)) {
    const item = source[key]!;
    // JSON null: the same as leaving the property out (AWS::NoValue is removed before this).
    if (item === null) continue;
    const member = renameOf(shapeName, key);
    const target = memberShape(shape, member);
    if (target === undefined) throw propertyError(child(where, key), `is not a property of ${where.path} (${knownNames(shapeName, shape)}).`);
    if (Object.hasOwn(out, member)) throw propertyError(child(where, key), `gives ${member} a second time; give it once.`);
    // A wrapper written as a list: its items are where the template has them (Origins[0], not Origins.Items[0]).
    const itemWhere = fromList && member === "Items" ? where : child(where, key);
    out[member] = toApiShape(item, target, itemWhere);
  }
  for (const [member, fallback] of MEMBER_DEFAULTS.get(shapeName) ?? []) {
    if (!Object.hasOwn(out, member)) out[member] = structuredClone(fallback);
  }
  if (wrapper) completeWrapper(out, shape, where);
  return out;
}

/** Quantity from Items (a Quantity the template gives must match), and Enabled for TrustedSigners/TrustedKeyGroups. */
function completeWrapper(out: ApiObject, shape: ApiStructure, where: ConvertAt): void {
  const items = out.Items;
  const count = Array.isArray(items) ? items.length : 0;
  if (out.Quantity !== undefined && out.Quantity !== count) {
    throw propertyError(child(where, "Quantity"), `is ${String(out.Quantity)} but Items holds ${count}; give the same number, or leave Quantity out.`);
  }
  out.Quantity = count;
  if (count === 0) delete out.Items;
  if (shape.required?.includes("Enabled") && out.Enabled === undefined) out.Enabled = count > 0;
}

function toInteger(value: TemplateValue, where: ConvertAt): number {
  const number = typeof value === "string" && /^-?\d{1,15}$/.test(value.trim()) ? Number(value.trim()) : value;
  if (typeof number === "number" && Number.isSafeInteger(number)) return number;
  throw propertyError(where, `must be a whole number (it is ${describe(value)}).`);
}

function toNumber(value: TemplateValue, where: ConvertAt): number {
  const number = typeof value === "string" && value.trim() !== "" ? Number(value) : value;
  if (typeof number === "number" && Number.isFinite(number)) return number;
  throw propertyError(where, `must be a number (it is ${describe(value)}).`);
}

function toBoolean(value: TemplateValue, where: ConvertAt): boolean {
  if (typeof value === "boolean") return value;
  if (typeof value === "string" && /^(true|false)$/i.test(value)) return value.toLowerCase() === "true";
  throw propertyError(where, `must be true or false (it is ${describe(value)}).`);
}

export function isTemplateObject(value: TemplateValue | undefined): value is TemplateObject {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

const DESCRIBED_STRING_CHARS = 40;

/** A value in a few words, never the whole of it (templates are hostile and can be large). */
export function describe(value: TemplateValue | undefined): string {
  if (value === undefined) return "missing";
  if (value === null) return "null";
  if (Array.isArray(value)) return `a list of ${value.length}`;
  if (typeof value === "object") return "an object";
  if (typeof value === "string") {
    const shown = value.length > DESCRIBED_STRING_CHARS ? `${value.slice(0, DESCRIBED_STRING_CHARS)}…` : value;
    return JSON.stringify(shown);
  }
  return String(value);
}

function knownNames(shapeName: string, shape: ApiStructure): string {
  const cfnNames = new Map([...(CFN_RENAMES.get(shapeName) ?? new Map<string, string>())].map(([cfn, api]) => [api, cfn]));
  const names = Object.keys(shape.members).filter((member) => member !== "Quantity" || !isQuantityWrapper(shape));
  return `it takes ${names.map((member) => cfnNames.get(member) ?? member).join(", ")}`;
}

/**
 * toApiShape for the shape an SDK input type stands for (`FunctionConfig` for "FunctionConfig"): the value
 * was built member by member from that shape's model, so it is that type.
 */
export function toSdkShape<T>(value: TemplateValue, shapeName: string, where: ConvertAt): T {
  return toApiShape(value, shapeName, where) as unknown as T;
}
