import { createUlidGenerator, type IdGenerator } from "./domain/ids.js";
import { MemoryError, invalidInput } from "./domain/memory-error.js";
import type {
  SubscribeOptions,
  EventInput,
  ForgetResult,
  IngestResult,
  JobRecord,
  JobStatus,
  MemoryLink,
  ListOptions,
  MemoryPage,
  MemoryRecord,
  MemoryStats,
  RecallOptions,
  RecallResult,
  UpdateInput,
} from "./domain/types.js";
import { ADMISSION_STATUSES, type AdmissionStatus } from "./domain/spaces.js";
import { isPlainObject, rejectUnknownFields, requireInteger, requireString } from "./domain/validate.js";
import { DEFAULT_ENGINE_LIMITS, type Engine, type EngineLimits, type ExtractionSettings } from "./engine.js";
import { embedMemories } from "./ingest/embed-memories.js";
import { ingestEvents } from "./ingest/ingest-events.js";
import { ingestStream, type IngestOptions } from "./ingest/ingest-stream.js";
import { createJobWorker, type JobRunSummary, type JobWorker } from "./ingest/job-worker.js";
import { validateExtraction, validateJobIds, validateJobQuery, type ExtractionOptions } from "./ingest/validate-extraction.js";
import type { LanguageModel } from "./providers/llm.js";
import { updateMemory } from "./ingest/update-memory.js";
import type { Embedder } from "./providers/embedder.js";
import type { Tokenizer } from "./providers/tokenizer.js";
import { loadO200kTokenizer } from "./providers/tokenizer/o200k-tokenizer.js";
import { recall } from "./recall/recall.js";
import { validateRecallTuning, type RecallTuningOptions } from "./recall/recall-tuning.js";
import { validateKinds, validateNames } from "./recall/validate-recall-options.js";
import { bindSharing, type MemoryReview, type MemorySpaces } from "./share/bind-sharing.js";
import { createRecallLog } from "./share/recall-log.js";
import type { Subscription } from "./share/subscribe-changes.js";
import { defaultSpaceFor, requirePrincipalName, requireSpaceName } from "./share/validate-space-options.js";
import { openSqliteStore } from "./store/sqlite/open-sqlite-store.js";
import type { MemoryStore } from "./store/store.js";
import type { VectorIndex } from "./store/vector/vector-index.js";
import { createVectorIndex, type VectorIndexOptions } from "./store/vector/create-vector-index.js";

/** Long-term memory for one principal of one tenant. Made by `createMemory()`. */
export interface Memory {
  /**
   * Appends events; each becomes an episode memory, durable and recallable when this resolves. An array
   * is written in one transaction (one bad event stores nothing). An (async) iterable is written as it
   * yields, each batch acknowledged through `onIngested` once durable; a bad event or a failing source
   * ends it with an error, and what came before stays stored.
   */
  ingest(events: EventInput | readonly EventInput[] | AsyncIterable<EventInput> | Iterable<EventInput>, options?: IngestOptions): Promise<IngestResult>;
  /** Ranked memories for a query and the context assembled from them within a token budget. */
  recall(query: string, options?: RecallOptions): Promise<RecallResult>;
  /** The current version (or `version`); a forgotten memory comes back as a tombstone. Throws `not_found`. */
  get(id: string, options?: { version?: number }): Promise<MemoryRecord>;
  list(options?: ListOptions): Promise<MemoryPage>;
  /** Writes a new version if the memory is still at `expectedVersion`; otherwise throws `conflict`. */
  update(id: string, input: UpdateInput): Promise<MemoryRecord>;
  /** Every version, oldest first. Throws `not_found`. */
  history(id: string): Promise<MemoryRecord[]>;
  /**
   * With an embedder: embeds the memories still without a vector (written before the embedder was
   * configured, or left by a provider failure during ingest), up to `limit`. Resolves with how many got
   * one and the provider's error if it stopped early; without an embedder, does nothing.
   */
  embedPending(options?: { limit?: number }): Promise<{ embedded: number; error: string | null }>;
  /** The typed links from and to a memory (same_entity, updates, contradicts, part_of, follows), oldest first. */
  links(id: string): Promise<MemoryLink[]>;
  /** The background jobs that extract memories from ingested events. */
  readonly jobs: MemoryJobs;
  /**
   * Purges the memory's content for real (every version, and an episode's event); keeps a tombstone.
   * With `expectedVersion`, throws `conflict` if the memory moved past it.
   */
  forget(id: string, options?: { expectedVersion?: number }): Promise<ForgetResult>;
  /** Spaces you may read, their members and admission policies. */
  readonly spaces: MemorySpaces;
  /** Admins: approve or reject memories held for review. */
  readonly review: MemoryReview;
  /**
   * Tells whether a memory you recalled was used. Verdicts on memories others wrote teach the admission
   * scorer of scored spaces what is worth admitting.
   */
  feedback(id: string, verdict: { used: boolean }): Promise<void>;
  /**
   * The changes you may see, in commit order, live: `for await (const change of memory.subscribe())`.
   * Resume after a restart with `since` set to the last `seq` you handled.
   */
  subscribe(options?: SubscribeOptions): Subscription;
  /** Counts of what you may see, and the store's details. */
  stats(): Promise<MemoryStats>;
  /** Closes the store if createMemory opened it. Safe to call twice; any other call after it throws `closed`. */
  close(): Promise<void>;
}

export interface MemoryJobs {
  /**
   * Runs every job that is ready now and resolves when none is left (jobs waiting for a retry stay
   * waiting). With `extraction.background` (the default) jobs also run on their own after each ingest.
   */
  run(): Promise<JobRunSummary>;
  /** Jobs newest first. @default the 50 newest, of every status */
  list(options?: { status?: JobStatus | JobStatus[]; limit?: number; before?: number }): Promise<JobRecord[]>;
  /** Puts dead jobs back in the queue (all of them, or the listed ids) with fresh attempts; resolves with how many. */
  replay(ids?: number[]): Promise<number>;
}

export interface CreateMemoryOptions {
  /** A SQLite file to open or create, or ":memory:". Give this or `store`. */
  path?: string;
  /** A store you opened yourself (it stays open after `close()`). Give this or `path`. */
  store?: MemoryStore;
  /** SQLite only: see `SqliteStoreOptions.durability`. @default "full" */
  durability?: "full" | "normal";
  /** @default "default" */
  tenant?: string;
  /** Who acts: what it may read and write is decided by its roles in spaces; recorded as the author of what it writes. @default "default" */
  principal?: string;
  /**
   * Where events go when they name no space. Created if missing: "default" (the tenant's global space,
   * which every principal reads and writes) as such, any other name as this principal's private space.
   * @default "default"
   */
  defaultSpace?: string;
  /** @default gpt-tokenizer's o200k_base */
  tokenizer?: Tokenizer;
  /** @default () => new Date() */
  clock?: () => Date;
  /** @default time-ordered ULIDs */
  generateId?: IdGenerator;
  limits?: Partial<EngineLimits>;
  /** Tuning of the read path; every part is on by default. */
  recall?: RecallTuningOptions;
  /**
   * Turns on semantic recall: new memories are embedded as they are ingested, and recall adds the
   * memories nearest the query's embedding. @default none (lexical, time and neighbour recall only)
   */
  embedder?: Embedder;
  /**
   * With an embedder: how vectors are searched. Exact below `annThreshold` vectors, HNSW (usearch) from
   * there on. @default { annThreshold: 20_000, precision: "f32", quantization: "i8" }
   */
  vectorIndex?: Omit<VectorIndexOptions, "dimensions">;
  /**
   * A chat model for extraction and consolidation (e.g. `createOpenAIChat({ … })`). @default none: the
   * heuristic extractor
   */
  llm?: LanguageModel;
  /** Background extraction of facts, preferences, procedures and events from ingested events; false turns it off. */
  extraction?: ExtractionOptions | false;
}

/** Recalled items up to this rank count as exposure for the admission scorer. */
const COUNTED_RECALL_RANKS = 10;

const OPTION_FIELDS = ["path", "store", "durability", "tenant", "principal", "defaultSpace", "tokenizer", "clock", "generateId", "limits", "recall", "embedder", "vectorIndex", "llm", "extraction"];

/**
 * Opens a memory.
 *
 * @example
 * const memory = await createMemory({ path: "memory.db" });
 * await memory.ingest({ text: "I moved to Denver last week", speaker: "Ana", idempotencyKey: "chat-1/42" });
 * const { context } = await memory.recall("Where does Ana live?", { budgetTokens: 500 });
 */
export async function createMemory(options: CreateMemoryOptions): Promise<Memory> {
  if (!isPlainObject(options as unknown)) throw invalidInput("options", 'must be an object, e.g. { path: "memory.db" }.');
  rejectUnknownFields(options, OPTION_FIELDS, "options");
  if ((options.path === undefined) === (options.store === undefined)) {
    throw invalidInput("options", 'give exactly one of `path` (a SQLite file, or ":memory:") and `store`.');
  }
  const tenantId = requirePrincipalName(options.tenant ?? "default", "options.tenant");
  const principalId = requirePrincipalName(options.principal ?? "default", "options.principal");
  const defaultSpace = requireSpaceName(options.defaultSpace ?? "default", "options.defaultSpace");
  const limits = { ...DEFAULT_ENGINE_LIMITS, ...options.limits };
  for (const [field, value] of Object.entries(limits)) requireInteger(value, `options.limits.${field}`, { min: 1, max: 100_000_000 });
  const recallTuning = validateRecallTuning(options.recall);
  const embedder = options.embedder === undefined ? undefined : validateEmbedder(options.embedder);
  // Made before the store is opened, so bad index options leave nothing open behind them.
  const vectorIndex = embedder ? openVectorIndex(embedder, options.vectorIndex) : undefined;
  const extraction = validateExtraction(options.extraction, options.llm);
  const clock = options.clock ?? (() => new Date());
  const tokenizer = options.tokenizer ?? (await loadO200kTokenizer());
  const ownsStore = options.store === undefined;
  const store = options.store ?? (await openSqliteStore({ path: options.path!, durability: options.durability }));
  const engine: Engine = {
    store,
    scope: { tenantId, principalId },
    defaultSpace,
    tokenizer,
    clock,
    generateId: options.generateId ?? createUlidGenerator(clock),
    limits,
    recall: recallTuning,
    vectors: embedder && vectorIndex ? { embedder, index: vectorIndex, cursor: 0, catchingUp: null } : null,
    extraction,
  };
  try {
    await store.ensureScope(engine.scope, defaultSpaceFor(defaultSpace), clock().getTime());
  } catch (error) {
    if (ownsStore) await store.close();
    throw error;
  }
  return bindMemory(engine, ownsStore);
}

function bindMemory(engine: Engine, ownsStore: boolean): Memory {
  const { store, scope } = engine;
  let closed = false;
  const worker = engine.extraction ? startWorker(engine, engine.extraction) : null;
  const recallLog = createRecallLog(engine);
  const open = (): void => {
    if (closed) throw new MemoryError("closed", "This memory is closed. Open it again with createMemory().");
  };
  const notFound = (id: string, version?: number): MemoryError =>
    new MemoryError("not_found", `No memory with id "${id}"${version === undefined ? "" : ` at version ${version}`} in this tenant.`, { details: { id, version } });
  const found = async (id: string, version?: number): Promise<MemoryRecord> => {
    const record = await store.getMemory(scope, requireString(id, "id", { maxLength: 256 }), version);
    if (!record) throw notFound(id, version);
    return record;
  };
  const sharing = bindSharing(engine, open);
  const ingestBatch = async (events: EventInput | readonly EventInput[]): Promise<IngestResult> => {
    const result = await ingestEvents(engine, events);
    if (result.inserted > 0 && engine.extraction?.background) worker?.kick();
    if (!engine.vectors) return result;
    const ids = result.events.filter((event) => !event.duplicate).map((event) => event.memoryId);
    const { embedded, error } = ids.length === 0 ? { embedded: 0, error: null } : await embedMemories(engine, engine.vectors, { ids });
    return { ...result, embedding: { embedded, error: error?.message ?? null } };
  };
  return {
    ingest: async (events, options = {}) => {
      open();
      if (!isPlainObject(options as unknown)) throw invalidInput("options", "must be an object { onIngested? }.");
      rejectUnknownFields(options, ["onIngested"], "options");
      if (options.onIngested !== undefined && typeof options.onIngested !== "function") throw invalidInput("options.onIngested", "must be a function (events) => void.");
      if (isStream(events)) return ingestStream(engine, events, (batch) => (open(), ingestBatch(batch)), options);
      const result = await ingestBatch(events as EventInput | readonly EventInput[]);
      await options.onIngested?.(result.events);
      return result;
    },
    embedPending: async (options = {}) => {
      open();
      if (!isPlainObject(options as unknown)) throw invalidInput("options", "must be an object { limit? }.");
      rejectUnknownFields(options, ["limit"], "options");
      const limit = options.limit === undefined ? undefined : requireInteger(options.limit, "options.limit", { min: 1, max: Number.MAX_SAFE_INTEGER });
      if (!engine.vectors) return { embedded: 0, error: null };
      const { embedded, error } = await embedMemories(engine, engine.vectors, { limit });
      return { embedded, error: error?.message ?? null };
    },
    recall: async (query, options) => {
      open();
      const result = await recall(engine, query, options);
      // Only the top of a ranking counts as shown: the filler of a large budget says little about usefulness.
      recallLog.add(result.items.filter((item) => item.rank <= COUNTED_RECALL_RANKS).map((item) => item.memory));
      return result;
    },
    get: async (id, options) => {
      open();
      const version = options?.version === undefined ? undefined : requireInteger(options.version, "options.version", { min: 1, max: Number.MAX_SAFE_INTEGER });
      return found(id, version);
    },
    list: async (options = {}) => {
      open();
      if (!isPlainObject(options as unknown)) throw invalidInput("options", "must be an object.");
      rejectUnknownFields(options, ["spaces", "kinds", "authors", "admission", "limit", "cursor"], "options");
      return store.listMemories(scope, {
        spaces: options.spaces === undefined ? undefined : validateNames(options.spaces, "options.spaces"),
        kinds: options.kinds === undefined ? undefined : validateKinds(options.kinds, "options.kinds"),
        authors: options.authors === undefined ? undefined : validateNames(options.authors, "options.authors"),
        admission: options.admission === undefined ? undefined : validateStatuses(options.admission),
        limit: options.limit === undefined ? 50 : requireInteger(options.limit, "options.limit", { min: 1, max: 1_000 }),
        cursor: options.cursor === undefined ? undefined : requireString(options.cursor, "options.cursor", { maxLength: 64 }),
      });
    },
    update: async (id, input) => {
      open();
      const record = await updateMemory(engine, id, input);
      // A new version needs its own vector; a provider failure leaves it to embedPending(), as in ingest.
      if (engine.vectors) await embedMemories(engine, engine.vectors, { ids: [record.id] });
      return record;
    },
    history: async (id) => {
      open();
      const versions = await store.memoryHistory(scope, requireString(id, "id", { maxLength: 256 }));
      if (versions.length === 0) throw notFound(id);
      return versions;
    },
    links: async (id) => (open(), store.memoryLinks(scope, requireString(id, "id", { maxLength: 256 }))),
    jobs: {
      run: async () => (open(), worker ? worker.run() : { done: 0, retrying: 0, dead: 0, created: 0, updated: 0 }),
      list: async (options = {}) => (open(), store.listJobs(scope, validateJobQuery(options))),
      replay: async (ids) => {
        open();
        const list = ids === undefined ? "dead" : validateJobIds(ids);
        const replayed = await store.replayJobs(scope, list, engine.clock().getTime());
        if (replayed > 0 && engine.extraction?.background) worker?.kick();
        return replayed;
      },
    },
    forget: async (id, options = {}) => {
      open();
      if (!isPlainObject(options as unknown)) throw invalidInput("options", "must be an object { expectedVersion? }.");
      rejectUnknownFields(options, ["expectedVersion"], "options");
      const expectedVersion = options.expectedVersion === undefined ? undefined : requireInteger(options.expectedVersion, "options.expectedVersion", { min: 1, max: Number.MAX_SAFE_INTEGER });
      return store.forgetMemory(scope, requireString(id, "id", { maxLength: 256 }), engine.clock().getTime(), { expectedVersion });
    },
    spaces: sharing.spaces,
    review: sharing.review,
    feedback: sharing.feedback,
    subscribe: (options) => (open(), sharing.subscribe(options)),
    stats: async () => {
      open();
      const { details, ...counts } = await store.stats(scope);
      const memories = Object.values(counts.memoriesByKind).reduce((sum, count) => sum + (count ?? 0), 0);
      return { tenant: scope.tenantId, memories, ...counts, store: { name: store.name, tokenizer: engine.tokenizer.name, ...details } };
    },
    close: async () => {
      if (closed) return;
      closed = true;
      sharing.closeSubscriptions();
      await worker?.stop();
      await recallLog.flush().catch(() => {}); // Statistics only: a failing store must not block closing.
      if (ownsStore) await store.close();
    },
  };
}

function startWorker(engine: Engine, settings: ExtractionSettings): JobWorker {
  // Background runs have no caller to throw to; a failed job is recorded in the queue itself, so what
  // lands here is the store failing (disk full, file gone).
  const worker = createJobWorker(engine, settings, (error) => process.emitWarning(`mnemo: background jobs stopped: ${(error as Error).message}`, "MnemoJobWarning"));
  if (settings.background) worker.kick();
  return worker;
}

/** Any iterable but an array (one transaction) or a string (an invalid event, reported as such). */
function isStream(events: unknown): events is AsyncIterable<unknown> | Iterable<unknown> {
  if (events === null || typeof events !== "object" || Array.isArray(events)) return false;
  return Symbol.asyncIterator in events || Symbol.iterator in events;
}

function validateStatuses(value: unknown): AdmissionStatus[] {
  if (!Array.isArray(value) || value.length === 0 || value.some((status) => !ADMISSION_STATUSES.includes(status as AdmissionStatus))) {
    throw invalidInput("options.admission", `must be a non-empty array of ${ADMISSION_STATUSES.map((status) => `"${status}"`).join(", ")}.`);
  }
  return [...new Set(value as AdmissionStatus[])];
}

function openVectorIndex(embedder: Embedder, options: CreateMemoryOptions["vectorIndex"]): VectorIndex {
  if (options !== undefined && !isPlainObject(options as unknown)) throw invalidInput("options.vectorIndex", "must be an object such as { annThreshold: 50000 }.");
  if (options) rejectUnknownFields(options, ["annThreshold", "precision", "quantization", "connectivity", "expansionAdd", "expansionSearch"], "options.vectorIndex");
  return createVectorIndex({ ...options, dimensions: embedder.dimensions });
}

function validateEmbedder(embedder: Embedder): Embedder {
  const valid =
    embedder !== null &&
    typeof embedder === "object" &&
    typeof embedder.embed === "function" &&
    typeof embedder.name === "string" &&
    Number.isInteger(embedder.dimensions) &&
    embedder.dimensions > 0 &&
    Number.isInteger(embedder.maxBatchSize) &&
    embedder.maxBatchSize > 0;
  if (!valid) {
    throw invalidInput("options.embedder", "must implement the Embedder port: { name, dimensions, maxBatchSize, embed(texts) }, e.g. createOpenAIEmbedder({ … }).");
  }
  return embedder;
}
