import { defineTable } from "../table.js";
import type { DistributionRecord, Tag } from "../types.js";

/**
 * A distribution is one row: its metadata as JSON, the config's XML as sent, and the distribution service's
 * parsed config (its JSON, opaque here; NULL in rows written before schema 4 until the service upgrades them).
 */
export const DISTRIBUTIONS = defineTable<DistributionRecord>({
  name: "distributions",
  key: (record) => record.id,
  order: (record) => record.id,
  unique: { callerReference: (record) => record.callerReference },
  columns: ["id", "metadata", "config", "parsed_config"],
  toRow: (record) => ({
    id: record.id,
    metadata: JSON.stringify({
      domainName: record.domainName,
      callerReference: record.callerReference,
      enabled: record.enabled,
      aliases: [...record.aliases],
      functionArns: [...record.functionArns],
      version: record.version,
      createdTime: record.createdTime.getTime(),
      lastModifiedTime: record.lastModifiedTime.getTime(),
      ...(record.tags && record.tags.length > 0 ? { tags: record.tags.map((tag) => ({ ...tag })) } : {}),
      ...(record.edgePort !== undefined ? { edgePort: record.edgePort } : {}),
    } satisfies StoredDistribution),
    config: record.configXml,
    parsed_config: record.parsedConfigJson ?? null,
  }),
  fromRow: (row) => {
    const stored = JSON.parse(row["metadata"] as string) as StoredDistribution;
    return {
      ...stored,
      id: row["id"] as string,
      configXml: row["config"] as string,
      ...(row["parsed_config"] !== null ? { parsedConfigJson: row["parsed_config"] as string } : {}),
      createdTime: new Date(stored.createdTime),
      lastModifiedTime: new Date(stored.lastModifiedTime),
    };
  },
});

/** The JSON in `distributions.metadata`: the record without its id and config, dates in milliseconds. */
interface StoredDistribution {
  domainName: string;
  callerReference: string;
  enabled: boolean;
  aliases: string[];
  functionArns: string[];
  version: number;
  createdTime: number;
  lastModifiedTime: number;
  tags?: Tag[];
  edgePort?: number;
}
