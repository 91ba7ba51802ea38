import type { Candidate, PositionQuery, StoreScope } from "../store.js";
import type { Access } from "./access.js";
import { memoryFilterSql } from "./memory-filter-sql.js";
import { CANDIDATE_COLUMNS, toCandidate, type CandidateRow } from "./memory-row.js";
import type { SqliteSession } from "./sqlite-session.js";

export function episodesAt(session: SqliteSession, scope: StoreScope, access: Access, query: PositionQuery): Candidate[] {
  if (query.ranges.length === 0) return [];
  const { where, parameters } = memoryFilterSql(scope.tenantId, access, query);
  // The ranges travel as one JSON parameter, so the statement text (and its cached plan) never varies;
  // CROSS JOIN fixes the join order (SQLite honours it), else the planner scans the tenant's memories.
  const sql = `WITH wanted AS (
      SELECT value ->> '$[0]' AS space, value ->> '$[1]' AS session, value ->> '$[2]' AS low, value ->> '$[3]' AS high FROM json_each(?)
    )
    SELECT ${CANDIDATE_COLUMNS}
    FROM wanted w CROSS JOIN spaces s ON s.tenant_id = ? AND s.name = w.space
    CROSS JOIN memories m ON m.tenant_id = s.tenant_id AND m.space_row = s.row_id AND m.session_id = w.session AND m.session_pos BETWEEN w.low AND w.high
    WHERE ${where.join(" AND ")}`;
  const ranges = JSON.stringify(query.ranges.map((range) => [range.space, range.session, range.from, range.to]));
  const rows = session.statement(sql).all(ranges, scope.tenantId, ...parameters) as CandidateRow[];
  return rows.map((row) => toCandidate(row, 0));
}
