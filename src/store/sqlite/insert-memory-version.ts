import { ADMITTED_ALWAYS } from "../../domain/admit.js";
import type { AdmissionRecord } from "../../domain/spaces.js";
import type { MemoryKind } from "../../domain/types.js";
import type { NewMemoryVersion, StoreScope } from "../store.js";
import { insertKeywords } from "./memory-keywords.js";
import type { SqliteSession } from "./sqlite-session.js";

const INSERT_VERSION = `INSERT INTO memories (id, version, replaces_version, tenant_id, space_row, author_id, kind, text, index_text,
  tokens, metadata, importance, origin, source_event_ids, session_id, session_pos, valid_from, valid_to, recorded_at, admission, admission_why, owner_id)
  VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`;

/** Where a version sits, who wrote it and whether it is admitted: what `NewMemoryVersion` leaves to the store. */
export interface VersionPlace {
  id: string;
  version: number;
  spaceRow: number;
  author: string;
  kind: MemoryKind | string;
  /** JSON array of event ids. */
  sourceEventIds: string;
  sessionId: string | null;
  sessionPos: number | null;
  /** Who created the memory; version 1's author. */
  owner: string;
  admission: AdmissionRecord;
}

/** Inserts one memory version with its full-text entry and keywords; returns its row id. */
export function insertMemoryVersion(session: SqliteSession, scope: StoreScope, place: VersionPlace, next: NewMemoryVersion, at: number): number {
  const { status, ...why } = place.admission;
  const { lastInsertRowid } = session
    .statement(INSERT_VERSION)
    .run(
      place.id,
      place.version,
      place.version === 1 ? null : place.version - 1,
      scope.tenantId,
      place.spaceRow,
      place.author,
      place.kind,
      next.text,
      next.indexText,
      next.tokens,
      JSON.stringify(next.metadata),
      next.importance,
      next.origin === null ? null : JSON.stringify(next.origin),
      place.sourceEventIds,
      place.sessionId,
      place.sessionPos,
      next.validFrom,
      next.validTo,
      at,
      status,
      status === ADMITTED_ALWAYS.status && why.why === ADMITTED_ALWAYS.why ? null : JSON.stringify(why),
      place.owner,
    );
  session.statement("INSERT INTO memory_text (rowid, text, extra) VALUES (?, ?, ?)").run(lastInsertRowid, next.text, next.indexText);
  insertKeywords(session, scope, lastInsertRowid, next.keywords);
  return Number(lastInsertRowid);
}
