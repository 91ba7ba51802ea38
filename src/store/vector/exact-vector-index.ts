import { invalidInput } from "../../domain/memory-error.js";
import { dotF32, dotI8, scanF32, scanI8 } from "./exact-scan.js";
import { checkDimensions, prepareBatch, prepareQuery, type PreparedBatch } from "./prepare-vectors.js";
import { quantizeRows } from "./quantize-i8.js";
import { TopK } from "./top-k.js";
import type { VectorHit, VectorIndex } from "./vector-index.js";

export interface ExactVectorIndexOptions {
  dimensions: number;
  /**
   * How vectors are held. "f32": 4 bytes a value, exact cosines. "i8": 1 byte a value (plus 4 bytes a
   * vector), each vector scalar-quantised; search compares the query, unquantised, with the quantised
   * vectors exactly; their cosines differ from the originals' by about 0.001 at 384 dimensions.
   * @default "f32"
   */
  precision?: "f32" | "i8";
}

/** The rows an exact index holds, for building another index from them; valid until the next change. */
export interface ExactRows {
  keys: Float64Array;
  /** `keys.length` rows: unit vectors ("f32") or quantised ones ("i8"). */
  vectors: Float32Array | Int8Array;
}

/** The exact index with the entry points the auto index uses to avoid validating twice. */
export interface ExactVectorIndex extends VectorIndex {
  readonly precision: "f32" | "i8";
  addPrepared(batch: PreparedBatch): void;
  searchPrepared(query: Float32Array, k: number, accept?: (key: number) => boolean): VectorHit[];
  rows(): ExactRows;
  /** The similarity of each hit's stored vector with the unit `query`, best first; keys not held are dropped. */
  rescore(query: Float32Array, hits: readonly VectorHit[]): VectorHit[];
}

const INITIAL_CAPACITY = 64;

/**
 * Brute-force search: every query is compared with every stored vector, so results are the true top k
 * (for "i8", of the quantised vectors). Vectors sit in one contiguous typed array, a slot per vector;
 * removing one moves the last vector into its slot. A query costs about 0.3 µs per stored vector at 384
 * dimensions on one core, so it beats an ANN index up to tens of thousands of vectors and needs no build.
 *
 * @example
 * const index = createExactVectorIndex({ dimensions: 384 });
 * index.add([7], [embedding]);
 * index.search(queryEmbedding, 10); // [{ key: 7, similarity: 0.83 }]
 */
export function createExactVectorIndex(options: ExactVectorIndexOptions): VectorIndex {
  return openExactVectorIndex(options);
}

/** `createExactVectorIndex` with the extra entry points of `ExactVectorIndex`. */
export function openExactVectorIndex(options: ExactVectorIndexOptions): ExactVectorIndex {
  const { dimensions } = options;
  checkDimensions(dimensions);
  const precision = options.precision ?? "f32";
  if (precision !== "f32" && precision !== "i8") throw invalidInput("precision", `must be "f32" or "i8", got ${JSON.stringify(precision)}.`);

  const slotOfKey = new Map<number, number>();
  let keyOfSlot = new Float64Array(0);
  let floats = new Float32Array(0);
  let codes = new Int8Array(0);
  let inverseNorms = new Float32Array(0);
  let count = 0;

  const ensureCapacity = (needed: number): void => {
    if (needed <= keyOfSlot.length) return;
    // 1.5x growth: at most a third of the space idle, and each vector copied about twice in all.
    const capacity = Math.max(INITIAL_CAPACITY, Math.ceil(keyOfSlot.length * 1.5), needed);
    keyOfSlot = grow(keyOfSlot, new Float64Array(capacity));
    if (precision === "f32") floats = grow(floats, new Float32Array(capacity * dimensions));
    else {
      codes = grow(codes, new Int8Array(capacity * dimensions));
      inverseNorms = grow(inverseNorms, new Float32Array(capacity));
    }
  };

  const addPrepared = (batch: PreparedBatch): void => {
    ensureCapacity(count + batch.keys.length);
    batch.keys.forEach((key, row) => {
      let slot = slotOfKey.get(key);
      if (slot === undefined) {
        slot = count;
        count += 1;
        slotOfKey.set(key, slot);
        keyOfSlot[slot] = key;
      }
      if (precision === "f32") floats.set(batch.vectors.subarray(row * dimensions, (row + 1) * dimensions), slot * dimensions);
      else quantizeRows(dimensions, batch.vectors, row, 1, codes, slot, inverseNorms);
    });
  };

  const removeOne = (key: number): void => {
    const slot = slotOfKey.get(key);
    if (slot === undefined) return;
    slotOfKey.delete(key);
    const last = count - 1;
    count = last;
    if (slot === last) return;
    const moved = keyOfSlot[last]!;
    keyOfSlot[slot] = moved;
    slotOfKey.set(moved, slot);
    const vectors = precision === "f32" ? floats : codes;
    vectors.copyWithin(slot * dimensions, last * dimensions, (last + 1) * dimensions);
    if (precision === "i8") inverseNorms[slot] = inverseNorms[last]!;
  };

  const searchPrepared = (query: Float32Array, k: number, accept?: (key: number) => boolean): VectorHit[] => {
    if (k === 0 || count === 0) return [];
    const top = new TopK(Math.min(k, count));
    if (precision === "f32") scanF32(query, floats, keyOfSlot, count, top, accept);
    else scanI8(query, codes, inverseNorms, keyOfSlot, count, top, accept);
    return top.sorted();
  };

  const rescore = (query: Float32Array, hits: readonly VectorHit[]): VectorHit[] => {
    const rescored: VectorHit[] = [];
    for (const { key } of hits) {
      const slot = slotOfKey.get(key);
      if (slot === undefined) continue;
      const similarity = precision === "f32" ? dotF32(query, floats, slot * dimensions) : dotI8(query, codes, slot * dimensions) * inverseNorms[slot]!;
      rescored.push({ key, similarity });
    }
    return rescored.sort((a, b) => b.similarity - a.similarity || a.key - b.key);
  };

  return {
    name: `exact-${precision}`,
    dimensions,
    precision,
    get size() {
      return count;
    },
    add(keys, vectors) {
      addPrepared(prepareBatch(dimensions, keys, vectors));
    },
    remove(keys) {
      if (!Array.isArray(keys)) throw invalidInput("keys", "must be an array of memory keys.");
      for (const key of keys) removeOne(key);
    },
    search(query, k, accept) {
      return searchPrepared(prepareQuery(dimensions, query, k), k, accept);
    },
    addPrepared,
    searchPrepared,
    rescore,
    rows: () => ({ keys: keyOfSlot.subarray(0, count), vectors: (precision === "f32" ? floats : codes).subarray(0, count * dimensions) }),
  };
}

function grow<T extends Float64Array | Float32Array | Int8Array>(from: T, to: T): T {
  to.set(from);
  return to;
}
