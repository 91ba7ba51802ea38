import { MemoryError } from "../../domain/memory-error.js";
import type { MemoryRecord } from "../../domain/types.js";
import type { StoreScope, VersionUpdate } from "../store.js";
import { allows } from "../../domain/spaces.js";
import { forbidden, readAccess, type Access } from "./access.js";
import { MEMORY_COLUMNS, toAdmissionRecord, toMemoryRecord, type MemoryRow } from "./memory-row.js";
import { insertMemoryVersion } from "./insert-memory-version.js";
import type { SqliteSession } from "./sqlite-session.js";

export interface CurrentRow {
  row_id: number;
  version: number;
  space_row: number;
  space_name: string;
  owner_id: string;
  kind: string;
  source_event_ids: string;
  session_id: string | null;
  session_pos: number | null;
  forgotten_at: number | null;
  admission: string;
  admission_why: string | null;
}

/**
 * The current version of a memory the caller may see (own, admitted, or in a space it administers), or
 * `not_found`; with `needed`, also `forbidden` when the caller's role in its space falls short.
 */
export function visibleCurrent(session: SqliteSession, scope: StoreScope, access: Access, id: string, needed?: "write" | "admin"): CurrentRow {
  const current = session
    .statement(
      `SELECT m.row_id, m.version, m.space_row, s.name AS space_name, m.owner_id, m.kind, m.source_event_ids, m.session_id, m.session_pos,
         m.forgotten_at, m.admission, m.admission_why
       FROM memories m JOIN spaces s ON s.row_id = m.space_row WHERE m.tenant_id = ? AND m.id = ? AND m.superseded_at IS NULL`,
    )
    .get(scope.tenantId, id) as CurrentRow | undefined;
  const role = current ? (access.roles.get(current.space_row) ?? null) : null;
  const visible = current !== undefined && role !== null && (current.admission === "admitted" || current.owner_id === scope.principalId || role === "admin");
  if (!visible) throw notFound(id);
  if (needed !== undefined && !allows(role, needed)) throw forbidden(`space "${current.space_name}"`, role, needed);
  return current;
}

export function updateMemory(session: SqliteSession, scope: StoreScope, update: VersionUpdate, at: number): MemoryRecord {
  return session.write(() => {
    const current = visibleCurrent(session, scope, readAccess(session, scope), update.id, "write");
    if (current.forgotten_at !== null) {
      throw new MemoryError("not_found", `Memory ${update.id} was forgotten; a forgotten memory cannot be updated.`, { details: { id: update.id } });
    }
    if (current.version !== update.expectedVersion) throw versionConflict(update.id, update.expectedVersion, current.version);
    session.statement("UPDATE memories SET superseded_at = ? WHERE row_id = ?").run(at, current.row_id);
    const version = current.version + 1;
    // A new version stays where the memory stands in its space: a held memory stays held.
    const admission = toAdmissionRecord(current.admission, current.admission_why);
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
        owner: current.owner_id,
        admission,
      },
      update.next,
      at,
    );
    session.recordChange({
      tenantId: scope.tenantId,
      operation: "memory.updated",
      spaceRow: current.space_row,
      memoryId: update.id,
      version,
      at,
      actor: scope.principalId,
      kind: current.kind,
      owner: current.owner_id,
      restricted: admission.status !== "admitted",
    });
    return loadRow(session, rowId);
  });
}

export function loadRow(session: SqliteSession, rowId: number): MemoryRecord {
  const row = session.statement(`SELECT ${MEMORY_COLUMNS} FROM memories m JOIN spaces s ON s.row_id = m.space_row WHERE m.row_id = ?`).get(rowId) as MemoryRow;
  return toMemoryRecord(row);
}

export function versionConflict(id: string, expectedVersion: number, currentVersion: number): MemoryError {
  return new MemoryError(
    "conflict",
    `Memory ${id} is at version ${currentVersion}, not the expected ${expectedVersion}: someone else changed it. Read it again and retry with expectedVersion ${currentVersion}.`,
    { details: { id, expectedVersion, currentVersion } },
  );
}

export function notFound(id: string): MemoryError {
  return new MemoryError("not_found", `No memory with id "${id}" that you may see. Check the id (ids come from ingest, recall or list).`, {
    details: { id },
  });
}
