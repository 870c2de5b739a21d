import { randomInt } from "node:crypto";

const ALPHANUMERIC = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";

/** `length` random upper-case letters and digits. */
export function randomAlphanumeric(length: number): string {
  return Array.from({ length }, () => ALPHANUMERIC[randomInt(ALPHANUMERIC.length)]).join("");
}

/**
 * A CloudFront resource Id: a letter and 13 upper-case alphanumerics, the form of distribution Ids
 * (`EDFDVBD6EXAMPLE` in the API reference, `E` + 13 in practice), origin access control Ids (`E…`, as the
 * service returns them) and invalidation Ids (`I…`; the model's example `IDFDVBD632BHDS5`).
 */
export function cloudFrontId(prefix: "E" | "I"): string {
  return `${prefix}${randomAlphanumeric(13)}`;
}
