import { mkdtempSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { createMemory } from "../../src/index.js";
import { round } from "../percentiles.js";
import { syntheticQueries, syntheticSessions, type SyntheticQuery } from "./generate-synthetic.js";
import { measureVectorSearch, type VectorIndexKind } from "./measure-vector-search.js";
import { latencyFigures, type ScaleReport, type ScaleSizeFigures } from "./scale-report.js";

export interface ScaleBenchOptions {
  /** Corpus sizes, in memories (turns); each gets a fresh database, in the order given. */
  sizes: readonly number[];
  /** Timed recalls per size (after a few untimed warm-up recalls). @default 200 */
  queries?: number;
  /** @default "full" */
  durability?: "full" | "normal";
  /** Seed of the synthetic data. @default 1 */
  seed?: number;
  version: string;
  commit: string;
  /**
   * Vector search (synthetic embeddings; approximate index against exact) at each size up to `upTo`
   * memories, reported under that size's `vectorSearch`. It runs after every size's text-search figures
   * are taken, so it changes none of them. Not run when absent.
   */
  vectors?: VectorBenchOptions;
  /** Called as the work advances, for progress output. */
  onProgress?: (progress: ScaleProgress) => void;
}

export interface VectorBenchOptions {
  /** Largest size to measure vectors at: building an HNSW index over a million vectors takes long. */
  upTo: number;
  /** @default 384 */
  dimensions?: number;
  /** @default every kind measureVectorSearch knows */
  indexes?: readonly VectorIndexKind[];
}

export interface ScaleProgress {
  memories: number;
  phase: "ingest" | "recall" | "vectors";
  done: number;
  total: number;
}

/** Untimed recalls before the timed ones: they warm the statement cache and the page cache. */
const WARM_UP_QUERIES = 20;
const BUDGET_TOKENS = 2000;
const TOP = 10;

/**
 * For each size: ingests that many synthetic turns into a fresh SQLite file through `createMemory` (one
 * session per ingest call), then recalls with the default budget, timing each call and checking that the
 * turn each question was made from is among the first 10 items. The files are deleted afterwards.
 */
export async function runScaleBench(options: ScaleBenchOptions): Promise<ScaleReport> {
  const directory = mkdtempSync(join(tmpdir(), "mnemo-scale-"));
  const sizes: ScaleSizeFigures[] = [];
  let tokenizer = "";
  try {
    for (const memories of options.sizes) {
      const measured = await measureSize(memories, join(directory, `scale-${memories}.db`), options);
      tokenizer = measured.tokenizer;
      sizes.push(measured.figures);
    }
    for (const figures of sizes.filter((size) => options.vectors && size.memories <= options.vectors.upTo)) {
      options.onProgress?.({ memories: figures.memories, phase: "vectors", done: 0, total: 1 });
      const { dimensions, indexes } = options.vectors!;
      figures.vectorSearch = measureVectorSearch({ count: figures.memories, dimensions, indexes, queries: options.queries ?? 200, seed: options.seed ?? 1 });
      options.onProgress?.({ memories: figures.memories, phase: "vectors", done: 1, total: 1 });
    }
  } finally {
    rmSync(directory, { recursive: true, force: true });
  }
  return {
    config: {
      store: "sqlite",
      embedder: "none",
      llm: "none",
      tokenizer,
      version: options.version,
      commit: options.commit,
      durability: options.durability ?? "full",
      ingestBatch: "one session per ingest call",
      seed: options.seed ?? 1,
      queries: options.queries ?? 200,
      budgetTokens: BUDGET_TOKENS,
      peakRss: "largest RSS sampled after each ingest call and each recall of that size",
      data: "synthetic conversations (bench/scale/generate-synthetic.ts)",
    },
    sizes,
  };
}

async function measureSize(memories: number, path: string, options: ScaleBenchOptions): Promise<{ figures: ScaleSizeFigures; tokenizer: string }> {
  const seed = options.seed ?? 1;
  const count = options.queries ?? 200;
  const queries = syntheticQueries({ memories, seed, count: WARM_UP_QUERIES + count });
  // Only the targets' memory ids are kept: a million keys would weigh on the RSS being measured.
  const targetIds = new Map<string, string>(queries.map((query) => [query.targetKey, ""]));
  const progress = (phase: ScaleProgress["phase"], done: number, total: number): void => options.onProgress?.({ memories, phase, done, total });
  let peakRss = process.memoryUsage.rss();
  const sampleRss = (): void => {
    peakRss = Math.max(peakRss, process.memoryUsage.rss());
  };

  const memory = await createMemory({ path, durability: options.durability ?? "full" });
  let ingestMs = 0;
  let sessions = 0;
  let ingested = 0;
  let tokenizer = "";
  const recallMs: number[] = [];
  let hits = 0;
  try {
    for (const session of syntheticSessions({ memories, seed })) {
      const start = performance.now();
      const result = await memory.ingest(session.events);
      ingestMs += performance.now() - start;
      for (const event of result.events) {
        if (event.idempotencyKey !== null && targetIds.has(event.idempotencyKey)) targetIds.set(event.idempotencyKey, event.memoryId);
      }
      sessions += 1;
      ingested += session.events.length;
      sampleRss();
      if (sessions % 100 === 0 || ingested === memories) progress("ingest", ingested, memories);
    }
    const timed = queries.slice(WARM_UP_QUERIES);
    for (const query of queries.slice(0, WARM_UP_QUERIES)) tokenizer = (await memory.recall(query.question)).context.tokenizer;
    for (const [index, query] of timed.entries()) {
      const start = performance.now();
      const result = await memory.recall(query.question);
      recallMs.push(performance.now() - start);
      if (isTargetInTop(result.items, query, targetIds)) hits += 1;
      sampleRss();
      if ((index + 1) % 50 === 0 || index + 1 === timed.length) progress("recall", index + 1, timed.length);
    }
  } finally {
    await memory.close();
  }
  const figures: ScaleSizeFigures = {
    memories,
    embedder: "none",
    index: "fts5",
    ingestPerSecond: round(memories / (ingestMs / 1000), 0),
    recallMs: latencyFigures(recallMs),
    recallAt10VsExact: null,
    peakRssMB: round(peakRss / 1024 / 1024, 1),
    sessions,
    ingestSeconds: round(ingestMs / 1000, 2),
    targetInTop10: round(recallMs.length === 0 ? 0 : hits / recallMs.length, 4),
    dbSizeMB: round(fileBytes(path) / 1024 / 1024, 1),
  };
  return { figures, tokenizer };
}

function isTargetInTop(items: readonly { memory: { id: string } }[], query: SyntheticQuery, targetIds: ReadonlyMap<string, string>): boolean {
  const target = targetIds.get(query.targetKey);
  return items.slice(0, TOP).some((item) => item.memory.id === target);
}

/** The database with whatever write-ahead log closing left behind. */
function fileBytes(path: string): number {
  return [path, `${path}-wal`].reduce((sum, file) => sum + (statSync(file, { throwIfNoEntry: false })?.size ?? 0), 0);
}
