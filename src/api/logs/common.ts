import { getOwn } from "../../nullPrototype.js";
import { LogsError } from "../../service/logsErrors.js";
import { validationMessage, type BrokenConstraint } from "../../service/validation.js";
import type { ApiReply, ApiRequest } from "../operation.js";

/**
 * The awsJson1_1 side of CloudWatch Logs (logs 2014-03-28): `POST /` with `X-Amz-Target: Logs_20140328.<Op>`,
 * a JSON object in and out (`application/x-amz-json-1.1`). A body that is not a JSON object, or a member of
 * the wrong JSON type, is the protocol's SerializationException; a value outside the model's constraints is
 * InvalidParameterException with AWS's "1 validation error detected: …" sentence. Unknown members are ignored.
 */
export const LOGS_TARGET_PREFIX = "Logs_20140328.";
export const LOGS_CONTENT_TYPE = "application/x-amz-json-1.1";

export function logsReply(body: unknown): ApiReply {
  return { status: 200, body: JSON.stringify(body), contentType: LOGS_CONTENT_TYPE };
}

/** The request body as a JSON object; an empty body is `{}`. JSON.parse keeps `__proto__` as an own key: members are read with getOwn. */
export function requestObject(request: ApiRequest): Readonly<Record<string, unknown>> {
  const text = request.body.toString("utf8");
  if (text.trim() === "") return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new LogsError("SerializationException", `The request body is not valid JSON (${(error as Error).message}).`);
  }
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) throw new LogsError("SerializationException", "The request body must be a JSON object.");
  return parsed as Record<string, unknown>;
}

function invalid(at: string, value: string | undefined, constraint: BrokenConstraint): LogsError {
  return new LogsError("InvalidParameterException", validationMessage([{ at, value: value !== undefined && value.length > 200 ? `${value.slice(0, 200)}…` : value, constraint }]));
}

function wrongType(at: string, expected: string, value: unknown): LogsError {
  const got = Array.isArray(value) ? "an array" : value === null ? "null" : typeof value === "object" ? "an object" : `a ${typeof value}`;
  return new LogsError("SerializationException", `The value at '${at}' must be ${expected}; got ${got}.`);
}

export interface StringRule {
  min?: number;
  max?: number;
  /** The model's pattern, anchored here. */
  pattern?: string;
}

/** An optional string member checked against the model's length and pattern. */
export function optionalString(body: Readonly<Record<string, unknown>>, name: string, rule: StringRule = {}): string | undefined {
  const value = getOwn(body, name);
  if (value === undefined || value === null) return undefined;
  if (typeof value !== "string") throw wrongType(name, "a string", value);
  if (rule.min !== undefined && value.length < rule.min) throw invalid(name, value, { kind: "minLength", min: rule.min });
  if (rule.max !== undefined && value.length > rule.max) throw invalid(name, value, { kind: "maxLength", max: rule.max });
  if (rule.pattern !== undefined && !new RegExp(`^(?:${rule.pattern})$`).test(value)) throw invalid(name, value, { kind: "pattern", pattern: rule.pattern });
  return value;
}

/** An optional whole-number member within the model's range. */
export function optionalInteger(body: Readonly<Record<string, unknown>>, name: string, range: { min: number; max: number }): number | undefined {
  const value = getOwn(body, name);
  if (value === undefined || value === null) return undefined;
  if (typeof value !== "number" || !Number.isSafeInteger(value)) throw wrongType(name, "a whole number", value);
  if (value < range.min || value > range.max) throw invalid(name, String(value), { kind: "range", min: range.min, max: range.max });
  return value;
}

/** An optional timestamp member: epoch milliseconds, at least 0 (the model's Timestamp). */
export function optionalTimestamp(body: Readonly<Record<string, unknown>>, name: string): number | undefined {
  return optionalInteger(body, name, { min: 0, max: Number.MAX_SAFE_INTEGER });
}

export function optionalBoolean(body: Readonly<Record<string, unknown>>, name: string): boolean | undefined {
  const value = getOwn(body, name);
  if (value === undefined || value === null) return undefined;
  if (typeof value !== "boolean") throw wrongType(name, "true or false", value);
  return value;
}

export function optionalEnum<T extends string>(body: Readonly<Record<string, unknown>>, name: string, values: readonly T[]): T | undefined {
  const value = optionalString(body, name);
  if (value === undefined) return undefined;
  if (!(values as readonly string[]).includes(value)) throw invalid(name, value, { kind: "enum", values });
  return value as T;
}

/** An optional list of strings, each checked with `rule`, the list's length within `size`. */
export function optionalStringList(body: Readonly<Record<string, unknown>>, name: string, size: { min: number; max: number }, rule: StringRule = {}): string[] | undefined {
  const value = getOwn(body, name);
  if (value === undefined || value === null) return undefined;
  if (!Array.isArray(value)) throw wrongType(name, "a list of strings", value);
  if (value.length < size.min) throw invalid(name, undefined, { kind: "minLength", min: size.min });
  if (value.length > size.max) throw invalid(name, undefined, { kind: "maxLength", max: size.max });
  return value.map((item: unknown, index) => {
    const at = `${name}.${index + 1}.member`;
    if (typeof item !== "string") throw wrongType(at, "a string", item);
    return optionalString({ [at]: item }, at, rule)!;
  });
}

// The model's constraints for the members these operations share.
export const LOG_GROUP_NAME: StringRule = { min: 1, max: 512, pattern: "[\\.\\-_/#A-Za-z0-9]+" };
export const LOG_GROUP_IDENTIFIER: StringRule = { min: 1, max: 2048, pattern: "[\\w#+=/:,.@-]*" };
export const LOG_STREAM_NAME: StringRule = { min: 1, max: 512, pattern: "[^:*]*" };
export const NEXT_TOKEN: StringRule = { min: 1 };

/** The group a request names: logGroupName or logGroupIdentifier (a name or an ARN), exactly one of them. */
export function logGroupOf(body: Readonly<Record<string, unknown>>): string {
  const name = optionalString(body, "logGroupName", LOG_GROUP_NAME);
  const identifier = optionalString(body, "logGroupIdentifier", LOG_GROUP_IDENTIFIER);
  if (name !== undefined && identifier !== undefined) throw new LogsError("InvalidParameterException", "LogGroup name and LogGroup ARN are mutually exclusive parameters.");
  const group = name ?? identifier;
  if (group === undefined) throw new LogsError("InvalidParameterException", "Either logGroupName or logGroupIdentifier must be specified.");
  return group;
}
