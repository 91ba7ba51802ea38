import type { AdmissionRecord } from "../domain/spaces.js";
import type { MemoryOrigin } from "../domain/types.js";

// The memory versions the engine hands the store to write. Part of the port in store.ts, which
// re-exports them.

/** The engine's scored verdict on a new memory, for spaces whose policy is `scored`. */
export type AdmissionProposal = Omit<AdmissionRecord, "decidedBy"> & { status: "admitted" | "rejected" };

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

export interface VersionUpdate {
  id: string;
  expectedVersion: number;
  next: NewMemoryVersion;
}
