/**
 * Nearest-neighbour search over memory vectors, in memory. The durable copy of every vector lives in the
 * store; an index is rebuilt from it (or loaded from its own saved form) when a memory is opened.
 *
 * Keys are the store's memory keys (`Candidate.key`). Vectors are L2-normalised, so the similarity
 * reported is the cosine: 1 is identical, 0 unrelated.
 *
 * Contract (checked by `testVectorIndex` in src/testing):
 * - `add` with a key already present replaces its vector (within one call, the last vector for a key
 *   wins); `remove` of an absent key is a no-op.
 * - `search` returns at most `k` hits (fewer when fewer keys are held or accepted), best first,
 *   never a removed key, only keys `accept` allows when given; an exact index returns the true top `k`,
 *   an approximate one may miss some. `accept` must be pure: an index calls it for only some keys (those
 *   that could enter the top `k`), in any order.
 * - Adapters normalise what they store and each query, so a vector that is not quite unit length still
 *   reports its cosine. A quantised index reports the cosine of its quantised vectors (off by ~0.001–0.01).
 * - Each call is checked in full before anything changes: a vector of the wrong length, with NaN or
 *   ±Infinity, or all zeros; a key that is not a whole number ≥ 0; or a `k` that is not a whole
 *   number ≥ 0, is an `invalid_input` error and changes nothing.
 */
export interface VectorIndex {
  /** "exact-f32", "exact-i8", "usearch-hnsw-i8", …: reported in bench output. May change as an index grows (`createVectorIndex`). */
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
