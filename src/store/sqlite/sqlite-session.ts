import type Database from "better-sqlite3";
import { MemoryError } from "../../domain/memory-error.js";
import type { ChangeOperation } from "../../domain/types.js";

const MAX_CACHED_STATEMENTS = 256;

/** The open database plus a cache of prepared statements, shared by the store's operation modules. */
export class SqliteSession {
  readonly db: Database.Database;
  readonly #statements = new Map<string, Database.Statement>();
  readonly #changed = new Set<string>();
  #depth = 0;

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
    this.#depth += 1;
    try {
      return this.db.transaction(work).immediate();
    } finally {
      this.#depth -= 1;
      // Only the outermost transaction commits; a nested one is a savepoint inside it.
      if (this.#depth === 0 && this.#changed.size > 0) {
        const tenants = [...this.#changed];
        this.#changed.clear();
        if (!this.db.inTransaction) for (const tenant of tenants) this.onCommit(tenant);
      }
    }
  }

  /** Called after a transaction that recorded changes of `tenantId` committed. */
  onCommit: (tenantId: string) => void = () => {};

  /** Takes the tenant's next `count` change sequence numbers; returns the first. Call inside `write`. */
  nextSeq(tenantId: string, count: number): number {
    const row = this.statement("UPDATE tenants SET last_seq = last_seq + ? WHERE id = ? RETURNING last_seq").get(count, tenantId) as
      | { last_seq: number }
      | undefined;
    if (!row) throw new MemoryError("storage", `Tenant "${tenantId}" is missing; the store was not set up with ensureScope().`);
    return row.last_seq - count + 1;
  }

  /**
   * Writes change records with the tenant's next sequence numbers, taken in one step. Call inside `write`.
   */
  recordChanges(changes: readonly NewChange[]): void {
    const first = changes[0];
    if (!first) return;
    let seq = this.nextSeq(first.tenantId, changes.length);
    for (const change of changes) {
      this.#insertChange(change, seq);
      seq += 1;
    }
  }

  /** Writes one change record with the tenant's next sequence number. Call inside `write`. */
  recordChange(change: NewChange): void {
    this.recordChanges([change]);
  }

  #insertChange(change: NewChange, seq: number): void {
    this.statement(
      "INSERT INTO changes (tenant_id, seq, operation, space_row, memory_id, version, at, actor_id, kind, owner_id, restricted) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
    ).run(
      change.tenantId,
      seq,
      change.operation,
      change.spaceRow,
      change.memoryId,
      change.version,
      change.at,
      change.actor,
      change.kind,
      change.owner,
      change.restricted ? 1 : 0,
    );
    this.#changed.add(change.tenantId);
  }
}

export interface NewChange {
  tenantId: string;
  operation: ChangeOperation;
  spaceRow: number;
  memoryId: string | null;
  version: number | null;
  at: number;
  actor: string;
  kind: string | null;
  /** The memory's owner (its creator); null for space changes. */
  owner: string | null;
  /** Only the owner and the space's admins may see it (a change to a memory that is not admitted). */
  restricted: boolean;
}
