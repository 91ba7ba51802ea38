import { createVectorIndex } from "../../src/store/vector/create-vector-index.js";
import { createExactVectorIndex } from "../../src/store/vector/exact-vector-index.js";
import { createUsearchVectorIndex, HNSW_DEFAULTS, type UsearchVectorIndexOptions } from "../../src/store/vector/usearch-vector-index.js";
import type { VectorIndex } from "../../src/store/vector/vector-index.js";
import { percentile, round } from "../percentiles.js";
import { lowerBound, seededRandom } from "./generate-synthetic.js";

export interface VectorSearchOptions {
  /** Stored vectors. */
  count: number;
  /** @default 384 */
  dimensions?: number;
  /** Timed searches, each a fresh vector drawn like the stored ones. @default 200 */
  queries?: number;
  /** @default 1 */
  seed?: number;
  /** Hits per search; recall is measured at this k. @default 10 */
  k?: number;
  /** Topics the vectors cluster around. @default count / 100, between 16 and 4,000 */
  clusters?: number;
  /** HNSW settings for the usearch index; its defaults otherwise. */
  hnsw?: Omit<UsearchVectorIndexOptions, "dimensions" | "quantization">;
  /**
   * Which indexes to measure; exact-f32 always runs, as the reference for recall. "auto" is mnemo's
   * `createVectorIndex` with its default threshold (HNSW candidates re-ranked by an exact f32 copy).
   * @default ["exact-f32", "exact-i8", "usearch-hnsw-i8"]
   */
  indexes?: readonly VectorIndexKind[];
}

export type VectorIndexKind = "exact-f32" | "exact-i8" | "usearch-hnsw-i8" | "auto";

export interface VectorSearchReport {
  count: number;
  dimensions: number;
  queries: number;
  k: number;
  seed: number;
  data: {
    clusters: number;
    generateMs: number;
    /** Mean cosine between a query and its nearest stored vector, and with a random stored vector: how "embedding-like" the data is. */
    nearestSimilarity: number;
    randomSimilarity: number;
  };
  indexes: VectorIndexMeasurement[];
}

export interface VectorIndexMeasurement {
  /** The index's own `name`, e.g. "usearch-hnsw-i8". */
  index: string;
  /** Wall time to add every vector, in batches of 10,000 (usearch inserts on every core). */
  buildMs: number;
  /** Wall time of one `search(query, k)`, after a few untimed warm-up searches. */
  recallMs: { p50: number; p95: number; p99: number };
  /** Share of the exact f32 top k that this index returned, over all queries. */
  recallAt10VsExact: number;
  /** Estimated memory the index holds for the vectors and their bookkeeping (see `estimateBytes`). */
  memoryMB: number;
  /** The HNSW settings, for the usearch index. */
  settings?: Record<string, number>;
}

const BATCH = 10_000;
const WARM_UP = 5;

/**
 * Builds each vector index over `count` synthetic embeddings and times searches against it. Plain JSON
 * out, for `mnemo bench scale`. The data is deterministic for a seed; timings are not. Synchronous:
 * 100k × 384 takes about a minute on two cores, most of it building the HNSW graph.
 *
 * @example
 * const report = measureVectorSearch({ count: 100_000, dimensions: 384, queries: 200, seed: 1 });
 */
export function measureVectorSearch(options: VectorSearchOptions): VectorSearchReport {
  const { count, dimensions = 384, queries: queryCount = 200, seed = 1, k = 10 } = options;
  for (const [name, value] of Object.entries({ count, dimensions, queries: queryCount, k })) {
    if (!Number.isSafeInteger(value) || value < 1) throw new RangeError(`${name} must be a whole number of at least 1, got ${value}.`);
  }
  const clusters = options.clusters ?? Math.min(4_000, Math.max(16, Math.round(count / 100)));
  const started = performance.now();
  const { stored, queries } = syntheticEmbeddings({ count, queries: queryCount, dimensions, clusters, seed });
  const generateMs = performance.now() - started;
  const keys = Array.from({ length: count }, (_, key) => key);
  const rows = (from: number, to: number, matrix: Float32Array): Float32Array[] =>
    Array.from({ length: to - from }, (_, row) => matrix.subarray((from + row) * dimensions, (from + row + 1) * dimensions));
  const queryRows = rows(0, queryCount, queries);

  const kinds = options.indexes ?? ["exact-f32", "exact-i8", "usearch-hnsw-i8"];
  const hnsw = {
    connectivity: options.hnsw?.connectivity ?? HNSW_DEFAULTS.connectivity,
    expansionAdd: options.hnsw?.expansionAdd ?? HNSW_DEFAULTS.expansionAdd,
    expansionSearch: options.hnsw?.expansionSearch ?? HNSW_DEFAULTS.expansionSearch,
  };
  const makers: Record<VectorIndexKind, () => VectorIndex> = {
    "exact-f32": () => createExactVectorIndex({ dimensions }),
    "exact-i8": () => createExactVectorIndex({ dimensions, precision: "i8" }),
    "usearch-hnsw-i8": () => createUsearchVectorIndex({ dimensions, quantization: "i8", ...hnsw }),
    auto: () => createVectorIndex({ dimensions, ...hnsw }),
  };
  let truth: number[][] = [];
  let nearestSimilarity = 0;
  const measurements: VectorIndexMeasurement[] = [];
  for (const kind of ["exact-f32", ...kinds.filter((kind) => kind !== "exact-f32")] as VectorIndexKind[]) {
    const index = makers[kind]();
    const buildStarted = performance.now();
    for (let from = 0; from < count; from += BATCH) {
      const to = Math.min(count, from + BATCH);
      index.add(keys.slice(from, to), rows(from, to, stored));
    }
    const buildMs = performance.now() - buildStarted;
    for (const query of queryRows.slice(0, WARM_UP)) index.search(query, k);
    const latencies: number[] = [];
    const results = queryRows.map((query) => {
      const searchStarted = performance.now();
      const hits = index.search(query, k);
      latencies.push(performance.now() - searchStarted);
      return hits;
    });
    if (kind === "exact-f32") {
      truth = results.map((hits) => hits.map((hit) => hit.key));
      nearestSimilarity = results.reduce((sum, hits) => sum + (hits[0]?.similarity ?? 0), 0) / queryCount;
    }
    const found = results.reduce((sum, hits, query) => sum + hits.filter((hit) => truth[query]!.includes(hit.key)).length, 0);
    const wanted = truth.reduce((sum, keysOfQuery) => sum + keysOfQuery.length, 0);
    if (kinds.includes(kind)) {
      measurements.push({
        index: index.name,
        buildMs: round(buildMs, 1),
        recallMs: { p50: round(percentile(latencies, 50), 3), p95: round(percentile(latencies, 95), 3), p99: round(percentile(latencies, 99), 3) },
        recallAt10VsExact: round(found / wanted, 4),
        memoryMB: round(estimateBytes(kind, count, dimensions, hnsw.connectivity) / 1e6, 1),
        ...(kind === "usearch-hnsw-i8" || kind === "auto" ? { settings: hnsw } : {}),
      });
    }
  }
  return {
    count,
    dimensions,
    queries: queryCount,
    k,
    seed,
    data: { clusters, generateMs: round(generateMs, 1), nearestSimilarity: round(nearestSimilarity, 4), randomSimilarity: round(randomSimilarity(stored, queries, dimensions, seed), 4) },
    indexes: measurements,
  };
}

/**
 * Bytes an index holds for `count` vectors. Exact: the vector rows, a key per slot and a key → slot Map
 * entry (about 40 bytes in V8). usearch: the i8 row, a key, a level and neighbour count per layer, 2·M
 * neighbour slots at the bottom layer and M on each of the 1/(M-1) upper layers a node has on average,
 * plus about 40 bytes of lookup tables. "auto" holds both an exact f32 copy and the HNSW index. The
 * process's resident memory grew by up to 1.6 times the HNSW estimate (allocator arenas, capacity
 * rounded up to a power of two).
 */
export function estimateBytes(kind: VectorIndexKind, count: number, dimensions: number, connectivity: number): number {
  const map = 8 + 40;
  if (kind === "exact-f32") return count * (4 * dimensions + map);
  if (kind === "exact-i8") return count * (dimensions + 4 + map);
  const links = 4 + 2 * connectivity * 4 + (4 + connectivity * 4) / (connectivity - 1);
  const hnsw = count * (dimensions + 8 + 2 + links + 40);
  return kind === "auto" ? hnsw + estimateBytes("exact-f32", count, dimensions, connectivity) : hnsw;
}

/**
 * `count` stored vectors and `queries` fresh ones drawn the same way, each a row of `dimensions` values in
 * one matrix; deterministic for a seed. See `embeddingModel` for what they look like.
 */
export function syntheticEmbeddings(options: { count: number; queries: number; dimensions: number; clusters: number; seed: number }): {
  stored: Float32Array;
  queries: Float32Array;
} {
  const model = embeddingModel(options.dimensions, options.clusters, options.seed);
  return { stored: model.draw(options.count, seededRandom(options.seed * 2 + 1)), queries: model.draw(options.queries, seededRandom(options.seed * 2 + 2)) };
}

/**
 * A generative model of text embeddings: a direction every vector shares (embeddings of one model are
 * anisotropic), a topic centroid (topics have Zipf-like popularity), variation within the topic along a
 * few topic-specific directions (embeddings have low local dimension), and isotropic noise; normalised.
 */
function embeddingModel(dimensions: number, clusters: number, seed: number): { draw: (count: number, random: () => number) => Float32Array } {
  const TOPIC_DIRECTIONS = 8;
  const random = seededRandom(seed);
  const shared = randomUnit(dimensions, random);
  const centroids = new Float32Array(clusters * dimensions);
  const directions = new Float32Array(clusters * TOPIC_DIRECTIONS * dimensions);
  for (let topic = 0; topic < clusters; topic += 1) {
    centroids.set(randomUnit(dimensions, random), topic * dimensions);
    for (let direction = 0; direction < TOPIC_DIRECTIONS; direction += 1) directions.set(randomUnit(dimensions, random), (topic * TOPIC_DIRECTIONS + direction) * dimensions);
  }
  const popularity = new Float64Array(clusters);
  let total = 0;
  for (let topic = 0; topic < clusters; topic += 1) popularity[topic] = total += 1 / (topic + 1) ** 0.6;

  const draw = (count: number, sample: () => number): Float32Array => {
    const gaussian = gaussianSource(sample);
    const matrix = new Float32Array(count * dimensions);
    const weights = new Float64Array(TOPIC_DIRECTIONS);
    for (let row = 0; row < count; row += 1) {
      const topic = lowerBound(popularity, sample() * total);
      // Spread within a topic varies, as some texts sit at a topic's centre and others between topics.
      const spread = 0.2 + 0.3 * sample();
      for (let direction = 0; direction < TOPIC_DIRECTIONS; direction += 1) weights[direction] = spread * gaussian();
      const noise = 0.5 / Math.sqrt(dimensions);
      let squares = 0;
      for (let index = 0; index < dimensions; index += 1) {
        let value = 0.5 * shared[index]! + centroids[topic * dimensions + index]! + noise * gaussian();
        for (let direction = 0; direction < TOPIC_DIRECTIONS; direction += 1) value += weights[direction]! * directions[(topic * TOPIC_DIRECTIONS + direction) * dimensions + index]!;
        matrix[row * dimensions + index] = value;
        squares += value * value;
      }
      const scale = 1 / Math.sqrt(squares);
      for (let index = 0; index < dimensions; index += 1) matrix[row * dimensions + index]! *= scale;
    }
    return matrix;
  };
  return { draw };
}

function randomUnit(dimensions: number, random: () => number): Float32Array {
  const gaussian = gaussianSource(random);
  const vector = Float32Array.from({ length: dimensions }, gaussian);
  const scale = 1 / Math.hypot(...vector);
  return vector.map((value) => value * scale);
}

/** Standard normal deviates by Box–Muller, using both values of each pair. */
function gaussianSource(random: () => number): () => number {
  let spare: number | undefined;
  return () => {
    if (spare !== undefined) {
      const value = spare;
      spare = undefined;
      return value;
    }
    const radius = Math.sqrt(-2 * Math.log(1 - random()));
    const angle = 2 * Math.PI * random();
    spare = radius * Math.sin(angle);
    return radius * Math.cos(angle);
  };
}

function randomSimilarity(stored: Float32Array, queries: Float32Array, dimensions: number, seed: number): number {
  const random = seededRandom(seed * 2 + 3);
  const count = stored.length / dimensions;
  const pairs = queries.length / dimensions;
  let sum = 0;
  for (let query = 0; query < pairs; query += 1) {
    const row = Math.floor(random() * count);
    for (let index = 0; index < dimensions; index += 1) sum += queries[query * dimensions + index]! * stored[row * dimensions + index]!;
  }
  return sum / pairs;
}
