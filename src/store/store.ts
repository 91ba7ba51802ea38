import type { Attachment, EventKind, EventRole, ForgetResult, JobRecord, JobStatus, JobUsage, MemoryKind, MemoryLink, MemoryOrigin, MemoryRecord, SpaceRecord } from "../domain/types.js";
import type { Candidate, EmbedQuery, EmbedWork, KeyQuery, PositionQuery, RelatedKeyword, StoredVector, TermCounts, TextQuery, VectorPage } from "./store-queries.js";

export type { Candidate, EmbedQuery, EmbedWork, KeyQuery, MemoryFilter, PositionQuery, PositionRange, RelatedKeyword, SessionPosition, StoredVector, TermCounts, TextQuery, VectorPage } from "./store-queries.js";
export { JOB_STATUSES, type JobRecord, type JobStatus, type JobUsage, type MemoryLink } from "../domain/types.js";

/**
 * The storage port. Every backend (SQLite, PostgreSQL) implements it and passes the one contract suite
 * in `src/testing/store-contract.ts`.
 *
 * Contract, for every method:
 * - Everything is scoped: a call sees and touches only rows of `scope.tenantId`. Nothing of another
 *   tenant is ever returned, counted or named in an error.
 * - Every mutation is one transaction, and writes its change records (with the tenant's next sequence
 *   numbers) inside that same transaction: a crash leaves all of it or none of it.
 * - Times are epoch milliseconds; the caller supplies them (stores never read a clock).
 * - Failures are `MemoryError`s: `not_found`, `conflict`, `idempotency_conflict`, `space_not_found`,
 *   `closed`, `storage` (with the driver's error as `cause`).
 */
export interface MemoryStore {
  /** "sqlite", "postgres", …: reported in stats and bench output. */
  readonly name: string;

  /** Creates the tenant, the principal and the named default space if they do not exist. Idempotent. */
  ensureScope(scope: StoreScope, defaultSpace: string, at: number): Promise<void>;

  /** Creates a space; returns the existing one unchanged if the name is taken. */
  createSpace(scope: StoreScope, name: string, at: number): Promise<SpaceRecord>;
  listSpaces(scope: StoreScope): Promise<SpaceRecord[]>;

  /**
   * Appends events and the episode memory each one becomes, in one transaction, in order.
   * An entry whose idempotency key is already stored (or appears earlier in the same call) with the same
   * `contentHash` writes nothing and reports the stored ids with `duplicate: true`; with another hash the
   * whole call fails with `idempotency_conflict` and writes nothing. An unknown space fails the whole call
   * with `space_not_found`.
   */
  appendEvents(scope: StoreScope, entries: readonly NewEpisode[], at: number, options?: AppendOptions): Promise<AppendOutcome[]>;

  /** The current version, or a given one; forgotten memories come back as tombstones. */
  getMemory(scope: StoreScope, id: string, version?: number): Promise<MemoryRecord | undefined>;
  /** Every version, oldest first; empty if the memory does not exist. */
  memoryHistory(scope: StoreScope, id: string): Promise<MemoryRecord[]>;
  /** Current, not forgotten memories, newest first, `limit` at a time. */
  listMemories(scope: StoreScope, query: ListQuery): Promise<{ items: MemoryRecord[]; nextCursor: string | null }>;

  /**
   * Compare-and-set: writes `next` as version `expectedVersion + 1` and supersedes the current version,
   * only if the current version is still `expectedVersion`; otherwise fails with `conflict` and
   * `details.currentVersion`. Fails with `not_found` for an unknown or forgotten memory.
   */
  updateMemory(scope: StoreScope, update: VersionUpdate, at: number): Promise<MemoryRecord>;

  /**
   * Purges the content of every version (text, metadata, origin, full-text entries, vectors, keywords) and, for an episode,
   * the content of its source event; keeps a tombstone (ids, versions, times). Forgetting a forgotten
   * memory returns the first tombstone's time and purges nothing more.
   */
  forgetMemory(scope: StoreScope, id: string, at: number): Promise<ForgetResult>;

  /**
   * Full-text candidates, best first (higher `score` is better), tie broken by the newer world time.
   * `terms` are plain lower-case words: the store quotes them, so no query syntax reaches the engine.
   * Candidates are light (no content): rank them, then `loadMemories` the ones you keep.
   */
  searchText(scope: StoreScope, query: TextQuery): Promise<Candidate[]>;

  /**
   * How many indexed memory versions contain each term (as `searchText` matches it), and how many there
   * are in all: the statistics BM25 weighs terms by. They describe the whole index, like BM25's own, so
   * they steer ranking only and never decide what is returned.
   */
  termCounts(terms: readonly string[]): Promise<TermCounts>;

  /**
   * The keywords that current, not forgotten memories mention together with any of `keywords`, most
   * strongly linked first: by how many memories mention both, relative to how many mention the related
   * keyword at all. Keywords named in the query are left out; unknown ones link to nothing.
   */
  relatedKeywords(scope: StoreScope, keywords: readonly string[], limit: number): Promise<RelatedKeyword[]>;

  /**
   * The episodes at the given positions of their sessions (ranges, both ends included), under the same
   * filters as `searchText`, each with score 0. Positions count the episodes of a session (in a space)
   * in ingest order, from 1.
   */
  episodesAt(scope: StoreScope, query: PositionQuery): Promise<Candidate[]>;

  /**
   * The memory versions behind candidates' keys, in the order of `keys`. A key of another tenant, or of
   * a version forgotten since, is left out.
   */
  loadMemories(scope: StoreScope, keys: readonly number[]): Promise<MemoryRecord[]>;

  /**
   * Light candidates for the given keys, in the order of `keys`, each with score 0; keys that fail the
   * filter (another tenant, superseded or forgotten since, outside the spaces or times) are left out.
   */
  candidatesAt(scope: StoreScope, query: KeyQuery): Promise<Candidate[]>;

  /**
   * Stores each memory version's vector from `embedder`, replacing one stored before. Keys of another
   * tenant, or of memories forgotten since, are skipped. One transaction.
   */
  saveVectors(scope: StoreScope, embedder: string, vectors: readonly StoredVector[]): Promise<void>;
  /**
   * Vectors from `embedder` of current, not forgotten memories, saved after `cursor` (0 for all), in save
   * order, at most `limit`, with the cursor to pass next time: an index built from these pages catches up
   * with what any process saved since, by calling again with the last cursor.
   */
  vectorsSince(scope: StoreScope, embedder: string, cursor: number, limit: number): Promise<VectorPage>;
  /**
   * Current, not forgotten memories that have no vector from `embedder` yet, oldest first (by key), at
   * most `limit`; only those with the given `ids` when listed, and keys above `afterKey` when given.
   */
  memoriesToEmbed(scope: StoreScope, embedder: string, query: EmbedQuery): Promise<EmbedWork[]>;

  /**
   * Claims the oldest ready job of `claim.kind` (pending and due by `at`, or running with its lease
   * expired), and, when that job has never been tried, the ready untried jobs after it of the same space
   * and principal, while their events add up to at most `claim.maxEvents`. The claimed jobs are
   * `running` under `claim.leaseToken` until `at + claim.leaseMs`, their attempts counted. Null when no
   * job is ready. Events forgotten since they were enqueued are left out of `events`.
   */
  claimJobs(scope: StoreScope, claim: JobClaim, at: number): Promise<ClaimedJobs | null>;
  /**
   * In one transaction: checks the lease is still held (else `conflict` with `details.lease`), writes the
   * derived memories, the new versions (compare-and-set, as `updateMemory`: a `conflict` undoes the whole
   * call), the links, and marks the jobs `done` with the usage recorded. So a job's effects are written
   * exactly once, however often it was claimed.
   */
  completeJobs(scope: StoreScope, completion: JobCompletion, at: number): Promise<CompletedJobs>;
  /**
   * Records a failed attempt: the jobs go back to `pending` until `failure.retryAt`, or to `dead` when it
   * is null. A lost lease makes this a no-op (the job is someone else's now). Usage is recorded either way.
   */
  failJobs(scope: StoreScope, failure: JobFailure, at: number): Promise<void>;
  /** Hands claimed jobs back untried (e.g. on shutdown): pending at once, the attempt not counted. */
  releaseJobs(scope: StoreScope, lease: JobLease, at: number): Promise<void>;
  /** Jobs newest first, optionally only those in `statuses`, at most `limit`, ids below `beforeId`. */
  listJobs(scope: StoreScope, query: JobQuery): Promise<JobRecord[]>;
  /** Puts dead jobs (all, or those listed) back to pending with their attempts reset; returns how many. */
  replayJobs(scope: StoreScope, ids: readonly number[] | "dead", at: number): Promise<number>;
  /** Links from and to the memory, oldest first. */
  memoryLinks(scope: StoreScope, id: string): Promise<MemoryLink[]>;

  /** Change records after `afterSeq`, in sequence order. */
  changesSince(scope: StoreScope, afterSeq: number, limit: number): Promise<ChangeRecord[]>;

  stats(scope: StoreScope): Promise<StoreStats>;

  /** Releases the backend. A second call is a no-op; any other call after it fails with `closed`. */
  close(): Promise<void>;
}

export interface StoreScope {
  tenantId: string;
  principalId: string;
}

export interface AppendOptions {
  /**
   * Enqueues the fresh (not duplicate) events for background work in the same transaction: one job of
   * `kind` per `eventsPerJob` events of a space, in order.
   */
  enqueue?: { kind: string; eventsPerJob: number };
}

export interface NewEpisode {
  event: NewEvent;
  memory: NewMemoryVersion & { id: string; kind: MemoryKind };
}

export interface NewEvent {
  id: string;
  idempotencyKey: string | null;
  contentHash: string;
  space: string;
  kind: EventKind;
  role: EventRole | null;
  speaker: string | null;
  sessionId: string | null;
  text: string;
  attachments: Attachment[];
  metadata: Record<string, unknown>;
  occurredAt: number;
}

/** The content of one memory version, as the engine prepared it. */
export interface NewMemoryVersion {
  text: string;
  /** Extra words indexed with lower weight: speaker, attachment captions. */
  indexText: string;
  /** The names and terms it mentions (lower-case): its nodes in the keyword graph. */
  keywords: string[];
  /** Tokens the memory's line takes in an assembled context. */
  tokens: number;
  metadata: Record<string, unknown>;
  importance: number;
  origin: MemoryOrigin | null;
  validFrom: number | null;
  validTo: number | null;
}

export interface AppendOutcome {
  eventId: string;
  memoryId: string;
  duplicate: boolean;
}

export interface VersionUpdate {
  id: string;
  expectedVersion: number;
  next: NewMemoryVersion;
}

export interface ListQuery {
  spaces?: readonly string[];
  kinds?: readonly MemoryKind[];
  limit: number;
  cursor?: string;
}

export interface JobLease {
  jobIds: readonly number[];
  leaseToken: string;
}

export interface JobClaim {
  kind: string;
  maxEvents: number;
  leaseMs: number;
  leaseToken: string;
}

/** An event as a job works on it. */
export interface JobEvent {
  id: string;
  text: string;
  speaker: string | null;
  role: EventRole | null;
  sessionId: string | null;
  occurredAt: number;
}

export interface ClaimedJobs extends JobLease {
  kind: string;
  space: string;
  /** The principal that enqueued the jobs: the author of what they write. */
  principal: string;
  /** The highest attempt number among the jobs, this one included (1 on a first try). */
  attempt: number;
  events: JobEvent[];
}

/** A memory a job derived from events; written into the jobs' space as version 1. */
export interface NewDerivedMemory extends NewMemoryVersion {
  id: string;
  kind: MemoryKind;
  sourceEventIds: string[];
}

export interface NewLink {
  from: string;
  to: string;
  type: string;
}

export interface JobCompletion extends JobLease {
  memories: readonly NewDerivedMemory[];
  versions: readonly VersionUpdate[];
  links: readonly NewLink[];
  usage: JobUsage;
}

export interface CompletedJobs {
  /** The new memories, then the new versions, as stored. */
  created: MemoryRecord[];
  updated: MemoryRecord[];
}

export interface JobFailure extends JobLease {
  error: string;
  /** The model's last reply, kept for inspection. */
  reply: string | null;
  /** Epoch ms; null sends the jobs to the dead-letter list. */
  retryAt: number | null;
  usage: JobUsage;
}

export interface JobQuery {
  statuses?: readonly JobStatus[];
  limit: number;
  beforeId?: number;
}


export type ChangeOperation = "space.created" | "memory.created" | "memory.updated" | "memory.forgotten";

export interface ChangeRecord {
  seq: number;
  operation: ChangeOperation;
  space: string;
  memoryId: string | null;
  version: number | null;
  at: number;
}

export interface StoreStats {
  events: number;
  memoriesByKind: Partial<Record<MemoryKind, number>>;
  versions: number;
  forgotten: number;
  spaces: number;
  lastChangeSeq: number;
  jobs: Record<JobStatus, number>;
  /** Totals over every job's attempts. */
  llm: JobUsage;
  details: Record<string, unknown>;
}
