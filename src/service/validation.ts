/**
 * AWS's model-validation sentence, one home for every caller (CloudFront's XML front end, the KVS JSON
 * API): "2 validation errors detected: Value 'x' at 'name' failed to satisfy constraint: Member must …;
 * Value null at 'other' failed to satisfy constraint: Member must not be null". Each caller wraps the
 * message in its own error (CloudFront's MalformedXML or InvalidArgument, KVS's ValidationException).
 */

/** A model constraint a member broke, as data. */
export type BrokenConstraint =
  | { readonly kind: "required" }
  | { readonly kind: "pattern"; readonly pattern: string }
  | { readonly kind: "minLength"; readonly min: number }
  | { readonly kind: "maxLength"; readonly max: number }
  | { readonly kind: "enum"; readonly values: readonly string[] }
  | { readonly kind: "range"; readonly min: number; readonly max: number };

export interface Violation {
  /** Where the member sits, in the model's camel-case path (`distributionConfig.origins.items.member.id`). */
  readonly at: string;
  /** The value sent; undefined shows as `null`. */
  readonly value: string | undefined;
  /** Sensitive members (code, event objects) are never echoed. */
  readonly sensitive?: boolean;
  readonly constraint: BrokenConstraint;
}

function requirement(constraint: BrokenConstraint): string {
  switch (constraint.kind) {
    case "required": return "Member must not be null";
    case "pattern": return `Member must satisfy regular expression pattern: ${constraint.pattern}`;
    case "minLength": return `Member must have length greater than or equal to ${constraint.min}`;
    case "maxLength": return `Member must have length less than or equal to ${constraint.max}`;
    case "enum": return `Member must satisfy enum value set: [${constraint.values.join(", ")}]`;
    case "range": return `Member must have value between ${constraint.min} and ${constraint.max}`;
  }
}

function describe({ at, value, sensitive, constraint }: Violation): string {
  const shown = value === undefined ? "Value null" : sensitive ? "Value" : `Value '${value}'`;
  return `${shown} at '${at}' failed to satisfy constraint: ${requirement(constraint)}`;
}

/** The whole message for one or more violations (none is a caller's mistake). */
export function validationMessage(violations: readonly Violation[]): string {
  const count = violations.length === 1 ? "1 validation error detected" : `${violations.length} validation errors detected`;
  return `${count}: ${violations.map(describe).join("; ")}`;
}

/** The message for a required member that is absent. */
export function missingMemberMessage(at: string): string {
  return validationMessage([{ at, value: undefined, constraint: { kind: "required" } }]);
}
