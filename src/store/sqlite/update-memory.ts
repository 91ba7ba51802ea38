import { MemoryError } from "../../domain/memory-error.js";
import type { MemoryRecord } from "../../domain/types.js";
import type { StoreScope, VersionUpdate } from "../store.js";
import { MEMORY_COLUMNS, toMemoryRecord, type MemoryRow } from "./memory-row.js";
import { insertMemoryVersion } from "./insert-memory-version.js";
import type { SqliteSession } from "./sqlite-session.js";

interface CurrentRow {
  row_id: number;
  version: number;
  space_row: number;
  kind: string;
  source_event_ids: string;
  session_id: string | null;
  session_pos: number | null;
  forgotten_at: number | null;
}

export function updateMemory(session: SqliteSession, scope: StoreScope, update: VersionUpdate, at: number): MemoryRecord {
  return session.write(() => {
    const current = session
      .statement(
        "SELECT row_id, version, space_row, kind, source_event_ids, session_id, session_pos, forgotten_at FROM memories WHERE tenant_id = ? AND id = ? AND superseded_at IS NULL",
      )
      .get(scope.tenantId, update.id) as CurrentRow | undefined;
    if (!current) throw notFound(update.id);
    if (current.forgotten_at !== null) {
      throw new MemoryError("not_found", `Memory ${update.id} was forgotten; a forgotten memory cannot be updated.`, { details: { id: update.id } });
    }
    if (current.version !== update.expectedVersion) {
      throw new MemoryError(
        "conflict",
        `Memory ${update.id} is at version ${current.version}, not the expected ${update.expectedVersion}: someone else changed it. Read it again and retry with expectedVersion ${current.version}.`,
        { details: { id: update.id, expectedVersion: update.expectedVersion, currentVersion: current.version } },
      );
    }
    session.statement("UPDATE memories SET superseded_at = ? WHERE row_id = ?").run(at, current.row_id);
    const version = current.version + 1;
    const rowId = insertMemoryVersion(
      session,
      scope,
      {
        id: update.id,
        version,
        spaceRow: current.space_row,
        author: scope.principalId,
        kind: current.kind,
        sourceEventIds: current.source_event_ids,
        sessionId: current.session_id,
        sessionPos: current.session_pos,
      },
      update.next,
      at,
    );
    session.recordChange({
      tenantId: scope.tenantId,
      seq: session.nextSeq(scope.tenantId, 1),
      operation: "memory.updated",
      spaceRow: current.space_row,
      memoryId: update.id,
      version,
      at,
    });
    const row = session
      .statement(`SELECT ${MEMORY_COLUMNS} FROM memories m JOIN spaces s ON s.row_id = m.space_row WHERE m.row_id = ?`)
      .get(rowId) as MemoryRow;
    return toMemoryRecord(row);
  });
}

export function notFound(id: string): MemoryError {
  return new MemoryError("not_found", `No memory with id "${id}" in this tenant. Check the id (ids come from ingest, recall or list).`, {
    details: { id },
  });
}
