import type { AdmissionPolicy, SpaceDetails, SpaceMember, SpaceRecord, SpaceRole, SpaceType } from "../domain/spaces.js";
import type { ApiKeyRecord, Attachment, EventKind, EventRole, ForgetResult, JobRecord, JobStatus, JobUsage, MemoryKind, MemoryLink, MemoryRecord } from "../domain/types.js";
import type {
  Candidate,
  ChangePage,
  ChangeQuery,
  EmbedQuery,
  EmbedWork,
  KeyQuery,
  ListQuery,
  PositionQuery,
  RelatedKeyword,
  StoredVector,
  TermCounts,
  TextQuery,
  UsefulnessQuery,
  UsefulnessStats,
  VectorPage,
} from "./store-queries.js";
import type { ClaimedJobs, CompletedJobs, JobClaim, JobCompletion, JobFailure, JobLease, JobQuery } from "./store-jobs.js";
import type { AdmissionProposal, NewMemoryVersion, VersionUpdate } from "./store-writes.js";

// The read shapes and the job queue's shapes are part of the port.
export type * from "./store-queries.js";
export type * from "./store-jobs.js";
export type * from "./store-writes.js";
export { JOB_STATUSES, type JobRecord, type JobStatus, type JobUsage, type MemoryLink } from "../domain/types.js";

/**
 * The storage port. Every backend (SQLite, PostgreSQL) implements it and passes the one contract suite
 * in `src/testing/store-contract.ts`.
 *
 * Contract, for every method:
 * - Everything is scoped: a call sees and touches only rows of `scope.tenantId`. Nothing of another
 *   tenant is ever returned, counted or named in an error.
 * - Access is checked here, for every call, so no surface can skip it. `scope.principalId` may read a
 *   space it is a member of (any role) or whose `everyone` role is set; write with `write` or `admin`;
 *   manage it with `admin`. A memory is visible when its space is readable and it is admitted, or the
 *   caller wrote it, or the caller is an admin of its space. What is not visible does not exist for the
 *   call: `not_found` / `space_not_found`, left out of results, counts and changes. `forbidden` is only
 *   said about what the caller can see.
 * - New memories pass the space's admission policy, decided here from the writer's role: an admin's
 *   writes and those under `always` are admitted, `never` rejects, `review` holds them (`pending`),
 *   `scored` takes the engine's scored proposal (`admission` on the entry) and holds entries without one.
 * - Every mutation is one transaction, and writes its change records (with the tenant's next sequence
 *   numbers) inside that same transaction: a crash leaves all of it or none of it.
 * - Times are epoch milliseconds; the caller supplies them (stores never read a clock).
 * - Failures are `MemoryError`s: `not_found`, `conflict`, `idempotency_conflict`, `space_not_found`,
 *   `forbidden`, `closed`, `storage` (with the driver's error as `cause`).
 */
export interface MemoryStore {
  /** "sqlite", "postgres", …: reported in stats and bench output. */
  readonly name: string;

  /**
   * Creates the tenant, the principal and the default space (with the principal as its creator) if they
   * do not exist. Idempotent: an existing space is left as it is, whatever the caller's role in it.
   */
  ensureScope(scope: StoreScope, defaultSpace: NewSpace, at: number): Promise<void>;

  /**
   * Creates a space with the caller as an admin. When the name is taken, returns that space unchanged if
   * the caller may read it, else fails with `conflict` (which tells that the name is taken, and nothing else).
   */
  createSpace(scope: StoreScope, space: NewSpace, at: number): Promise<SpaceRecord>;
  /** The spaces the caller may read, by name, each with the caller's role. */
  listSpaces(scope: StoreScope): Promise<SpaceRecord[]>;
  /** A readable space with its members; undefined otherwise. */
  getSpace(scope: StoreScope, name: string): Promise<SpaceDetails | undefined>;
  /**
   * Admins only: gives `member.principal` the role (creating the principal if new), or removes it with
   * null. Fails with `invalid_input` for members of a private space other than its creator, and for a
   * change that would leave the space without an admin.
   */
  setMember(scope: StoreScope, space: string, member: { principal: string; role: SpaceRole | null }, at: number): Promise<SpaceDetails>;
  /** Admins only: the policy for writes from now on (what is already stored keeps its status). */
  setAdmission(scope: StoreScope, space: string, policy: AdmissionPolicy, at: number): Promise<SpaceDetails>;
  /**
   * Admins of the memory's space only: admits or rejects a memory that is not admitted yet (pending or
   * rejected); `conflict` when it is already admitted, or when `expectedVersion` is given and stale.
   */
  decideAdmission(scope: StoreScope, id: string, decision: AdmissionDecision, at: number): Promise<MemoryRecord>;

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
   * memory returns the first tombstone's time and purges nothing more. Takes `write` in the memory's
   * space; with `expectedVersion`, fails with `conflict` unless the memory is still at that version.
   */
  forgetMemory(scope: StoreScope, id: string, at: number, options?: { expectedVersion?: number }): Promise<ForgetResult>;

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
   * Claims the caller's oldest ready job of `claim.kind` (pending and due by `at`, or running with its
   * lease expired; a principal runs the jobs of its own writes), and, when that job has never been tried,
   * the ready untried jobs after it of the same space, while their events add up to at most `claim.maxEvents`. The claimed jobs are
   * `running` under `claim.leaseToken` until `at + claim.leaseMs`, their attempts counted. Null when no
   * job is ready. Events forgotten since they were enqueued are left out of `events`.
   */
  claimJobs(scope: StoreScope, claim: JobClaim, at: number): Promise<ClaimedJobs | null>;
  /**
   * In one transaction: checks the lease is still held (else `conflict` with `details.lease`) and that the
   * jobs' principal may still write their space (else `forbidden`), writes the derived memories (through
   * the space's admission), the new versions (compare-and-set, as `updateMemory`: a `conflict` undoes the whole
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
  /** The caller's jobs newest first, optionally only those in `statuses`, at most `limit`, ids below `beforeId`. */
  listJobs(scope: StoreScope, query: JobQuery): Promise<JobRecord[]>;
  /** Puts the caller's dead jobs (all, or those listed) back to pending with their attempts reset; returns how many. */
  replayJobs(scope: StoreScope, ids: readonly number[] | "dead", at: number): Promise<number>;
  /** Links from and to the memory, oldest first. */
  memoryLinks(scope: StoreScope, id: string): Promise<MemoryLink[]>;

  /**
   * Records one principal's verdict on a visible memory (the latest one counts): whether it was used.
   * Verdicts of principals other than the author teach the admission scorer what is useful.
   */
  recordFeedback(scope: StoreScope, id: string, used: boolean, at: number): Promise<void>;
  /** Counts that these memories were in a recalled context of the caller; memories the caller wrote are not counted. */
  recordRecalls(scope: StoreScope, ids: readonly string[]): Promise<void>;
  /** How often memories of a space, by an author or mentioning keywords, were recalled and used by others. */
  usefulness(scope: StoreScope, query: UsefulnessQuery): Promise<UsefulnessStats>;

  /**
   * The visible changes after `query.after`, in sequence order, with the memory version each wrote, and the
   * sequence number read up to (pass it as `after` next time: changes the caller may not see are skipped
   * once, not read again). `limit` 0 reads only where the feed stands now.
   */
  changesSince(scope: StoreScope, query: ChangeQuery): Promise<ChangePage>;
  /**
   * Calls `listener` when changes of the tenant may have been committed: at once for commits through this
   * store object, and within the adapter's polling interval for commits by other processes. Returns the
   * function that stops it. Listeners must not throw.
   */
  watchChanges(tenantId: string, listener: () => void): () => void;

  stats(scope: StoreScope): Promise<StoreStats>;

  /**
   * API keys are the operator's, not a principal's: these calls are not scoped, and no surface that
   * acts for a principal may offer them. `saveApiKey` fails with `conflict` for an id already used.
   */
  saveApiKey(key: NewApiKey, at: number): Promise<ApiKeyRecord>;
  /** Keys newest first, of one tenant or of all; revoked ones included. */
  listApiKeys(tenantId?: string): Promise<ApiKeyRecord[]>;
  /** Revokes a key for good (`not_found` for an unknown id); revoking a revoked key changes nothing. */
  revokeApiKey(id: string, at: number): Promise<ApiKeyRecord>;
  /** The key with its secret's hash, to check a presented key against; undefined for an unknown id. */
  findApiKey(id: string): Promise<(ApiKeyRecord & { secretHash: string }) | undefined>;

  /** Releases the backend. A second call is a no-op; any other call after it fails with `closed`. */
  close(): Promise<void>;
}

export interface StoreScope {
  tenantId: string;
  principalId: string;
}

export interface NewApiKey {
  id: string;
  tenantId: string;
  principalId: string;
  name: string;
  /** A hash of the secret (the secret itself is never stored). */
  secretHash: string;
}

/** A space to create: the creator becomes an admin besides the listed members. */
export interface NewSpace {
  name: string;
  type: SpaceType;
  everyone: SpaceRole | null;
  members: readonly SpaceMember[];
  admission: AdmissionPolicy;
}

export interface AdmissionDecision {
  status: "admitted" | "rejected";
  why: string;
  expectedVersion?: number;
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
  /** For spaces with a `scored` policy. */
  admission?: AdmissionProposal;
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


export interface AppendOutcome {
  eventId: string;
  memoryId: string;
  duplicate: boolean;
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
