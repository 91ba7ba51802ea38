import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { Candidate } from "../store/store.js";
import { missingNeighbourRanges, spreadToNeighbours } from "./spread-to-neighbours.js";

function turn(position: number, score: number, session = "s1", space = "default"): Candidate {
  return { key: position, id: `${session}-${position}`, version: 1, score, tokens: 5, author: "default", validFrom: position, position: { space, session, position } };
}

describe("spreadToNeighbours", () => {
  it("sums each match's score over the turns around it, decaying with distance", () => {
    const candidates = [turn(5, 8), turn(7, 4)];
    const neighbours = [turn(3, 0), turn(4, 0), turn(6, 0), turn(8, 0), turn(9, 0)];
    const ranked = spreadToNeighbours(candidates, neighbours, { radius: 2, decay: 0.5 });
    const scores = Object.fromEntries(ranked.map((candidate) => [candidate.id, candidate.score]));
    // 6 sits between both matches: 8·0.5 + 4·0.5 = 6; 5 is itself plus 7's reach: 8 + 4·0.25 = 9.
    assert.deepEqual(scores, { "s1-5": 9, "s1-6": 6, "s1-7": 6, "s1-4": 4, "s1-3": 2, "s1-8": 2, "s1-9": 1 });
    assert.deepEqual(ranked.map((candidate) => candidate.id).slice(0, 3), ["s1-5", "s1-7", "s1-6"], "ties go to the newer world time");
  });

  it("never spreads across sessions or spaces, and keeps memories without a position as they are", () => {
    const fact: Candidate = { key: 99, id: "fact", version: 1, score: 3, tokens: 5, author: "default", validFrom: null, position: null };
    const ranked = spreadToNeighbours([turn(2, 4), fact], [turn(1, 0, "s2"), turn(3, 0, "s1", "team")], { radius: 1, decay: 0.5 });
    assert.deepEqual(ranked.map((candidate) => [candidate.id, candidate.score]), [["s1-2", 4], ["fact", 3]]);
  });

  it("with radius 0 keeps the text-search order", () => {
    const ranked = spreadToNeighbours([turn(1, 3), turn(2, 5)], [], { radius: 0, decay: 0.5 });
    assert.deepEqual(ranked.map((candidate) => [candidate.id, candidate.score]), [["s1-2", 5], ["s1-1", 3]]);
  });
});

describe("missingNeighbourRanges", () => {
  it("asks only for positions near the candidates that are not candidates, merged into ranges", () => {
    const ranges = missingNeighbourRanges([turn(1, 1), turn(5, 1), turn(6, 1), turn(3, 1, "s2")], 2);
    assert.deepEqual(ranges, [
      { space: "default", session: "s1", from: 2, to: 4 },
      { space: "default", session: "s1", from: 7, to: 8 },
      { space: "default", session: "s2", from: 1, to: 2 },
      { space: "default", session: "s2", from: 4, to: 5 },
    ]);
    assert.deepEqual(missingNeighbourRanges([turn(1, 1)], 0), []);
  });
});
