import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { queryTerms } from "./query-terms.js";

describe("queryTerms", () => {
  it("keeps the distinct meaningful words, lower-cased, in query order", () => {
    assert.deepEqual(queryTerms("When did Caroline go to the LGBTQ support group? The group!"), ["caroline", "go", "lgbtq", "support", "group"]);
  });

  it("never lets query syntax through: quotes, operators and brackets are dropped", () => {
    assert.deepEqual(queryTerms('"dog" OR cat* NEAR(x y) -- DROP TABLE memories; \'); text:'), ["dog", "cat", "near", "x", "y", "drop", "table", "memories", "text"]);
  });

  it("falls back to the stop words when a query has nothing else", () => {
    assert.deepEqual(queryTerms("Who was he?"), ["who", "was", "he"]);
  });

  it("handles accents and scripts other than Latin", () => {
    assert.deepEqual(queryTerms("Café in Zürich, 東京 2023"), ["café", "zürich", "東京", "2023"]);
    assert.deepEqual(queryTerms("?!…"), []);
  });
});
