import type { FunctionConfigInput, FunctionSummary } from "../../service/functions.js";
import type { KeyValueStoreSummary } from "../../service/keyValueStores.js";
import type { DistributionView } from "../../service/distributions.js";
import { el, TrustedXml, type XmlChild, type XmlElement } from "../xmlWriter.js";
import { childElements } from "./rawXml.js";

/** Output shapes of the 2020-05-31 model, written as compact XML (no layout whitespace: the JS SDK keeps it). */

export function functionConfig(config: FunctionConfigInput): XmlElement {
  const arns = config.keyValueStoreArns;
  return el("FunctionConfig", [
    el("Comment", config.comment),
    el("Runtime", config.runtime),
    arns.length > 0 &&
      el("KeyValueStoreAssociations", [el("Quantity", arns.length), el("Items", arns.map((arn) => el("KeyValueStoreAssociation", [el("KeyValueStoreARN", arn)])))]),
  ]);
}

/** The members of a FunctionSummary, for use inside `<FunctionSummary>` or as a document root's content. */
export function functionSummaryFields(summary: FunctionSummary): XmlChild[] {
  return [
    el("Name", summary.name),
    el("Status", summary.status),
    functionConfig(summary.config),
    el("FunctionMetadata", [el("FunctionARN", summary.arn), el("Stage", summary.stage), el("CreatedTime", summary.createdTime), el("LastModifiedTime", summary.lastModifiedTime)]),
  ];
}

export function functionSummary(summary: FunctionSummary): XmlElement {
  return el("FunctionSummary", functionSummaryFields(summary));
}

/** A List… reply's members: NextMarker when there is more, MaxItems, Quantity, and Items when there are any. */
export function listPage<T>(page: { items: readonly T[]; maxItems: number; nextMarker?: string }, item: (value: T) => XmlChild): XmlChild[] {
  return [
    page.nextMarker ? el("NextMarker", page.nextMarker) : undefined,
    el("MaxItems", page.maxItems),
    el("Quantity", page.items.length),
    page.items.length > 0 && el("Items", page.items.map(item)),
  ];
}

/** A List… reply that echoes its Marker and says IsTruncated (DistributionList, InvalidationList, OriginAccessControlList), in the model's member order. */
export function markedListPage<T>(marker: string, page: { items: readonly T[]; maxItems: number; nextMarker?: string }, item: (value: T) => XmlChild): XmlChild[] {
  return [
    el("Marker", marker),
    page.nextMarker ? el("NextMarker", page.nextMarker) : undefined,
    el("MaxItems", page.maxItems),
    el("IsTruncated", Boolean(page.nextMarker)),
    el("Quantity", page.items.length),
    page.items.length > 0 && el("Items", page.items.map(item)),
  ];
}

/** The members of a KeyValueStore (Name, Id, Comment, ARN, Status, LastModifiedTime). */
export function keyValueStoreFields(store: KeyValueStoreSummary): XmlChild[] {
  return [el("Name", store.name), el("Id", store.id), el("Comment", store.comment), el("ARN", store.arn), el("Status", store.status), el("LastModifiedTime", store.lastModifiedTime)];
}

const noTrustedSigners = [el("Enabled", false), el("Quantity", 0)];

/** The members of a Distribution; its DistributionConfig is the one last sent, unchanged. */
export function distributionFields(view: DistributionView): XmlChild[] {
  return [
    el("Id", view.id),
    el("ARN", view.arn),
    el("Status", view.status),
    el("LastModifiedTime", view.lastModifiedTime),
    el("InProgressInvalidationBatches", 0),
    el("DomainName", view.domainName),
    el("ActiveTrustedSigners", noTrustedSigners),
    el("ActiveTrustedKeyGroups", noTrustedSigners),
    el("DistributionConfig", new TrustedXml(view.configAsSent)),
  ];
}

/** DistributionSummary members copied from the config, with the model's required ones defaulted when the config omits them. */
const SUMMARY_FROM_CONFIG: Array<[string, XmlElement | undefined]> = [
  ["Aliases", el("Aliases", [el("Quantity", 0)])],
  ["Origins", undefined],
  ["OriginGroups", undefined],
  ["DefaultCacheBehavior", undefined],
  ["CacheBehaviors", el("CacheBehaviors", [el("Quantity", 0)])],
  ["CustomErrorResponses", el("CustomErrorResponses", [el("Quantity", 0)])],
  ["Comment", el("Comment", "")],
  ["PriceClass", el("PriceClass", "PriceClass_All")],
  ["Enabled", undefined],
  ["ViewerCertificate", el("ViewerCertificate", [el("CloudFrontDefaultCertificate", true)])],
  ["Restrictions", el("Restrictions", [el("GeoRestriction", [el("RestrictionType", "none"), el("Quantity", 0)])])],
  ["WebACLId", el("WebACLId", "")],
  ["HttpVersion", el("HttpVersion", "http2")],
  ["IsIPV6Enabled", el("IsIPV6Enabled", true)],
  ["Staging", el("Staging", false)],
];

export function distributionSummary(view: DistributionView): XmlElement {
  const config = childElements(view.configAsSent);
  const copied = SUMMARY_FROM_CONFIG.map(([name, fallback]): XmlChild => {
    const sent = config.get(name);
    return sent !== undefined ? new TrustedXml(sent) : fallback;
  });
  return el("DistributionSummary", [
    el("Id", view.id),
    el("ARN", view.arn),
    el("ETag", view.etag),
    el("Status", view.status),
    el("LastModifiedTime", view.lastModifiedTime),
    el("DomainName", view.domainName),
    ...copied,
  ]);
}
