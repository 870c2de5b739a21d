import { createContext, Script, type Context } from "node:vm";
import { emptyRecord, getOwn } from "../../nullPrototype.js";
import type { TemplateObject, TemplateValue } from "../types.js";
import { MAX_PARAMETER_VALUE_BYTES } from "./limits.js";
import { isTemplateObject, kindOf } from "./values.js";

/**
 * A template's Parameters, given values from `--parameter` or their Default, checked as CloudFormation checks
 * them (https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/parameters-section-structure.html):
 * Number and List<Number> values must be numbers but `Ref` gives strings; CommaDelimitedList items are
 * space-trimmed; AllowedValues, AllowedPattern (the whole value), Min/MaxLength and Min/MaxValue.
 */

/** A parameter's value as `Ref` gives it, or why it has none (said when something uses it). */
export type ParameterSlot = { readonly value: string | readonly string[] } | { readonly missing: string };

const SSM_TYPE = /^AWS::SSM::Parameter::Value<(.+)>$/;
/** The types CloudFormation accepts; AWS-specific ones (AWS::EC2::VPC::Id, List<AWS::EC2::Subnet::Id>) are strings and lists here. */
const KNOWN_TYPE = /^(String|Number|List<Number>|CommaDelimitedList|List<String>|AWS::[A-Za-z0-9:]+|List<AWS::[A-Za-z0-9:]+>)$/;

/**
 * Resolves every declared parameter. A problem with a value given or defaulted is thrown at once; a value
 * that must come from SSM (or has no Default) is a slot saying which flag to add, thrown only if used:
 * every CDK template declares BootstrapVersion as an SSM parameter that only its Rules read.
 */
export function resolveParameters(declarations: ReadonlyMap<string, TemplateValue>, given: ReadonlyMap<string, string>, fail: (message: string) => Error): Map<string, ParameterSlot> {
  const slots = new Map<string, ParameterSlot>();
  for (const [name, declaration] of declarations) {
    if (!isTemplateObject(declaration)) throw fail(`parameter ${name} must be an object with a Type, not ${kindOf(declaration)}`);
    slots.set(name, slotOf(name, declaration, given.get(name), fail));
  }
  return slots;
}

function slotOf(name: string, declaration: TemplateObject, givenValue: string | undefined, fail: (message: string) => Error): ParameterSlot {
  const type = getOwn(declaration, "Type");
  if (typeof type !== "string") throw fail(`parameter ${name} has no Type (String, Number, List<Number>, CommaDelimitedList, an AWS-specific type or an SSM parameter type)`);
  const ssm = SSM_TYPE.exec(type);
  const valueType = ssm ? ssm[1]! : type;
  if (!KNOWN_TYPE.test(valueType)) throw fail(`parameter ${name}: unknown Type ${type} (String, Number, List<Number>, CommaDelimitedList, AWS::…, List<AWS::…> or AWS::SSM::Parameter::Value<…>)`);
  if (givenValue === undefined && ssm) {
    return { missing: `parameter ${name} is read from SSM Parameter Store (${type}), which edgelite does not reach: give its value with --parameter ${name}=<value>` };
  }
  const raw = givenValue ?? defaultOf(name, declaration, fail);
  if (raw === undefined) return { missing: `parameter ${name} has no Default: give its value with --parameter ${name}=<value>` };
  if (Buffer.byteLength(raw) > MAX_PARAMETER_VALUE_BYTES) throw fail(`parameter ${name}: a value is at most ${MAX_PARAMETER_VALUE_BYTES} bytes`);
  const value = isListType(valueType) ? raw.split(",").map((item) => item.trim()) : raw;
  check(name, declaration, valueType, value, fail);
  return { value };
}

function isListType(type: string): boolean {
  return type === "CommaDelimitedList" || /^List<.+>$/.test(type);
}

function defaultOf(name: string, declaration: TemplateObject, fail: (message: string) => Error): string | undefined {
  const value = getOwn(declaration, "Default");
  if (value === undefined || value === null) return undefined;
  if (typeof value === "string") return value;
  if (typeof value === "number" || typeof value === "boolean") return String(value);
  // A list Default written as a YAML list is read as CloudFormation reads "a,b".
  if (Array.isArray(value) && value.every((item) => typeof item === "string" || typeof item === "number")) return value.join(",");
  throw fail(`parameter ${name}: Default must be a string, not ${kindOf(value)}`);
}

function check(name: string, declaration: TemplateObject, type: string, value: string | readonly string[], fail: (message: string) => Error): void {
  const items = typeof value === "string" ? [value] : value;
  const explain = (problem: string) => {
    const description = getOwn(declaration, "ConstraintDescription");
    return fail(`parameter ${name}: ${typeof description === "string" ? description : problem}`);
  };
  const numeric = type === "Number" || type === "List<Number>";
  for (const item of items) {
    if (numeric) {
      if (!/^\s*[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?\s*$/.test(item)) throw explain(`${JSON.stringify(item)} is not a number (Type ${type})`);
      const number = Number(item);
      const min = numberOf(declaration, "MinValue");
      const max = numberOf(declaration, "MaxValue");
      if (min !== undefined && number < min) throw explain(`${item} is below MinValue ${min}`);
      if (max !== undefined && number > max) throw explain(`${item} is above MaxValue ${max}`);
    } else {
      const minLength = numberOf(declaration, "MinLength");
      const maxLength = numberOf(declaration, "MaxLength");
      if (minLength !== undefined && item.length < minLength) throw explain(`${JSON.stringify(item)} is shorter than MinLength ${minLength}`);
      if (maxLength !== undefined && item.length > maxLength) throw explain(`${JSON.stringify(item)} is longer than MaxLength ${maxLength}`);
      const pattern = getOwn(declaration, "AllowedPattern");
      if (typeof pattern === "string" && !wholeMatch(pattern, item, name, fail)) throw explain(`${JSON.stringify(item)} does not match AllowedPattern ${pattern}`);
    }
    const allowed = getOwn(declaration, "AllowedValues");
    if (Array.isArray(allowed) && !allowed.some((candidate) => candidate !== null && typeof candidate !== "object" && String(candidate) === item)) {
      throw explain(`${JSON.stringify(item)} is not one of AllowedValues ${allowed.map((candidate) => JSON.stringify(candidate)).join(", ")}`);
    }
  }
}

function numberOf(declaration: TemplateObject, key: string): number | undefined {
  const value = getOwn(declaration, key);
  const number = typeof value === "number" ? value : typeof value === "string" && value.trim() !== "" ? Number(value) : NaN;
  return Number.isFinite(number) ? number : undefined;
}

/**
 * "the pattern must match the entire parameter value provided" (AllowedPattern). The pattern is the template's,
 * and a pattern such as `(a+)+` takes exponential time on some values: it runs in a vm context with a timeout,
 * which interrupts a regular expression mid-match.
 */
function wholeMatch(pattern: string, value: string, name: string, fail: (message: string) => Error): boolean {
  const context = patternContext ?? (patternContext = createContext(emptyRecord<unknown>()));
  context.pattern = `^(?:${pattern})$`;
  context.value = value;
  try {
    return PATTERN_TEST.runInContext(context, { timeout: PATTERN_TIMEOUT_MS }) === true;
  } catch (error) {
    if ((error as { code?: unknown }).code === "ERR_SCRIPT_EXECUTION_TIMEOUT") throw fail(`parameter ${name}: AllowedPattern ${pattern} took more than ${PATTERN_TIMEOUT_MS} ms on the value; simplify the pattern`);
    throw fail(`parameter ${name}: AllowedPattern ${pattern} is not a regular expression (${error instanceof Error ? error.message : String(error)})`);
  }
}

/** How long an AllowedPattern may take on one value (no source: a sane pattern takes microseconds). */
const PATTERN_TIMEOUT_MS = 250;
/** CloudFormation's patterns are Java's; JavaScript's `u` mode reads the common ones alike, plain mode the rest. */
const PATTERN_TEST = new Script("(() => { let re; try { re = new RegExp(pattern, 'u'); } catch { re = new RegExp(pattern); } return re.test(value); })()");
let patternContext: Context | undefined;
