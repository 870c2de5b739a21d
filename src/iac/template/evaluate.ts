import { emptyRecord, getOwn, setOwn } from "../../nullPrototype.js";
import type { TemplateObject, TemplateValue } from "../types.js";
import { cidrBlocks } from "./cidr.js";
import { MAX_EVALUATION_DEPTH, MAX_STRING_BYTES } from "./limits.js";
import type { ParameterSlot } from "./parameters.js";
import { intrinsicName, isTemplateObject, kindOf, preview } from "./values.js";

/** `{"Ref": "AWS::NoValue"}`: the property (or list item) it stands in is removed. */
export const NO_VALUE: unique symbol = Symbol("AWS::NoValue");
export type Evaluated = TemplateValue | typeof NO_VALUE;

/** A template mistake found while evaluating; the stack model says where (stack, logical id, property). */
export class TemplateProblem extends Error {
  override readonly name = "TemplateProblem";
}

/** How `Ref` and `Fn::GetAtt` of a resource are answered; each throws a TemplateProblem when it cannot. */
export interface ResourceLookup {
  ref(logicalId: string): TemplateValue;
  getAtt(logicalId: string, attribute: string): TemplateValue;
}

/** Everything an expression may read besides resources. */
export interface EvaluationScope {
  /** AWS::Region, AWS::AccountId, … (AWS::NoValue is handled apart). */
  readonly pseudo: ReadonlyMap<string, TemplateValue>;
  readonly parameters: ReadonlyMap<string, ParameterSlot>;
  readonly mappings: ReadonlyMap<string, TemplateValue>;
  readonly imports: ReadonlyMap<string, string>;
  /** Evaluates a named condition (memoized and cycle-checked by the stack model). */
  condition(name: string, depth: number): boolean;
  readonly region: string;
}

/**
 * Evaluates intrinsic functions
 * (https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/intrinsic-function-reference.html)
 * in a template value. Objects produced have no prototype; AWS::NoValue removes the key or list item.
 */
export class Evaluator {
  constructor(
    private readonly scope: EvaluationScope,
    private readonly resources: ResourceLookup,
  ) {}

  /** A value with every intrinsic function replaced by its result. */
  value(value: TemplateValue, depth = 0): Evaluated {
    if (depth > MAX_EVALUATION_DEPTH) throw new TemplateProblem(`functions nested more than ${MAX_EVALUATION_DEPTH} deep`);
    if (value === null || typeof value !== "object") return value;
    if (Array.isArray(value)) return this.list(value, depth);
    const name = intrinsicName(value);
    if (name !== undefined && name !== "Condition") return this.call(name, getOwn(value, name)!, depth + 1);
    const record = emptyRecord<TemplateValue>();
    for (const [key, item] of Object.entries(value)) {
      const result = this.value(item, depth + 1);
      if (result !== NO_VALUE) setOwn(record, key, result);
    }
    return record;
  }

  /** A condition expression (the Conditions section's values): Fn::Equals/And/Or/Not and `{"Condition": name}`. */
  condition(value: TemplateValue, depth: number): boolean {
    if (depth > MAX_EVALUATION_DEPTH) throw new TemplateProblem(`conditions nested more than ${MAX_EVALUATION_DEPTH} deep`);
    const name = intrinsicName(value);
    const argument = name === undefined ? undefined : getOwn(value as TemplateObject, name)!;
    switch (name) {
      case "Condition":
        if (typeof argument !== "string") throw new TemplateProblem(`{"Condition": …} names a condition, not ${kindOf(argument)}`);
        return this.scope.condition(argument, depth + 1);
      case "Fn::Equals": {
        const [left, right] = this.arguments(name, argument!, 2, 2);
        return comparable(this.plain(name, left!, depth)) === comparable(this.plain(name, right!, depth));
      }
      case "Fn::And":
      case "Fn::Or": {
        const conditions = this.arguments(name, argument!, 2, 10);
        const results = conditions.map((item) => this.condition(item, depth + 1));
        return name === "Fn::And" ? results.every(Boolean) : results.some(Boolean);
      }
      case "Fn::Not":
        return !this.condition(this.arguments(name, argument!, 1, 1)[0]!, depth + 1);
      default:
        throw new TemplateProblem(`a condition is Fn::Equals, Fn::And, Fn::Or, Fn::Not or {"Condition": name}, not ${preview(value)}`);
    }
  }

  private list(values: readonly TemplateValue[], depth: number): TemplateValue[] {
    const items: TemplateValue[] = [];
    for (const item of values) {
      const result = this.value(item, depth + 1);
      if (result !== NO_VALUE) items.push(result);
    }
    return items;
  }

  private call(name: string, argument: TemplateValue, depth: number): Evaluated {
    switch (name) {
      case "Ref":
        return this.ref(this.string(name, argument, depth), depth);
      case "Fn::GetAtt":
        return this.getAtt(argument, depth);
      case "Fn::Sub":
        return this.sub(argument, depth);
      case "Fn::Join": {
        const [delimiter, items] = this.arguments(name, argument, 2, 2);
        const list = this.listValue(name, items!, depth);
        return bounded(name, list.map((item) => scalarText(name, item)).join(this.string(name, delimiter!, depth)));
      }
      case "Fn::Select": {
        const [index, items] = this.arguments(name, argument, 2, 2);
        const position = this.plain(name, index!, depth);
        const number = typeof position === "number" ? position : typeof position === "string" && /^\d+$/.test(position.trim()) ? Number(position) : NaN;
        const list = this.listValue(name, items!, depth);
        if (!Number.isInteger(number) || number < 0 || number >= list.length) throw new TemplateProblem(`Fn::Select index ${preview(position)} is not within the list of ${list.length}`);
        return list[number]!;
      }
      case "Fn::Split": {
        const [delimiter, source] = this.arguments(name, argument, 2, 2);
        const separator = this.string(name, delimiter!, depth);
        if (separator === "") throw new TemplateProblem("Fn::Split needs a delimiter that is not empty");
        return this.string(name, source!, depth).split(separator);
      }
      case "Fn::If": {
        const [condition, whenTrue, whenFalse] = this.arguments(name, argument, 3, 3);
        if (typeof condition !== "string") throw new TemplateProblem(`Fn::If names a condition first, not ${kindOf(condition)}`);
        return this.value(this.scope.condition(condition, depth + 1) ? whenTrue! : whenFalse!, depth + 1);
      }
      case "Fn::FindInMap":
        return this.findInMap(argument, depth);
      case "Fn::Base64":
        return Buffer.from(this.string(name, argument, depth), "utf8").toString("base64");
      case "Fn::GetAZs": {
        const region = this.string(name, argument, depth) || this.scope.region;
        // edgelite has no account to ask: three zones, the way every commercial region has at least three.
        return ["a", "b", "c"].map((zone) => `${region}${zone}`);
      }
      case "Fn::ImportValue": {
        const exportName = this.string(name, argument, depth);
        const imported = this.scope.imports.get(exportName);
        if (imported === undefined) throw new TemplateProblem(`Fn::ImportValue ${exportName}: another stack's export is not known locally; add --import ${exportName}=<value>`);
        return imported;
      }
      case "Fn::Cidr": {
        const [block, count, bits] = this.arguments(name, argument, 3, 3);
        try {
          return cidrBlocks(this.string(name, block!, depth), this.integer(name, count!, depth), this.integer(name, bits!, depth));
        } catch (error) {
          if (error instanceof TemplateProblem) throw error;
          throw new TemplateProblem(`Fn::Cidr: ${(error as Error).message}`);
        }
      }
      case "Fn::Length":
        return this.listValue(name, argument, depth).length;
      case "Fn::ToJsonString": {
        const value = this.plain(name, argument, depth);
        if (!isTemplateObject(value) && !Array.isArray(value)) throw new TemplateProblem(`Fn::ToJsonString takes an object or a list, not ${kindOf(value)}`);
        return bounded(name, JSON.stringify(value));
      }
      case "Fn::Equals":
      case "Fn::And":
      case "Fn::Or":
      case "Fn::Not":
        return this.condition({ [name]: argument } as TemplateObject, depth);
      default:
        throw new TemplateProblem(`${name} is not a function edgelite evaluates (it evaluates Ref, Fn::GetAtt, Fn::Sub, Fn::Join, Fn::Select, Fn::Split, Fn::If, Fn::FindInMap, Fn::Base64, Fn::GetAZs, Fn::ImportValue, Fn::Cidr, Fn::Length, Fn::ToJsonString and the condition functions)`);
    }
  }

  /** Ref: AWS::NoValue, a pseudo parameter, a parameter, or a resource. */
  ref(target: string, depth: number): Evaluated {
    if (target === "AWS::NoValue") return NO_VALUE;
    const pseudo = this.scope.pseudo.get(target);
    if (pseudo !== undefined) return copyOf(pseudo);
    const parameter = this.scope.parameters.get(target);
    if (parameter !== undefined) {
      if ("missing" in parameter) throw new TemplateProblem(parameter.missing);
      return typeof parameter.value === "string" ? parameter.value : [...parameter.value];
    }
    return this.resources.ref(target);
  }

  private getAtt(argument: TemplateValue, depth: number): TemplateValue {
    let parts: readonly TemplateValue[];
    if (typeof argument === "string") {
      const dot = argument.indexOf(".");
      parts = dot > 0 ? [argument.slice(0, dot), argument.slice(dot + 1)] : [argument];
    } else parts = this.arguments("Fn::GetAtt", argument, 2, 2);
    const [logicalId, attribute] = parts;
    if (typeof logicalId !== "string" || attribute === undefined) throw new TemplateProblem(`Fn::GetAtt takes [LogicalId, Attribute], not ${preview(argument)}`);
    return this.resources.getAtt(logicalId, this.string("Fn::GetAtt", attribute, depth));
  }

  /** Fn::Sub: `${Name}` (parameter, pseudo parameter, resource Ref), `${Resource.Attribute}`, `${Var}` from the map, `${!Literal}`. */
  private sub(argument: TemplateValue, depth: number): string {
    let template: TemplateValue;
    let variables: TemplateObject | undefined;
    if (Array.isArray(argument)) {
      const [text, map] = this.arguments("Fn::Sub", argument, 2, 2);
      if (!isTemplateObject(map!)) throw new TemplateProblem(`Fn::Sub's second item is an object of variables, not ${kindOf(map)}`);
      template = text!;
      variables = map;
    } else template = argument;
    if (typeof template !== "string") throw new TemplateProblem(`Fn::Sub takes a string (or [string, variables]), not ${kindOf(template)}`);
    const values = new Map<string, TemplateValue>();
    for (const [name, value] of Object.entries(variables ?? {})) {
      const result = this.value(value, depth + 1);
      if (result === NO_VALUE) throw new TemplateProblem(`Fn::Sub variable ${name} is AWS::NoValue`);
      values.set(name, result);
    }
    const text = template.replace(/\$\{([^}]*)\}/g, (_whole, inner: string) => {
      if (inner.startsWith("!")) return `\${${inner.slice(1)}}`;
      const name = inner.trim();
      const value = values.has(name) ? values.get(name)! : this.subVariable(name, depth);
      if (value === NO_VALUE) throw new TemplateProblem(`Fn::Sub: \${${name}} is AWS::NoValue`);
      return scalarText(`Fn::Sub \${${name}}`, value);
    });
    return bounded("Fn::Sub", text);
  }

  private subVariable(name: string, depth: number): Evaluated {
    if (this.scope.pseudo.has(name) || this.scope.parameters.has(name) || name === "AWS::NoValue") return this.ref(name, depth);
    const dot = name.indexOf(".");
    if (dot > 0) return this.resources.getAtt(name.slice(0, dot), name.slice(dot + 1));
    return this.ref(name, depth);
  }

  private findInMap(argument: TemplateValue, depth: number): TemplateValue {
    const items = this.arguments("Fn::FindInMap", argument, 3, 4);
    const [mapName, topKey, secondKey] = items.slice(0, 3).map((item) => this.string("Fn::FindInMap", item, depth));
    const options = items[3];
    const fallback = isTemplateObject(options ?? null) ? getOwn(options as TemplateObject, "DefaultValue") : undefined;
    if (options !== undefined && fallback === undefined) throw new TemplateProblem(`Fn::FindInMap's fourth item is {"DefaultValue": …}, not ${preview(options)}`);
    const map = this.scope.mappings.get(mapName!);
    if (map === undefined && fallback === undefined) throw new TemplateProblem(`Fn::FindInMap: no mapping ${mapName} in Mappings`);
    const top = isTemplateObject(map) ? getOwn(map, topKey!) : undefined;
    const found = isTemplateObject(top ?? null) ? getOwn(top as TemplateObject, secondKey!) : undefined;
    // A mapping's values are data (never evaluated), copied so that no caller can change the template through them.
    if (found !== undefined) return copyOf(found);
    if (fallback !== undefined) {
      const value = this.value(fallback, depth + 1);
      if (value === NO_VALUE) throw new TemplateProblem("Fn::FindInMap's DefaultValue is AWS::NoValue");
      return value;
    }
    throw new TemplateProblem(`Fn::FindInMap: mapping ${mapName} has no ${top === undefined ? `key ${topKey}` : `${topKey}.${secondKey}`}`);
  }

  /** The argument list of a function, its length checked. */
  private arguments(name: string, argument: TemplateValue, min: number, max: number): readonly TemplateValue[] {
    if (!Array.isArray(argument) || argument.length < min || argument.length > max) {
      const count = min === max ? `${min}` : `${min} to ${max}`;
      throw new TemplateProblem(`${name} takes a list of ${count} items, not ${preview(argument)}`);
    }
    return argument;
  }

  /** An argument evaluated; AWS::NoValue is not a value here. */
  private plain(name: string, argument: TemplateValue, depth: number): TemplateValue {
    const value = this.value(argument, depth + 1);
    if (value === NO_VALUE) throw new TemplateProblem(`${name}: AWS::NoValue is not a value here`);
    return value;
  }

  private string(name: string, argument: TemplateValue, depth: number): string {
    const value = this.plain(name, argument, depth);
    if (typeof value === "number" || typeof value === "boolean") return String(value);
    if (typeof value !== "string") throw new TemplateProblem(`${name} takes a string here, not ${kindOf(value)} (${preview(value)})`);
    return value;
  }

  private integer(name: string, argument: TemplateValue, depth: number): number {
    const value = this.plain(name, argument, depth);
    const number = typeof value === "number" ? value : typeof value === "string" && /^\s*\d+\s*$/.test(value) ? Number(value) : NaN;
    if (!Number.isInteger(number)) throw new TemplateProblem(`${name} takes a whole number here, not ${preview(value)}`);
    return number;
  }

  private listValue(name: string, argument: TemplateValue, depth: number): TemplateValue[] {
    const value = this.plain(name, argument, depth);
    if (!Array.isArray(value)) throw new TemplateProblem(`${name} takes a list here, not ${kindOf(value)} (${preview(value)})`);
    return value;
  }
}

/** A deep copy (objects without a prototype). */
function copyOf(value: TemplateValue): TemplateValue {
  if (value === null || typeof value !== "object") return value;
  if (Array.isArray(value)) return value.map(copyOf);
  const record = emptyRecord<TemplateValue>();
  for (const [key, item] of Object.entries(value)) setOwn(record, key, copyOf(item));
  return record;
}

/** A list item of Fn::Join, or a Fn::Sub variable: a string, or a number or boolean written as one. */
function scalarText(where: string, value: TemplateValue): string {
  if (typeof value === "string") return value;
  if (typeof value === "number" || typeof value === "boolean") return String(value);
  throw new TemplateProblem(`${where}: ${kindOf(value)} is not a string (${preview(value)})`);
}

/** Fn::Equals compares values as CloudFormation's strings: `5` and `"5"` (a Number parameter's Ref) are equal. */
function comparable(value: TemplateValue): string {
  if (typeof value === "string") return JSON.stringify(value);
  if (typeof value === "number" || typeof value === "boolean") return JSON.stringify(String(value));
  return JSON.stringify(value);
}

function bounded(name: string, text: string): string {
  if (text.length > MAX_STRING_BYTES) throw new TemplateProblem(`${name} makes a string longer than ${MAX_STRING_BYTES} characters`);
  return text;
}
