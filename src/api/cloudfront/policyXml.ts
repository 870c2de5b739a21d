import { getOwn } from "../../nullPrototype.js";
import { CloudFrontError } from "../../service/errors.js";
import type { NamedValues } from "../../service/managedPolicies.js";
import { el, type XmlChild } from "../xmlWriter.js";
import type { XmlNode } from "../xml.js";
import { leaf, listItems, struct } from "./requestFields.js";
import { validateFields, type Constraint, type Field } from "./validate.js";

/**
 * Reading and writing the members policies share: `<Quantity>`-counted lists (a count that disagrees
 * with the items is InconsistentQuantities, as the model's Create/Update…Policy operations list),
 * booleans, whole numbers and HeadersConfig/CookiesConfig/QueryStringsConfig. Required members and enums
 * are checked with the model's constraints (src/api/cloudfront/validate.ts); everything a policy's values
 * must satisfy beyond the schema is the service's (src/service/policyRules.ts).
 */

export type XmlObject = Record<string, XmlNode | XmlNode[]>;

const BOOLEAN: Constraint = { required: true, enum: ["true", "false"] };
const WHOLE_NUMBER: Constraint = { pattern: "[0-9]{1,15}" };

/** Collects the members' schema violations; `check()` throws them all at once, as AWS does. */
export class ConfigReader {
  private readonly fields: Field[] = [];

  text(node: XmlObject | undefined, name: string, at: string, constraint: Constraint): string | undefined {
    const value = leaf(node, name);
    this.fields.push({ at, value, constraint });
    return value;
  }

  /** A boolean member; absent is `fallback` when given, else required. */
  boolean(node: XmlObject | undefined, name: string, at: string, fallback?: boolean): boolean {
    const value = leaf(node, name)?.trim();
    if (value === undefined && fallback !== undefined) return fallback;
    this.fields.push({ at, value, constraint: BOOLEAN });
    return value === "true";
  }

  /** A whole number of at least 0 (the model's long/integer; edgelite refuses negatives here); absent is undefined. */
  wholeNumber(node: XmlObject | undefined, name: string, at: string, required = false): number | undefined {
    const value = leaf(node, name)?.trim();
    this.fields.push({ at, value, constraint: { ...WHOLE_NUMBER, required } });
    return value === undefined || !/^[0-9]{1,15}$/.test(value) ? undefined : Number(value);
  }

  /** A required structure; absent is a violation and an empty one is read in its place. */
  struct(node: XmlObject | undefined, name: string, at: string): XmlObject | undefined {
    const value = struct(node, name);
    if (value === undefined) this.fields.push({ at, value: undefined, constraint: { required: true } });
    return value;
  }

  /** A value read some other way (a list member), checked with the others. */
  member(at: string, value: string, constraint: Constraint): void {
    this.fields.push({ at, value, constraint });
  }

  check(): void {
    validateFields(this.fields);
  }
}

/**
 * A `<Wrapper><Quantity>n</Quantity><Items><Member>…</Member></Items></Wrapper>` list of texts; an absent
 * wrapper is an empty list.
 */
export function quantityList(reader: ConfigReader, node: XmlObject | undefined, wrapper: string, member: string, at: string): string[] {
  const list = struct(node, wrapper);
  if (!list) return [];
  return countedItems(reader, list, textItems(list, member), wrapper, at);
}

/** Items whose members are structures (ResponseHeadersPolicyCustomHeader, …), checked against Quantity. */
export function quantityStructList(reader: ConfigReader, node: XmlObject | undefined, wrapper: string, member: string, at: string): XmlObject[] {
  const list = struct(node, wrapper);
  if (!list) return [];
  return countedItems(reader, list, listItems(list, member), wrapper, at);
}

function countedItems<T>(reader: ConfigReader, list: XmlObject, items: T[], wrapper: string, at: string): T[] {
  const quantity = reader.wholeNumber(list, "Quantity", `${at}.quantity`, true);
  if (quantity !== undefined && quantity !== items.length) {
    throw new CloudFrontError("InconsistentQuantities", `${wrapper}: Quantity is ${quantity} but Items holds ${items.length}; they must match.`);
  }
  return items;
}

/** `<Items><Name>a</Name><Name>b</Name></Items>`: the texts of the members. */
function textItems(list: XmlObject, member: string): string[] {
  const items = struct(list, "Items");
  if (!items) return [];
  const unexpected = Object.keys(items).find((key) => key !== member);
  if (unexpected) throw new CloudFrontError("MalformedXML", `The XML document you provided did not validate against our published schema: <Items> may only contain <${member}> elements, found <${unexpected}>.`);
  const values = getOwn(items, member);
  if (values === undefined) return [];
  return (Array.isArray(values) ? values : [values]).map((value) => {
    if (typeof value !== "string") throw new CloudFrontError("MalformedXML", `The XML document you provided did not validate against our published schema: <${member}> must contain text.`);
    return value;
  });
}

/** HeadersConfig / CookiesConfig / QueryStringsConfig: a behaviour from `behaviors` and its names. */
export function namedValues<B extends string>(
  reader: ConfigReader,
  parent: XmlObject | undefined,
  element: { config: string; behavior: string; list: string },
  behaviors: readonly B[],
  at: string,
): NamedValues<B> {
  const node = reader.struct(parent, element.config, at);
  const behavior = reader.text(node, element.behavior, `${at}.${lowerFirst(element.behavior)}`, { required: true, enum: behaviors });
  const names = quantityList(reader, node, element.list, "Name", `${at}.${lowerFirst(element.list)}`);
  return { behavior: (behavior ?? behaviors[0]!) as B, names };
}

export const HEADERS = { config: "HeadersConfig", behavior: "HeaderBehavior", list: "Headers" } as const;
export const COOKIES = { config: "CookiesConfig", behavior: "CookieBehavior", list: "Cookies" } as const;
export const QUERY_STRINGS = { config: "QueryStringsConfig", behavior: "QueryStringBehavior", list: "QueryStrings" } as const;

/** The model's member path segment for an element name (`HeadersConfig` → `headersConfig`). */
export const lowerFirst = (name: string) => name.charAt(0).toLowerCase() + name.slice(1);

/** `<Headers><Quantity>n</Quantity><Items><Name>…</Name></Items></Headers>` (omitted when there are no names). */
function names(wrapper: string, values: NamedValues<string>): XmlChild {
  if (values.names.length === 0) return undefined;
  return el(wrapper, [el("Quantity", values.names.length), el("Items", values.names.map((n) => el("Name", n)))]);
}

/** HeadersConfig, CookiesConfig and QueryStringsConfig, as both kinds of policy write them. */
export function valuesConfig(policy: { headers: NamedValues<string>; cookies: NamedValues<string>; queryStrings: NamedValues<string> }): XmlChild[] {
  return [
    el(HEADERS.config, [el(HEADERS.behavior, policy.headers.behavior), names(HEADERS.list, policy.headers)]),
    el(COOKIES.config, [el(COOKIES.behavior, policy.cookies.behavior), names(COOKIES.list, policy.cookies)]),
    el(QUERY_STRINGS.config, [el(QUERY_STRINGS.behavior, policy.queryStrings.behavior), names(QUERY_STRINGS.list, policy.queryStrings)]),
  ];
}
