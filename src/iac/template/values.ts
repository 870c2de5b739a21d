import { getOwn } from "../../nullPrototype.js";
import type { TemplateObject, TemplateValue } from "../types.js";

/** Whether a template value is an object (a mapping), not a list, string, number, boolean or null. */
export function isTemplateObject(value: TemplateValue | undefined): value is TemplateObject {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** The one key of `{"Ref": …}` / `{"Fn::…": …}` when `value` is such an object, else undefined. */
export function intrinsicName(value: TemplateValue): string | undefined {
  if (!isTemplateObject(value)) return undefined;
  const keys = Object.keys(value);
  if (keys.length !== 1) return undefined;
  const [key] = keys as [string];
  return key === "Ref" || key === "Condition" || key.startsWith("Fn::") ? key : undefined;
}

/** A template section (Parameters, Mappings, Conditions, Resources, Outputs) as a Map; absent is empty. */
export function sectionOf(template: TemplateObject, name: string, describe: (message: string) => Error): Map<string, TemplateValue> {
  const section = getOwn(template, name);
  if (section === undefined || section === null) return new Map();
  if (!isTemplateObject(section)) throw describe(`the ${name} section must be an object of names, not ${kindOf(section)}`);
  return new Map(Object.entries(section));
}

/** A value's kind in words, for messages. */
export function kindOf(value: TemplateValue | undefined): string {
  if (value === undefined) return "nothing";
  if (value === null) return "null";
  if (Array.isArray(value)) return "a list";
  if (typeof value === "object") return "an object";
  return `a ${typeof value}`;
}

/** A short rendering of a value for a message (never the whole of a large one). */
export function preview(value: TemplateValue | undefined): string {
  const text = value === undefined ? "undefined" : JSON.stringify(value);
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}
