import { CloudFrontError, type CloudFrontErrorCode } from "../../service/errors.js";

/**
 * Model constraints (required, length, pattern, enum) checked the way AWS's front end checks them,
 * with its wording: "2 validation errors detected: Value 'x' at 'name' failed to satisfy constraint:
 * Member must satisfy regular expression pattern: [a-zA-Z0-9-_]{1,64}; …". The real service answers
 * MalformedXML for violations in an XML body (seen for CreateFunction's name, 400).
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

export function violationsOf({ at, value, length, constraint: c }: Field): string[] {
  if (value === undefined) {
    return c.required ? [`Value null at '${at}' failed to satisfy constraint: Member must not be null`] : [];
  }
  const shown = c.sensitive ? "Value" : `Value '${value}'`;
  const problems: string[] = [];
  const size = length ?? value.length;
  if (c.pattern !== undefined && !matchesWhole(c.pattern, value)) {
    problems.push(`Member must satisfy regular expression pattern: ${c.pattern}`);
  }
  if (c.minLength !== undefined && size < c.minLength) {
    problems.push(`Member must have length greater than or equal to ${c.minLength}`);
  }
  if (c.maxLength !== undefined && size > c.maxLength) {
    problems.push(`Member must have length less than or equal to ${c.maxLength}`);
  }
  if (c.enum !== undefined && !c.enum.includes(value)) {
    problems.push(`Member must satisfy enum value set: [${c.enum.join(", ")}]`);
  }
  return problems.map((problem) => `${shown} at '${at}' failed to satisfy constraint: ${problem}`);
}

/** Checks every field and throws one error listing all violations, as AWS does. */
export function validateFields(fields: Field[], code: CloudFrontErrorCode = "MalformedXML"): void {
  const problems = fields.flatMap(violationsOf);
  if (problems.length === 0) return;
  const count = problems.length === 1 ? "1 validation error detected" : `${problems.length} validation errors detected`;
  throw new CloudFrontError(code, `${count}: ${problems.join("; ")}`);
}
