import type Database from "better-sqlite3";
import { MemoryError } from "../../domain/memory-error.js";
import { toIso } from "../../domain/time.js";
import type { AdmissionPolicy, SpaceDetails, SpaceRecord, SpaceRole } from "../../domain/spaces.js";
import type { ApiKeyRecord, ForgetResult, MemoryKind, MemoryRecord } from "../../domain/types.js";
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
  AdmissionDecision,
  Candidate,
  ChangePage,
  ChangeQuery,
  EmbedQuery,
  EmbedWork,
  KeyQuery,
  ListQuery,
  MemoryStore,
  NewApiKey,
  NewEpisode,
  NewSpace,
  PositionQuery,
  RelatedKeyword,
  StoreScope,
  StoreStats,
  StoredVector,
  TermCounts,
  TextQuery,
  UsefulnessQuery,
  UsefulnessStats,
  VectorPage,
  VersionUpdate,
} from "../store.js";
import { readAccess, visibleMemorySql } from "./access.js";
import { findApiKey, listApiKeys, revokeApiKey, saveApiKey } from "./api-keys.js";
import { decideAdmission } from "./admission.js";
import { ChangeWatchers, changesSince } from "./changes.js";
import { ensurePrincipal, getSpace, insertSpace, listSpaces, setAdmission, setMember } from "./spaces.js";
import { recordFeedback, recordRecalls, usefulness } from "./usage.js";
import { appendEvents } from "./append-events.js";
import { claimJobs, completeJobs, failJobs, jobCounts, listJobs, releaseJobs, replayJobs } from "./job-queue.js";
import { forgetMemory } from "./forget-memory.js";
import { candidatesAt } from "./candidates-at.js";
import { relatedKeywords } from "./memory-keywords.js";
import { memoriesToEmbed, saveVectors, vectorsSince } from "./memory-vectors.js";
import { MEMORY_COLUMNS, toMemoryRecord, type MemoryRow } from "./memory-row.js";
import { SCHEMA_VERSION } from "./migrations.js";
import { addListFilter } from "./memory-filter-sql.js";
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
  readonly #watchers: ChangeWatchers;

  constructor(db: Database.Database, path: string, options: { pollChangesMs: number }) {
    const session = new SqliteSession(db);
    this.#watchers = new ChangeWatchers((tenantId) => {
      const row = this.#session?.statement("SELECT last_seq FROM tenants WHERE id = ?").get(tenantId) as { last_seq: number } | undefined;
      return row?.last_seq;
    }, options.pollChangesMs);
    session.onCommit = (tenantId) => this.#watchers.committed(tenantId);
    this.#session = session;
    this.path = path;
  }

  async ensureScope(scope: StoreScope, defaultSpace: NewSpace, at: number): Promise<void> {
    this.#run((session) =>
      session.write(() => {
        session.statement("INSERT INTO tenants (id, created_at) VALUES (?, ?) ON CONFLICT DO NOTHING").run(scope.tenantId, at);
        ensurePrincipal(session, scope.tenantId, scope.principalId, at);
        const exists = session.statement("SELECT 1 FROM spaces WHERE tenant_id = ? AND name = ?").get(scope.tenantId, defaultSpace.name);
        if (!exists) insertSpace(session, scope, defaultSpace, at);
      }),
    );
  }

  async createSpace(scope: StoreScope, space: NewSpace, at: number): Promise<SpaceRecord> {
    return this.#run((session) => session.write(() => insertSpace(session, scope, space, at)));
  }

  async listSpaces(scope: StoreScope): Promise<SpaceRecord[]> {
    return this.#run((session) => listSpaces(session, scope));
  }

  async getSpace(scope: StoreScope, name: string): Promise<SpaceDetails | undefined> {
    return this.#run((session) => getSpace(session, scope, name));
  }

  async setMember(scope: StoreScope, space: string, member: { principal: string; role: SpaceRole | null }, at: number): Promise<SpaceDetails> {
    return this.#run((session) => setMember(session, scope, space, member, at));
  }

  async setAdmission(scope: StoreScope, space: string, policy: AdmissionPolicy, at: number): Promise<SpaceDetails> {
    return this.#run((session) => setAdmission(session, scope, space, policy, at));
  }

  async decideAdmission(scope: StoreScope, id: string, decision: AdmissionDecision, at: number): Promise<MemoryRecord> {
    return this.#run((session) => decideAdmission(session, scope, id, decision, at));
  }

  async recordFeedback(scope: StoreScope, id: string, used: boolean, at: number): Promise<void> {
    this.#run((session) => recordFeedback(session, scope, id, used, at));
  }

  async recordRecalls(scope: StoreScope, ids: readonly string[]): Promise<void> {
    this.#run((session) => recordRecalls(session, scope, ids));
  }

  async usefulness(scope: StoreScope, query: UsefulnessQuery): Promise<UsefulnessStats> {
    return this.#run((session) => usefulness(session, scope, query));
  }

  async appendEvents(scope: StoreScope, entries: readonly NewEpisode[], at: number, options?: AppendOptions): Promise<AppendOutcome[]> {
    return this.#run((session) => appendEvents(session, scope, entries, at, options));
  }

  async getMemory(scope: StoreScope, id: string, version?: number): Promise<MemoryRecord | undefined> {
    return this.#run((session) => {
      const visible = visibleMemorySql(readAccess(session, scope), { held: true });
      const which = version === undefined ? "m.superseded_at IS NULL" : "m.version = ?";
      const row = session
        .statement(`SELECT ${MEMORY_COLUMNS} ${FROM_MEMORIES} WHERE m.tenant_id = ? AND m.id = ? AND ${which} AND ${visible.where.join(" AND ")}`)
        .get(scope.tenantId, id, ...(version === undefined ? [] : [version]), ...visible.parameters) as MemoryRow | undefined;
      return row && toMemoryRecord(row);
    });
  }

  async memoryHistory(scope: StoreScope, id: string): Promise<MemoryRecord[]> {
    return this.#run((session) => {
      const visible = visibleMemorySql(readAccess(session, scope), { held: true });
      const rows = session
        .statement(`SELECT ${MEMORY_COLUMNS} ${FROM_MEMORIES} WHERE m.tenant_id = ? AND m.id = ? AND ${visible.where.join(" AND ")} ORDER BY m.version`)
        .all(scope.tenantId, id, ...visible.parameters) as MemoryRow[];
      return rows.map(toMemoryRecord);
    });
  }

  async listMemories(scope: StoreScope, query: ListQuery): Promise<{ items: MemoryRecord[]; nextCursor: string | null }> {
    return this.#run((session) => {
      // Asking for statuses shows every visible memory with them (an admin's review queue); otherwise
      // others' memories that are not admitted stay out, as in recall.
      const visible = visibleMemorySql(readAccess(session, scope), { held: query.admission !== undefined });
      const where = ["m.tenant_id = ?", "m.superseded_at IS NULL", "m.forgotten_at IS NULL", ...visible.where];
      const parameters: unknown[] = [scope.tenantId, ...visible.parameters];
      if (query.cursor !== undefined) {
        where.push("m.row_id < ?");
        parameters.push(decodeCursor(query.cursor));
      }
      if (query.admission !== undefined) {
        where.push("m.admission IN (SELECT value FROM json_each(?))");
        parameters.push(JSON.stringify(query.admission));
      }
      addListFilter(query, where, parameters);
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

  async forgetMemory(scope: StoreScope, id: string, at: number, options: { expectedVersion?: number } = {}): Promise<ForgetResult> {
    return this.#run((session) => {
      const result = forgetMemory(session, scope, id, at, options.expectedVersion);
      // secure_delete cleans the main file, but the write-ahead log still holds the frames that first
      // wrote the content: fold them in and truncate the log so the text leaves the disk now.
      if (result.versionsPurged > 0 && this.path !== ":memory:") session.db.pragma("wal_checkpoint(TRUNCATE)");
      return result;
    });
  }

  async searchText(scope: StoreScope, query: TextQuery): Promise<Candidate[]> {
    return this.#run((session) => searchText(session, scope, readAccess(session, scope), query));
  }

  async relatedKeywords(scope: StoreScope, keywords: readonly string[], limit: number): Promise<RelatedKeyword[]> {
    return this.#run((session) => relatedKeywords(session, scope, readAccess(session, scope), keywords, limit));
  }

  async termCounts(terms: readonly string[]): Promise<TermCounts> {
    return this.#run((session) => termCounts(session, terms));
  }

  async episodesAt(scope: StoreScope, query: PositionQuery): Promise<Candidate[]> {
    return this.#run((session) => episodesAt(session, scope, readAccess(session, scope), query));
  }

  async loadMemories(scope: StoreScope, keys: readonly number[]): Promise<MemoryRecord[]> {
    return this.#run((session) => {
      const visible = visibleMemorySql(readAccess(session, scope), { held: false });
      const rows = session
        .statement(
          // One JSON parameter keeps the statement text fixed; CROSS JOIN makes the keys drive the lookup.
          `SELECT ${MEMORY_COLUMNS} FROM json_each(?) k CROSS JOIN memories m ON m.row_id = k.value JOIN spaces s ON s.row_id = m.space_row
           WHERE m.tenant_id = ? AND m.forgotten_at IS NULL AND ${visible.where.join(" AND ")}`,
        )
        .all(JSON.stringify(keys), scope.tenantId, ...visible.parameters) as MemoryRow[];
      const byKey = new Map(rows.map((row) => [row.row_id, toMemoryRecord(row)]));
      return keys.flatMap((key) => byKey.get(key) ?? []);
    });
  }

  async candidatesAt(scope: StoreScope, query: KeyQuery): Promise<Candidate[]> {
    return this.#run((session) => candidatesAt(session, scope, readAccess(session, scope), query));
  }

  async saveVectors(scope: StoreScope, embedder: string, vectors: readonly StoredVector[]): Promise<void> {
    this.#run((session) => saveVectors(session, scope, embedder, vectors));
  }

  async vectorsSince(scope: StoreScope, embedder: string, cursor: number, limit: number): Promise<VectorPage> {
    return this.#run((session) => vectorsSince(session, scope, embedder, cursor, limit));
  }

  async memoriesToEmbed(scope: StoreScope, embedder: string, query: EmbedQuery): Promise<EmbedWork[]> {
    return this.#run((session) => memoriesToEmbed(session, scope, readAccess(session, scope), embedder, query));
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
      const visible = visibleMemorySql(readAccess(session, scope), { held: true });
      // A link is shown only when the caller may see the memories at both ends.
      const seen = `EXISTS (SELECT 1 FROM memories m WHERE m.tenant_id = l.tenant_id AND m.id = %s AND m.superseded_at IS NULL AND ${visible.where.join(" AND ")})`;
      const rows = session
        .statement(
          `SELECT from_id, to_id, type, created_at FROM memory_links l WHERE tenant_id = ? AND (from_id = ? OR to_id = ?)
           AND ${seen.replace("%s", "l.from_id")} AND ${seen.replace("%s", "l.to_id")} ORDER BY created_at, from_id, to_id, type`,
        )
        .all(scope.tenantId, id, id, ...visible.parameters, ...visible.parameters) as { from_id: string; to_id: string; type: string; created_at: number }[];
      return rows.map((row) => ({ from: row.from_id, to: row.to_id, type: row.type, createdAt: toIso(row.created_at) }));
    });
  }

  async changesSince(scope: StoreScope, query: ChangeQuery): Promise<ChangePage> {
    return this.#run((session) => changesSince(session, scope, query));
  }

  watchChanges(tenantId: string, listener: () => void): () => void {
    return this.#watchers.watch(tenantId, listener);
  }

  /** Counts only what the caller may see (as recall does), so they tell nothing of other spaces. */
  async stats(scope: StoreScope): Promise<StoreStats> {
    return this.#run((session) =>
      session.db.transaction(() => {
        const access = readAccess(session, scope);
        const visible = visibleMemorySql(access, { held: false });
        const memories = `FROM memories m WHERE m.tenant_id = ? AND ${visible.where.join(" AND ")}`;
        const count = (sql: string, ...parameters: unknown[]): number => (session.statement(sql).get(...parameters) as { n: number | null }).n ?? 0;
        const kinds = session
          .statement(`SELECT m.kind, COUNT(*) AS n ${memories} AND m.superseded_at IS NULL AND m.forgotten_at IS NULL GROUP BY m.kind ORDER BY m.kind`)
          .all(scope.tenantId, ...visible.parameters) as { kind: MemoryKind; n: number }[];
        const pageCount = Number(session.db.pragma("page_count", { simple: true }));
        const pageSize = Number(session.db.pragma("page_size", { simple: true }));
        return {
          events: count(
            `SELECT COUNT(*) AS n FROM events e CROSS JOIN memories m ON m.tenant_id = e.tenant_id AND m.id = e.memory_id AND m.version = 1
             WHERE e.tenant_id = ? AND ${visible.where.join(" AND ")}`,
            scope.tenantId,
            ...visible.parameters,
          ),
          memoriesByKind: Object.fromEntries(kinds.map((row) => [row.kind, row.n])),
          versions: count(`SELECT COUNT(*) AS n ${memories}`, scope.tenantId, ...visible.parameters),
          forgotten: count(`SELECT COUNT(DISTINCT m.id) AS n ${memories} AND m.forgotten_at IS NOT NULL`, scope.tenantId, ...visible.parameters),
          spaces: access.roles.size,
          lastChangeSeq: count(
            `SELECT c.seq AS n FROM changes c WHERE c.tenant_id = ? AND c.space_row IN (SELECT value FROM json_each(?))
             AND (c.restricted = 0 OR c.owner_id = ? OR c.space_row IN (SELECT value FROM json_each(?))) ORDER BY c.seq DESC LIMIT 1`,
            scope.tenantId,
            access.readable,
            scope.principalId,
            access.admin,
          ),
          ...jobCounts(session, scope),
          details: { path: this.path, schemaVersion: SCHEMA_VERSION, sizeBytes: pageCount * pageSize, journalMode: session.db.pragma("journal_mode", { simple: true }) },
        };
      })(),
    );
  }

  async saveApiKey(key: NewApiKey, at: number): Promise<ApiKeyRecord> {
    return this.#run((session) => saveApiKey(session, key, at));
  }

  async listApiKeys(tenantId?: string): Promise<ApiKeyRecord[]> {
    return this.#run((session) => listApiKeys(session, tenantId));
  }

  async revokeApiKey(id: string, at: number): Promise<ApiKeyRecord> {
    return this.#run((session) => revokeApiKey(session, id, at));
  }

  async findApiKey(id: string): Promise<(ApiKeyRecord & { secretHash: string }) | undefined> {
    return this.#run((session) => findApiKey(session, id));
  }

  async close(): Promise<void> {
    this.#watchers.stop();
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

function decodeCursor(cursor: string): number {
  if (!/^\d{1,15}$/.test(cursor)) {
    throw new MemoryError("invalid_input", `cursor: "${cursor.slice(0, 40)}" is not a cursor this store issued. Pass the nextCursor of a previous page.`, {
      details: { field: "cursor" },
    });
  }
  return Number(cursor);
}
