/**
 * The shapes extraction and consolidation exchange. Extractors (the LLM one and the heuristic one) turn
 * a batch of conversation turns into `ExtractedMemory` candidates; consolidation compares them with the
 * nearest existing memories and decides, per candidate, with one `ConsolidationPlan` per batch.
 */

/** The kinds extraction produces (a subset of MemoryKind). */
export type ExtractedKind = "fact" | "preference" | "procedure" | "event";
export const EXTRACTED_KINDS: readonly ExtractedKind[] = ["fact", "preference", "procedure", "event"];

/** One turn of a batch, as the extractors see it. */
export interface SourceTurn {
  eventId: string;
  text: string;
  /** Who said it ("Ana"), when the event named a speaker. */
  speaker: string | null;
  role: string | null;
  sessionId: string | null;
  /** When it was said, epoch ms (UTC): relative times in the text are read from here. */
  occurredAt: number;
}

/** A memory an extractor found in a batch, before consolidation. */
export interface ExtractedMemory {
  kind: ExtractedKind;
  /** One self-contained statement in the third person, names instead of pronouns: "Ana lives in Denver." */
  text: string;
  /** Names and terms it is about, lower-case: ["ana", "denver"]. */
  keywords: string[];
  /** Free labels: ["location", "home"]. */
  tags: string[];
  /** 0..1: how much it matters to remember. */
  importance: number;
  /**
   * When it became true or happened, as written in the turn ("yesterday", "last week", "in May 2023") or
   * as an ISO date ("2023-05-07"); null when the turns do not say (then the turn's own date is used).
   */
  when: string | null;
  /** When it stopped being true, same forms as `when`; null while it still is or when not said. */
  until: string | null;
  /** The turns it comes from: event ids of the batch, at least one. */
  sourceEventIds: string[];
  /**
   * What the statement is about, for spotting contradictions without a model: "ana|lives in". Two
   * memories with the same slot and different text cannot both be current. Null when the extractor
   * does not know.
   */
  slot: string | null;
}

export type LinkType = "same_entity" | "updates" | "contradicts" | "part_of" | "follows";
export const LINK_TYPES: readonly LinkType[] = ["same_entity", "updates", "contradicts", "part_of", "follows"];

/** A link from a candidate to an existing memory (by id) or to another candidate of the batch (by index). */
export interface PlannedLink {
  type: LinkType;
  /** An existing memory's id, or `{ candidate: n }` for the batch's n-th candidate (0-based). */
  to: string | { candidate: number };
}

/**
 * What to do with one candidate:
 * - add: store it as a new memory;
 * - update: the existing memory `target` says the same thing less well or less completely: write a new
 *   version of it with `text` (the candidate's information merged in); the old version stays in history;
 * - invalidate: the existing memory `target` was true and no longer is (the candidate replaces it): set
 *   its validTo to when the candidate became true, and add the candidate;
 * - noop: the existing memory `target` already says it.
 */
export type CandidateDecision =
  | { candidate: number; action: "add"; links: PlannedLink[] }
  | { candidate: number; action: "update"; target: string; text: string; links: PlannedLink[] }
  | { candidate: number; action: "invalidate"; target: string; links: PlannedLink[] }
  | { candidate: number; action: "noop"; target: string };

/** Evolution: refined keywords and/or text of an older memory that a candidate sheds light on. */
export interface Refinement {
  target: string;
  keywords?: string[];
  text?: string;
}

/** One decision per candidate (in candidate order), and refinements of older memories. */
export interface ConsolidationPlan {
  decisions: CandidateDecision[];
  refinements: Refinement[];
}

/** An existing memory as consolidation sees it. */
export interface ExistingMemory {
  id: string;
  version: number;
  kind: string;
  text: string;
  /** ISO dates, or null. */
  validFrom: string | null;
  validTo: string | null;
  /** From the memory's metadata, when an extractor set it. */
  slot: string | null;
  keywords: string[];
}
