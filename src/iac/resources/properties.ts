import type { Tag, Tags } from "@aws-sdk/client-cloudfront";
import { UP_TAG_KEY, type TemplateObject, type TemplateValue } from "../types.js";
import type { ResourceAt } from "./call.js";
import { describe, propertyError, toApiShape, toSdkShape, type ConvertAt } from "./convert.js";

/** Reading a resource's top-level properties (the ones a handler takes itself, not through an API shape). */

export function atProperty(where: ResourceAt, path: string): ConvertAt {
  return { ...where, path };
}

/** Refuses a property the resource type does not take, as CloudFormation does ("unsupported property"). */
export function checkKnown(properties: TemplateObject, known: readonly string[], where: ResourceAt): void {
  for (const key of Object.keys(properties)) {
    if (!known.includes(key)) throw propertyError(atProperty(where, key), `is not a property of ${where.type} (it takes ${known.join(", ")}).`);
  }
}

export function given(properties: TemplateObject, name: string): TemplateValue | undefined {
  const value = Object.hasOwn(properties, name) ? properties[name] : undefined;
  return value === null ? undefined : value;
}

export function required(properties: TemplateObject, name: string, where: ResourceAt): TemplateValue {
  const value = given(properties, name);
  if (value === undefined) throw propertyError(atProperty(where, name), "is required; add it to the resource's Properties.");
  return value;
}

export function requiredString(properties: TemplateObject, name: string, where: ResourceAt): string {
  const value = required(properties, name, where);
  if (typeof value !== "string" || value === "") throw propertyError(atProperty(where, name), `must be a non-empty string (it is ${describe(value)}).`);
  return value;
}

export function optionalString(properties: TemplateObject, name: string, where: ResourceAt): string | undefined {
  const value = given(properties, name);
  return value === undefined ? undefined : (toApiShape(value, "string", atProperty(where, name)) as string);
}

export function optionalBoolean(properties: TemplateObject, name: string, where: ResourceAt): boolean | undefined {
  const value = given(properties, name);
  return value === undefined ? undefined : (toApiShape(value, "boolean", atProperty(where, name)) as boolean);
}

/** `<stack>/<logicalId>`: the value of the edgelite:up tag, and a distribution's CallerReference. */
export function upReference(where: ResourceAt): string {
  return `${where.stackName}/${where.logicalId}`;
}

/** The template's Tags (CloudFormation's list of { Key, Value }) and the edgelite:up tag. */
export function tagsOf(properties: TemplateObject, where: ResourceAt): Tag[] {
  const written = given(properties, "Tags");
  const tags = written === undefined ? [] : (toSdkShape<Tags>(Object.assign(Object.create(null) as TemplateObject, { Items: written }), "Tags", atProperty(where, "Tags")).Items ?? []);
  return [...tags.filter((tag) => tag.Key !== UP_TAG_KEY), { Key: UP_TAG_KEY, Value: upReference(where) }];
}
