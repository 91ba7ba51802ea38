/**
 * Nearest-neighbour search over memory vectors, in memory. The durable copy of every vector lives in the
 * store; an index is rebuilt from it (or loaded from its own saved form) when a memory is opened.
 *
 * Keys are the store's memory keys (`Candidate.key`). Vectors are L2-normalised, so the similarity
 * reported is the cosine: 1 is identical, 0 unrelated.
 *
 * Contract (checked by `testVectorIndex` in src/testing):
 * - `add` with a key already present replaces its vector; `remove` of an absent key is a no-op.
 * - `search` returns at most `k` hits, best first, never a removed key, only keys `accept` allows
 *   when given; an exact index returns the true top `k`, an approximate one may miss some.
 * - A vector of the wrong length is an `invalid_input` error and changes nothing.
 */
export interface VectorIndex {
  /** "exact-f32", "exact-i8", "usearch-hnsw-i8", …: reported in bench output. */
  readonly name: string;
  readonly dimensions: number;
  readonly size: number;
  add(keys: readonly number[], vectors: readonly Float32Array[]): void;
  remove(keys: readonly number[]): void;
  search(query: Float32Array, k: number, accept?: (key: number) => boolean): VectorHit[];
}

export interface VectorHit {
  key: number;
  /** Cosine similarity, higher is better. */
  similarity: number;
}
