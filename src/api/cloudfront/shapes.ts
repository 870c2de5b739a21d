import type { FunctionConfigInput, FunctionSummary } from "../../service/functions.js";
import type { KeyValueStoreSummary } from "../../service/keyValueStores.js";
import type { DistributionView } from "../../service/distributions.js";
import { childElements } from "./rawXml.js";
import { textElement } from "./xml.js";

/** Output shapes of the 2020-05-31 model rendered as compact XML (no layout whitespace: the JS SDK keeps it). */

export function functionConfigXml(config: FunctionConfigInput): string {
  let xml = `<FunctionConfig>${textElement("Comment", config.comment)}<Runtime>${config.runtime}</Runtime>`;
  if (config.keyValueStoreArns.length > 0) {
    const items = config.keyValueStoreArns
      .map((arn) => `<KeyValueStoreAssociation>${textElement("KeyValueStoreARN", arn)}</KeyValueStoreAssociation>`)
      .join("");
    xml += `<KeyValueStoreAssociations><Quantity>${config.keyValueStoreArns.length}</Quantity><Items>${items}</Items></KeyValueStoreAssociations>`;
  }
  return `${xml}</FunctionConfig>`;
}

/** The members of a FunctionSummary, for use inside `<FunctionSummary>` or as a document root's content. */
export function functionSummaryFields(summary: FunctionSummary): string {
  return (
    `<Name>${summary.name}</Name><Status>${summary.status}</Status>${functionConfigXml(summary.config)}` +
    `<FunctionMetadata><FunctionARN>${summary.arn}</FunctionARN><Stage>${summary.stage}</Stage>` +
    `<CreatedTime>${summary.createdTime.toISOString()}</CreatedTime>` +
    `<LastModifiedTime>${summary.lastModifiedTime.toISOString()}</LastModifiedTime></FunctionMetadata>`
  );
}

export function functionSummaryXml(summary: FunctionSummary): string {
  return `<FunctionSummary>${functionSummaryFields(summary)}</FunctionSummary>`;
}

/** The members of a KeyValueStore (Name, Id, Comment, ARN, Status, LastModifiedTime). */
export function keyValueStoreFields(store: KeyValueStoreSummary): string {
  return (
    `<Name>${store.name}</Name><Id>${store.id}</Id>${textElement("Comment", store.comment)}<ARN>${store.arn}</ARN>` +
    `<Status>${store.status}</Status><LastModifiedTime>${store.lastModifiedTime.toISOString()}</LastModifiedTime>`
  );
}

/** The members of a Distribution; its DistributionConfig is the one last sent, unchanged. */
export function distributionFields(view: DistributionView): string {
  return (
    `<Id>${view.id}</Id><ARN>${view.arn}</ARN><Status>${view.status}</Status>` +
    `<LastModifiedTime>${view.lastModifiedTime.toISOString()}</LastModifiedTime><InProgressInvalidationBatches>0</InProgressInvalidationBatches>` +
    `<DomainName>${view.domainName}</DomainName>` +
    `<ActiveTrustedSigners><Enabled>false</Enabled><Quantity>0</Quantity></ActiveTrustedSigners>` +
    `<ActiveTrustedKeyGroups><Enabled>false</Enabled><Quantity>0</Quantity></ActiveTrustedKeyGroups>` +
    `<DistributionConfig>${view.configAsSent}</DistributionConfig>`
  );
}

/** DistributionSummary members copied from the config, with the model's required ones defaulted when the config omits them. */
const SUMMARY_FROM_CONFIG: Array<[string, string | undefined]> = [
  ["Aliases", "<Aliases><Quantity>0</Quantity></Aliases>"],
  ["Origins", undefined],
  ["OriginGroups", undefined],
  ["DefaultCacheBehavior", undefined],
  ["CacheBehaviors", "<CacheBehaviors><Quantity>0</Quantity></CacheBehaviors>"],
  ["CustomErrorResponses", "<CustomErrorResponses><Quantity>0</Quantity></CustomErrorResponses>"],
  ["Comment", "<Comment></Comment>"],
  ["PriceClass", "<PriceClass>PriceClass_All</PriceClass>"],
  ["Enabled", undefined],
  ["ViewerCertificate", "<ViewerCertificate><CloudFrontDefaultCertificate>true</CloudFrontDefaultCertificate></ViewerCertificate>"],
  ["Restrictions", "<Restrictions><GeoRestriction><RestrictionType>none</RestrictionType><Quantity>0</Quantity></GeoRestriction></Restrictions>"],
  ["WebACLId", "<WebACLId></WebACLId>"],
  ["HttpVersion", "<HttpVersion>http2</HttpVersion>"],
  ["IsIPV6Enabled", "<IsIPV6Enabled>true</IsIPV6Enabled>"],
  ["Staging", "<Staging>false</Staging>"],
];

export function distributionSummaryXml(view: DistributionView): string {
  const config = childElements(view.configAsSent);
  let xml =
    `<DistributionSummary><Id>${view.id}</Id><ARN>${view.arn}</ARN><ETag>${view.etag}</ETag><Status>${view.status}</Status>` +
    `<LastModifiedTime>${view.lastModifiedTime.toISOString()}</LastModifiedTime><DomainName>${view.domainName}</DomainName>`;
  for (const [name, fallback] of SUMMARY_FROM_CONFIG) xml += config.get(name) ?? fallback ?? "";
  return `${xml}</DistributionSummary>`;
}
