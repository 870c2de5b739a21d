/**
 * Schema history. Migration N brings a database from user_version N-1 to N; never edit one that has
 * shipped, add the next. The store refuses a database newer than it knows.
 *
 * A function is one row: its stages' metadata as JSON and each stage's code as a blob, so that every
 * write is a single-row upsert (the store reads everything into memory at start and never queries).
 */
export const SQLITE_MIGRATIONS: readonly string[] = [
  `
  CREATE TABLE functions (
    name TEXT PRIMARY KEY,
    metadata TEXT NOT NULL,
    development_code BLOB NOT NULL,
    live_code BLOB
  ) STRICT;
  `,
  `
  CREATE TABLE key_value_stores (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL UNIQUE,
    metadata TEXT NOT NULL
  ) STRICT;

  CREATE TABLE key_value_store_keys (
    store_id TEXT NOT NULL REFERENCES key_value_stores(id) ON DELETE CASCADE,
    key TEXT NOT NULL,
    value TEXT NOT NULL,
    PRIMARY KEY (store_id, key)
  ) STRICT, WITHOUT ROWID;
  `,
  `
  CREATE TABLE distributions (
    id TEXT PRIMARY KEY,
    metadata TEXT NOT NULL,
    config TEXT NOT NULL
  ) STRICT;
  `,
  // A distribution's parsed config beside the config as sent; rows written before stay NULL until the
  // distribution service rewrites them (it needs the API's reader, which the store cannot have).
  `
  ALTER TABLE distributions ADD COLUMN parsed_config TEXT;
  `,
  // Policies, origin access controls and invalidations (src/store/tables/resources.ts).
  `
  CREATE TABLE resources (
    key TEXT PRIMARY KEY,
    type TEXT NOT NULL,
    scope TEXT NOT NULL,
    name TEXT NOT NULL,
    metadata TEXT NOT NULL,
    UNIQUE (type, scope, name)
  ) STRICT;
  `,
];
