import type { CustomOriginConfig, Origin } from "@aws-sdk/client-cloudfront";
import { isInvalidDomain, placeholderForDomain, placeholderForLogicalId, placeholderKey } from "../../placeholderDomains.js";
import { IacError } from "../types.js";

/**
 * A distribution's origins pointed at local sources, as `mapOrigins` does it (the decisions live in
 * LocalOrigins; this is the shape of the config): `--origin <key>=<url>` makes a custom origin of the URL,
 * `--origin <key>=<folder>` an S3 origin on a bucket served from the folder, and an origin nothing local
 * stands for a placeholder under `.invalid`.
 */

/** Domains of AWS services: an origin there is something in an AWS account, never asked from here. */
export const AWS_DOMAIN_SUFFIXES = ["amazonaws.com", "amazonaws.com.cn", "on.aws", "api.aws", "cloudfront.net", "awsapprunner.com", "amplifyapp.com", "elasticbeanstalk.com"];

/** Timeouts and protocols CloudFront's API applies to a custom origin without them (the API reference's defaults). */
const CUSTOM_ORIGIN_DEFAULTS: Pick<CustomOriginConfig, "OriginReadTimeout" | "OriginKeepaliveTimeout" | "OriginSslProtocols"> = { OriginReadTimeout: 30, OriginKeepaliveTimeout: 5, OriginSslProtocols: { Quantity: 1, Items: ["TLSv1.2"] } };

export function isAwsDomain(domain: string): boolean {
  const name = domain.toLowerCase().replace(/\.$/, "");
  return AWS_DOMAIN_SUFFIXES.some((suffix) => name === suffix || name.endsWith(`.${suffix}`));
}

/**
 * The bucket of an S3 endpoint: `my-bucket.s3.us-east-1.amazonaws.com`, `my-bucket.s3.amazonaws.com`, the
 * website endpoints `my-bucket.s3-website-us-east-1.amazonaws.com` and `my-bucket.s3-website.eu-central-1…`
 * (as the edge reads an S3 origin's bucket).
 */
export function bucketOfS3Domain(domain: string): string | undefined {
  return /^(.+?)\.s3[.-]/.exec(domain)?.[1];
}

/** A `--origin` value: a URL (http or https) or a folder. */
export type OriginTarget = { url: URL } | { folder: string };

export function parseOriginUrl(value: string, key: string): URL | undefined {
  if (!/^[a-z][a-z0-9+.-]*:\/\//i.test(value)) return undefined;
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new IacError(`--origin ${key}=${value}: not a URL`);
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") throw new IacError(`--origin ${key}=${value}: an origin URL is http:// or https://`);
  if (url.username !== "" || url.password !== "") throw new IacError(`--origin ${key}=${value}: an origin URL carries no user or password (CloudFront sends none; use an origin custom header)`);
  if (url.search !== "" || url.hash !== "") throw new IacError(`--origin ${key}=${value}: an origin URL has no query or fragment (CloudFront's OriginPath is a path)`);
  return url;
}

/** The origin as a custom origin at a URL: its scheme the protocol policy, its port, its path the OriginPath. */
export function originAtUrl(origin: Origin, url: URL): Origin {
  const https = url.protocol === "https:";
  const port = url.port === "" ? (https ? 443 : 80) : Number(url.port);
  const previous: Partial<CustomOriginConfig> = origin.CustomOriginConfig ?? {};
  const { S3OriginConfig: _s3, OriginAccessControlId: _oac, VpcOriginConfig: _vpc, ...rest } = origin;
  return {
    ...rest,
    DomainName: url.hostname.replace(/^\[(.*)\]$/, "$1"),
    OriginPath: url.pathname.replace(/\/+$/, ""),
    CustomOriginConfig: {
      ...CUSTOM_ORIGIN_DEFAULTS,
      ...previous,
      HTTPPort: https ? (previous.HTTPPort ?? 80) : port,
      HTTPSPort: https ? port : (previous.HTTPSPort ?? 443),
      OriginProtocolPolicy: https ? "https-only" : "http-only",
    },
  };
}

/** The origin as an S3 origin on a bucket (served from a local folder): OriginPath dropped, the folder is its root. */
export function originOnBucket(origin: Origin, bucket: string, region: string, suffix: string): Origin {
  const { CustomOriginConfig: _custom, VpcOriginConfig: _vpc, S3OriginConfig, OriginPath: _path, ...rest } = origin;
  return { ...rest, DomainName: `${bucket}.s3.${region}.${suffix}`, OriginPath: "", S3OriginConfig: S3OriginConfig ?? { OriginAccessIdentity: "" } };
}

/**
 * The origin pointed at a placeholder domain that spells its `--origin` key: the logical id it stands for
 * when known, else the domain the template gave it. CloudFront's 502 locally.
 */
export function originOnPlaceholder(origin: Origin, logicalId: string | undefined): Origin {
  return { ...origin, DomainName: logicalId !== undefined ? placeholderForLogicalId(logicalId) : placeholderForDomain(origin.DomainName ?? "") };
}

/** The `--origin` key the edge will name for an origin on a placeholder domain (as src/edge/origin.ts reads it). */
export function placeholderFlagKey(origin: Origin): string {
  const key = placeholderKey(origin.DomainName ?? "");
  if (key === undefined) return origin.Id ?? "<origin id>";
  return "logicalId" in key ? key.logicalId : key.domain;
}

/** Loopback names and addresses: an origin there is on this machine already. */
export function isLoopback(domain: string): boolean {
  const name = domain.toLowerCase().replace(/\.$/, "").replace(/^\[(.*)\]$/, "$1");
  return name === "localhost" || name.endsWith(".localhost") || /^127\.\d+\.\d+\.\d+$/.test(name) || name === "::1";
}

export { isInvalidDomain };
