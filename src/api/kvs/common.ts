import { KvsError } from "../../service/kvsErrors.js";
import type { ApiRequest } from "../operation.js";
import { missingMemberMessage } from "../../service/validation.js";

/** Shared pieces of the cloudfront-keyvaluestore (2022-07-26, REST-JSON) operations. */

/** Epoch seconds with fractions, as the data plane's timestamps are sent. */
export const epochSeconds = (date: Date) => date.getTime() / 1000;

/** The body's JSON object. JSON.parse keeps a `__proto__` member as an own key; read members with getOwn. */
export function jsonBody(request: ApiRequest): Record<string, unknown> {
  const text = request.body.toString("utf8");
  if (text.trim() === "") return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new KvsError("ValidationException", "Could not parse the request body as JSON.");
  }
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) throw new KvsError("ValidationException", "The request body must be a JSON object.");
  return parsed as Record<string, unknown>;
}

/** A required string member, with AWS's validation wording when it is missing or not a string. */
export function requiredString(value: unknown, at: string): string {
  if (value === undefined || value === null) {
    throw new KvsError("ValidationException", missingMemberMessage(at));
  }
  if (typeof value !== "string") throw new KvsError("ValidationException", `The value at '${at}' must be a string.`);
  return value;
}
