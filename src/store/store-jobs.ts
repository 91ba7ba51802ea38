import type { EventRole, JobStatus, JobUsage, MemoryKind, MemoryRecord } from "../domain/types.js";
import type { AdmissionProposal, NewMemoryVersion, VersionUpdate } from "./store-writes.js";

// What the job queue's methods of the store port take and return. Part of the port in store.ts, which
// re-exports them.

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
  /** For spaces with a `scored` policy. */
  admission?: AdmissionProposal;
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
