import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { Candidate } from "../store/store.js";
import { fuseRankings } from "./fuse-rankings.js";

function candidate(key: number, score = 1, validFrom: number | null = null): Candidate {
  return { key, id: `m${key}`, version: 1, score, tokens: 5, author: "default", validFrom, position: null };
}

describe("fuseRankings", () => {
  it("keeps a single ranking's order, scored by reciprocal rank", () => {
    const fused = fuseRankings([{ generator: "text", weight: 1, candidates: [candidate(3, 9), candidate(1, 5), candidate(2, 1)] }], 60);
    assert.deepEqual(fused.map((item) => item.key), [3, 1, 2]);
    assert.equal(fused[0]!.score, 1 / 61);
  });

  it("lifts what several rankings agree on, once per memory version", () => {
    const fused = fuseRankings([
      { generator: "text", weight: 1, candidates: [candidate(1), candidate(2), candidate(3)] },
      { generator: "time", weight: 1, candidates: [candidate(3), candidate(2)] },
    ]);
    assert.deepEqual(fused.map((item) => item.key), [3, 2, 1]);
    assert.equal(fused.length, 3);
  });

  it("weights scale a ranking's say, and weight 0 silences it", () => {
    const text = { generator: "text", weight: 1, candidates: [candidate(1), candidate(2)] };
    assert.deepEqual(fuseRankings([text, { generator: "vector", weight: 3, candidates: [candidate(2)] }]).map((item) => item.key), [2, 1]);
    assert.deepEqual(fuseRankings([text, { generator: "vector", weight: 0, candidates: [candidate(9)] }]).map((item) => item.key), [1, 2]);
  });

  it("breaks ties by the better best rank, then the newer world time", () => {
    const fused = fuseRankings([
      { generator: "a", weight: 1, candidates: [candidate(1, 1, 10), candidate(2, 1, 20)] },
      { generator: "b", weight: 1, candidates: [candidate(2, 1, 20), candidate(1, 1, 10)] },
      { generator: "c", weight: 1, candidates: [candidate(5, 1, null)] },
      { generator: "d", weight: 1, candidates: [candidate(6, 1, 30)] },
    ]);
    assert.deepEqual(fused.map((item) => item.key), [2, 1, 6, 5]);
  });
});
