import { emptyRecord, getOwn } from "../../nullPrototype.js";
import {
  FUNCTION_NAME_PATTERN,
  MAX_FUNCTION_NAME_LENGTH,
  MAX_KEY_VALUE_STORE_COMMENT_LENGTH,
  MAX_KEY_VALUE_STORE_NAME_LENGTH,
  MAX_TAG_KEY_LENGTH,
  MAX_TAG_VALUE_LENGTH,
  MAX_TEST_EVENT_OBJECT_BYTES,
  MIN_FUNCTION_CODE_BYTES,
} from "../../limits.js";
import { CloudFrontError, MESSAGES } from "../../service/errors.js";
import type { FunctionConfigInput } from "../../service/functions.js";
import { RUNTIME_NAMES } from "../../runtime/types.js";
import type { RuntimeName as Runtime } from "../../runtime/types.js";
import type { Stage, Tag } from "../../service/functions.js";
import { validateFields, type Constraint, type Field } from "./validate.js";
import type { XmlNode } from "../xml.js";

/** Reading and checking request members shared by several operations. Constraints are the model's. */

export const STAGES = ["DEVELOPMENT", "LIVE"] as const;

export const CONSTRAINTS = {
  functionName: { required: true, minLength: 1, maxLength: MAX_FUNCTION_NAME_LENGTH, pattern: "[a-zA-Z0-9-_]{1,64}" },
  // The model allows 40,960 bytes, but anything over the 10 KB quota is FunctionSizeLimitExceeded (413), checked by the service.
  functionBlob: { required: true, minLength: MIN_FUNCTION_CODE_BYTES, sensitive: true },
  eventObject: { required: true, minLength: 0, maxLength: MAX_TEST_EVENT_OBJECT_BYTES, sensitive: true },
  comment: { required: true },
  runtime: { required: true, enum: RUNTIME_NAMES },
  stage: { enum: STAGES },
  keyValueStoreArn: { required: true, minLength: 0, maxLength: 85, pattern: "arn:aws:cloudfront::[0-9]{12}:key-value-store\\/[0-9a-fA-F-]{36}" },
  quantity: { required: true, pattern: "-?[0-9]+" },
  tagKey: { required: true, minLength: 1, maxLength: MAX_TAG_KEY_LENGTH, pattern: "([\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]*)" },
  tagValue: { minLength: 0, maxLength: MAX_TAG_VALUE_LENGTH, pattern: "([\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]*)" },
  keyValueStoreName: { required: true, minLength: 1, maxLength: MAX_KEY_VALUE_STORE_NAME_LENGTH, pattern: "[a-zA-Z0-9-_]{1,64}" },
  keyValueStoreComment: { minLength: 0, maxLength: MAX_KEY_VALUE_STORE_COMMENT_LENGTH },
  importSourceType: { required: true, enum: ["S3"] },
  importSourceArn: { required: true },
} satisfies Record<string, Constraint>;

type XmlObject = Record<string, XmlNode | XmlNode[]>;

function malformed(detail: string): CloudFrontError {
  return new CloudFrontError("MalformedXML", `The XML document you provided did not validate against our published schema: ${detail}`);
}

/** A text member, or undefined when absent. */
export function leaf(node: XmlObject | undefined, name: string): string | undefined {
  const value = node && getOwn(node, name);
  if (value === undefined) return undefined;
  if (Array.isArray(value)) throw malformed(`<${name}> may appear only once.`);
  if (typeof value !== "string") throw malformed(`<${name}> must contain text, not elements.`);
  return value;
}

/** A structure member, or undefined when absent (an empty element is an empty structure). */
export function struct(node: XmlObject | undefined, name: string): XmlObject | undefined {
  const value = node && getOwn(node, name);
  if (value === undefined) return undefined;
  if (Array.isArray(value)) throw malformed(`<${name}> may appear only once.`);
  if (typeof value === "string") {
    if (value.trim() !== "") throw malformed(`<${name}> must contain elements, not text.`);
    return emptyRecord();
  }
  return value;
}

/** The members of a wrapped list: `<Items><Member/>…</Items>`. */
export function listItems(node: XmlObject | undefined, memberName: string): XmlObject[] {
  const items = struct(node, "Items");
  if (!items) return [];
  const unexpected = Object.keys(items).find((key) => key !== memberName);
  if (unexpected) throw malformed(`<Items> may only contain <${memberName}> elements, found <${unexpected}>.`);
  const members = getOwn(items, memberName);
  if (members === undefined) return [];
  return (Array.isArray(members) ? members : [members]).map((member) => {
    if (typeof member === "string") {
      if (member.trim() !== "") throw malformed(`<${memberName}> must contain elements, not text.`);
      return emptyRecord();
    }
    return member;
  });
}

const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

/** Decodes a base64 blob member, rejecting anything that is not base64. */
export function decodeBlob(text: string, member: string): Uint8Array {
  const compact = text.replace(/\s+/g, "");
  if (!BASE64.test(compact)) throw malformed(`<${member}> must be base64-encoded.`);
  const buffer = Buffer.from(compact, "base64");
  return new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.byteLength);
}

export interface ParsedFunctionConfig {
  config: FunctionConfigInput;
  fields: Field[];
}

/** FunctionConfig {Comment*, Runtime*, KeyValueStoreAssociations{Quantity*, Items}}. Returns fields to validate. */
export function parseFunctionConfig(root: XmlObject, at = "functionConfig"): ParsedFunctionConfig | { fields: Field[]; config?: undefined } {
  const node = struct(root, "FunctionConfig");
  if (!node) return { fields: [{ at, value: undefined, constraint: { required: true } }] };
  const comment = leaf(node, "Comment");
  const runtime = leaf(node, "Runtime");
  const fields: Field[] = [
    { at: `${at}.comment`, value: comment, constraint: CONSTRAINTS.comment },
    { at: `${at}.runtime`, value: runtime, constraint: CONSTRAINTS.runtime },
  ];
  const associations = struct(node, "KeyValueStoreAssociations");
  const arns: string[] = [];
  if (associations) {
    const quantity = leaf(associations, "Quantity");
    fields.push({ at: `${at}.keyValueStoreAssociations.quantity`, value: quantity, constraint: CONSTRAINTS.quantity });
    listItems(associations, "KeyValueStoreAssociation").forEach((item, index) => {
      const arn = leaf(item, "KeyValueStoreARN");
      fields.push({ at: `${at}.keyValueStoreAssociations.items.${index + 1}.member.keyValueStoreARN`, value: arn, constraint: CONSTRAINTS.keyValueStoreArn });
      if (arn !== undefined) arns.push(arn);
    });
    if (quantity !== undefined && /^-?[0-9]+$/.test(quantity) && Number(quantity) !== arns.length) {
      throw new CloudFrontError(
        "InvalidArgument",
        `KeyValueStoreAssociations: Quantity is ${quantity} but Items holds ${arns.length} association(s); they must match.`,
      );
    }
  }
  return { fields, config: { comment: comment ?? "", runtime: runtime as Runtime, keyValueStoreArns: arns } };
}

/** Tags {Items[Tag{Key*, Value}]}; invalid tags are InvalidTagging, as for CloudFront's tagging operations. */
export function parseTags(root: XmlObject): Tag[] {
  const tags = struct(root, "Tags");
  if (!tags) return [];
  const parsed = listItems(tags, "Tag").map((item) => {
    const key = leaf(item, "Key");
    const value = leaf(item, "Value");
    validateFields(
      [
        { at: "tags.items.member.key", value: key, constraint: CONSTRAINTS.tagKey },
        { at: "tags.items.member.value", value, constraint: CONSTRAINTS.tagValue },
      ],
      "InvalidTagging",
    );
    return value === undefined ? { key: key! } : { key: key!, value };
  });
  const keys = new Set(parsed.map((tag) => tag.key));
  if (keys.size !== parsed.length) throw new CloudFrontError("InvalidTagging", "Tag keys must be unique; a key appears more than once.");
  return parsed;
}

/**
 * The `{Name}` label of a function URI. A name that breaks the model's pattern cannot name a function,
 * so it is answered as one that does not exist (the model lists NoSuchFunctionExists, not
 * InvalidArgument, for Describe/Get/Delete).
 */
export function functionNameFromPath(params: Record<string, string>): string {
  const name = getOwn(params, "Name") ?? "";
  if (!FUNCTION_NAME_PATTERN.test(name)) throw new CloudFrontError("NoSuchFunctionExists", MESSAGES.noSuchFunction);
  return name;
}

/** The optional `Stage` query parameter (DEVELOPMENT when absent). */
export function stageFromQuery(query: URLSearchParams): Stage {
  const stage = query.get("Stage") ?? undefined;
  validateFields([{ at: "stage", value: stage, constraint: CONSTRAINTS.stage }], "InvalidArgument");
  return (stage as Stage | undefined) ?? "DEVELOPMENT";
}

/** The `{Name}` label of a key value store URI; a name that breaks the pattern names no store. */
export function keyValueStoreNameFromPath(params: Record<string, string>): string {
  const name = getOwn(params, "Name") ?? "";
  if (!FUNCTION_NAME_PATTERN.test(name)) throw new CloudFrontError("EntityNotFound", `The key value store ${name} was not found.`);
  return name;
}

/** The optional `MaxItems` query parameter of the List operations: a whole number of at least 1. */
export function parseMaxItems(value: string | null): number | undefined {
  if (value === null || value === "") return undefined;
  if (!/^[0-9]+$/.test(value) || Number(value) < 1 || !Number.isSafeInteger(Number(value))) {
    throw new CloudFrontError("InvalidArgument", `MaxItems must be a whole number of at least 1; got "${value}".`);
  }
  return Number(value);
}
