import type Database from "better-sqlite3";
import { MemoryError } from "../../domain/memory-error.js";
import { toIso } from "../../domain/time.js";
import type { ForgetResult, MemoryKind, MemoryRecord, SpaceRecord } from "../../domain/types.js";
import type {
  AppendOptions,
  AppendOutcome,
  ClaimedJobs,
  CompletedJobs,
  JobClaim,
  JobCompletion,
  JobFailure,
  JobLease,
  JobQuery,
  JobRecord,
  MemoryLink,
  Candidate,
  ChangeOperation,
  ChangeRecord,
  EmbedQuery,
  EmbedWork,
  KeyQuery,
  ListQuery,
  MemoryStore,
  NewEpisode,
  PositionQuery,
  RelatedKeyword,
  StoreScope,
  StoreStats,
  StoredVector,
  TermCounts,
  TextQuery,
  VectorPage,
  VersionUpdate,
} from "../store.js";
import { appendEvents } from "./append-events.js";
import { claimJobs, completeJobs, failJobs, jobCounts, listJobs, releaseJobs, replayJobs } from "./job-queue.js";
import { forgetMemory } from "./forget-memory.js";
import { candidatesAt } from "./candidates-at.js";
import { relatedKeywords } from "./memory-keywords.js";
import { memoriesToEmbed, saveVectors, vectorsSince } from "./memory-vectors.js";
import { MEMORY_COLUMNS, toMemoryRecord, type MemoryRow } from "./memory-row.js";
import { SCHEMA_VERSION } from "./migrations.js";
import { addSpaceAndKindFilter } from "./memory-filter-sql.js";
import { episodesAt } from "./episodes-at.js";
import { searchText, termCounts } from "./search-text.js";
import { SqliteSession } from "./sqlite-session.js";
import { updateMemory } from "./update-memory.js";

const FROM_MEMORIES = "FROM memories m JOIN spaces s ON s.row_id = m.space_row";

/** The embedded store: one SQLite file (WAL, foreign keys, FTS5). Made by `openSqliteStore()`. */
export class SqliteMemoryStore implements MemoryStore {
  readonly name = "sqlite";
  readonly path: string;
  #session: SqliteSession | undefined;

  constructor(db: Database.Database, path: string) {
    this.#session = new SqliteSession(db);
    this.path = path;
  }

  async ensureScope(scope: StoreScope, defaultSpace: string, at: number): Promise<void> {
    this.#run((session) =>
      session.write(() => {
        session.statement("INSERT INTO tenants (id, created_at) VALUES (?, ?) ON CONFLICT DO NOTHING").run(scope.tenantId, at);
        session.statement("INSERT INTO principals (tenant_id, id, created_at) VALUES (?, ?, ?) ON CONFLICT DO NOTHING").run(scope.tenantId, scope.principalId, at);
        insertSpace(session, scope, defaultSpace, at);
      }),
    );
  }

  async createSpace(scope: StoreScope, name: string, at: number): Promise<SpaceRecord> {
    return this.#run((session) => session.write(() => insertSpace(session, scope, name, at)));
  }

  async listSpaces(scope: StoreScope): Promise<SpaceRecord[]> {
    return this.#run((session) => {
      const rows = session.statement("SELECT name, created_at FROM spaces WHERE tenant_id = ? ORDER BY name").all(scope.tenantId) as {
        name: string;
        created_at: number;
      }[];
      return rows.map((row) => ({ name: row.name, createdAt: toIso(row.created_at) }));
    });
  }

  async appendEvents(scope: StoreScope, entries: readonly NewEpisode[], at: number, options?: AppendOptions): Promise<AppendOutcome[]> {
    return this.#run((session) => appendEvents(session, scope, entries, at, options));
  }

  async getMemory(scope: StoreScope, id: string, version?: number): Promise<MemoryRecord | undefined> {
    return this.#run((session) => {
      const row = (
        version === undefined
          ? session.statement(`SELECT ${MEMORY_COLUMNS} ${FROM_MEMORIES} WHERE m.tenant_id = ? AND m.id = ? AND m.superseded_at IS NULL`).get(scope.tenantId, id)
          : session.statement(`SELECT ${MEMORY_COLUMNS} ${FROM_MEMORIES} WHERE m.tenant_id = ? AND m.id = ? AND m.version = ?`).get(scope.tenantId, id, version)
      ) as MemoryRow | undefined;
      return row && toMemoryRecord(row);
    });
  }

  async memoryHistory(scope: StoreScope, id: string): Promise<MemoryRecord[]> {
    return this.#run((session) => {
      const rows = session.statement(`SELECT ${MEMORY_COLUMNS} ${FROM_MEMORIES} WHERE m.tenant_id = ? AND m.id = ? ORDER BY m.version`).all(scope.tenantId, id) as MemoryRow[];
      return rows.map(toMemoryRecord);
    });
  }

  async listMemories(scope: StoreScope, query: ListQuery): Promise<{ items: MemoryRecord[]; nextCursor: string | null }> {
    return this.#run((session) => {
      const where = ["m.tenant_id = ?", "m.superseded_at IS NULL", "m.forgotten_at IS NULL"];
      const parameters: unknown[] = [scope.tenantId];
      if (query.cursor !== undefined) {
        where.push("m.row_id < ?");
        parameters.push(decodeCursor(query.cursor));
      }
      addSpaceAndKindFilter(query, where, parameters);
      const rows = session
        .statement(`SELECT ${MEMORY_COLUMNS} ${FROM_MEMORIES} WHERE ${where.join(" AND ")} ORDER BY m.row_id DESC LIMIT ?`)
        .all(...parameters, query.limit + 1) as MemoryRow[];
      const page = rows.slice(0, query.limit);
      const last = page.at(-1);
      return { items: page.map(toMemoryRecord), nextCursor: rows.length > query.limit && last ? String(last.row_id) : null };
    });
  }

  async updateMemory(scope: StoreScope, update: VersionUpdate, at: number): Promise<MemoryRecord> {
    return this.#run((session) => updateMemory(session, scope, update, at));
  }

  async forgetMemory(scope: StoreScope, id: string, at: number): Promise<ForgetResult> {
    return this.#run((session) => {
      const result = forgetMemory(session, scope, id, at);
      // secure_delete cleans the main file, but the write-ahead log still holds the frames that first
      // wrote the content: fold them in and truncate the log so the text leaves the disk now.
      if (result.versionsPurged > 0 && this.path !== ":memory:") session.db.pragma("wal_checkpoint(TRUNCATE)");
      return result;
    });
  }

  async searchText(scope: StoreScope, query: TextQuery): Promise<Candidate[]> {
    return this.#run((session) => searchText(session, scope, query));
  }

  async relatedKeywords(scope: StoreScope, keywords: readonly string[], limit: number): Promise<RelatedKeyword[]> {
    return this.#run((session) => relatedKeywords(session, scope, keywords, limit));
  }

  async termCounts(terms: readonly string[]): Promise<TermCounts> {
    return this.#run((session) => termCounts(session, terms));
  }

  async episodesAt(scope: StoreScope, query: PositionQuery): Promise<Candidate[]> {
    return this.#run((session) => episodesAt(session, scope, query));
  }

  async loadMemories(scope: StoreScope, keys: readonly number[]): Promise<MemoryRecord[]> {
    return this.#run((session) => {
      const rows = session
        .statement(
          // One JSON parameter keeps the statement text fixed; CROSS JOIN makes the keys drive the lookup.
          `SELECT ${MEMORY_COLUMNS} FROM json_each(?) k CROSS JOIN memories m ON m.row_id = k.value JOIN spaces s ON s.row_id = m.space_row
           WHERE m.tenant_id = ? AND m.forgotten_at IS NULL`,
        )
        .all(JSON.stringify(keys), scope.tenantId) as MemoryRow[];
      const byKey = new Map(rows.map((row) => [row.row_id, toMemoryRecord(row)]));
      return keys.flatMap((key) => byKey.get(key) ?? []);
    });
  }

  async candidatesAt(scope: StoreScope, query: KeyQuery): Promise<Candidate[]> {
    return this.#run((session) => candidatesAt(session, scope, query));
  }

  async saveVectors(scope: StoreScope, embedder: string, vectors: readonly StoredVector[]): Promise<void> {
    this.#run((session) => saveVectors(session, scope, embedder, vectors));
  }

  async vectorsSince(scope: StoreScope, embedder: string, cursor: number, limit: number): Promise<VectorPage> {
    return this.#run((session) => vectorsSince(session, scope, embedder, cursor, limit));
  }

  async memoriesToEmbed(scope: StoreScope, embedder: string, query: EmbedQuery): Promise<EmbedWork[]> {
    return this.#run((session) => memoriesToEmbed(session, scope, embedder, query));
  }

  async claimJobs(scope: StoreScope, claim: JobClaim, at: number): Promise<ClaimedJobs | null> {
    return this.#run((session) => claimJobs(session, scope, claim, at));
  }

  async completeJobs(scope: StoreScope, completion: JobCompletion, at: number): Promise<CompletedJobs> {
    return this.#run((session) => completeJobs(session, scope, completion, at));
  }

  async failJobs(scope: StoreScope, failure: JobFailure, at: number): Promise<void> {
    this.#run((session) => failJobs(session, scope, failure, at));
  }

  async releaseJobs(scope: StoreScope, lease: JobLease, at: number): Promise<void> {
    this.#run((session) => releaseJobs(session, scope, lease, at));
  }

  async listJobs(scope: StoreScope, query: JobQuery): Promise<JobRecord[]> {
    return this.#run((session) => listJobs(session, scope, query));
  }

  async replayJobs(scope: StoreScope, ids: readonly number[] | "dead", at: number): Promise<number> {
    return this.#run((session) => replayJobs(session, scope, ids, at));
  }

  async memoryLinks(scope: StoreScope, id: string): Promise<MemoryLink[]> {
    return this.#run((session) => {
      const rows = session
        .statement(
          `SELECT from_id, to_id, type, created_at FROM memory_links WHERE tenant_id = ? AND from_id = ?
           UNION SELECT from_id, to_id, type, created_at FROM memory_links WHERE tenant_id = ? AND to_id = ? ORDER BY created_at, from_id, to_id, type`,
        )
        .all(scope.tenantId, id, scope.tenantId, id) as { from_id: string; to_id: string; type: string; created_at: number }[];
      return rows.map((row) => ({ from: row.from_id, to: row.to_id, type: row.type, createdAt: toIso(row.created_at) }));
    });
  }

  async changesSince(scope: StoreScope, afterSeq: number, limit: number): Promise<ChangeRecord[]> {
    return this.#run((session) => {
      const rows = session
        .statement(
          `SELECT c.seq, c.operation, s.name AS space, c.memory_id, c.version, c.at FROM changes c JOIN spaces s ON s.row_id = c.space_row
           WHERE c.tenant_id = ? AND c.seq > ? ORDER BY c.seq LIMIT ?`,
        )
        .all(scope.tenantId, afterSeq, limit) as { seq: number; operation: ChangeOperation; space: string; memory_id: string | null; version: number | null; at: number }[];
      return rows.map((row) => ({ seq: row.seq, operation: row.operation, space: row.space, memoryId: row.memory_id, version: row.version, at: row.at }));
    });
  }

  async stats(scope: StoreScope): Promise<StoreStats> {
    return this.#run((session) => {
      const count = (sql: string): number => (session.statement(sql).get(scope.tenantId) as { n: number }).n;
      const kinds = session
        .statement("SELECT kind, COUNT(*) AS n FROM memories WHERE tenant_id = ? AND superseded_at IS NULL AND forgotten_at IS NULL GROUP BY kind ORDER BY kind")
        .all(scope.tenantId) as { kind: MemoryKind; n: number }[];
      const pageCount = Number(session.db.pragma("page_count", { simple: true }));
      const pageSize = Number(session.db.pragma("page_size", { simple: true }));
      return {
        events: count("SELECT COUNT(*) AS n FROM events WHERE tenant_id = ?"),
        memoriesByKind: Object.fromEntries(kinds.map((row) => [row.kind, row.n])),
        versions: count("SELECT COUNT(*) AS n FROM memories WHERE tenant_id = ?"),
        forgotten: count("SELECT COUNT(DISTINCT id) AS n FROM memories WHERE tenant_id = ? AND forgotten_at IS NOT NULL"),
        spaces: count("SELECT COUNT(*) AS n FROM spaces WHERE tenant_id = ?"),
        lastChangeSeq: count("SELECT COALESCE(MAX(last_seq), 0) AS n FROM tenants WHERE id = ?"),
        ...jobCounts(session, scope),
        details: { path: this.path, schemaVersion: SCHEMA_VERSION, sizeBytes: pageCount * pageSize, journalMode: session.db.pragma("journal_mode", { simple: true }) },
      };
    });
  }

  async close(): Promise<void> {
    const session = this.#session;
    this.#session = undefined;
    session?.db.close();
  }

  /** Every operation goes through here: it refuses use after close and wraps driver errors. */
  #run<T>(operation: (session: SqliteSession) => T): T {
    const session = this.#session;
    if (!session) throw new MemoryError("closed", "The SQLite store is closed. Open a new one with openSqliteStore() or createMemory().");
    try {
      return operation(session);
    } catch (error) {
      if (error instanceof MemoryError) throw error;
      const code = (error as { code?: string }).code ?? "unknown";
      throw new MemoryError("storage", `SQLite failed (${code}) on ${this.path}: ${(error as Error).message}`, { cause: error, details: { sqliteCode: code } });
    }
  }
}

function insertSpace(session: SqliteSession, scope: StoreScope, name: string, at: number): SpaceRecord {
  const existing = session.statement("SELECT created_at FROM spaces WHERE tenant_id = ? AND name = ?").get(scope.tenantId, name) as { created_at: number } | undefined;
  if (existing) return { name, createdAt: toIso(existing.created_at) };
  const { lastInsertRowid } = session.statement("INSERT INTO spaces (tenant_id, name, created_at) VALUES (?, ?, ?)").run(scope.tenantId, name, at);
  session.recordChange({ tenantId: scope.tenantId, seq: session.nextSeq(scope.tenantId, 1), operation: "space.created", spaceRow: Number(lastInsertRowid), memoryId: null, version: null, at });
  return { name, createdAt: toIso(at) };
}

function decodeCursor(cursor: string): number {
  if (!/^\d{1,15}$/.test(cursor)) {
    throw new MemoryError("invalid_input", `cursor: "${cursor.slice(0, 40)}" is not a cursor this store issued. Pass the nextCursor of a previous page.`, {
      details: { field: "cursor" },
    });
  }
  return Number(cursor);
}
