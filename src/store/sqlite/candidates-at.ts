import type { Candidate, KeyQuery, StoreScope } from "../store.js";
import type { Access } from "./access.js";
import { memoryFilterSql } from "./memory-filter-sql.js";
import { CANDIDATE_COLUMNS, toCandidate, type CandidateRow } from "./memory-row.js";
import type { SqliteSession } from "./sqlite-session.js";

export function candidatesAt(session: SqliteSession, scope: StoreScope, access: Access, query: KeyQuery): Candidate[] {
  if (query.keys.length === 0) return [];
  const { where, parameters } = memoryFilterSql(scope.tenantId, access, query);
  // One JSON parameter keeps the statement text fixed; CROSS JOIN makes the keys drive the lookup.
  const sql = `SELECT ${CANDIDATE_COLUMNS}
    FROM json_each(?) k CROSS JOIN memories m ON m.row_id = k.value JOIN spaces s ON s.row_id = m.space_row
    WHERE ${where.join(" AND ")} ORDER BY k.key`;
  const rows = session.statement(sql).all(JSON.stringify(query.keys), ...parameters) as CandidateRow[];
  return rows.map((row) => toCandidate(row, 0));
}
