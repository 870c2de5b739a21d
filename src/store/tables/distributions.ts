import { defineTable } from "../table.js";
import type { DistributionRecord } from "../types.js";

/** A distribution is one row: what edgelite reads of it as JSON, and the config's XML as sent. */
export const DISTRIBUTIONS = defineTable<DistributionRecord>({
  name: "distributions",
  key: (record) => record.id,
  order: (record) => record.id,
  unique: { callerReference: (record) => record.callerReference },
  columns: ["id", "metadata", "config"],
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
    } satisfies StoredDistribution),
    config: record.configXml,
  }),
  fromRow: (row) => {
    const stored = JSON.parse(row["metadata"] as string) as StoredDistribution;
    return {
      ...stored,
      id: row["id"] as string,
      configXml: row["config"] as string,
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
}
