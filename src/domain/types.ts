import type { AdmissionRecord, AdmissionStatus } from "./spaces.js";

/**
 * What a memory is: an episode (a raw event, recallable at once) or something distilled from events: a
 * fact, a preference, a procedure, an event that happened ("Ana ran a marathon on 7 May"), a resource, a task.
 */
export type MemoryKind = "episode" | "fact" | "preference" | "procedure" | "event" | "resource" | "task";
export const MEMORY_KINDS: readonly MemoryKind[] = ["episode", "fact", "preference", "procedure", "event", "resource", "task"];

export type EventKind = "message" | "tool_call" | "tool_result" | "observation" | "document";
export const EVENT_KINDS: readonly EventKind[] = ["message", "tool_call", "tool_result", "observation", "document"];

export type EventRole = "user" | "assistant" | "system" | "tool";
export const EVENT_ROLES: readonly EventRole[] = ["user", "assistant", "system", "tool"];

/** A time given by a caller: an ISO 8601 string (with a zone, or UTC is assumed), a Date, or epoch milliseconds. */
export type TimeInput = string | Date | number;

export interface Attachment {
  /** For example "image", "file", "link". */
  kind: string;
  /** A description of the attachment; indexed for recall. */
  caption?: string;
  url?: string;
}

/** One raw input to append to the event log. Only `text` is required. */
export interface EventInput {
  text: string;
  /** Re-sending the same key is a no-op that returns the same ids. Each principal's keys are its own. */
  idempotencyKey?: string;
  /** The space to write into. @default the memory's default space */
  space?: string;
  /** @default "message" */
  kind?: EventKind;
  role?: EventRole;
  /** Who said or produced it, as it should appear in a recalled context ("Caroline", "planner-agent"). */
  speaker?: string;
  sessionId?: string;
  /** When it happened in the world. @default the time of ingest */
  occurredAt?: TimeInput;
  attachments?: Attachment[];
  metadata?: Record<string, unknown>;
}

export interface IngestedEvent {
  eventId: string;
  /** The episode memory the event became. */
  memoryId: string;
  idempotencyKey: string | null;
  /** True when the idempotency key was already stored: nothing was written. */
  duplicate: boolean;
}

export interface IngestResult {
  /** One entry per input event, in input order. */
  events: IngestedEvent[];
  inserted: number;
  duplicates: number;
  /**
   * With an embedder: how many of the new memories got their vector. When the provider fails, the
   * events are stored all the same (recallable by text) and `error` says why; `Memory.embedPending()`
   * embeds what was left.
   */
  embedding?: { embedded: number; error: string | null };
}

/** Where an episode came from; absent for memories that were not made from a single event. */
export interface MemoryOrigin {
  eventKind: EventKind;
  role: EventRole | null;
  speaker: string | null;
  sessionId: string | null;
  attachments: Attachment[];
}

/** One version of one memory. Times are ISO 8601 strings in UTC. */
export interface MemoryRecord {
  id: string;
  /** 1 for the first version; each update adds one. */
  version: number;
  /** The version this one replaced, or null for the first. */
  replacesVersion: number | null;
  kind: MemoryKind;
  /** Empty once the memory is forgotten. */
  text: string;
  metadata: Record<string, unknown>;
  /** 0..1. */
  importance: number;
  space: string;
  /** The principal that wrote this version. */
  author: string;
  /** Provenance: the events this memory derives from. */
  sourceEventIds: string[];
  origin: MemoryOrigin | null;
  /** World time: when the memory became true (for an episode, when the event happened). */
  validFrom: string | null;
  /** World time: when it stopped being true; null while it still is. */
  validTo: string | null;
  /** System time: when this version was written. */
  recordedAt: string;
  /** System time: when a newer version replaced this one; null for the current version. */
  supersededAt: string | null;
  /** Set once the memory is forgotten: its content is purged and only this tombstone remains. */
  forgottenAt: string | null;
  /** Whether the memory is in its space for every reader, and why (see the space's admission policy). */
  admission: AdmissionRecord;
}

export interface TimeRange {
  from?: TimeInput;
  /** Inclusive. A date without a time ("2024-03-31") includes that whole day. */
  to?: TimeInput;
}

export interface RecallOptions {
  /** Space names to search. @default every space of the tenant */
  spaces?: string[];
  kinds?: MemoryKind[];
  /** Only memories written by these principals. */
  authors?: string[];
  /** Only memories whose world time starts in this range (for episodes: that happened in it). Both ends inclusive. */
  timeRange?: TimeRange;
  /** Answer as the memory stood at this time: versions recorded by then and true then. @default now */
  asOf?: TimeInput;
  /**
   * When the question is asked, for reading relative time expressions in it ("last week", "two days
   * ago"); it filters nothing. Useful when replaying a conversation recorded earlier. @default asOf, else now
   */
  now?: TimeInput;
  /** The assembled context never exceeds this many tokens. @default 2000 */
  budgetTokens?: number;
  /** At most this many items. @default as many as fit the budget (up to 1000) */
  limit?: number;
}

export interface RecallItem {
  memory: MemoryRecord;
  /** 1 for the best match. */
  rank: number;
  /** Higher is better; comparable only within one recall. */
  score: number;
  /** Tokens this item's line takes in the context. */
  tokens: number;
}

export interface AssembledContext {
  /** Ready to put in a prompt: stable order (by time), one line per item, grouped under date headers. */
  text: string;
  /** Counted with `tokenizer` over `text` as a whole; never above `budgetTokens`. */
  tokens: number;
  budgetTokens: number;
  tokenizer: string;
}

export interface RecallResult {
  query: string;
  /** The items in the context, best first. */
  items: RecallItem[];
  context: AssembledContext;
  /** What went wrong without failing the recall, e.g. the embedder was unreachable, so vector search was skipped. */
  warnings?: string[];
}

export interface MemoryChange {
  text?: string;
  metadata?: Record<string, unknown>;
  importance?: number;
  validFrom?: TimeInput | null;
  validTo?: TimeInput | null;
}

export interface UpdateInput extends MemoryChange {
  /** The version the caller read. If another write moved it, the update fails with a `conflict` error. */
  expectedVersion: number;
}

export interface ListOptions {
  spaces?: string[];
  kinds?: MemoryKind[];
  authors?: string[];
  /**
   * Only memories with these admission statuses, e.g. ["pending"] for a space's review queue (admins see
   * everyone's; others their own). @default admitted ones, and the caller's own of any status
   */
  admission?: AdmissionStatus[];
  /** @default 50 */
  limit?: number;
  /** From a previous page's `nextCursor`. */
  cursor?: string;
}

export interface MemoryPage {
  /** Current versions, newest first. */
  items: MemoryRecord[];
  nextCursor: string | null;
}

export interface ForgetResult {
  id: string;
  forgottenAt: string;
  /** Versions whose content was purged. */
  versionsPurged: number;
  /** Source events whose content was purged with it (an episode's own event). */
  eventsPurged: number;
}

export interface MemoryStats {
  tenant: string;
  events: number;
  memories: number;
  memoriesByKind: Partial<Record<MemoryKind, number>>;
  versions: number;
  forgotten: number;
  spaces: number;
  lastChangeSeq: number;
  /** Background jobs (extraction) by status. */
  jobs: Record<JobStatus, number>;
  /** Model calls and tokens spent by the jobs, over every process that ran them. */
  llm: JobUsage;
  store: Record<string, unknown>;
}

/** pending: waits to run (maybe for a retry); running: claimed under a lease; done; dead: failed too often (replay it). */
export type JobStatus = "pending" | "running" | "done" | "dead";
export const JOB_STATUSES: readonly JobStatus[] = ["pending", "running", "done", "dead"];

/** Model calls and tokens spent (on every attempt, failed ones included). */
export interface JobUsage {
  llmCalls: number;
  inputTokens: number;
  outputTokens: number;
}

/** A background job, as `memory.jobs.list()` and `mnemo jobs` show it. */
export interface JobRecord extends JobUsage {
  id: number;
  kind: string;
  space: string;
  status: JobStatus;
  attempts: number;
  eventIds: string[];
  /** When a pending job may run next (ISO). */
  runAfter: string;
  lastError: string | null;
  lastReply: string | null;
  createdAt: string;
  updatedAt: string;
}

/** A typed link between two memories: same_entity, updates, contradicts, part_of, follows. */
export interface MemoryLink {
  from: string;
  to: string;
  type: string;
  createdAt: string;
}

export type ChangeOperation = "space.created" | "space.updated" | "memory.created" | "memory.updated" | "memory.admitted" | "memory.rejected" | "memory.forgotten";
export const CHANGE_OPERATIONS: readonly ChangeOperation[] = [
  "space.created",
  "space.updated",
  "memory.created",
  "memory.updated",
  "memory.admitted",
  "memory.rejected",
  "memory.forgotten",
];

/**
 * One committed change, as the change feed delivers it. A reader who may not see held memories gets no
 * `memory.created` for one, and a `memory.admitted` once it is admitted: take that as its creation.
 */
export interface ChangeEvent {
  /** The tenant's sequence number: increasing in commit order; resume after the last one seen. */
  seq: number;
  operation: ChangeOperation;
  space: string;
  memoryId: string | null;
  /** The version written (created, updated); null for space changes and forgetting. */
  version: number | null;
  kind: MemoryKind | null;
  /** The principal who made the change. */
  actor: string;
  at: string;
  /** The version the change wrote, as stored now (a tombstone once forgotten); null for space changes. */
  memory: MemoryRecord | null;
}

export interface SubscribeOptions {
  /** Only changes in these spaces. @default every space the principal may read */
  spaces?: string[];
  /** Only changes to memories of these kinds (space changes are then left out). */
  kinds?: MemoryKind[];
  /** Deliver the changes after this sequence number (0: from the beginning). @default the latest: only new changes */
  since?: number;
}

/** An API key as listed: never its secret, which is stored only as a hash. */
export interface ApiKeyRecord {
  id: string;
  tenant: string;
  principal: string;
  /** What it is for, e.g. "planner agent". */
  name: string;
  createdAt: string;
  revokedAt: string | null;
}
