import type { AdmissionStatus } from "../domain/spaces.js";
import type { ChangeEvent, MemoryKind } from "../domain/types.js";

// What the store's reads take and return: searches, their filters, candidates and vectors. Part of the
// port in store.ts, which re-exports them.

export interface TextQuery extends MemoryFilter {
  terms: readonly string[];
  limit: number;
}

export interface RelatedKeyword {
  keyword: string;
  /** Memories that mention it and one of the query's keywords. */
  together: number;
  /** Memories that mention it. */
  mentions: number;
}

export interface TermCounts {
  /** Memory versions in the index (an upper bound). */
  total: number;
  /** One count per term, in the order given. */
  counts: number[];
}

export interface KeyQuery extends MemoryFilter {
  keys: readonly number[];
}

export interface StoredVector {
  key: number;
  vector: Float32Array;
}

export interface VectorPage {
  vectors: StoredVector[];
  /** Pass this as `cursor` to get what was saved after this page. */
  cursor: number;
}

export interface EmbedQuery {
  ids?: readonly string[];
  /** Only keys above this one: a pass moves on past memories it could not embed. */
  afterKey?: number;
  limit: number;
}

/** A memory version to embed: its key and the text its vector should stand for. */
export interface EmbedWork {
  key: number;
  id: string;
  /** The memory's text, then the extra indexed words (speaker, captions) on a new line if any. */
  text: string;
}

export interface PositionQuery extends MemoryFilter {
  ranges: readonly PositionRange[];
}

/** Positions `from`..`to` (inclusive) of one session in one space. */
export interface PositionRange {
  space: string;
  session: string;
  from: number;
  to: number;
}

export interface ListQuery {
  spaces?: readonly string[];
  kinds?: readonly MemoryKind[];
  authors?: readonly string[];
  /** Only these statuses (among visible memories); undefined: admitted ones and the caller's own. */
  admission?: readonly AdmissionStatus[];
  limit: number;
  cursor?: string;
}

export interface ChangeQuery {
  after: number;
  limit: number;
  spaces?: readonly string[];
  /** Only changes to memories of these kinds; space changes are left out. */
  kinds?: readonly MemoryKind[];
}

export interface ChangePage {
  changes: ChangeEvent[];
  /** The sequence number read up to: pass it as `after` next time. */
  cursor: number;
}

export interface UsefulnessQuery {
  space: string;
  author: string;
  keywords: readonly string[];
}

/** How often memories were in another principal's recalled context, and marked used or unused by one. */
export interface UsefulnessCounts {
  /** Memories counted: those ever recalled or judged by a principal other than their author. */
  memories: number;
  recalls: number;
  used: number;
  unused: number;
}

export interface UsefulnessStats {
  /** The author's memories in the space. */
  author: UsefulnessCounts;
  /** Per keyword (in the order asked), the space's memories that mention it. */
  keywords: (UsefulnessCounts & { keyword: string })[];
}

/**
 * Which memories a search may return: always only visible ones (readable spaces; admitted, or the
 * caller's own), then narrowed by these.
 */
export interface MemoryFilter {
  /** Only these spaces; undefined means every readable space. */
  spaces?: readonly string[];
  kinds?: readonly MemoryKind[];
  authors?: readonly string[];
  /** World time: only memories whose validFrom lies in [from, to] (memories without one are left out). */
  from?: number;
  to?: number;
  /**
   * The point in time to answer for: versions recorded by then and not yet superseded then, and true
   * then (validFrom ≤ asOf < validTo, open ends allowed).
   */
  asOf: number;
  /**
   * True when `asOf` is now: current versions whose validTo has not passed qualify, whatever their
   * recordedAt or validFrom (an event dated slightly ahead, by a skewed clock, is still recallable).
   */
  current: boolean;
}

/** Where an episode sits in its conversation: the `position`-th episode of `session` in `space`. */
export interface SessionPosition {
  space: string;
  /** The event's sessionId, or "" for the events of a space that name no session. */
  session: string;
  position: number;
}

/** A search hit before its content is loaded: what ranking and packing need, and no more. */
export interface Candidate {
  /** The store's handle on this version, for `loadMemories`; opaque, valid while the store is open. */
  key: number;
  id: string;
  version: number;
  score: number;
  /** Tokens the memory's line takes in an assembled context. */
  tokens: number;
  /** The principal that wrote this version. */
  author: string;
  /** World time, epoch ms. */
  validFrom: number | null;
  /** Null for memories that are not episodes. */
  position: SessionPosition | null;
}
