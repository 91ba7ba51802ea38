import { MemoryError } from "../../domain/memory-error.js";
import { toIso } from "../../domain/time.js";
import type { EventRole } from "../../domain/types.js";
import type { ClaimedJobs, CompletedJobs, JobClaim, JobCompletion, JobFailure, JobLease, JobQuery, JobRecord, JobStatus, JobUsage, StoreScope } from "../store.js";
import { admit } from "../../domain/admit.js";
import { readAccess, requireSpace } from "./access.js";
import { insertMemoryVersion } from "./insert-memory-version.js";
import { MEMORY_COLUMNS, toMemoryRecord, type MemoryRow } from "./memory-row.js";
import type { SqliteSession } from "./sqlite-session.js";
import { updateMemory } from "./update-memory.js";

interface JobRow {
  row_id: number;
  space_row: number;
  principal_id: string;
  kind: string;
  event_ids: string;
  event_count: number;
  attempts: number;
}

/** Called inside the append's transaction: one job per `eventsPerJob` fresh events of a space. */
export function enqueueJobs(
  session: SqliteSession,
  scope: StoreScope,
  request: { kind: string; eventsPerJob: number },
  events: readonly { eventId: string; spaceRow: number }[],
  at: number,
): void {
  const bySpace = new Map<number, string[]>();
  for (const { eventId, spaceRow } of events) {
    const ids = bySpace.get(spaceRow) ?? [];
    ids.push(eventId);
    bySpace.set(spaceRow, ids);
  }
  const insert = session.statement(
    `INSERT INTO jobs (tenant_id, space_row, principal_id, kind, event_ids, event_count, status, run_after, created_at, updated_at)
     VALUES (?, ?, ?, ?, ?, ?, 'pending', ?, ?, ?)`,
  );
  for (const [spaceRow, ids] of bySpace) {
    for (let start = 0; start < ids.length; start += request.eventsPerJob) {
      const chunk = ids.slice(start, start + request.eventsPerJob);
      insert.run(scope.tenantId, spaceRow, scope.principalId, request.kind, JSON.stringify(chunk), chunk.length, at, at, at);
    }
  }
}

export function claimJobs(session: SqliteSession, scope: StoreScope, claim: JobClaim, at: number): ClaimedJobs | null {
  return session.write(() => {
    // A principal runs the jobs of its own writes: the events are its own to read, whatever their admission.
    const ready = `FROM jobs WHERE tenant_id = ? AND kind = ? AND status IN ('pending', 'running') AND run_after <= ? AND principal_id = ?`;
    const first = session
      .statement(`SELECT row_id, space_row, principal_id, kind, event_ids, event_count, attempts ${ready} ORDER BY run_after, row_id LIMIT 1`)
      .get(scope.tenantId, claim.kind, at, scope.principalId) as JobRow | undefined;
    if (!first) return null;
    const jobs = [first];
    // Untried jobs share a batch; a job that failed before runs alone, so it cannot sink the others.
    if (first.attempts === 0) {
      let events = first.event_count;
      const next = session
        .statement(
          `SELECT row_id, space_row, principal_id, kind, event_ids, event_count, attempts ${ready} AND attempts = 0 AND row_id > ? AND space_row = ?
           ORDER BY row_id LIMIT 64`,
        )
        .all(scope.tenantId, claim.kind, at, scope.principalId, first.row_id, first.space_row) as JobRow[];
      for (const job of next) {
        if (events + job.event_count > claim.maxEvents) break;
        events += job.event_count;
        jobs.push(job);
      }
    }
    const mark = session.statement("UPDATE jobs SET status = 'running', attempts = attempts + 1, lease_token = ?, run_after = ?, updated_at = ? WHERE row_id = ?");
    for (const job of jobs) mark.run(claim.leaseToken, at + claim.leaseMs, at, job.row_id);
    const eventIds = jobs.flatMap((job) => JSON.parse(job.event_ids) as string[]);
    const rows = session
      .statement(
        `SELECT e.id, e.text, e.speaker, e.role, e.session_id, e.occurred_at FROM json_each(?) k CROSS JOIN events e ON e.tenant_id = ? AND e.id = k.value
         WHERE e.purged_at IS NULL ORDER BY k.key`,
      )
      .all(JSON.stringify(eventIds), scope.tenantId) as { id: string; text: string; speaker: string | null; role: EventRole | null; session_id: string | null; occurred_at: number }[];
    const space = session.statement("SELECT name FROM spaces WHERE row_id = ?").get(first.space_row) as { name: string };
    return {
      jobIds: jobs.map((job) => job.row_id),
      leaseToken: claim.leaseToken,
      kind: first.kind,
      space: space.name,
      principal: first.principal_id,
      attempt: Math.max(...jobs.map((job) => job.attempts)) + 1,
      events: rows.map((row) => ({ id: row.id, text: row.text, speaker: row.speaker, role: row.role, sessionId: row.session_id, occurredAt: row.occurred_at })),
    };
  });
}

export function completeJobs(session: SqliteSession, scope: StoreScope, completion: JobCompletion, at: number): CompletedJobs {
  return session.write(() => {
    const first = requireLease(session, scope, completion);
    const author = { tenantId: scope.tenantId, principalId: first.principal_id };
    const spaceName = (session.statement("SELECT name FROM spaces WHERE row_id = ?").get(first.space_row) as { name: string }).name;
    // The author may have lost the right to write there since: then the attempt fails, and is retried.
    const space = requireSpace(session, author, readAccess(session, author), spaceName, "write");
    const created = completion.memories.map((memory) => {
      const admission = admit(space.admission, space.role, memory.admission);
      const rowId = insertMemoryVersion(
        session,
        author,
        {
          id: memory.id,
          version: 1,
          spaceRow: first.space_row,
          author: first.principal_id,
          kind: memory.kind,
          sourceEventIds: JSON.stringify(memory.sourceEventIds),
          sessionId: null,
          sessionPos: null,
          owner: first.principal_id,
          admission,
        },
        memory,
        at,
      );
      session.recordChange({
        tenantId: scope.tenantId,
        operation: "memory.created",
        spaceRow: first.space_row,
        memoryId: memory.id,
        version: 1,
        at,
        actor: first.principal_id,
        kind: memory.kind,
        owner: first.principal_id,
        restricted: admission.status !== "admitted",
      });
      return rowId;
    });
    const updated = completion.versions.map((update) => updateMemory(session, author, update, at));
    const link = session.statement("INSERT OR IGNORE INTO memory_links (tenant_id, from_id, to_id, type, created_at) VALUES (?, ?, ?, ?, ?)");
    for (const { from, to, type } of completion.links) link.run(scope.tenantId, from, to, type, at);
    finish(session, scope, completion, "done", null, null, at, completion.usage);
    const load = session.statement(`SELECT ${MEMORY_COLUMNS} FROM memories m JOIN spaces s ON s.row_id = m.space_row WHERE m.row_id = ?`);
    return { created: created.map((rowId) => toMemoryRecord(load.get(rowId) as MemoryRow)), updated };
  });
}

export function failJobs(session: SqliteSession, scope: StoreScope, failure: JobFailure, at: number): void {
  session.write(() => {
    if (!holdsLease(session, scope, failure)) {
      // The usage was paid all the same.
      addUsage(session, scope, failure.jobIds[0]!, failure.usage);
      return;
    }
    finish(session, scope, failure, failure.retryAt === null ? "dead" : "pending", failure.error, failure.reply, at, failure.usage, failure.retryAt ?? at);
  });
}

export function releaseJobs(session: SqliteSession, scope: StoreScope, lease: JobLease, at: number): void {
  session.write(() => {
    if (!holdsLease(session, scope, lease)) return;
    const release = session.statement("UPDATE jobs SET status = 'pending', attempts = attempts - 1, lease_token = NULL, run_after = ?, updated_at = ? WHERE row_id = ?");
    for (const id of lease.jobIds) release.run(at, at, id);
  });
}

export function listJobs(session: SqliteSession, scope: StoreScope, query: JobQuery): JobRecord[] {
  const rows = session
    .statement(
      `SELECT j.*, s.name AS space_name FROM jobs j JOIN spaces s ON s.row_id = j.space_row
       WHERE j.tenant_id = ? AND j.principal_id = ? AND j.row_id < ? AND (? IS NULL OR j.status IN (SELECT value FROM json_each(?))) ORDER BY j.row_id DESC LIMIT ?`,
    )
    .all(scope.tenantId, scope.principalId, query.beforeId ?? Number.MAX_SAFE_INTEGER, query.statuses ? 1 : null, JSON.stringify(query.statuses ?? []), query.limit) as (JobRow & {
    status: JobStatus;
    run_after: number;
    last_error: string | null;
    last_reply: string | null;
    llm_calls: number;
    input_tokens: number;
    output_tokens: number;
    created_at: number;
    updated_at: number;
    space_name: string;
  })[];
  return rows.map((row) => ({
    id: row.row_id,
    kind: row.kind,
    space: row.space_name,
    status: row.status,
    attempts: row.attempts,
    eventIds: JSON.parse(row.event_ids) as string[],
    runAfter: toIso(row.run_after),
    lastError: row.last_error,
    lastReply: row.last_reply,
    llmCalls: row.llm_calls,
    inputTokens: row.input_tokens,
    outputTokens: row.output_tokens,
    createdAt: toIso(row.created_at),
    updatedAt: toIso(row.updated_at),
  }));
}

export function replayJobs(session: SqliteSession, scope: StoreScope, ids: readonly number[] | "dead", at: number): number {
  return session.write(() => {
    const set = "SET status = 'pending', attempts = 0, lease_token = NULL, run_after = ?, updated_at = ?";
    const result =
      ids === "dead"
        ? session.statement(`UPDATE jobs ${set} WHERE tenant_id = ? AND principal_id = ? AND status = 'dead'`).run(at, at, scope.tenantId, scope.principalId)
        : session
            .statement(`UPDATE jobs ${set} WHERE tenant_id = ? AND principal_id = ? AND status = 'dead' AND row_id IN (SELECT value FROM json_each(?))`)
            .run(at, at, scope.tenantId, scope.principalId, JSON.stringify(ids));
    return result.changes;
  });
}

export function jobCounts(session: SqliteSession, scope: StoreScope): { jobs: Record<JobStatus, number>; llm: JobUsage } {
  const jobs: Record<JobStatus, number> = { pending: 0, running: 0, done: 0, dead: 0 };
  const rows = session.statement("SELECT status, COUNT(*) AS n FROM jobs WHERE tenant_id = ? AND principal_id = ? GROUP BY status").all(scope.tenantId, scope.principalId) as {
    status: JobStatus;
    n: number;
  }[];
  for (const row of rows) jobs[row.status] = row.n;
  const usage = session
    .statement("SELECT COALESCE(SUM(llm_calls), 0) AS calls, COALESCE(SUM(input_tokens), 0) AS input, COALESCE(SUM(output_tokens), 0) AS output FROM jobs WHERE tenant_id = ? AND principal_id = ?")
    .get(scope.tenantId, scope.principalId) as { calls: number; input: number; output: number };
  return { jobs, llm: { llmCalls: usage.calls, inputTokens: usage.input, outputTokens: usage.output } };
}

function holdsLease(session: SqliteSession, scope: StoreScope, lease: JobLease): boolean {
  const held = session
    .statement("SELECT COUNT(*) AS n FROM jobs WHERE tenant_id = ? AND status = 'running' AND lease_token = ? AND row_id IN (SELECT value FROM json_each(?))")
    .get(scope.tenantId, lease.leaseToken, JSON.stringify(lease.jobIds)) as { n: number };
  return lease.jobIds.length > 0 && held.n === lease.jobIds.length;
}

function requireLease(session: SqliteSession, scope: StoreScope, lease: JobLease): JobRow {
  if (!holdsLease(session, scope, lease)) {
    throw new MemoryError("conflict", `Jobs ${lease.jobIds.join(", ")} are no longer held under this lease: it ran out and another worker claimed them, or they were finished. Nothing was written.`, {
      details: { lease: true, jobIds: [...lease.jobIds] },
    });
  }
  return session.statement("SELECT row_id, space_row, principal_id, kind, event_ids, event_count, attempts FROM jobs WHERE row_id = ?").get(lease.jobIds[0]) as JobRow;
}

/** Usage is charged to the batch's first job: a batch makes its calls together. */
function finish(session: SqliteSession, scope: StoreScope, lease: JobLease, status: JobStatus, error: string | null, reply: string | null, at: number, usage: JobUsage, runAfter: number = at): void {
  // A job that succeeds after failing keeps its last error, so `mnemo jobs` can tell what went wrong.
  const update = session.statement(
    "UPDATE jobs SET status = ?, lease_token = NULL, last_error = COALESCE(?, last_error), last_reply = COALESCE(?, last_reply), run_after = ?, updated_at = ? WHERE row_id = ?",
  );
  for (const id of lease.jobIds) update.run(status, error, reply, runAfter, at, id);
  addUsage(session, scope, lease.jobIds[0]!, usage);
}

function addUsage(session: SqliteSession, scope: StoreScope, jobId: number, usage: JobUsage): void {
  if (usage.llmCalls === 0 && usage.inputTokens === 0 && usage.outputTokens === 0) return;
  session
    .statement("UPDATE jobs SET llm_calls = llm_calls + ?, input_tokens = input_tokens + ?, output_tokens = output_tokens + ? WHERE row_id = ? AND tenant_id = ?")
    .run(usage.llmCalls, usage.inputTokens, usage.outputTokens, jobId, scope.tenantId);
}
