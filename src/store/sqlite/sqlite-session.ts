import type Database from "better-sqlite3";
import { MemoryError } from "../../domain/memory-error.js";

const MAX_CACHED_STATEMENTS = 256;

/** The open database plus a cache of prepared statements, shared by the store's operation modules. */
export class SqliteSession {
  readonly db: Database.Database;
  readonly #statements = new Map<string, Database.Statement>();

  constructor(db: Database.Database) {
    this.db = db;
  }

  statement(sql: string): Database.Statement {
    let statement = this.#statements.get(sql);
    if (!statement) {
      // Statement texts vary only with the number of listed spaces and kinds, but a cap keeps any
      // unforeseen variety from growing the cache without bound.
      if (this.#statements.size >= MAX_CACHED_STATEMENTS) this.#statements.clear();
      statement = this.db.prepare(sql);
      this.#statements.set(sql, statement);
    }
    return statement;
  }

  /** Runs `work` in one IMMEDIATE transaction, so concurrent writers queue instead of failing mid-way. */
  write<T>(work: () => T): T {
    return this.db.transaction(work).immediate();
  }

  /** Takes the tenant's next `count` change sequence numbers; returns the first. Call inside `write`. */
  nextSeq(tenantId: string, count: number): number {
    const row = this.statement("UPDATE tenants SET last_seq = last_seq + ? WHERE id = ? RETURNING last_seq").get(count, tenantId) as
      | { last_seq: number }
      | undefined;
    if (!row) throw new MemoryError("storage", `Tenant "${tenantId}" is missing; the store was not set up with ensureScope().`);
    return row.last_seq - count + 1;
  }

  recordChange(change: { tenantId: string; seq: number; operation: string; spaceRow: number; memoryId: string | null; version: number | null; at: number }): void {
    this.statement("INSERT INTO changes (tenant_id, seq, operation, space_row, memory_id, version, at) VALUES (?, ?, ?, ?, ?, ?, ?)").run(
      change.tenantId,
      change.seq,
      change.operation,
      change.spaceRow,
      change.memoryId,
      change.version,
      change.at,
    );
  }

  spaceRows(tenantId: string, names: readonly string[]): Map<string, number> {
    const rows = new Map<string, number>();
    for (const name of new Set(names)) {
      const row = this.statement("SELECT row_id FROM spaces WHERE tenant_id = ? AND name = ?").get(tenantId, name) as { row_id: number } | undefined;
      if (!row) {
        throw new MemoryError("space_not_found", `Space "${name}" does not exist. Create it first (memory.createSpace("${name}")) or write to an existing space.`, {
          details: { space: name },
        });
      }
      rows.set(name, row.row_id);
    }
    return rows;
  }
}
