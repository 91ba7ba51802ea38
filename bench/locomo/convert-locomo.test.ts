import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { describe, it } from "node:test";
import { convertLocomo, normaliseEvidence, parseLocomoDate } from "./convert-locomo.js";

const fixture = JSON.parse(readFileSync(new URL("../__fixtures__/locomo-mini.json", import.meta.url), "utf8")) as unknown;

describe("convertLocomo", () => {
  it("reads LoCoMo's session dates as UTC times", () => {
    assert.equal(parseLocomoDate("1:56 pm on 8 May, 2023"), "2023-05-08T13:56:00.000Z");
    assert.equal(parseLocomoDate("12:09 am on 1 January, 2024"), "2024-01-01T00:09:00.000Z");
    assert.equal(parseLocomoDate("12:30 pm on 3 March, 2022"), "2022-03-03T12:30:00.000Z");
    assert.equal(parseLocomoDate("yesterday"), undefined);
  });

  it("normalises evidence ids and drops the ones not in the conversation", () => {
    const turns = new Set(["D11:26", "D30:5", "D1:3"]);
    assert.deepEqual(normaliseEvidence(["D:11:26", "D30:05; D1:3", "D9:9", "D"], turns), ["D11:26", "D30:5", "D1:3"]);
  });

  it("orders sessions by number, keeps image captions, and drops category 5 and evidence-less questions", () => {
    const [benchCase] = convertLocomo(fixture);
    assert.ok(benchCase);
    assert.deepEqual(
      benchCase.sessions.map((session) => [session.id, session.date]),
      [
        ["S1", "2023-05-08T13:56:00.000Z"],
        ["S2", "2023-06-14T09:05:00.000Z"],
      ],
    );
    assert.deepEqual(benchCase.sessions[1]!.turns[2]!.attachments, [{ kind: "image", caption: "a photo of an orange canoe on a beach" }]);
    assert.deepEqual(
      benchCase.questions.map((question) => [question.category, question.evidence, question.answer]),
      [
        ["single-hop", ["D1:1"], "Pixel"],
        ["multi-hop", ["D1:3", "D2:1"], "cancelled"],
        ["temporal", ["D1:2"], "2023"],
        ["open-domain", ["D2:3"], "orange"],
      ],
    );
  });

  it("rejects data that is not LoCoMo with a message that says so", () => {
    assert.throws(() => convertLocomo({ not: "an array" }), /JSON array of conversations/);
    assert.throws(() => convertLocomo([{ foo: 1 }]), /sample_id/);
  });
});
