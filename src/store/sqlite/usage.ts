import type { StoreScope, UsefulnessCounts, UsefulnessQuery, UsefulnessStats } from "../store.js";
import { readAccess, requireSpace } from "./access.js";
import type { SqliteSession } from "./sqlite-session.js";
import { visibleCurrent } from "./update-memory.js";

export function recordFeedback(session: SqliteSession, scope: StoreScope, id: string, used: boolean, at: number): void {
  session.write(() => {
    visibleCurrent(session, scope, readAccess(session, scope), id);
    session
      .statement(
        `INSERT INTO memory_feedback (tenant_id, memory_id, principal_id, used, at) VALUES (?, ?, ?, ?, ?)
         ON CONFLICT (tenant_id, memory_id, principal_id) DO UPDATE SET used = excluded.used, at = excluded.at`,
      )
      .run(scope.tenantId, id, scope.principalId, used ? 1 : 0, at);
  });
}

export function recordRecalls(session: SqliteSession, scope: StoreScope, ids: readonly string[]): void {
  if (ids.length === 0) return;
  session.write(() => {
    session
      .statement(
        // "WHERE true" lets SQLite parse the upsert after a SELECT.
        `INSERT INTO memory_recalls (tenant_id, memory_id, recalls)
         SELECT m.tenant_id, m.id, 1 FROM json_each(?) i CROSS JOIN memories m ON m.tenant_id = ? AND m.id = i.value AND m.superseded_at IS NULL
         WHERE m.author_id != ? ON CONFLICT (tenant_id, memory_id) DO UPDATE SET recalls = recalls + 1`,
      )
      .run(JSON.stringify(ids), scope.tenantId, scope.principalId);
  });
}

interface TouchedRow {
  row_id: number;
  author_id: string;
  recalls: number;
  used: number;
  unused: number;
}

/**
 * Only memories that were ever recalled by or judged by someone are read (the rest count nothing), so the
 * cost follows the feedback, not the size of the space.
 */
export function usefulness(session: SqliteSession, scope: StoreScope, query: UsefulnessQuery): UsefulnessStats {
  const space = requireSpace(session, scope, readAccess(session, scope), query.space, "read");
  const touched = session
    .statement(
      `WITH touched AS (SELECT memory_id FROM memory_recalls WHERE tenant_id = @tenant UNION SELECT memory_id FROM memory_feedback WHERE tenant_id = @tenant)
       SELECT m.row_id, m.author_id,
         COALESCE((SELECT recalls FROM memory_recalls r WHERE r.tenant_id = @tenant AND r.memory_id = m.id), 0) AS recalls,
         (SELECT COUNT(*) FROM memory_feedback f WHERE f.tenant_id = @tenant AND f.memory_id = m.id AND f.principal_id != m.author_id AND f.used = 1) AS used,
         (SELECT COUNT(*) FROM memory_feedback f WHERE f.tenant_id = @tenant AND f.memory_id = m.id AND f.principal_id != m.author_id AND f.used = 0) AS unused
       FROM touched t CROSS JOIN memories m ON m.tenant_id = @tenant AND m.id = t.memory_id
       WHERE m.space_row = @space AND m.superseded_at IS NULL AND m.forgotten_at IS NULL AND m.admission = 'admitted'`,
    )
    .all({ tenant: scope.tenantId, space: space.row }) as TouchedRow[];
  const byRow = new Map(touched.map((row) => [row.row_id, row]));
  const mentions = session
    .statement("SELECT keyword, memory_row FROM json_each(?) r CROSS JOIN memory_keywords k ON k.tenant_id = ? AND k.memory_row = r.value WHERE k.keyword IN (SELECT value FROM json_each(?))")
    .all(JSON.stringify([...byRow.keys()]), scope.tenantId, JSON.stringify(query.keywords)) as { keyword: string; memory_row: number }[];
  return {
    author: sum(touched.filter((row) => row.author_id === query.author)),
    keywords: query.keywords.map((keyword) => ({
      keyword,
      ...sum(mentions.filter((mention) => mention.keyword === keyword).map((mention) => byRow.get(mention.memory_row)!)),
    })),
  };
}

function sum(rows: readonly TouchedRow[]): UsefulnessCounts {
  return {
    memories: rows.length,
    recalls: rows.reduce((total, row) => total + row.recalls, 0),
    used: rows.reduce((total, row) => total + row.used, 0),
    unused: rows.reduce((total, row) => total + row.unused, 0),
  };
}
