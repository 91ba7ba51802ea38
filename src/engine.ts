import type { EventLimits } from "./domain/validate-event.js";
import type { IdGenerator } from "./domain/ids.js";
import type { Tokenizer } from "./providers/tokenizer.js";
import type { NeighbourSpreading } from "./recall/spread-to-neighbours.js";
import type { MemoryStore, StoreScope } from "./store/store.js";

/** What the write and read paths need; assembled once by createMemory(). */
export interface Engine {
  store: MemoryStore;
  scope: StoreScope;
  defaultSpace: string;
  tokenizer: Tokenizer;
  clock: () => Date;
  generateId: IdGenerator;
  limits: EngineLimits;
  recall: RecallTuning;
}

/** The read path's switchable parts (each can be turned off, e.g. to measure what it adds). */
export interface RecallTuning {
  /** Matches lend weight to the turns around them; null turns it off. */
  neighbours: NeighbourSpreading | null;
}

export interface EngineLimits extends EventLimits {
  /** Most events accepted by one ingest() call. */
  maxEventsPerIngest: number;
  /** Longest accepted recall query, in characters. */
  maxQueryChars: number;
}

export const DEFAULT_ENGINE_LIMITS: EngineLimits = {
  maxTextChars: 32_768,
  maxMetadataChars: 16_384,
  maxEventsPerIngest: 10_000,
  maxQueryChars: 4_096,
};
