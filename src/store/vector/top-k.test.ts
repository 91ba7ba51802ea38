import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { TopK } from "./top-k.js";

describe("TopK", () => {
  it("keeps the best pairs, best first, whatever order they come in", () => {
    const scores = Array.from({ length: 200 }, (_, index) => Math.sin(index * 12.9898) * 43758.5453 % 1);
    const top = new TopK(7);
    scores.forEach((score, key) => {
      if (score >= top.threshold) top.offer(score, key);
    });
    const expected = scores.map((similarity, key) => ({ key, similarity })).sort((a, b) => b.similarity - a.similarity).slice(0, 7);
    assert.deepEqual(top.sorted(), expected);
  });

  it("ranks equal scores by the smaller key, so results do not depend on storage order", () => {
    for (const order of [[5, 1, 9, 3], [9, 5, 3, 1]]) {
      const top = new TopK(2);
      for (const key of order) top.offer(0.5, key);
      assert.deepEqual(top.sorted().map((hit) => hit.key), [1, 3]);
    }
  });

  it("holds nothing with capacity 0", () => {
    const top = new TopK(0);
    top.offer(1, 1);
    assert.deepEqual(top.sorted(), []);
  });
});
