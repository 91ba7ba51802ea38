import type { EmbedQuery, EmbedWork, StoreScope, StoredVector, VectorPage } from "../store.js";
import { visibleMemorySql, type Access } from "./access.js";
import type { SqliteSession } from "./sqlite-session.js";

export function saveVectors(session: SqliteSession, scope: StoreScope, embedder: string, vectors: readonly StoredVector[]): void {
  session.write(() => {
    // REPLACE deletes and inserts, so a replaced vector gets a new seq and reaches every catching-up index.
    const insert = session.statement(
      `INSERT OR REPLACE INTO memory_vectors (embedder, memory_row, vector)
       SELECT ?, row_id, ? FROM memories WHERE row_id = ? AND tenant_id = ? AND forgotten_at IS NULL`,
    );
    for (const { key, vector } of vectors) {
      insert.run(embedder, Buffer.from(vector.buffer, vector.byteOffset, vector.byteLength), key, scope.tenantId);
    }
  });
}

export function vectorsSince(session: SqliteSession, scope: StoreScope, embedder: string, cursor: number, limit: number): VectorPage {
  const rows = session
    .statement(
      // Rows of other tenants and old versions only move the cursor: their bytes are not read out.
      `SELECT seq, key, live, CASE WHEN live THEN vector END AS vector FROM (
         SELECT v.seq AS seq, v.memory_row AS key, v.vector AS vector,
           (m.tenant_id = ? AND m.superseded_at IS NULL AND m.forgotten_at IS NULL) AS live
         FROM memory_vectors v CROSS JOIN memories m ON m.row_id = v.memory_row
         WHERE v.embedder = ? AND v.seq > ? ORDER BY v.seq LIMIT ?
       )`,
    )
    .all(scope.tenantId, embedder, cursor, limit) as { seq: number; key: number; vector: Buffer; live: number }[];
  // The cursor moves past rows that are not returned (other tenants, old versions), so pages never stall.
  return {
    vectors: rows.filter((row) => row.live === 1).map((row) => ({ key: row.key, vector: toFloat32(row.vector) })),
    cursor: rows.at(-1)?.seq ?? cursor,
  };
}

/** Only memories the caller may see: their text goes to the caller's embedding provider. */
export function memoriesToEmbed(session: SqliteSession, scope: StoreScope, access: Access, embedder: string, query: EmbedQuery): EmbedWork[] {
  const visible = visibleMemorySql(access, { held: false });
  const missing = `m.tenant_id = ? AND m.row_id > ? AND m.superseded_at IS NULL AND m.forgotten_at IS NULL AND ${visible.where.join(" AND ")}
    AND NOT EXISTS (SELECT 1 FROM memory_vectors v WHERE v.embedder = ? AND v.memory_row = m.row_id)`;
  const afterKey = query.afterKey ?? 0;
  const rows = (
    query.ids
      ? session
          .statement(
            `SELECT m.row_id, m.id, m.text, m.index_text FROM json_each(?) i CROSS JOIN memories m ON m.tenant_id = ? AND m.id = i.value
             WHERE ${missing} ORDER BY m.row_id LIMIT ?`,
          )
          .all(JSON.stringify(query.ids), scope.tenantId, scope.tenantId, afterKey, ...visible.parameters, embedder, query.limit)
      : session.statement(`SELECT m.row_id, m.id, m.text, m.index_text FROM memories m WHERE ${missing} ORDER BY m.row_id LIMIT ?`).all(scope.tenantId, afterKey, ...visible.parameters, embedder, query.limit)
  ) as { row_id: number; id: string; text: string; index_text: string }[];
  return rows.map((row) => ({ key: row.row_id, id: row.id, text: row.index_text === "" ? row.text : `${row.text}\n${row.index_text}` }));
}

/** A copy, aligned for Float32Array (a Buffer from the driver may start at any byte offset). */
function toFloat32(bytes: Buffer): Float32Array {
  const vector = new Float32Array(bytes.byteLength / 4);
  new Uint8Array(vector.buffer).set(bytes);
  return vector;
}
