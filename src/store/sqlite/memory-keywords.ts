import type { RelatedKeyword, StoreScope } from "../store.js";
import type { Access } from "./access.js";
import type { SqliteSession } from "./sqlite-session.js";

/** A keyword mentioned by more memories than this is read from this many only: its links are diffuse anyway. */
const MAX_SEED_MEMORIES = 500;

export function insertKeywords(session: SqliteSession, scope: StoreScope, memoryRow: number | bigint, keywords: readonly string[]): void {
  const insert = session.statement("INSERT OR IGNORE INTO memory_keywords (tenant_id, keyword, memory_row) VALUES (?, ?, ?)");
  for (const keyword of keywords) insert.run(scope.tenantId, keyword, memoryRow);
}

/** Counts only memories the caller may see, so the graph tells nothing of other spaces. */
export function relatedKeywords(session: SqliteSession, scope: StoreScope, access: Access, keywords: readonly string[], limit: number): RelatedKeyword[] {
  if (keywords.length === 0) return [];
  // The visible set travels as named parameters, used by all three joins.
  const current = `m.row_id = k.memory_row AND m.superseded_at IS NULL AND m.forgotten_at IS NULL
    AND m.space_row IN (SELECT value FROM json_each(@readable)) AND (m.admission = 'admitted' OR m.owner_id = @principal)`;
  const rows = session
    .statement(
      `WITH seeds AS (SELECT DISTINCT value AS keyword FROM json_each(@keywords)),
       seed_rows AS (
         SELECT DISTINCT k.memory_row FROM seeds CROSS JOIN memory_keywords k ON k.tenant_id = @tenant AND k.keyword = seeds.keyword
         CROSS JOIN memories m ON ${current} LIMIT ${MAX_SEED_MEMORIES}
       ),
       linked AS (
         SELECT k.keyword, COUNT(*) AS together FROM seed_rows r CROSS JOIN memory_keywords k ON k.tenant_id = @tenant AND k.memory_row = r.memory_row
         WHERE k.keyword NOT IN (SELECT keyword FROM seeds) GROUP BY k.keyword
       )
       SELECT l.keyword, l.together,
         (SELECT COUNT(*) FROM memory_keywords k CROSS JOIN memories m ON ${current} WHERE k.tenant_id = @tenant AND k.keyword = l.keyword) AS mentions
       FROM linked l`,
    )
    .all({ keywords: JSON.stringify(keywords), tenant: scope.tenantId, readable: access.readable, principal: access.principal }) as RelatedKeyword[];
  return rows
    .filter((row) => row.mentions > 0)
    .sort((a, b) => b.together / b.mentions - a.together / a.mentions || b.together - a.together || (a.keyword < b.keyword ? -1 : 1))
    .slice(0, limit);
}
