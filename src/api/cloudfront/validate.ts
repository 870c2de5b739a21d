import { CloudFrontError, type CloudFrontErrorCode } from "../../service/errors.js";
import { validationMessage, type BrokenConstraint, type Violation } from "../../service/validation.js";

/**
 * Model constraints (required, length, pattern, enum) checked the way AWS's front end checks them; the
 * wording is src/service/validation.ts's. The real service answers MalformedXML for violations in an XML
 * body (seen for CreateFunction's name, 400).
 */
export interface Constraint {
  required?: boolean;
  minLength?: number;
  maxLength?: number;
  /** The model's pattern, matched against the whole value. */
  pattern?: string;
  enum?: readonly string[];
  /** Sensitive members (code, event objects) are never echoed. */
  sensitive?: boolean;
}

/** A member to check: where it sits (for the message), its value, and its length if not `value.length`. */
export interface Field {
  at: string;
  value: string | undefined;
  length?: number;
  constraint: Constraint;
}

const compiled = new Map<string, RegExp>();

function matchesWhole(pattern: string, value: string): boolean {
  let regex = compiled.get(pattern);
  if (!regex) {
    regex = new RegExp(`^(?:${pattern})$`, "u");
    compiled.set(pattern, regex);
  }
  return regex.test(value);
}

export function violationsOf({ at, value, length, constraint: c }: Field): Violation[] {
  if (value === undefined) return c.required ? [{ at, value, constraint: { kind: "required" } }] : [];
  const broken: BrokenConstraint[] = [];
  const size = length ?? value.length;
  if (c.pattern !== undefined && !matchesWhole(c.pattern, value)) broken.push({ kind: "pattern", pattern: c.pattern });
  if (c.minLength !== undefined && size < c.minLength) broken.push({ kind: "minLength", min: c.minLength });
  if (c.maxLength !== undefined && size > c.maxLength) broken.push({ kind: "maxLength", max: c.maxLength });
  if (c.enum !== undefined && !c.enum.includes(value)) broken.push({ kind: "enum", values: c.enum });
  return broken.map((constraint) => ({ at, value, sensitive: c.sensitive, constraint }));
}

/** Checks every field and throws one error listing all violations, as AWS does. */
export function validateFields(fields: Field[], code: CloudFrontErrorCode = "MalformedXML"): void {
  const violations = fields.flatMap(violationsOf);
  if (violations.length > 0) throw new CloudFrontError(code, validationMessage(violations));
}
