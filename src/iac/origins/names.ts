import { createHash } from "node:crypto";
import { IacError } from "../types.js";

/**
 * Names and ARNs `up` makes for resources that exist only locally (S3 buckets, and placeholders for what it
 * does not emulate), stable across runs: a hash of the stack and logical id, never a random value, so a
 * second `up` on the same data finds the same names.
 */

/** S3's bounds on a bucket name (Amazon S3 User Guide, "General purpose bucket naming rules"). */
const BUCKET_NAME_MIN = 3;
const BUCKET_NAME_MAX = 63;
/** Prefixes and suffixes S3 reserves (same page). */
const RESERVED_BUCKET_PREFIXES = ["xn--", "sthree-", "amzn-s3-demo-"];
const RESERVED_BUCKET_SUFFIXES = ["-s3alias", "--ol-s3", ".mrap", "--x-s3", "--table-s3"];
/** Characters of the hash ending a generated name (CloudFormation ends its names with 12 or 13). */
const HASH_LENGTH = 12;

/** Why a bucket name is not one S3 accepts, or undefined when it is. */
export function bucketNameProblem(name: string): string | undefined {
  if (name.length < BUCKET_NAME_MIN || name.length > BUCKET_NAME_MAX) return `is ${name.length} characters long (S3 takes ${BUCKET_NAME_MIN} to ${BUCKET_NAME_MAX})`;
  if (!/^[a-z0-9][a-z0-9.-]*[a-z0-9]$/.test(name)) return "may hold only lower-case letters, digits, dots and hyphens, and must begin and end with a letter or digit";
  if (name.includes("..")) return "has two dots in a row";
  if (/^\d+\.\d+\.\d+\.\d+$/.test(name)) return "is formatted as an IP address";
  const prefix = RESERVED_BUCKET_PREFIXES.find((reserved) => name.startsWith(reserved));
  if (prefix) return `begins with ${prefix}, which S3 reserves`;
  const suffix = RESERVED_BUCKET_SUFFIXES.find((reserved) => name.endsWith(reserved));
  if (suffix) return `ends with ${suffix}, which S3 reserves`;
  return undefined;
}

/** The name, or an IacError naming the stack, the resource and the rule it breaks. */
export function checkedBucketName(name: string, stackName: string, logicalId: string, property: string): string {
  const problem = bucketNameProblem(name);
  if (problem !== undefined) throw new IacError(`${stackName}/${logicalId}: the bucket name ${JSON.stringify(name.slice(0, 100))} (${property}) ${problem}`, logicalId);
  return name;
}

/** Upper-case letters and digits from a SHA-256 of the parts. */
export function stableHash(...parts: string[]): string {
  const digest = createHash("sha256").update(parts.join("\0")).digest();
  let out = "";
  for (const byte of digest) {
    out += "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"[byte % 32];
    if (out.length === HASH_LENGTH) break;
  }
  return out;
}

/**
 * A physical name as CloudFormation makes one: `<stack>-<logicalId>-<hash>`, the first two parts shortened to
 * fit `max` characters, only letters, digits and hyphens (a valid DNS label when max ≤ 63).
 */
export function generatedName(stackName: string, logicalId: string, max: number): string {
  const hash = stableHash(stackName, logicalId);
  const clean = (text: string) => text.replace(/[^A-Za-z0-9-]/g, "").replace(/^-+|-+$/g, "");
  const room = max - hash.length - 2;
  const stack = clean(stackName).slice(0, Math.max(1, Math.floor(room / 2)));
  const logical = clean(logicalId).slice(0, Math.max(1, room - stack.length));
  return [stack, logical, hash].filter((part) => part !== "").join("-");
}

/** A bucket name CloudFormation would make for a bucket without BucketName: lower case, at most 63. */
export function generatedBucketName(stackName: string, logicalId: string): string {
  return generatedName(stackName, logicalId, BUCKET_NAME_MAX).toLowerCase().replace(/-+/g, "-");
}

/** Where a name lives: the account and region ARNs carry, and the partition and domain suffix the region implies. */
export interface Place {
  readonly region: string;
  readonly accountId: string;
}

/** AWS's partition for a region (Amazon Resource Names in the IAM User Guide). */
export function partitionOf(region: string): string {
  if (region.startsWith("cn-")) return "aws-cn";
  if (region.startsWith("us-gov-")) return "aws-us-gov";
  return "aws";
}

/** The domain suffix of AWS endpoints in a region's partition. */
export function urlSuffixOf(region: string): string {
  return region.startsWith("cn-") ? "amazonaws.com.cn" : "amazonaws.com";
}
