import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { extractKeywords } from "./extract-keywords.js";

describe("extractKeywords", () => {
  it("finds names and acronyms, not sentence starts or pronouns", () => {
    assert.deepEqual(extractKeywords("Yesterday Ana took Rex to the NASA museum in Houston. Then I slept."), ["ana", "rex", "nasa", "houston"]);
  });

  it("drops possessives, keeps first-mention order, and has no duplicates", () => {
    assert.deepEqual(extractKeywords("we met Ana's sister, and Ana said hi to Bo. Bo's dog too"), ["ana", "bo"]);
  });

  it("skips greetings and words after quotes that start a sentence", () => {
    assert.deepEqual(extractKeywords('He said: "Great idea!" Thanks, Mel. I went to Pride with "Caroline"'), ["mel", "pride", "caroline"]);
  });

  it("finds nothing in lower-case chatter", () => {
    assert.deepEqual(extractKeywords("just a normal day at the office, nothing much"), []);
  });
});
