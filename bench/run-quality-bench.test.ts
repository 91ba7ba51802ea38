import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { describe, it } from "node:test";
import { convertLocomo } from "./locomo/convert-locomo.js";
import { BenchFormatError, parseBenchCases } from "./neutral-format.js";
import { runQualityBench } from "./run-quality-bench.js";

const fixture = JSON.parse(readFileSync(new URL("./__fixtures__/locomo-mini.json", import.meta.url), "utf8")) as unknown;
const options = { dataset: "mini", version: "test", commit: "test" };

describe("runQualityBench", () => {
  it("gives the same quality figures from LoCoMo and from its neutral-format conversion", async () => {
    const direct = convertLocomo(fixture);
    const viaJsonl = parseBenchCases(direct.map((benchCase) => JSON.stringify(benchCase)).join("\n"));
    const [first, second] = [await runQualityBench(direct, options), await runQualityBench(viaJsonl, options)];
    assert.deepEqual(second.quality, first.quality);
  });

  it("scores a question by the share of its evidence turns in the context", async () => {
    const report = await runQualityBench(convertLocomo(fixture), options);
    assert.equal(report.quality.questions, 4);
    // Six turns fit easily in 500 tokens, and every question shares a word with its evidence.
    assert.equal(report.quality.evidenceRecallAtTokens["500"], 1);
    assert.equal(report.speed.turns, 6);
    assert.ok(report.quality.tokensUsed["500"] > 0 && report.quality.tokensUsed["500"] <= 500);
    assert.deepEqual(Object.keys(report.quality.byCategory).sort(), ["multi-hop", "open-domain", "single-hop", "temporal"]);
  });

  it("misses evidence that shares no word with the question and sits in another session, and says so in the figures", async () => {
    const cases = parseBenchCases(
      JSON.stringify({
        id: "c",
        sessions: [
          { id: "S1", date: "2023-01-01T00:00:00Z", turns: [{ id: "T1", text: "zebra stripes" }] },
          { id: "S2", date: "2023-02-01T00:00:00Z", turns: [{ id: "T2", text: "penguin colony" }] },
        ],
        questions: [{ id: "q", question: "tell me about the zebra", evidence: ["T1", "T2"] }],
      }),
    );
    const report = await runQualityBench(cases, options);
    assert.equal(report.quality.evidenceRecallAtTokens["2000"], 0.5);
    assert.equal(report.quality.recallAtK["5"], 0.5);
    assert.equal(report.quality.sessionRecallAllAtK["10"], 0, "S2 never shows up among the ranked sessions");
  });

  it("credits a neighbouring turn that shares no word, unless the ablation turns neighbours off", async () => {
    const cases = parseBenchCases(
      JSON.stringify({
        id: "c",
        sessions: [{ id: "S1", date: "2023-01-01T00:00:00Z", turns: [{ id: "T1", text: "what about the zebra?" }, { id: "T2", text: "black and white stripes" }] }],
        questions: [{ id: "q", question: "tell me about the zebra", evidence: ["T2"] }],
      }),
    );
    assert.equal((await runQualityBench(cases, options)).quality.evidenceRecallAtTokens["500"], 1);
    const ablated = await runQualityBench(cases, { ...options, recall: { neighbours: false } });
    assert.equal(ablated.quality.evidenceRecallAtTokens["500"], 0);
    assert.equal(ablated.config.neighbours, "off");
  });

  it("leaves out questions without evidence instead of turning the figures into NaN", async () => {
    const cases = parseBenchCases(
      JSON.stringify({
        id: "c",
        sessions: [{ id: "S1", turns: [{ id: "T1", text: "zebra stripes" }] }],
        questions: [
          { id: "q1", question: "zebra?", evidence: ["T1"] },
          { id: "q2", question: "anything?", evidence: [] },
        ],
      }),
    );
    const report = await runQualityBench(cases, options);
    assert.equal(report.quality.questions, 1);
    assert.equal(report.quality.evidenceRecallAtTokens["2000"], 1);
    assert.equal(report.quality.sessionRecallAllAtK["1"], 1);
  });

  it("reports the line of a malformed neutral-format case", () => {
    assert.throws(() => parseBenchCases('{"id":"a","sessions":[]}\n{"id":"b","sessions":[{"id":"S1","turns":[{"id":"t"}]}]}'), (error: unknown) => {
      assert.ok(error instanceof BenchFormatError);
      assert.equal(error.line, 2);
      assert.match(error.message, /sessions\[0\]\.turns\[0\]\.text/);
      return true;
    });
    assert.throws(() => parseBenchCases("{nope"), /line 1: is not valid JSON/);
  });
});
