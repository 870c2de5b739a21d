import { defineTable } from "../table.js";
import type { ResourceRecord, ResourceType, Tag } from "../types.js";

/** The row key of a resource: ids are unique per type only. */
export const resourceKey = (type: ResourceType, id: string): string => `${type}/${id}`;

/**
 * The smaller CloudFront resources — cache, origin request and response headers policies, origin access
 * controls, invalidations — share one table: each is a row with its type, scope (the distribution of an
 * invalidation, "" otherwise), unique name and the service's typed config as JSON (opaque here).
 */
export const RESOURCES = defineTable<ResourceRecord>({
  name: "resources",
  key: (record) => resourceKey(record.type, record.id),
  order: (record) => `${record.type}\u0000${String(record.createdTime.getTime()).padStart(15, "0")}\u0000${record.id}`,
  unique: { name: (record) => `${record.type}\u0000${record.scope}\u0000${record.name}` },
  columns: ["key", "type", "scope", "name", "metadata"],
  toRow: (record) => ({
    key: resourceKey(record.type, record.id),
    type: record.type,
    scope: record.scope,
    name: record.name,
    metadata: JSON.stringify({
      id: record.id,
      configJson: record.configJson,
      version: record.version,
      createdTime: record.createdTime.getTime(),
      lastModifiedTime: record.lastModifiedTime.getTime(),
      tags: record.tags.map((tag) => ({ ...tag })),
    } satisfies StoredResource),
  }),
  fromRow: (row) => {
    const stored = JSON.parse(row["metadata"] as string) as StoredResource;
    return {
      type: row["type"] as ResourceType,
      scope: row["scope"] as string,
      name: row["name"] as string,
      id: stored.id,
      configJson: stored.configJson,
      version: stored.version,
      createdTime: new Date(stored.createdTime),
      lastModifiedTime: new Date(stored.lastModifiedTime),
      tags: stored.tags,
    };
  },
});

/** The JSON in `resources.metadata`: the record without the columns, dates in milliseconds. */
interface StoredResource {
  id: string;
  configJson: string;
  version: number;
  createdTime: number;
  lastModifiedTime: number;
  tags: Tag[];
}
