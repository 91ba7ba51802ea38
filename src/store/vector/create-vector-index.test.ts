import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { MemoryError } from "../../domain/memory-error.js";
import { createVectorIndex } from "./create-vector-index.js";

function axis(dimensions: number, at: number, tilt = 0): Float32Array {
  const vector = new Float32Array(dimensions);
  vector[at % dimensions] = 1;
  vector[(at + 1) % dimensions] = tilt;
  return vector;
}

function fill(count: number, dimensions: number): { keys: number[]; vectors: Float32Array[] } {
  const keys = Array.from({ length: count }, (_, key) => key);
  return { keys, vectors: keys.map((key) => axis(dimensions, key, (key % 7) / 10)) };
}

describe("createVectorIndex", () => {
  it("answers exactly below the threshold and with HNSW from it on", () => {
    const index = createVectorIndex({ dimensions: 8, annThreshold: 10 });
    const { keys, vectors } = fill(12, 8);
    index.add(keys.slice(0, 9), vectors.slice(0, 9));
    assert.equal(index.name, "exact-f32");
    index.add(keys.slice(9), vectors.slice(9));
    assert.equal(index.name, "usearch-hnsw-i8+rerank-f32");
    assert.equal(index.size, 12);
    assert.equal(index.search(vectors[11]!, 1)[0]?.key, 11);
  });

  it("drops the HNSW index when removals bring the count under half the threshold", () => {
    const index = createVectorIndex({ dimensions: 8, annThreshold: 10, precision: "i8", quantization: "f32" });
    const { keys, vectors } = fill(10, 8);
    index.add(keys, vectors);
    assert.equal(index.name, "usearch-hnsw-f32+rerank-i8");
    index.remove(keys.slice(0, 5));
    assert.equal(index.name, "usearch-hnsw-f32+rerank-i8", "5 is not under half of 10");
    index.remove([5]);
    assert.equal(index.name, "exact-i8");
    assert.deepEqual(
      index.search(vectors[9]!, 10).map((hit) => hit.key).sort(),
      [6, 7, 8, 9],
    );
  });

  it("rebuilds the HNSW index once replaced vectors outnumber live ones, and keeps answering", () => {
    const dimensions = 8;
    const index = createVectorIndex({ dimensions, annThreshold: 10 });
    const { keys, vectors } = fill(40, dimensions);
    index.add(keys, vectors);
    for (let round = 1; round <= 3; round += 1) {
      const moved = keys.map((key) => axis(dimensions, key + round, 0.05 * round));
      index.add(keys, moved);
      for (const key of [0, 17, 39]) assert.equal(index.search(moved[key]!, 1)[0]?.similarity.toFixed(6), "1.000000");
    }
    assert.equal(index.size, 40);
    assert.equal(index.name, "usearch-hnsw-i8+rerank-f32");
  });

  it("answers a filter that HNSW cannot satisfy with an exact scan", () => {
    const dimensions = 16;
    const index = createVectorIndex({ dimensions, annThreshold: 100 });
    const { keys, vectors } = fill(3_000, dimensions);
    index.add(keys, vectors);
    assert.equal(index.name, "usearch-hnsw-i8+rerank-f32");
    const allowed = new Set([3, 1_500, 2_999]);
    const hits = index.search(axis(dimensions, 0), 10, (key) => allowed.has(key));
    assert.deepEqual(hits.map((hit) => hit.key).sort((a, b) => a - b), [3, 1_500, 2_999]);
  });

  it("never switches with annThreshold Infinity", () => {
    const index = createVectorIndex({ dimensions: 4, annThreshold: Infinity });
    const { keys, vectors } = fill(50, 4);
    index.add(keys, vectors);
    assert.equal(index.name, "exact-f32");
  });

  it("rejects bad options when it is made", () => {
    for (const options of [{ dimensions: 0 }, { dimensions: 4, annThreshold: 0 }, { dimensions: 4, connectivity: 1 }, { dimensions: 4, precision: "f16" as "f32" }]) {
      assert.throws(() => createVectorIndex(options), (error: unknown) => error instanceof MemoryError && error.code === "invalid_input");
    }
  });
});
