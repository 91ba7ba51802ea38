export { openSqliteStore, type SqliteStoreOptions } from "./open-sqlite-store.js";
export { SqliteMemoryStore } from "./sqlite-memory-store.js";
export { SCHEMA_VERSION } from "./migrations.js";
