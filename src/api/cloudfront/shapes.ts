import type { FunctionConfigInput, FunctionSummary } from "../../service/functions.js";
import type { KeyValueStoreSummary } from "../../service/keyValueStores.js";
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
