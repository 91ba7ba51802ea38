import type { Index } from "usearch";
import { invalidInput, MemoryError } from "../../domain/memory-error.js";
import { loadUsearch } from "./load-usearch.js";
import { checkDimensions, prepareBatch, prepareQuery } from "./prepare-vectors.js";
import { quantizeRows } from "./quantize-i8.js";
import type { VectorHit, VectorIndex } from "./vector-index.js";

export interface UsearchVectorIndexOptions {
  dimensions: number;
  /**
   * How usearch holds vectors: "i8" (1 byte a value, quantised here the same way as the exact "i8" index)
   * or "f32" (4 bytes a value; its build measured about five times slower, for recall about 0.02 higher).
   * @default "i8"
   */
  quantization?: "i8" | "f32";
  /**
   * HNSW links per node and layer (M); the bottom layer has twice as many. More links: better recall on
   * hard data, slower builds, about 8·M bytes more per vector.
   * @default 16
   */
  connectivity?: number;
  /**
   * Candidates weighed when linking a new vector (efConstruction). Higher: a better graph, slower adds.
   * usearch's own default is 128; 64 built twice as fast on synthetic 384-dimensional embeddings for at
   * most 0.005 less recall@10, and the graph is rebuilt whenever a memory opens, so build time counts.
   * @default 64
   */
  expansionAdd?: number;
  /**
   * Candidates weighed per search (ef), at least k. Higher: better recall, slower searches. usearch's own
   * default is 64; on synthetic 384-dimensional embeddings 96 added about 0.01 recall@10 for 0.1 ms, and
   * gains flattened beyond 128.
   * @default 96
   */
  expansionSearch?: number;
}

/** The HNSW index with the entry points the auto index uses to avoid validating twice. */
export interface UsearchVectorIndex extends VectorIndex {
  /** Vectors removed or replaced but still in the graph (see `createUsearchVectorIndex`). */
  readonly dead: number;
  /** `add` for checked rows: unit vectors, or rows quantised by `quantizeRows`. */
  addRows(keys: ArrayLike<number>, vectors: Float32Array | Int8Array): void;
  /** `search` on a prepared query; fetches at most `limit` candidates (default: every vector). */
  searchPrepared(query: Float32Array, k: number, accept?: (key: number) => boolean, limit?: number): VectorHit[];
}

/** The HNSW settings used when options leave them out (see `UsearchVectorIndexOptions`). */
export const HNSW_DEFAULTS: Readonly<{ connectivity: number; expansionAdd: number; expansionSearch: number }> = { connectivity: 16, expansionAdd: 64, expansionSearch: 96 };

/** The first over-fetch for a filtered search is k times this; each retry fetches this many times more. */
const OVERFETCH = 4;

/**
 * Batches this large are linked on every core: at 50k × 384 that took 9.4–10.0 s against 18.0–18.3 s on
 * one thread (2 cores). Smaller batches, e.g. one ingest's, use one thread, so the graph they make, and
 * what a search finds in it, does not depend on thread timing; with many threads the contract test that
 * removes 90% of the keys failed 1 run in 3.
 */
const PARALLEL_ADD_ROWS = 10_000;

/** Marks a label whose vector was removed or replaced. */
const DEAD = -1;

/**
 * Approximate search with usearch's HNSW graph (cosine metric); usearch loads on the first call. A query
 * visits a few hundred vectors instead of all of them, so it stays under a millisecond at 100k vectors,
 * at the price of a build (0.2 to 0.4 ms of CPU a vector at 384 dimensions, spread over all cores) and
 * some missed neighbours (recall@10 about 0.95 to 0.97 with the defaults on synthetic embeddings).
 *
 * usearch 2.25.3's own `remove` hangs after a few rounds of adding and removing many keys (an endless
 * probe in its key table; see unum-cloud/USearch#753 and #769; 2.26.2 passes the same test), so this
 * index never calls it. Each vector goes into the graph under a
 * fresh label; removing or replacing a key only marks its label dead, and searches skip dead labels.
 * Dead vectors keep their memory and slow searches a little until the index is rebuilt, which
 * `createVectorIndex` does from its exact copy; on its own, this index suits mostly-append use.
 *
 * usearch has no filtered search in JavaScript, so a search with `accept` fetches `OVERFETCH`·k
 * candidates, then OVERFETCH times more, until k pass the filter or the graph has nothing more to give.
 *
 * @example
 * const index = createUsearchVectorIndex({ dimensions: 384 });
 * index.add([7], [embedding]);
 * index.search(queryEmbedding, 10); // [{ key: 7, similarity: 0.83 }]
 */
export function createUsearchVectorIndex(options: UsearchVectorIndexOptions): VectorIndex {
  return openUsearchVectorIndex(options);
}

/** `createUsearchVectorIndex` with the extra entry points of `UsearchVectorIndex`. */
export function openUsearchVectorIndex(options: UsearchVectorIndexOptions): UsearchVectorIndex {
  const { dimensions } = options;
  checkDimensions(dimensions);
  const quantization = options.quantization ?? "i8";
  if (quantization !== "i8" && quantization !== "f32") throw invalidInput("quantization", `must be "i8" or "f32", got ${JSON.stringify(quantization)}.`);
  const connectivity = checkCount("connectivity", options.connectivity ?? HNSW_DEFAULTS.connectivity, 2);
  const expansionAdd = checkCount("expansionAdd", options.expansionAdd ?? HNSW_DEFAULTS.expansionAdd, 1);
  const expansionSearch = checkCount("expansionSearch", options.expansionSearch ?? HNSW_DEFAULTS.expansionSearch, 1);
  const usearch = loadUsearch();
  const index: Index = new usearch.Index({
    dimensions,
    metric: usearch.MetricKind.Cos,
    quantization: quantization === "i8" ? usearch.ScalarKind.I8 : usearch.ScalarKind.F32,
    connectivity,
    expansion_add: expansionAdd,
    expansion_search: expansionSearch,
    multi: false,
  });
  const labelOfKey = new Map<number, number>();
  let keyOfLabel = new Float64Array(0);
  let labels = 0;
  let dead = 0;

  const addRows = (keys: ArrayLike<number>, vectors: Float32Array | Int8Array): void => {
    const count = keys.length;
    if (count === 0) return;
    let rows = vectors;
    if (quantization === "i8" && rows instanceof Float32Array) {
      rows = new Int8Array(count * dimensions);
      quantizeRows(dimensions, vectors as Float32Array, 0, count, rows, 0);
    } else if (quantization === "f32" && rows instanceof Int8Array) {
      // The cosine metric divides out each row's scale, so the codes can be used as they are.
      rows = Float32Array.from(rows);
    }
    const first = labels;
    if (first + count > keyOfLabel.length) {
      const grown = new Float64Array(Math.max(64, Math.ceil(keyOfLabel.length * 1.5), first + count)).fill(DEAD);
      grown.set(keyOfLabel);
      keyOfLabel = grown;
    }
    // The labels are spent even if usearch fails part-way, so a half-added row stays dead.
    labels += count;
    try {
      index.add(BigUint64Array.from({ length: count }, (_, row) => BigInt(first + row)), rows, count >= PARALLEL_ADD_ROWS ? 0 : 1);
    } catch (error) {
      dead += count;
      throw new MemoryError("storage", `The HNSW index failed to add ${count} vectors: ${(error as Error).message}`, { cause: error });
    }
    for (let row = 0; row < count; row += 1) {
      const key = keys[row]!;
      const replaced = labelOfKey.get(key);
      if (replaced !== undefined) {
        keyOfLabel[replaced] = DEAD;
        dead += 1;
      }
      labelOfKey.set(key, first + row);
      keyOfLabel[first + row] = key;
    }
  };

  const searchPrepared = (query: Float32Array, k: number, accept?: (key: number) => boolean, limit?: number): VectorHit[] => {
    const live = labelOfKey.size;
    if (k === 0 || live === 0) return [];
    let probe: Float32Array | Int8Array = query;
    if (quantization === "i8") {
      probe = new Int8Array(dimensions);
      quantizeRows(dimensions, query, 0, 1, probe, 0);
    }
    const most = Math.min(labels, limit ?? labels);
    // Enough candidates that, at the share of dead labels, k are expected alive (and pass `accept`).
    const expected = Math.ceil((k * labels) / live) + (dead > 0 ? k : 0);
    let fetch = Math.min(most, accept === undefined ? expected : expected * OVERFETCH);
    for (;;) {
      // One thread: a single query gains nothing from more, and usearch would start them per call.
      const matches = index.search(probe, fetch, 1);
      const hits: VectorHit[] = [];
      for (let rank = 0; rank < matches.keys.length && hits.length < k; rank += 1) {
        const key = keyOfLabel[Number(matches.keys[rank]!)]!;
        if (key !== DEAD && (accept === undefined || accept(key))) hits.push({ key, similarity: 1 - matches.distances[rank]! });
      }
      if (hits.length >= k || matches.keys.length < fetch || fetch >= most) return hits.sort((a, b) => b.similarity - a.similarity || a.key - b.key);
      fetch = Math.min(most, fetch * OVERFETCH);
    }
  };

  return {
    name: `usearch-hnsw-${quantization}`,
    dimensions,
    get size() {
      return labelOfKey.size;
    },
    get dead() {
      return dead;
    },
    add(keys, vectors) {
      const batch = prepareBatch(dimensions, keys, vectors);
      addRows(batch.keys, batch.vectors);
    },
    remove(keys) {
      if (!Array.isArray(keys)) throw invalidInput("keys", "must be an array of memory keys.");
      for (const key of keys) {
        const label = labelOfKey.get(key);
        if (label === undefined) continue;
        labelOfKey.delete(key);
        keyOfLabel[label] = DEAD;
        dead += 1;
      }
    },
    search(query, k, accept) {
      return searchPrepared(prepareQuery(dimensions, query, k), k, accept);
    },
    addRows,
    searchPrepared,
  };
}

function checkCount(field: string, value: number, least: number): number {
  if (!Number.isSafeInteger(value) || value < least) throw invalidInput(field, `must be a whole number of at least ${least}, got ${String(value)}.`, { [field]: value });
  return value;
}
