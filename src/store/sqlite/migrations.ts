import type Database from "better-sqlite3";
import { MemoryError } from "../../domain/memory-error.js";

/** Each entry upgrades the schema by one version; never edit a shipped entry, append a new one. */
const MIGRATIONS: readonly string[] = [
  `
  CREATE TABLE tenants (
    id TEXT PRIMARY KEY,
    created_at INTEGER NOT NULL,
    last_seq INTEGER NOT NULL DEFAULT 0
  ) STRICT;

  CREATE TABLE principals (
    tenant_id TEXT NOT NULL REFERENCES tenants(id),
    id TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    PRIMARY KEY (tenant_id, id)
  ) STRICT;

  CREATE TABLE spaces (
    row_id INTEGER PRIMARY KEY,
    tenant_id TEXT NOT NULL REFERENCES tenants(id),
    name TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    UNIQUE (tenant_id, name)
  ) STRICT;

  CREATE TABLE events (
    row_id INTEGER PRIMARY KEY,
    id TEXT NOT NULL,
    tenant_id TEXT NOT NULL REFERENCES tenants(id),
    space_row INTEGER NOT NULL REFERENCES spaces(row_id),
    author_id TEXT NOT NULL,
    memory_id TEXT NOT NULL,
    idempotency_key TEXT,
    content_hash TEXT,
    kind TEXT NOT NULL,
    role TEXT,
    speaker TEXT,
    session_id TEXT,
    text TEXT,
    attachments TEXT,
    metadata TEXT,
    occurred_at INTEGER NOT NULL,
    recorded_at INTEGER NOT NULL,
    purged_at INTEGER,
    UNIQUE (tenant_id, id),
    FOREIGN KEY (tenant_id, author_id) REFERENCES principals(tenant_id, id)
  ) STRICT;
  CREATE UNIQUE INDEX events_idempotency ON events(tenant_id, idempotency_key) WHERE idempotency_key IS NOT NULL;

  CREATE TABLE memories (
    row_id INTEGER PRIMARY KEY,
    id TEXT NOT NULL,
    version INTEGER NOT NULL,
    replaces_version INTEGER,
    tenant_id TEXT NOT NULL REFERENCES tenants(id),
    space_row INTEGER NOT NULL REFERENCES spaces(row_id),
    author_id TEXT NOT NULL,
    kind TEXT NOT NULL,
    text TEXT NOT NULL,
    index_text TEXT NOT NULL,
    tokens INTEGER NOT NULL,
    metadata TEXT NOT NULL,
    importance REAL NOT NULL,
    origin TEXT,
    source_event_ids TEXT NOT NULL,
    session_id TEXT,
    session_pos INTEGER,
    valid_from INTEGER,
    valid_to INTEGER,
    recorded_at INTEGER NOT NULL,
    superseded_at INTEGER,
    forgotten_at INTEGER,
    UNIQUE (tenant_id, id, version),
    FOREIGN KEY (tenant_id, author_id) REFERENCES principals(tenant_id, id)
  ) STRICT;
  CREATE INDEX memories_current ON memories(tenant_id, row_id) WHERE superseded_at IS NULL AND forgotten_at IS NULL;
  -- An episode's place in its conversation ('' is a space's unnamed stream), for neighbouring turns.
  CREATE INDEX memories_session ON memories(tenant_id, space_row, session_id, session_pos) WHERE session_id IS NOT NULL;

  -- Contentless: the text lives only in memories. Not contentless_delete, which only marks a deleted
  -- row and leaves its terms on disk until segments merge: forget() issues FTS5's 'delete' command with
  -- the indexed values instead, and secure-delete then removes the terms themselves.
  CREATE VIRTUAL TABLE memory_text USING fts5(
    text, extra, content='', tokenize='porter unicode61 remove_diacritics 2'
  );
  INSERT INTO memory_text(memory_text, rank) VALUES ('secure-delete', 1);

  CREATE TABLE changes (
    tenant_id TEXT NOT NULL REFERENCES tenants(id),
    seq INTEGER NOT NULL,
    operation TEXT NOT NULL,
    space_row INTEGER NOT NULL REFERENCES spaces(row_id),
    memory_id TEXT,
    version INTEGER,
    at INTEGER NOT NULL,
    PRIMARY KEY (tenant_id, seq)
  ) STRICT, WITHOUT ROWID;
  `,
  `
  -- One vector per memory version and embedder; in-memory indexes are built from these rows. seq is the
  -- save order (never reused), so an index can catch up with vectors saved by any process since.
  -- Little-endian float32 bytes, L2-normalised.
  CREATE TABLE memory_vectors (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    embedder TEXT NOT NULL,
    memory_row INTEGER NOT NULL REFERENCES memories(row_id),
    vector BLOB NOT NULL,
    UNIQUE (embedder, memory_row)
  ) STRICT;
  CREATE INDEX memory_vectors_saved ON memory_vectors(embedder, seq);

  -- The keyword graph: which names and terms each memory version mentions. Two keywords are linked by
  -- the memories that mention both.
  CREATE TABLE memory_keywords (
    tenant_id TEXT NOT NULL,
    keyword TEXT NOT NULL,
    memory_row INTEGER NOT NULL REFERENCES memories(row_id),
    PRIMARY KEY (tenant_id, keyword, memory_row)
  ) STRICT, WITHOUT ROWID;
  CREATE INDEX memory_keywords_row ON memory_keywords(memory_row);
  `,
  `
  -- The durable job queue: background work on events (extraction), enqueued in the transaction that
  -- appended them. A job's effects are written in the transaction that marks it done, under its lease.
  CREATE TABLE jobs (
    row_id INTEGER PRIMARY KEY,
    tenant_id TEXT NOT NULL REFERENCES tenants(id),
    space_row INTEGER NOT NULL REFERENCES spaces(row_id),
    principal_id TEXT NOT NULL,
    kind TEXT NOT NULL,
    event_ids TEXT NOT NULL,
    event_count INTEGER NOT NULL,
    status TEXT NOT NULL,
    attempts INTEGER NOT NULL DEFAULT 0,
    run_after INTEGER NOT NULL,
    lease_token TEXT,
    last_error TEXT,
    last_reply TEXT,
    llm_calls INTEGER NOT NULL DEFAULT 0,
    input_tokens INTEGER NOT NULL DEFAULT 0,
    output_tokens INTEGER NOT NULL DEFAULT 0,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
  ) STRICT;
  -- For a running job run_after is when its lease ends, so one index finds every job ready to claim.
  CREATE INDEX jobs_ready ON jobs(tenant_id, kind, run_after, row_id) WHERE status IN ('pending', 'running');
  CREATE INDEX jobs_status ON jobs(tenant_id, status, row_id);

  -- Typed links between memories (same_entity, updates, contradicts, part_of, follows).
  CREATE TABLE memory_links (
    tenant_id TEXT NOT NULL REFERENCES tenants(id),
    from_id TEXT NOT NULL,
    to_id TEXT NOT NULL,
    type TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    PRIMARY KEY (tenant_id, from_id, to_id, type)
  ) STRICT, WITHOUT ROWID;
  CREATE INDEX memory_links_to ON memory_links(tenant_id, to_id);
  `,
  `
  -- Spaces get a type, a creator, members with roles and an admission policy. Spaces made before this
  -- were open to every principal of their tenant: they become global spaces everyone may write.
  ALTER TABLE spaces ADD COLUMN type TEXT NOT NULL DEFAULT 'global';
  ALTER TABLE spaces ADD COLUMN everyone_role TEXT DEFAULT 'write';
  ALTER TABLE spaces ADD COLUMN created_by TEXT;
  ALTER TABLE spaces ADD COLUMN admission TEXT NOT NULL DEFAULT '{"mode":"always","threshold":0.5}';
  CREATE INDEX spaces_everyone ON spaces(tenant_id) WHERE everyone_role IS NOT NULL;

  -- Idempotency keys become each principal's own: one agent's keys can neither collide with another's
  -- nor tell it anything about them.
  DROP INDEX events_idempotency;
  CREATE UNIQUE INDEX events_idempotency ON events(tenant_id, author_id, idempotency_key) WHERE idempotency_key IS NOT NULL;

  CREATE TABLE space_members (
    tenant_id TEXT NOT NULL,
    space_row INTEGER NOT NULL REFERENCES spaces(row_id),
    principal_id TEXT NOT NULL,
    role TEXT NOT NULL,
    added_at INTEGER NOT NULL,
    PRIMARY KEY (space_row, principal_id),
    FOREIGN KEY (tenant_id, principal_id) REFERENCES principals(tenant_id, id)
  ) STRICT, WITHOUT ROWID;
  CREATE INDEX space_members_principal ON space_members(tenant_id, principal_id);

  -- Whether a memory is in its space for every reader: 'admitted', 'pending' (held for review) or
  -- 'rejected'; admission_why is the decision as JSON.
  ALTER TABLE memories ADD COLUMN admission TEXT NOT NULL DEFAULT 'admitted';
  ALTER TABLE memories ADD COLUMN admission_why TEXT;
  -- Who created the memory (version 1's author), on every version: a principal sees its own memories
  -- whoever revised them since.
  ALTER TABLE memories ADD COLUMN owner_id TEXT;
  UPDATE memories SET owner_id = (SELECT first.author_id FROM memories first WHERE first.tenant_id = memories.tenant_id AND first.id = memories.id AND first.version = 1);

  -- Who made each change, the memory's kind (for subscribers' filters) and owner, and whether only that
  -- owner and the space's admins may see it (changes to memories not admitted).
  ALTER TABLE changes ADD COLUMN actor_id TEXT;
  ALTER TABLE changes ADD COLUMN kind TEXT;
  ALTER TABLE changes ADD COLUMN owner_id TEXT;
  ALTER TABLE changes ADD COLUMN restricted INTEGER NOT NULL DEFAULT 0;

  -- What the admission scorer learns from: how often a memory was in other principals' recalled
  -- contexts, and their verdicts on it (one per principal, the latest).
  CREATE TABLE memory_recalls (
    tenant_id TEXT NOT NULL,
    memory_id TEXT NOT NULL,
    recalls INTEGER NOT NULL,
    PRIMARY KEY (tenant_id, memory_id)
  ) STRICT, WITHOUT ROWID;
  CREATE TABLE memory_feedback (
    tenant_id TEXT NOT NULL,
    memory_id TEXT NOT NULL,
    principal_id TEXT NOT NULL,
    used INTEGER NOT NULL,
    at INTEGER NOT NULL,
    PRIMARY KEY (tenant_id, memory_id, principal_id)
  ) STRICT, WITHOUT ROWID;
  `,
  `
  -- API keys of the server: each acts as one principal of one tenant. Only a hash of the secret is kept.
  CREATE TABLE api_keys (
    id TEXT PRIMARY KEY,
    tenant_id TEXT NOT NULL,
    principal_id TEXT NOT NULL,
    name TEXT NOT NULL,
    secret_hash TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    revoked_at INTEGER
  ) STRICT;
  CREATE INDEX api_keys_tenant ON api_keys(tenant_id, created_at);
  `,
];

export const SCHEMA_VERSION: number = MIGRATIONS.length;

/** Brings the database to SCHEMA_VERSION, one transaction per step, recording each step. */
export function migrate(db: Database.Database, now: () => number): void {
  db.exec("CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, applied_at INTEGER NOT NULL) STRICT");
  const current = Number(db.pragma("user_version", { simple: true }));
  if (current > SCHEMA_VERSION) {
    throw new MemoryError(
      "schema_version",
      `The database is at schema version ${current}, newer than this mnemo understands (${SCHEMA_VERSION}). Upgrade mnemo to open it.`,
      { details: { databaseVersion: current, supportedVersion: SCHEMA_VERSION } },
    );
  }
  for (let version = current + 1; version <= SCHEMA_VERSION; version += 1) {
    db.transaction(() => {
      // Another process may have applied this step while we waited for the write lock.
      if (Number(db.pragma("user_version", { simple: true })) >= version) return;
      db.exec(MIGRATIONS[version - 1]!);
      db.prepare("INSERT INTO schema_migrations (version, applied_at) VALUES (?, ?)").run(version, now());
      db.pragma(`user_version = ${version}`);
    }).immediate();
  }
}
