import { SignatureV4 } from "@smithy/signature-v4";
import { SignatureV4a } from "@smithy/signature-v4a";
import type { HttpRequest } from "@smithy/types";
import { createECDH, createHash, createPublicKey, timingSafeEqual, verify, type KeyObject } from "node:crypto";
import { NodeSha256 } from "../../awsSigning.js";
import { MAX_PRESIGNED_EXPIRES_SECONDS, SIGNATURE_CLOCK_SKEW_MS } from "../../limits.js";
import { emptyRecord, getOwn, setOwn } from "../../nullPrototype.js";
import type { AuthErrorCode } from "../../service/errors.js";

export { NodeSha256 };

/**
 * Verifies AWS Signature Version 4 (`AWS4-HMAC-SHA256`, in the Authorization header or a presigned query)
 * and 4A (`AWS4-ECDSA-P256-SHA256`) with the Smithy signers the AWS SDKs themselves use: the canonical
 * request is rebuilt from what arrived (same X-Amz-Date, only the headers the client signed) and signed
 * again. SigV4's HMAC is compared in constant time; SigV4A's ECDSA signatures are randomised, so the
 * library's own key derivation and string to sign are captured and the client's signature is checked
 * against the derived public key with node:crypto.
 */

export const SIGV4 = "AWS4-HMAC-SHA256";
export const SIGV4A = "AWS4-ECDSA-P256-SHA256";

/** What a verification needs of an HTTP request, as it arrived. */
export interface ReceivedRequest {
  method: string;
  /** The request target as sent: raw path and query, still percent-encoded. */
  rawUrl: string;
  /** Node's rawHeaders: [name, value, name, value, …]. */
  rawHeaders: readonly string[];
  body: Buffer;
}

export interface AuthFailure {
  code: AuthErrorCode;
  message: string;
}

export const AUTH_MESSAGES = {
  missing: "Request is missing Authentication Token",
  unknownKey: "The security token included in the request is invalid.",
  mismatch:
    "The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.",
} as const;

interface SignatureClaim {
  algorithm: typeof SIGV4 | typeof SIGV4A;
  accessKeyId: string;
  /** The credential scope after the key: date/region/service/aws4_request (SigV4) or date/service/aws4_request (SigV4A). */
  scope: string[];
  signedHeaders: string[];
  signature: string;
  amzDate: string;
  /** Presigned (query) requests: their lifetime in seconds. */
  expiresSeconds?: number;
}

export interface VerifyOptions {
  /** Access key id → secret access key. */
  credentials: ReadonlyMap<string, string>;
  /** The signing name the request must be scoped to: `cloudfront` or `cloudfront-keyvaluestore`. */
  service: string;
  now: Date;
}

/** Undefined when the request is signed by a known key and unchanged; otherwise AWS's error for it. */
export async function verifyRequest(request: ReceivedRequest, options: VerifyOptions): Promise<AuthFailure | undefined> {
  const queryAt = request.rawUrl.indexOf("?");
  const path = queryAt === -1 ? request.rawUrl : request.rawUrl.slice(0, queryAt);
  const query = parseQuery(queryAt === -1 ? "" : request.rawUrl.slice(queryAt + 1));
  const headers = headerValues(request.rawHeaders);

  const claim = readClaim(headers, query);
  if ("code" in claim) return claim;
  const secret = options.credentials.get(claim.accessKeyId);
  if (secret === undefined) return { code: "InvalidClientTokenId", message: AUTH_MESSAGES.unknownKey };

  const signedAt = parseAmzDate(claim.amzDate);
  if (signedAt === undefined) return { code: "IncompleteSignature", message: `Date must be in ISO-8601 'basic format'. Got '${printable(claim.amzDate)}'. See http://en.wikipedia.org/wiki/ISO_8601` };
  const stale = staleness(signedAt, claim, options.now);
  if (stale) return stale;

  const scopeService = claim.algorithm === SIGV4 ? claim.scope[2] : claim.scope[1];
  if (scopeService !== options.service) return { code: "SignatureDoesNotMatch", message: `Credential should be scoped to correct service: '${options.service}'. ` };
  if (!claim.signedHeaders.includes("host")) return { code: "SignatureDoesNotMatch", message: "'Host' or ':authority' must be a 'SignedHeader' in the AWS Authorization." };

  const signedHeaderValues = emptyRecord<string>();
  for (const name of claim.signedHeaders) {
    const value = headers.get(name);
    if (value !== undefined) setOwn(signedHeaderValues, name, value);
  }
  const declaredHash = headers.get("x-amz-content-sha256");
  if (declaredHash !== undefined && declaredHash !== "UNSIGNED-PAYLOAD" && declaredHash !== sha256Hex(request.body)) {
    return { code: "SignatureDoesNotMatch", message: "The provided 'x-amz-content-sha256' header does not match what was computed." };
  }
  const hostHeader = headers.get("host") ?? "";
  const toSign: HttpRequest = {
    method: request.method,
    protocol: "http:",
    hostname: hostHeader.replace(/:[0-9]*$/, ""),
    path,
    query: claim.expiresSeconds === undefined ? query : withoutSignature(query),
    headers: signedHeaderValues,
    body: request.body,
  };
  const credentials = { accessKeyId: claim.accessKeyId, secretAccessKey: secret };
  const valid =
    claim.algorithm === SIGV4
      ? await verifySigV4(toSign, claim, credentials, signedAt, options.service)
      : await verifySigV4a(toSign, claim, credentials, signedAt, headers.get("x-amz-region-set") ?? "*", options.service);
  return valid ? undefined : { code: "SignatureDoesNotMatch", message: AUTH_MESSAGES.mismatch };
}

async function verifySigV4(
  request: HttpRequest,
  claim: SignatureClaim,
  credentials: { accessKeyId: string; secretAccessKey: string },
  signedAt: Date,
  service: string,
): Promise<boolean> {
  const region = claim.scope[1]!;
  const signer = new SignatureV4({ service, region, credentials, sha256: NodeSha256, applyChecksum: false });
  const signableHeaders = new Set(claim.signedHeaders);
  let expected: string | undefined;
  if (claim.expiresSeconds !== undefined) {
    const presigned = await signer.presign(request, { signingDate: signedAt, expiresIn: claim.expiresSeconds, signableHeaders, unhoistableHeaders: new Set(Object.keys(request.headers)) });
    const value = presigned.query?.["X-Amz-Signature"];
    expected = typeof value === "string" ? value : undefined;
  } else {
    const signed = await signer.sign(request, { signingDate: signedAt, signableHeaders, signingRegion: region, signingService: service });
    expected = /Signature=([0-9a-f]+)$/.exec(String(signed.headers["authorization"] ?? ""))?.[1];
  }
  if (expected === undefined || expected.length !== claim.signature.length) return false;
  return timingSafeEqual(Buffer.from(expected), Buffer.from(claim.signature));
}

/** SigV4A: the library derives the key pair and builds the string to sign; node:crypto checks the ECDSA signature. */
async function verifySigV4a(
  request: HttpRequest,
  claim: SignatureClaim,
  credentials: { accessKeyId: string; secretAccessKey: string },
  signedAt: Date,
  regionSet: string,
  service: string,
): Promise<boolean> {
  if (!/^[0-9a-f]+$/i.test(claim.signature)) return false;
  const signer = new SignatureV4a({ service, region: regionSet, credentials, sha256: NodeSha256, applyChecksum: false });
  let captured: { privateKey: Uint8Array; stringToSign: string } | undefined;
  // getSignature(privateKey, stringToSign) is where the library would sign: take its inputs instead.
  (signer as unknown as { getSignature: (privateKey: Uint8Array, stringToSign: string) => Promise<string> }).getSignature = (privateKey, stringToSign) => {
    captured = { privateKey, stringToSign };
    return Promise.resolve("");
  };
  await signer.sign(request, { signingDate: signedAt, signableHeaders: new Set(claim.signedHeaders), signingRegion: regionSet, signingService: service });
  if (captured === undefined) return false;
  try {
    return verify("sha256", Buffer.from(captured.stringToSign, "utf8"), { key: publicKeyOf(credentials, captured.privateKey), dsaEncoding: "der" }, Buffer.from(claim.signature, "hex"));
  } catch {
    return false;
  }
}

/** The P-256 public key of a SigV4A private scalar; the same few keys come back on every request. */
const publicKeys = new Map<string, KeyObject>();
function publicKeyOf(credentials: { accessKeyId: string; secretAccessKey: string }, privateKey: Uint8Array): KeyObject {
  const cacheKey = `${credentials.accessKeyId}\n${credentials.secretAccessKey}`;
  let key = publicKeys.get(cacheKey);
  if (key === undefined) {
    const ecdh = createECDH("prime256v1");
    ecdh.setPrivateKey(privateKey);
    const point = ecdh.getPublicKey(); // 0x04 ‖ x ‖ y
    key = createPublicKey({ key: { kty: "EC", crv: "P-256", x: point.subarray(1, 33).toString("base64url"), y: point.subarray(33).toString("base64url") }, format: "jwk" });
    publicKeys.set(cacheKey, key);
  }
  return key;
}

/** Authorization header first, then the presigned query (X-Amz-Signature …). */
function readClaim(headers: Map<string, string>, query: Record<string, string | string[]>): SignatureClaim | AuthFailure {
  const authorization = headers.get("authorization");
  if (authorization !== undefined) return readAuthorizationHeader(authorization, headers);
  if (getOwn(query, "X-Amz-Signature") !== undefined || getOwn(query, "X-Amz-Algorithm") !== undefined) return readPresignedQuery(query);
  return { code: "MissingAuthenticationToken", message: AUTH_MESSAGES.missing };
}

function readAuthorizationHeader(authorization: string, headers: Map<string, string>): SignatureClaim | AuthFailure {
  const space = authorization.indexOf(" ");
  const algorithm = space === -1 ? authorization : authorization.slice(0, space);
  if (algorithm !== SIGV4 && algorithm !== SIGV4A) {
    return { code: "IncompleteSignature", message: `Unsupported AWS 'algorithm': '${printable(algorithm)}'. edgelite accepts ${SIGV4} and ${SIGV4A}.` };
  }
  const fields = new Map<string, string>();
  for (const part of authorization.slice(space + 1).split(",")) {
    const equals = part.indexOf("=");
    if (equals > 0) fields.set(part.slice(0, equals).trim(), part.slice(equals + 1).trim());
  }
  const missing = ["Credential", "SignedHeaders", "Signature"].filter((name) => !fields.get(name));
  const amzDate = headers.get("x-amz-date");
  const problems = missing.map((name) => `Authorization header requires '${name}' parameter.`);
  if (amzDate === undefined) problems.push("Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header.");
  if (problems.length > 0) return { code: "IncompleteSignature", message: `${problems.join(" ")} Authorization=${printable(authorization.replace(/Signature=\S+/, "Signature=…"))}` };
  return claimOf(algorithm, fields.get("Credential")!, fields.get("SignedHeaders")!, fields.get("Signature")!, amzDate!);
}

function readPresignedQuery(query: Record<string, string | string[]>): SignatureClaim | AuthFailure {
  const get = (name: string) => {
    const value = getOwn(query, name);
    return typeof value === "string" && value !== "" ? value : undefined;
  };
  const names = ["X-Amz-Algorithm", "X-Amz-Credential", "X-Amz-Signature", "X-Amz-SignedHeaders", "X-Amz-Date", "X-Amz-Expires"];
  const missing = names.filter((name) => get(name) === undefined);
  if (missing.length > 0) return { code: "IncompleteSignature", message: `${missing.map((name) => `AWS query-string parameters must include '${name}'.`).join(" ")} Re-examine the query-string parameters.` };
  if (get("X-Amz-Algorithm") !== SIGV4) return { code: "IncompleteSignature", message: `Unsupported AWS 'algorithm': '${printable(get("X-Amz-Algorithm")!)}'. Presigned requests use ${SIGV4}.` };
  const expires = get("X-Amz-Expires")!;
  if (!/^[0-9]{1,7}$/.test(expires) || Number(expires) > MAX_PRESIGNED_EXPIRES_SECONDS) {
    return { code: "IncompleteSignature", message: `X-Amz-Expires must be a whole number of seconds, at most ${MAX_PRESIGNED_EXPIRES_SECONDS} (one week).` };
  }
  const claim = claimOf(SIGV4, get("X-Amz-Credential")!, get("X-Amz-SignedHeaders")!, get("X-Amz-Signature")!, get("X-Amz-Date")!);
  return "code" in claim ? claim : { ...claim, expiresSeconds: Number(expires) };
}

function claimOf(algorithm: typeof SIGV4 | typeof SIGV4A, credential: string, signedHeaders: string, signature: string, amzDate: string): SignatureClaim | AuthFailure {
  const parts = credential.split("/");
  const expectedParts = algorithm === SIGV4 ? 5 : 4;
  if (parts.length !== expectedParts || parts.some((part) => part === "") || parts[parts.length - 1] !== "aws4_request") {
    const shape = algorithm === SIGV4 ? "keyid/date/region/service/aws4_request" : "keyid/date/service/aws4_request";
    return { code: "IncompleteSignature", message: `Credential must have exactly ${expectedParts} slash-delimited elements, e.g. ${shape}, got '${printable(credential)}'.` };
  }
  return { algorithm, accessKeyId: parts[0]!, scope: parts.slice(1), signedHeaders: signedHeaders.toLowerCase().split(";"), signature: signature.toLowerCase(), amzDate };
}

/** AWS's answers for a date too far from now (±15 minutes), or a presigned URL past its lifetime. */
function staleness(signedAt: Date, claim: SignatureClaim, now: Date): AuthFailure | undefined {
  if (claim.expiresSeconds !== undefined) {
    if (now.getTime() > signedAt.getTime() + claim.expiresSeconds * 1000) return { code: "RequestExpired", message: "Request has expired" };
  } else if (signedAt.getTime() < now.getTime() - SIGNATURE_CLOCK_SKEW_MS) {
    return { code: "RequestExpired", message: `Signature expired: ${claim.amzDate} is now earlier than ${amzDate(new Date(now.getTime() - SIGNATURE_CLOCK_SKEW_MS))} (${amzDate(now)} - 15 min.)` };
  }
  if (signedAt.getTime() > now.getTime() + SIGNATURE_CLOCK_SKEW_MS) {
    return { code: "RequestExpired", message: `Signature not yet current: ${claim.amzDate} is still later than ${amzDate(new Date(now.getTime() + SIGNATURE_CLOCK_SKEW_MS))} (${amzDate(now)} + 15 min.)` };
  }
  return undefined;
}

function parseAmzDate(value: string): Date | undefined {
  const match = /^([0-9]{4})([0-9]{2})([0-9]{2})T([0-9]{2})([0-9]{2})([0-9]{2})Z$/.exec(value);
  if (!match) return undefined;
  const date = new Date(Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3]), Number(match[4]), Number(match[5]), Number(match[6])));
  return Number.isNaN(date.getTime()) || amzDate(date) !== value ? undefined : date;
}

function amzDate(date: Date): string {
  return date.toISOString().replace(/\.[0-9]{3}/, "").replace(/[-:]/g, "");
}

/** Each header's values as a signer joins them (comma-separated), by lower-case name. */
function headerValues(rawHeaders: readonly string[]): Map<string, string> {
  const values = new Map<string, string>();
  for (let index = 0; index + 1 < rawHeaders.length; index += 2) {
    const name = rawHeaders[index]!.toLowerCase();
    const previous = values.get(name);
    values.set(name, previous === undefined ? rawHeaders[index + 1]! : `${previous},${rawHeaders[index + 1]!}`);
  }
  return values;
}

/** The query as the signer expects it: decoded names and values, repeated names as arrays, no prototype. */
function parseQuery(rawQuery: string): Record<string, string | string[]> {
  const query = emptyRecord<string | string[]>();
  if (rawQuery === "") return query;
  for (const pair of rawQuery.split("&")) {
    if (pair === "") continue;
    const equals = pair.indexOf("=");
    const name = decode(equals === -1 ? pair : pair.slice(0, equals));
    const value = equals === -1 ? "" : decode(pair.slice(equals + 1));
    const previous = getOwn(query, name);
    if (previous === undefined) setOwn(query, name, value);
    else if (Array.isArray(previous)) previous.push(value);
    else setOwn(query, name, [previous, value]);
  }
  return query;
}

function withoutSignature(query: Record<string, string | string[]>): Record<string, string | string[]> {
  const rest = emptyRecord<string | string[]>();
  for (const name of Object.keys(query)) if (name !== "X-Amz-Signature") setOwn(rest, name, query[name]!);
  return rest;
}

function decode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

function sha256Hex(body: Buffer): string {
  return createHash("sha256").update(body).digest("hex");
}

/** An attacker-chosen value told back in a message: printable ASCII only, and short. */
function printable(value: string): string {
  const clean = value.replace(/[^\x20-\x7e]/g, "?");
  return clean.length > 200 ? `${clean.slice(0, 200)}…` : clean;
}
