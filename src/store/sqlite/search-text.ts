import type { Candidate, StoreScope, TermCounts, TextQuery } from "../store.js";
import { compareNewerFirst } from "../../domain/compare-newer-first.js";
import type { Access } from "./access.js";
import { memoryFilterSql } from "./memory-filter-sql.js";
import { candidatesAt } from "./candidates-at.js";
import { CANDIDATE_COLUMNS, toCandidate, type CandidateRow } from "./memory-row.js";
import type { SqliteSession } from "./sqlite-session.js";

/** Weight of the `extra` column (speaker, captions) against the memory text in BM25. */
const EXTRA_COLUMN_WEIGHT = 0.5;

export function termCounts(session: SqliteSession, terms: readonly string[]): TermCounts {
  const count = session.statement("SELECT COUNT(*) AS n FROM memory_text WHERE memory_text MATCH ?");
  const total = (session.statement("SELECT COALESCE(MAX(row_id), 0) AS n FROM memories").get() as { n: number }).n;
  return { total, counts: terms.map((term) => (count.get(quote(term)) as { n: number }).n) };
}

/** The full-text index's own top matches are read this many times over the limit, to survive the filters. */
const FILTER_HEADROOM = 4;

/**
 * Two steps: the full-text index's best matches by BM25 alone (cheap: no joins), then the filters on
 * those rows. When the index had more to give and either the filters left fewer than `limit` (other
 * tenants' or spaces' rows crowded the top) or the last kept score ties the cutoff (equal scores go to
 * the newer world time, which the index does not know), it falls back to joining every match.
 */
export function searchText(session: SqliteSession, scope: StoreScope, access: Access, query: TextQuery): Candidate[] {
  if (query.terms.length === 0) return [];
  const match = query.terms.map(quote).join(" OR ");
  const innerLimit = query.limit * FILTER_HEADROOM;
  const top = session
    .statement(`SELECT rowid AS key, -bm25(memory_text, 1.0, ${EXTRA_COLUMN_WEIGHT}) AS score FROM memory_text WHERE memory_text MATCH ? ORDER BY score DESC LIMIT ?`)
    .all(match, innerLimit) as { key: number; score: number }[];
  const scores = new Map(top.map((row) => [row.key, row.score]));
  const kept = candidatesAt(session, scope, access, { ...query, keys: top.map((row) => row.key) })
    .map((candidate) => ({ ...candidate, score: scores.get(candidate.key) ?? 0 }))
    .sort((a, b) => b.score - a.score || compareNewerFirst(a.validFrom, b.validFrom) || b.key - a.key);
  if (top.length < innerLimit) return kept.slice(0, query.limit);
  // Matches tied with the index's cutoff may lie beyond it, and the newer of equal scores must win.
  const last = kept[query.limit - 1];
  if (last !== undefined && last.score > top.at(-1)!.score) return kept.slice(0, query.limit);
  return searchAllMatches(session, scope, access, query, match);
}

function searchAllMatches(session: SqliteSession, scope: StoreScope, access: Access, query: TextQuery, match: string): Candidate[] {
  const { where, parameters } = memoryFilterSql(scope.tenantId, access, query);
  const sql = `SELECT ${CANDIDATE_COLUMNS}, -bm25(memory_text, 1.0, ${EXTRA_COLUMN_WEIGHT}) AS score
    FROM memory_text JOIN memories m ON m.row_id = memory_text.rowid JOIN spaces s ON s.row_id = m.space_row
    WHERE memory_text MATCH ? AND ${where.join(" AND ")}
    ORDER BY score DESC, m.valid_from DESC, m.row_id DESC LIMIT ?`;
  const rows = session.statement(sql).all(match, ...parameters, query.limit) as (CandidateRow & { score: number })[];
  return rows.map((row) => toCandidate(row, row.score));
}

/** A plain word as an FTS5 string: no query syntax gets through. */
function quote(term: string): string {
  return `"${term.replaceAll('"', '""')}"`;
}
