import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { runScaleBench, type ScaleProgress } from "./run-scale-bench.js";
import { formatScaleReport } from "./scale-report.js";

describe("runScaleBench", () => {
  it("measures each size with the keys BENCHMARKS.md fixes, and finds most queries' targets in the top 10", async () => {
    const progress: ScaleProgress[] = [];
    const report = await runScaleBench({
      sizes: [200, 300],
      queries: 20,
      durability: "normal",
      version: "test",
      commit: "test",
      vectors: { upTo: 200, dimensions: 16, indexes: ["exact-i8"] },
      onProgress: (event) => progress.push(event),
    });
    assert.deepEqual(report.sizes.map((size) => size.memories), [200, 300]);
    for (const size of report.sizes) {
      assert.deepEqual(Object.keys(size).slice(0, 7), ["memories", "embedder", "index", "ingestPerSecond", "recallMs", "recallAt10VsExact", "peakRssMB"]);
      assert.equal(size.embedder, "none");
      assert.equal(size.index, "fts5");
      assert.equal(size.recallAt10VsExact, null);
      assert.ok(size.ingestPerSecond > 0 && size.ingestSeconds > 0);
      assert.ok(size.recallMs.p50 > 0 && size.recallMs.p50 <= size.recallMs.p95 && size.recallMs.p95 <= size.recallMs.p99, JSON.stringify(size.recallMs));
      assert.ok(size.targetInTop10 >= 0.6, `target in top 10 for ${size.targetInTop10} of the queries`);
      assert.ok(size.peakRssMB > 10 && size.dbSizeMB > 0);
      assert.ok(size.sessions >= size.memories / 40 && size.sessions <= Math.ceil(size.memories / 10));
    }
    assert.deepEqual(report.sizes[0]!.vectorSearch?.indexes.map((index) => index.index), ["exact-i8"]);
    assert.ok(report.sizes[0]!.vectorSearch!.indexes[0]!.recallAt10VsExact > 0.9);
    assert.equal(report.sizes[1]!.vectorSearch, undefined, "sizes above vectors.upTo skip vector search");
    assert.match(report.config.tokenizer, /o200k/);
    assert.equal(report.config.queries, 20);
    assert.deepEqual([...new Set(progress.map((event) => `${event.memories} ${event.phase}`))], ["200 ingest", "200 recall", "300 ingest", "300 recall", "200 vectors"]);

    const table = formatScaleReport(report);
    assert.match(table, /^memories\s+sessions\s+index\s+ingest\/s/m);
    assert.match(table, /^200\s+\d+\s+fts5\s/m);
    assert.match(table, /^200\s+exact-i8 \(16 dims\)/m);
  });
});
