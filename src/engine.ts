import type { EventLimits } from "./domain/validate-event.js";
import type { IdGenerator } from "./domain/ids.js";
import type { Embedder } from "./providers/embedder.js";
import type { LanguageModel } from "./providers/llm.js";
import type { Tokenizer } from "./providers/tokenizer.js";
import type { NeighbourSpreading } from "./recall/spread-to-neighbours.js";
import type { MemoryStore, StoreScope } from "./store/store.js";
import type { VectorIndex } from "./store/vector/vector-index.js";

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
  /** Semantic recall; null when no embedder is configured (the default). */
  vectors: EngineVectors | null;
  /** Background extraction of memories from events; null when turned off. */
  extraction: ExtractionSettings | null;
}

export interface ExtractionSettings {
  /** Extracts and consolidates with this model; null: the heuristic extractor (the default). */
  llm: LanguageModel | null;
  /** Turns per extraction call. */
  batchSize: number;
  /** Batches processed at once. */
  concurrency: number;
  /** Tries before a job goes to the dead-letter list. */
  maxAttempts: number;
  /** How long a claimed job is someone's: a worker that died releases its jobs when this runs out. */
  leaseMs: number;
  /** The wait before the first retry; each later one waits four times longer (at most an hour). */
  retryDelayMs: number;
  /** Runs jobs in the background after each ingest; off: only `memory.jobs.run()` runs them. */
  background: boolean;
}

/** The embedder and the in-memory index of the vectors it made, kept in step with the store. */
export interface EngineVectors {
  embedder: Embedder;
  index: VectorIndex;
  /** How far the index has read the store's vectors (`MemoryStore.vectorsSince`). */
  cursor: number;
  /** The catch-up under way, if any: catch-ups run one at a time. */
  catchingUp: Promise<void> | null;
}

/** The read path's switchable parts (each can be turned off, e.g. to measure what it adds). */
export interface RecallTuning {
  /** Matches lend weight to the turns around them; null turns it off. */
  neighbours: NeighbourSpreading | null;
  /** How much each candidate generator's ranking counts in the fusion; 0 turns it off. */
  weights: GeneratorWeights;
  /** Reciprocal-rank fusion's constant k: larger flattens the advantage of top ranks. */
  fusionK: number;
}

export interface GeneratorWeights {
  /** BM25 over the memories' text, speakers and captions. */
  text: number;
  /** The text matches regrouped by session, strongest session first: sessions as context units. */
  sessions: number;
  /** BM25 with the query expanded by the words of its best text matches (pseudo-relevance feedback). */
  feedback: number;
  /** BM25 with the query expanded by the keywords memories mention together with its words. */
  graph: number;
  /** BM25 restricted to the periods the query names ("last May", "in 2022"). */
  time: number;
  /** Nearest vectors to the query's embedding (only with an embedder). */
  vector: number;
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
