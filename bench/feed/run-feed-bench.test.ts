import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { ChangeEvent } from "../../src/index.js";
import { formatFeedReport, runFeedBench } from "./run-feed-bench.js";

describe("mnemo bench feed", () => {
  it("delivers every change to every subscriber once, in order, and reports BENCHMARKS.md's keys", async () => {
    const seen: ChangeEvent[][] = [[], [], []];
    const report = await runFeedBench({
      subscribers: 3,
      latencyChanges: 30,
      intervalMs: 0,
      changes: 170,
      batchSize: 50,
      durability: "normal",
      version: "test",
      commit: "test",
      onChange: (subscriber, change) => seen[subscriber]!.push(change),
    });

    assert.deepEqual(Object.keys(report).slice(0, 3), ["subscribers", "changesPerSecond", "latencyMs"]);
    assert.deepEqual(Object.keys(report.latencyMs).slice(0, 2), ["p50", "p99"]);
    assert.equal(report.subscribers, 3);
    assert.deepEqual(report.changes, { paced: 30, burst: 170, warmUp: 20 });
    assert.equal(report.timedOut, false);
    assert.deepEqual(report.delivery, { expected: 220, missing: 0, duplicated: 0, outOfOrder: 0, withoutRecord: 0 });

    const [first, ...others] = seen;
    assert.equal(first!.length, 220);
    assert.equal(new Set(first!.map((change) => change.memoryId)).size, 220, "each change once");
    assert.ok(first!.every((change, index) => index === 0 || change.seq > first![index - 1]!.seq), "in sequence order");
    assert.ok(first!.every((change) => change.operation === "memory.created" && change.space === "team" && change.memory?.id === change.memoryId));
    for (const changes of others) assert.deepEqual(changes.map((change) => change.seq), first!.map((change) => change.seq), "every subscriber gets the same feed");

    for (const figures of [report.latencyMs, report.latencyWithWriteMs, report.writeMs, report.burstLatencyMs]) {
      assert.ok(figures.p50 >= 0 && figures.p50 <= figures.p99, JSON.stringify(figures));
    }
    assert.ok(report.latencyMs.p99 <= report.latencyMs.max);
    assert.ok(report.changesPerSecond > 0 && report.deliveriesPerSecond === report.changesPerSecond * 3);
    assert.ok(report.peakRssMB > 0);
    assert.match(formatFeedReport(report), /every subscriber received all 220 changes once, in order/);
  });
});
