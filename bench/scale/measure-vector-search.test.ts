import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { measureVectorSearch, syntheticEmbeddings } from "./measure-vector-search.js";

describe("measureVectorSearch", () => {
  it("measures each index against exact f32 and reports plain JSON", () => {
    const report = measureVectorSearch({ count: 2_000, dimensions: 32, queries: 20, seed: 3, indexes: ["exact-f32", "exact-i8", "usearch-hnsw-i8", "auto"] });
    assert.deepEqual(JSON.parse(JSON.stringify(report)), report);
    // Below its 20k threshold, "auto" searches exactly.
    assert.deepEqual(
      report.indexes.map((measurement) => measurement.index),
      ["exact-f32", "exact-i8", "usearch-hnsw-i8", "exact-f32"],
    );
    const [exact, quantised, hnsw] = report.indexes;
    assert.equal(exact?.recallAt10VsExact, 1);
    assert.ok(quantised!.recallAt10VsExact >= 0.9 && hnsw!.recallAt10VsExact >= 0.8, JSON.stringify(report.indexes));
    for (const measurement of report.indexes) {
      assert.ok(measurement.recallMs.p50 <= measurement.recallMs.p95 && measurement.recallMs.p95 <= measurement.recallMs.p99);
      assert.ok(measurement.memoryMB > 0 && measurement.buildMs >= 0);
    }
    assert.ok(quantised!.memoryMB < exact!.memoryMB);
    assert.ok(report.data.nearestSimilarity > report.data.randomSimilarity);
  });

  it("always measures exact f32 (the reference) but reports only the indexes asked for", () => {
    const report = measureVectorSearch({ count: 300, dimensions: 8, queries: 5, indexes: ["exact-i8"] });
    assert.deepEqual(report.indexes.map((measurement) => measurement.index), ["exact-i8"]);
  });

  it("draws the same unit vectors for the same seed", () => {
    const options = { count: 50, queries: 5, dimensions: 16, clusters: 4, seed: 9 };
    const first = syntheticEmbeddings(options);
    assert.deepEqual(syntheticEmbeddings(options), first);
    assert.notDeepEqual(syntheticEmbeddings({ ...options, seed: 10 }).stored, first.stored);
    const row = first.stored.subarray(0, 16);
    assert.ok(Math.abs(Math.hypot(...row) - 1) < 1e-5);
  });
});
