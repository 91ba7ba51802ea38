import { toIso } from "../../domain/time.js";
import type { ForgetResult } from "../../domain/types.js";
import type { StoreScope } from "../store.js";
import type { SqliteSession } from "./sqlite-session.js";
import { readAccess } from "./access.js";
import { notFound, versionConflict, visibleCurrent } from "./update-memory.js";

interface VersionRow {
  row_id: number;
  text: string;
  index_text: string;
  kind: string;
  space_row: number;
  source_event_ids: string;
  forgotten_at: number | null;
}

export function forgetMemory(session: SqliteSession, scope: StoreScope, id: string, at: number, expectedVersion?: number): ForgetResult {
  return session.write(() => {
    const current = visibleCurrent(session, scope, readAccess(session, scope), id, "write");
    if (expectedVersion !== undefined && current.forgotten_at === null && current.version !== expectedVersion) {
      throw versionConflict(id, expectedVersion, current.version);
    }
    const versions = session
      .statement("SELECT row_id, text, index_text, kind, space_row, source_event_ids, forgotten_at FROM memories WHERE tenant_id = ? AND id = ? ORDER BY version")
      .all(scope.tenantId, id) as VersionRow[];
    const first = versions[0];
    if (!first) throw notFound(id);
    if (first.forgotten_at !== null) {
      return { id, forgottenAt: toIso(first.forgotten_at), versionsPurged: 0, eventsPurged: 0 };
    }
    // The index is contentless: removing a row's terms takes the values it indexed.
    for (const version of versions) {
      session
        .statement("INSERT INTO memory_text (memory_text, rowid, text, extra) VALUES ('delete', ?, ?, ?)")
        .run(version.row_id, version.text, version.index_text);
    }
    // Vectors and keywords are derived from the text and can give it away: they go too.
    for (const table of ["memory_vectors", "memory_keywords"]) {
      session.statement(`DELETE FROM ${table} WHERE memory_row IN (SELECT row_id FROM memories WHERE tenant_id = ? AND id = ?)`).run(scope.tenantId, id);
    }
    session
      .statement(
        "UPDATE memories SET text = '', index_text = '', tokens = 0, metadata = '{}', origin = NULL, forgotten_at = ? WHERE tenant_id = ? AND id = ?",
      )
      .run(at, scope.tenantId, id);
    let eventsPurged = 0;
    // An episode is its event's content, so that content goes too; events behind a distilled memory stay,
    // since other memories may derive from them.
    if (first.kind === "episode") {
      for (const eventId of JSON.parse(first.source_event_ids) as string[]) {
        eventsPurged += session
          .statement(
            `UPDATE events SET text = NULL, attachments = NULL, metadata = NULL, speaker = NULL, content_hash = NULL, purged_at = ?
             WHERE tenant_id = ? AND id = ? AND purged_at IS NULL`,
          )
          .run(at, scope.tenantId, eventId).changes;
      }
    }
    session.recordChange({
      tenantId: scope.tenantId,
      operation: "memory.forgotten",
      spaceRow: first.space_row,
      memoryId: id,
      version: null,
      at,
      actor: scope.principalId,
      kind: first.kind,
      owner: current.owner_id,
      restricted: current.admission !== "admitted",
    });
    return { id, forgottenAt: toIso(at), versionsPurged: versions.length, eventsPurged };
  });
}
