import { toIso } from "../../domain/time.js";
import type { ChangeEvent, ChangeOperation, MemoryKind } from "../../domain/types.js";
import type { ChangePage, ChangeQuery, StoreScope } from "../store.js";
import { readAccess, visibleMemorySql, type Access } from "./access.js";
import { MEMORY_COLUMNS, toMemoryRecord, type MemoryRow } from "./memory-row.js";
import type { SqliteSession } from "./sqlite-session.js";

interface ChangeRow {
  seq: number;
  operation: ChangeOperation;
  space: string;
  memory_id: string | null;
  version: number | null;
  kind: MemoryKind | null;
  actor_id: string | null;
  at: number;
}

/**
 * One read transaction, so the cursor it returns (the tenant's last sequence number when nothing more
 * is visible) cannot run ahead of a commit it did not see.
 */
export function changesSince(session: SqliteSession, scope: StoreScope, query: ChangeQuery): ChangePage {
  return session.db.transaction(() => {
    const access = readAccess(session, scope);
    const where = [
      "c.tenant_id = @tenant",
      "c.seq > @after",
      "c.space_row IN (SELECT value FROM json_each(@readable))",
      "(c.restricted = 0 OR c.owner_id = @principal OR c.space_row IN (SELECT value FROM json_each(@admin)))",
    ];
    const parameters: Record<string, unknown> = { tenant: scope.tenantId, after: query.after, readable: access.readable, principal: scope.principalId, admin: access.admin, limit: query.limit };
    if (query.spaces) {
      where.push("s.name IN (SELECT value FROM json_each(@spaces))");
      parameters["spaces"] = JSON.stringify(query.spaces);
    }
    if (query.kinds) {
      where.push("c.kind IN (SELECT value FROM json_each(@kinds))");
      parameters["kinds"] = JSON.stringify(query.kinds);
    }
    const rows = session
      .statement(
        `SELECT c.seq, c.operation, s.name AS space, c.memory_id, c.version, c.kind, c.actor_id, c.at
         FROM changes c JOIN spaces s ON s.row_id = c.space_row WHERE ${where.join(" AND ")} ORDER BY c.seq LIMIT @limit`,
      )
      .all(parameters) as ChangeRow[];
    const memories = loadVersions(session, scope, access, rows);
    const changes = rows.map((row): ChangeEvent => {
      const memory = row.memory_id === null ? null : (memories.get(`${row.memory_id}\u0000${row.version ?? ""}`) ?? null);
      return {
        seq: row.seq,
        operation: row.operation,
        space: row.space,
        memoryId: row.memory_id,
        version: row.version,
        kind: row.kind,
        actor: row.actor_id ?? "",
        at: toIso(row.at)!,
        memory,
      };
    });
    if (query.limit > 0 && rows.length === query.limit) return { changes, cursor: rows.at(-1)!.seq };
    const last = session.statement("SELECT last_seq FROM tenants WHERE id = ?").get(scope.tenantId) as { last_seq: number } | undefined;
    return { changes, cursor: Math.max(query.after, last?.last_seq ?? 0) };
  })();
}

/**
 * The version each change wrote (the current one for forgetting: its tombstone), keyed by id and version,
 * if the reader may see that memory now: a change it was shown once carries no content it has lost
 * the right to since.
 */
function loadVersions(session: SqliteSession, scope: StoreScope, access: Access, rows: readonly ChangeRow[]): Map<string, ReturnType<typeof toMemoryRecord>> {
  const wanted = rows.filter((row) => row.memory_id !== null).map((row) => [row.memory_id, row.version]);
  if (wanted.length === 0) return new Map();
  const visible = visibleMemorySql(access, { held: true });
  const condition = visible.where.join(" AND ");
  // Two lookups rather than one OR, so that each uses the (tenant, id, version) index.
  const found = session
    .statement(
      `SELECT ${MEMORY_COLUMNS}, m.version AS wanted_version
       FROM json_each(?) w CROSS JOIN memories m ON m.tenant_id = ? AND m.id = w.value ->> '$[0]' AND m.version = w.value ->> '$[1]'
       JOIN spaces s ON s.row_id = m.space_row WHERE w.value ->> '$[1]' IS NOT NULL AND ${condition}
       UNION ALL
       SELECT ${MEMORY_COLUMNS}, NULL AS wanted_version
       FROM json_each(?) w CROSS JOIN memories m ON m.tenant_id = ? AND m.id = w.value ->> '$[0]' AND m.superseded_at IS NULL
       JOIN spaces s ON s.row_id = m.space_row WHERE w.value ->> '$[1]' IS NULL AND ${condition}`,
    )
    .all(JSON.stringify(wanted), scope.tenantId, ...visible.parameters, JSON.stringify(wanted), scope.tenantId, ...visible.parameters) as (MemoryRow & {
    wanted_version: number | null;
  })[];
  return new Map(found.map((row) => [`${row.id}\u0000${row.wanted_version ?? ""}`, toMemoryRecord(row)]));
}

/** Listeners per tenant; polls the file for other processes' commits while anyone listens. */
export class ChangeWatchers {
  readonly #listeners = new Map<string, Set<() => void>>();
  readonly #seen = new Map<string, number>();
  #timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly lastSeq: (tenantId: string) => number | undefined,
    private readonly pollMs: number,
  ) {}

  watch(tenantId: string, listener: () => void): () => void {
    const listeners = this.#listeners.get(tenantId) ?? new Set();
    listeners.add(listener);
    this.#listeners.set(tenantId, listeners);
    this.#startPolling();
    return () => {
      listeners.delete(listener);
      if (listeners.size === 0) this.#listeners.delete(tenantId);
      if (this.#listeners.size === 0) this.stop();
    };
  }

  /** After a commit through this store: wakes the tenant's listeners, and spares them the poll's second wake-up. */
  committed(tenantId: string): void {
    if (!this.#listeners.has(tenantId)) return;
    if (this.#timer) {
      const seq = this.lastSeq(tenantId);
      if (seq !== undefined) this.#seen.set(tenantId, seq);
    }
    this.notify(tenantId);
  }

  notify(tenantId: string): void {
    for (const listener of this.#listeners.get(tenantId) ?? []) {
      try {
        listener();
      } catch (error) {
        // The commit that led here succeeded; a listener's failure must not turn it into an error.
        process.emitWarning(`mnemo: a change listener threw: ${(error as Error)?.message ?? String(error)}`, "MnemoChangeWarning");
      }
    }
  }

  stop(): void {
    clearInterval(this.#timer);
    this.#timer = undefined;
  }

  #startPolling(): void {
    if (this.#timer || this.pollMs <= 0) return;
    this.#timer = setInterval(() => this.#poll(), this.pollMs);
    // Waiting for changes must not keep the process alive on its own.
    this.#timer.unref();
  }

  #poll(): void {
    for (const tenantId of this.#listeners.keys()) {
      let seq: number | undefined;
      try {
        seq = this.lastSeq(tenantId);
      } catch {
        // A closed or busy database: try again next tick, or stop when the store closes.
        continue;
      }
      if (seq === undefined || seq === this.#seen.get(tenantId)) continue;
      // The first reading wakes listeners too: a commit may have landed between their last read and it.
      this.#seen.set(tenantId, seq);
      this.notify(tenantId);
    }
  }
}
