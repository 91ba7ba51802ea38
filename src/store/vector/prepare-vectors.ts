import { invalidInput } from "../../domain/memory-error.js";

/** An `add` call after validation: distinct keys (the last vector given for a key wins), unit vectors. */
export interface PreparedBatch {
  keys: number[];
  /** `keys.length` rows of `dimensions` values each, every row L2-normalised. */
  vectors: Float32Array;
}

/**
 * Checks an `add` call completely before anything changes, so a bad vector leaves the index as it was.
 * Vectors are copied and normalised: a vector that is not quite unit length still reports its cosine.
 */
export function prepareBatch(dimensions: number, keys: readonly number[], vectors: readonly Float32Array[]): PreparedBatch {
  if (!Array.isArray(keys)) throw invalidInput("keys", "must be an array of memory keys.");
  if (!Array.isArray(vectors)) throw invalidInput("vectors", "must be an array of Float32Array.");
  if (keys.length !== vectors.length) {
    throw invalidInput("vectors", `got ${vectors.length} vectors for ${keys.length} keys. Pass one vector per key.`, { keys: keys.length, vectors: vectors.length });
  }
  const lastIndexOf = new Map<number, number>();
  keys.forEach((key, index) => {
    checkKey(key, `keys[${index}]`);
    lastIndexOf.set(key, index);
  });
  const distinct = [...lastIndexOf.values()].sort((a, b) => a - b);
  const prepared = new Float32Array(distinct.length * dimensions);
  distinct.forEach((index, row) => normaliseInto(dimensions, vectors[index], `vectors[${index}]`, prepared, row * dimensions));
  return { keys: distinct.map((index) => keys[index]!), vectors: prepared };
}

/** A normalised copy of a query vector; `k` must be a whole number (0 asks for nothing). */
export function prepareQuery(dimensions: number, query: Float32Array, k: number): Float32Array {
  if (!Number.isSafeInteger(k) || k < 0) throw invalidInput("k", `must be a whole number of at least 0, got ${String(k)}.`, { k });
  const prepared = new Float32Array(dimensions);
  normaliseInto(dimensions, query, "query", prepared, 0);
  return prepared;
}

/** Memory keys are the store's integer handles; the HNSW index stores them as unsigned 64-bit integers. */
export function checkKey(key: number, field: string): void {
  if (!Number.isSafeInteger(key) || key < 0) throw invalidInput(field, `must be a whole number of at least 0 (a memory key), got ${String(key)}.`, { key });
}

/** Validates `dimensions` for a factory: a whole number of at least 1. */
export function checkDimensions(dimensions: number): void {
  if (!Number.isSafeInteger(dimensions) || dimensions < 1) {
    throw invalidInput("dimensions", `must be a whole number of at least 1 (the embedder's dimensions), got ${String(dimensions)}.`, { dimensions });
  }
}

function normaliseInto(dimensions: number, vector: Float32Array | undefined, field: string, target: Float32Array, offset: number): void {
  if (!(vector instanceof Float32Array)) throw invalidInput(field, "must be a Float32Array.");
  if (vector.length !== dimensions) {
    throw invalidInput(field, `has ${vector.length} values but this index holds ${dimensions}-dimensional vectors. Embed with the model the index was made for.`, {
      expected: dimensions,
      actual: vector.length,
    });
  }
  let squares = 0;
  for (let index = 0; index < dimensions; index += 1) {
    const value = vector[index]!;
    squares += value * value;
  }
  // A NaN or ±Infinity makes the sum non-finite, so one check covers every value.
  if (!Number.isFinite(squares)) throw invalidInput(field, "contains NaN or Infinity. Check the embedder's output.");
  if (squares === 0) throw invalidInput(field, "is all zeros, which has no direction to compare. Check the embedder's output.");
  const scale = 1 / Math.sqrt(squares);
  for (let index = 0; index < dimensions; index += 1) target[offset + index] = vector[index]! * scale;
}
