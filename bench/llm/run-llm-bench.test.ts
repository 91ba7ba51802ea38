import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { BenchCase } from "../neutral-format.js";
import { runLlmBench } from "./run-llm-bench.js";

const CASE: BenchCase = {
  id: "c1",
  sessions: [
    { id: "s1", date: "2023-01-10T10:00:00Z", turns: [{ id: "t1", speaker: "Ana", text: "I live in Boston." }, { id: "t2", speaker: "Ben", text: "I love jazz" }, { id: "t3", speaker: "Ana", text: "Nice!" }] },
    { id: "s2", date: "2023-05-08T10:00:00Z", turns: [{ id: "t4", speaker: "Ana", text: "I moved to Denver last week." }] },
    { id: "s3", date: "2023-06-01T10:00:00Z", turns: [{ id: "t5", speaker: "Ana", text: "Left out: over the turn limit." }] },
  ],
  questions: [],
};

describe("mnemo bench llm", () => {
  it("counts the model's calls and tokens per 1,000 turns, and times ingest with and without the model", async () => {
    const report = await runLlmBench([CASE], { maxTurns: 4, batchSize: 2, slowMs: 0, version: "test", commit: "test" });
    assert.equal(report.turns, 4, "whole sessions up to the limit");
    // Session 1 (3 turns) is two jobs of at most 2 turns, one extraction call each; session 2 is one
    // extraction call, plus a consolidation call if Boston is stored by then (jobs run in the background).
    assert.ok(report.llmCalls === 3 || report.llmCalls === 4, String(report.llmCalls));
    assert.equal(report.llmCallsPer1000Turns, report.llmCalls * 250);
    assert.ok(report.tokensPer1000Turns.in > report.tokensPer1000Turns.out && report.tokensPer1000Turns.out > 0);
    assert.ok(report.ingestMs.p95WithoutLlm > 0 && report.ingestMs.p95WithSlowLlm > 0);
    assert.deepEqual({ ...report.extraction, updated: 0 }, { created: 3, updated: 0, jobsDone: 3, jobsDead: 0 });
    assert.ok(report.extraction.updated <= 1, "Boston is closed at most once");
    assert.deepEqual(Object.keys(report).slice(0, 5), ["turns", "llmCalls", "llmCallsPer1000Turns", "tokensPer1000Turns", "ingestMs"]);
  });
});
