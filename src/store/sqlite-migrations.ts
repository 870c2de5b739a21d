/**
 * Schema history. Migration N brings a database from user_version N-1 to N; never edit one that has
 * shipped, add the next. The store refuses a database newer than it knows.
 */
export const SQLITE_MIGRATIONS: readonly string[] = [
  `
  CREATE TABLE functions (
    name TEXT PRIMARY KEY,
    tags TEXT NOT NULL
  ) STRICT;

  CREATE TABLE function_stages (
    function_name TEXT NOT NULL REFERENCES functions(name) ON DELETE CASCADE,
    stage TEXT NOT NULL CHECK (stage IN ('DEVELOPMENT', 'LIVE')),
    version INTEGER NOT NULL,
    comment TEXT NOT NULL,
    runtime TEXT NOT NULL,
    key_value_store_arns TEXT NOT NULL,
    code BLOB NOT NULL,
    created_time INTEGER NOT NULL,
    last_modified_time INTEGER NOT NULL,
    PRIMARY KEY (function_name, stage)
  ) STRICT;
  `,
];
