import { admit } from "../../domain/admit.js";
import { MemoryError } from "../../domain/memory-error.js";
import type { AdmissionRecord } from "../../domain/spaces.js";
import type { AppendOptions, AppendOutcome, NewEpisode, StoreScope } from "../store.js";
import { readAccess, requireSpace, type SpaceRow } from "./access.js";
import { enqueueJobs } from "./job-queue.js";
import { insertMemoryVersion } from "./insert-memory-version.js";
import type { NewChange, SqliteSession } from "./sqlite-session.js";

const INSERT_EVENT = `INSERT INTO events (id, tenant_id, space_row, author_id, memory_id, idempotency_key, content_hash, kind, role,
  speaker, session_id, text, attachments, metadata, occurred_at, recorded_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`;

export function appendEvents(session: SqliteSession, scope: StoreScope, entries: readonly NewEpisode[], at: number, options: AppendOptions = {}): AppendOutcome[] {
  return session.write(() => {
    const access = readAccess(session, scope);
    const spaces = new Map<string, SpaceRow>();
    for (const { event } of entries) {
      if (!spaces.has(event.space)) spaces.set(event.space, requireSpace(session, scope, access, event.space, "write"));
    }
    const outcomes: AppendOutcome[] = [];
    const fresh: { entry: NewEpisode; spaceRow: number }[] = [];
    const changes: NewChange[] = [];
    const nextPosition = sessionPositions(session, scope);
    for (const entry of entries) {
      const existing = findByKey(session, scope, entry);
      if (existing) {
        outcomes.push(existing);
        continue;
      }
      const space = spaces.get(entry.event.space)!;
      const admission = admit(space.admission, space.role, entry.admission);
      insertEpisode(session, scope, entry, space.row, nextPosition(space.row, entry.event.sessionId ?? ""), admission, at);
      changes.push({
        tenantId: scope.tenantId,
        operation: "memory.created",
        spaceRow: space.row,
        memoryId: entry.memory.id,
        version: 1,
        at,
        actor: scope.principalId,
        kind: entry.memory.kind,
        owner: scope.principalId,
        restricted: admission.status !== "admitted",
      });
      fresh.push({ entry, spaceRow: space.row });
      outcomes.push({ eventId: entry.event.id, memoryId: entry.memory.id, duplicate: false });
    }
    session.recordChanges(changes);
    if (fresh.length > 0) {
      if (options.enqueue) enqueueJobs(session, scope, options.enqueue, fresh.map(({ entry, spaceRow }) => ({ eventId: entry.event.id, spaceRow })), at);
    }
    return outcomes;
  });
}

function findByKey(session: SqliteSession, scope: StoreScope, entry: NewEpisode): AppendOutcome | undefined {
  const key = entry.event.idempotencyKey;
  if (key === null) return undefined;
  const row = session
    .statement("SELECT id, memory_id, content_hash, purged_at FROM events WHERE tenant_id = ? AND author_id = ? AND idempotency_key = ?")
    .get(scope.tenantId, scope.principalId, key) as { id: string; memory_id: string; content_hash: string | null; purged_at: number | null } | undefined;
  if (!row) return undefined;
  // A purged (forgotten) event keeps its key but not its content: a re-send must not bring it back.
  if (row.purged_at === null && row.content_hash !== entry.event.contentHash) {
    throw new MemoryError(
      "idempotency_conflict",
      `Idempotency key "${key}" was already used for an event with different content (event ${row.id}). Use a new key for new content, or re-send the original unchanged.`,
      { details: { idempotencyKey: key, eventId: row.id } },
    );
  }
  return { eventId: row.id, memoryId: row.memory_id, duplicate: true };
}

/** Hands out each session's next position, reading the last stored one once per session and call. */
function sessionPositions(session: SqliteSession, scope: StoreScope): (spaceRow: number, sessionId: string) => number {
  const last = new Map<string, number>();
  return (spaceRow, sessionId) => {
    const key = `${spaceRow}\u0000${sessionId}`;
    let position = last.get(key);
    if (position === undefined) {
      const row = session
        .statement("SELECT MAX(session_pos) AS position FROM memories WHERE tenant_id = ? AND space_row = ? AND session_id = ?")
        .get(scope.tenantId, spaceRow, sessionId) as { position: number | null };
      position = row.position ?? 0;
    }
    last.set(key, position + 1);
    return position + 1;
  };
}

function insertEpisode(session: SqliteSession, scope: StoreScope, entry: NewEpisode, spaceRow: number, position: number, admission: AdmissionRecord, at: number): void {
  const { event, memory } = entry;
  session
    .statement(INSERT_EVENT)
    .run(
      event.id,
      scope.tenantId,
      spaceRow,
      scope.principalId,
      memory.id,
      event.idempotencyKey,
      event.contentHash,
      event.kind,
      event.role,
      event.speaker,
      event.sessionId,
      event.text,
      JSON.stringify(event.attachments),
      JSON.stringify(event.metadata),
      event.occurredAt,
      at,
    );
  insertMemoryVersion(
    session,
    scope,
    { id: memory.id, version: 1, spaceRow, author: scope.principalId, kind: memory.kind, sourceEventIds: JSON.stringify([event.id]), sessionId: event.sessionId ?? "", sessionPos: position, owner: scope.principalId, admission },
    memory,
    at,
  );
}
