import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { candidateExpansionTerms, contentWords, pickExpansionTerms } from "./expansion-terms.js";

const OPTIONS = { terms: 2, minDocuments: 2 };

describe("query expansion from feedback", () => {
  it("keeps content words only", () => {
    assert.deepEqual(contentWords("The 2 dogs and I went to Porto in 2023!"), ["dogs", "went", "porto"]);
  });

  it("weighs words shared by the top documents, leaves out query words and one-document words", () => {
    const feedback = [
      { text: "pottery class with clay and a kiln", score: 3 },
      { text: "the clay bowl came out of the kiln", score: 2 },
      { text: "a lonely unrelated sentence", score: 1 },
    ];
    const candidates = candidateExpansionTerms(feedback, ["pottery"], OPTIONS);
    assert.deepEqual(candidates.map((candidate) => candidate.term).sort(), ["clay", "kiln"]);
    assert.ok(candidates.every((candidate) => candidate.weight > 0));
  });

  it("returns nothing without positive scores", () => {
    assert.deepEqual(candidateExpansionTerms([{ text: "clay kiln", score: 0 }, { text: "clay kiln", score: 0 }], [], OPTIONS), []);
  });

  it("prefers rare words over words common in the whole index", () => {
    const candidates = [
      { term: "really", weight: 0.2 },
      { term: "kiln", weight: 0.1 },
      { term: "clay", weight: 0.1 },
    ];
    assert.deepEqual(pickExpansionTerms(candidates, { total: 10_000, counts: [5_000, 3, 40] }, OPTIONS), ["kiln", "clay"]);
  });
});
