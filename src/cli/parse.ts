import { InvalidArgumentError } from "commander";
import { X509Certificate } from "node:crypto";
import { readFileSync, statSync } from "node:fs";
import { resolve } from "node:path";
import { parsePortRange, type PortRange } from "../distributionPorts.js";
import { MAX_PORT } from "../limits.js";

export function parseInteger(value: string): number {
  if (!/^[0-9]+$/.test(value)) throw new InvalidArgumentError(`expected a whole number, got "${value}"`);
  return Number(value);
}

export function parsePort(value: string): number {
  const port = parseInteger(value);
  if (port > MAX_PORT) throw new InvalidArgumentError(`a port is at most ${MAX_PORT}, got ${port}`);
  return port;
}

export function parseAccountId(value: string): string {
  if (!/^[0-9]{12}$/.test(value)) throw new InvalidArgumentError(`an AWS account id is 12 digits, got "${value}"`);
  return value;
}

/** `--s3 <bucket>=<folder or URL>`, repeatable: where an S3 origin's objects come from locally. */
export function collectS3Source(value: string, previous: Map<string, string> = new Map()): Map<string, string> {
  const at = value.indexOf("=");
  if (at <= 0 || at === value.length - 1) throw new InvalidArgumentError(`expected <bucket>=<folder or URL>, got "${value}"`);
  const bucket = value.slice(0, at);
  const source = value.slice(at + 1);
  if (/^https?:\/\//.test(source)) return new Map(previous).set(bucket, source);
  const folder = resolve(source);
  if (!statSync(folder, { throwIfNoEntry: false })?.isDirectory()) throw new InvalidArgumentError(`${source} is not a folder (nor an http:// or https:// URL)`);
  return new Map(previous).set(bucket, folder);
}

/** `--import-dir <folder>`, repeatable: the folders CreateKeyValueStore may read `file://` import sources from. */
export function collectImportDir(value: string, previous: readonly string[] = []): string[] {
  const folder = resolve(value);
  if (!statSync(folder, { throwIfNoEntry: false })?.isDirectory()) throw new InvalidArgumentError(`${value} is not a folder`);
  return [...previous, folder];
}

/** `--viewer-country <code>`: an ISO 3166-1 alpha-2 code, as CloudFront-Viewer-Country carries it. */
export function parseCountry(value: string): string {
  if (!/^[A-Za-z]{2}$/.test(value)) throw new InvalidArgumentError(`expected a two-letter country code such as US or FR, got "${value}"`);
  return value.toUpperCase();
}

/** `--distribution-ports <from>-<to>`: the range distributions' own ports are taken from. */
export function parseDistributionPorts(value: string): PortRange {
  const range = parsePortRange(value);
  if (typeof range === "string") throw new InvalidArgumentError(range);
  return range;
}

/**
 * `--origin-ca <file.pem>`, repeatable: a local CA (PEM, one or more certificates) the edge trusts for HTTPS
 * origins besides Node's own. Read and checked at start, so a wrong path fails there, not at the first request.
 */
export function collectOriginCa(value: string, previous: readonly string[] = []): string[] {
  let pem: string;
  try {
    pem = readFileSync(resolve(value), "utf8");
  } catch (error) {
    throw new InvalidArgumentError(`cannot read ${value} (${(error as NodeJS.ErrnoException).code ?? String(error)})`);
  }
  const certificates = pem.match(/-----BEGIN CERTIFICATE-----[^-]+-----END CERTIFICATE-----/g) ?? [];
  if (certificates.length === 0) throw new InvalidArgumentError(`${value} holds no PEM certificate (-----BEGIN CERTIFICATE----- … -----END CERTIFICATE-----)`);
  for (const certificate of certificates) {
    try {
      new X509Certificate(certificate);
    } catch {
      throw new InvalidArgumentError(`${value} holds a certificate that cannot be read as X.509`);
    }
  }
  return [...previous, ...certificates];
}

/** The largest `--cache-size`: 64 GB (past it, memory rather than the flag is the limit). */
export const MAX_CACHE_SIZE_MB = 65_536;

/** `--cache-size <MB>`: the edge cache's size in megabytes, 1 to MAX_CACHE_SIZE_MB. */
export function parseCacheSize(value: string): number {
  const megabytes = parseInteger(value);
  if (megabytes < 1 || megabytes > MAX_CACHE_SIZE_MB) throw new InvalidArgumentError(`the cache size is 1 to ${MAX_CACHE_SIZE_MB} MB, got ${megabytes}`);
  return megabytes;
}
