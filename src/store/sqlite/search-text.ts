import type { ScoredMemory, StoreScope, TextQuery } from "../store.js";
import { MEMORY_COLUMNS, toMemoryRecord, type MemoryRow } from "./memory-row.js";
import type { SqliteSession } from "./sqlite-session.js";

/** Weight of the `extra` column (speaker, captions) against the memory text in BM25. */
const EXTRA_COLUMN_WEIGHT = 0.5;

export function searchText(session: SqliteSession, scope: StoreScope, query: TextQuery): ScoredMemory[] {
  if (query.terms.length === 0) return [];
  const match = query.terms.map((term) => `"${term.replaceAll('"', '""')}"`).join(" OR ");
  const where: string[] = ["memory_text MATCH ?", "m.tenant_id = ?", "m.forgotten_at IS NULL"];
  const parameters: unknown[] = [match, scope.tenantId];
  if (query.spaces) {
    where.push(`s.name IN (${placeholders(query.spaces)})`);
    parameters.push(...query.spaces);
  }
  if (query.kinds) {
    where.push(`m.kind IN (${placeholders(query.kinds)})`);
    parameters.push(...query.kinds);
  }
  if (query.current) {
    where.push("m.superseded_at IS NULL", "(m.valid_to IS NULL OR m.valid_to > ?)");
    parameters.push(query.asOf);
  } else {
    where.push(
      "m.recorded_at <= ?",
      "(m.superseded_at IS NULL OR m.superseded_at > ?)",
      "(m.valid_from IS NULL OR m.valid_from <= ?)",
      "(m.valid_to IS NULL OR m.valid_to > ?)",
    );
    parameters.push(query.asOf, query.asOf, query.asOf, query.asOf);
  }
  if (query.from !== undefined) {
    where.push("m.valid_from >= ?");
    parameters.push(query.from);
  }
  if (query.to !== undefined) {
    where.push("m.valid_from <= ?");
    parameters.push(query.to);
  }
  const sql = `SELECT ${MEMORY_COLUMNS}, -bm25(memory_text, 1.0, ${EXTRA_COLUMN_WEIGHT}) AS score
    FROM memory_text JOIN memories m ON m.row_id = memory_text.rowid JOIN spaces s ON s.row_id = m.space_row
    WHERE ${where.join(" AND ")}
    ORDER BY score DESC, m.valid_from DESC, m.row_id DESC LIMIT ?`;
  parameters.push(query.limit);
  const rows = session.statement(sql).all(...parameters) as (MemoryRow & { score: number })[];
  return rows.map((row) => ({ memory: toMemoryRecord(row), score: row.score, tokens: row.tokens }));
}

export function placeholders(values: readonly unknown[]): string {
  return values.map(() => "?").join(", ");
}
