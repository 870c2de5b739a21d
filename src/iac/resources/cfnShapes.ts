import type { TemplateObject, TemplateValue } from "../types.js";
import type { ApiValue, ConvertAt } from "./shapeTypes.js";

/**
 * Where CloudFormation's property shapes (the CloudFormation Template Reference, AWS::CloudFront::*; the same
 * names as aws-cdk-lib's generated `cloudfront.generated.js`) differ from the CloudFront API model's, beyond
 * the `{ Quantity, Items }` wrappers the converter handles for every shape. Keyed by the API shape name.
 */

/** CloudFormation property name → API member name, by API structure. */
export const CFN_RENAMES: ReadonlyMap<string, ReadonlyMap<string, string>> = renames({
  DistributionConfig: { IPV6Enabled: "IsIPV6Enabled" },
  Origin: { OriginCustomHeaders: "CustomHeaders" },
  CustomOriginConfig: { OriginSSLProtocols: "OriginSslProtocols" },
  ViewerCertificate: { AcmCertificateArn: "ACMCertificateArn", IamCertificateId: "IAMCertificateId", SslSupportMethod: "SSLSupportMethod" },
  // Restrictions.GeoRestriction { RestrictionType, Locations: [...] } → { RestrictionType, Quantity, Items }.
  GeoRestriction: { Locations: "Items" },
});

export function renameOf(shapeName: string, cfnName: string): string {
  return CFN_RENAMES.get(shapeName)?.get(cfnName) ?? cfnName;
}

/**
 * Values for members the API needs (its model, or its reference where the model is silent: LoggingConfig) and
 * CloudFormation lets a template leave out, as CloudFormation documents its defaults (or, where it documents
 * none, the value that means "not set"). By API shape: member → value.
 */
export const MEMBER_DEFAULTS: ReadonlyMap<string, ReadonlyMap<string, ApiValue>> = new Map(
  Object.entries({
    DistributionConfig: { Comment: "" },
    FunctionConfig: { Comment: "" },
    S3OriginConfig: { OriginAccessIdentity: "" },
    CustomOriginConfig: { HTTPPort: 80, HTTPSPort: 443 },
    LoggingConfig: { Enabled: true, IncludeCookies: false, Prefix: "" },
    ForwardedValues: { Cookies: { Forward: "none" } },
  } satisfies Record<string, Record<string, ApiValue>>).map(([shape, members]) => [shape, new Map(Object.entries(members))]),
);

/** Reshapes a CloudFormation object (still in CloudFormation's names) where its structure differs from the API's. */
export type Rewrite = (value: TemplateObject, where: ConvertAt) => TemplateObject;

export const REWRITES: ReadonlyMap<string, Rewrite> = new Map<string, Rewrite>([
  ["DistributionConfig", (value) => legacyOrigins(mergedAliases(value))],
  ["DefaultCacheBehavior", cachedMethodsInsideAllowedMethods],
  ["CacheBehavior", cachedMethodsInsideAllowedMethods],
]);

/** CloudFormation's default AllowedMethods (DefaultCacheBehavior and CacheBehavior: "Default: GET, HEAD"). */
const DEFAULT_ALLOWED_METHODS = ["GET", "HEAD"];

/** A behaviour's AllowedMethods and CachedMethods lists → the API's AllowedMethods { Items, CachedMethods }. */
function cachedMethodsInsideAllowedMethods(value: TemplateObject): TemplateObject {
  if (!Object.hasOwn(value, "CachedMethods") && !Array.isArray(value.AllowedMethods)) return value;
  const { CachedMethods: cached, AllowedMethods: allowed, ...rest } = value;
  const allowedMethods = objectOf({ Items: allowed ?? [...DEFAULT_ALLOWED_METHODS] });
  if (cached !== undefined && cached !== null) allowedMethods.CachedMethods = cached;
  return objectOf({ ...rest, AllowedMethods: allowedMethods });
}

/** CNAMEs (CloudFormation's older name) and Aliases are one list in the API. */
function mergedAliases(value: TemplateObject): TemplateObject {
  if (!Object.hasOwn(value, "CNAMEs")) return value;
  const { CNAMEs: cnames, Aliases: aliases, ...rest } = value;
  const merged: TemplateValue[] = [...listOrItself(aliases), ...listOrItself(cnames)];
  return objectOf({ ...rest, Aliases: merged });
}

/**
 * The legacy CustomOrigin and S3Origin properties become entries of Origins. CloudFormation does not say
 * which Id such an origin has: the default behaviour's TargetOriginId when there is one legacy origin and no
 * Origins, else its DNSName.
 */
function legacyOrigins(value: TemplateObject): TemplateObject {
  if (!Object.hasOwn(value, "CustomOrigin") && !Object.hasOwn(value, "S3Origin")) return value;
  const { CustomOrigin: custom, S3Origin: s3, Origins: origins, ...rest } = value;
  const legacy = [custom, s3].filter((origin): origin is TemplateObject => isObject(origin));
  const existing = listOrItself(origins);
  const defaultBehavior = rest.DefaultCacheBehavior;
  const target = isObject(defaultBehavior) && typeof defaultBehavior.TargetOriginId === "string" ? defaultBehavior.TargetOriginId : undefined;
  const idFor = (origin: TemplateObject): TemplateValue => (legacy.length === 1 && existing.length === 0 && target !== undefined ? target : (origin.DNSName ?? ""));
  const converted: TemplateValue[] = [];
  if (isObject(custom)) {
    const { DNSName: domain, ...config } = custom;
    converted.push(objectOf({ Id: idFor(custom), DomainName: domain ?? "", CustomOriginConfig: objectOf(config) }));
  }
  if (isObject(s3)) {
    const { DNSName: domain, ...config } = s3;
    converted.push(objectOf({ Id: idFor(s3), DomainName: domain ?? "", S3OriginConfig: objectOf(config) }));
  }
  // A legacy property that is not an object is left for the converter to refuse by name.
  if (custom !== undefined && !isObject(custom)) rest.CustomOrigin = custom;
  if (s3 !== undefined && !isObject(s3)) rest.S3Origin = s3;
  return objectOf({ ...rest, Origins: [...existing, ...converted] });
}

function listOrItself(value: TemplateValue | undefined): TemplateValue[] {
  if (value === undefined || value === null) return [];
  return Array.isArray(value) ? value : [value];
}

function isObject(value: TemplateValue | undefined): value is TemplateObject {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** A null-prototype copy: keys stay the template author's. */
function objectOf(entries: Record<string, TemplateValue>): TemplateObject {
  return Object.assign(Object.create(null) as TemplateObject, entries);
}

function renames(table: Record<string, Record<string, string>>): ReadonlyMap<string, ReadonlyMap<string, string>> {
  return new Map(Object.entries(table).map(([shape, names]) => [shape, new Map(Object.entries(names))]));
}
