import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { MemoryRecord } from "../domain/types.js";
import type { Tokenizer } from "../providers/tokenizer.js";
import type { ScoredMemory } from "../store/store.js";
import { assembleContext } from "./assemble-context.js";

/** One token per whitespace-separated word: easy to reason about in assertions. */
const words: Tokenizer = { name: "words", count: (text) => text.split(/\s+/).filter(Boolean).length };

function candidate(id: string, text: string, validFrom: string | null, speaker: string | null = null): ScoredMemory {
  const memory: MemoryRecord = {
    id,
    version: 1,
    replacesVersion: null,
    kind: "episode",
    text,
    metadata: {},
    importance: 0.5,
    space: "default",
    author: "default",
    sourceEventIds: [`evt_${id}`],
    origin: speaker === null ? null : { eventKind: "message", role: null, speaker, sessionId: null, attachments: [] },
    validFrom,
    validTo: null,
    recordedAt: "2024-01-01T00:00:00.000Z",
    supersededAt: null,
    forgottenAt: null,
  };
  return { memory, score: 1, tokens: words.count(speaker ? `${speaker}: ${text}` : text) };
}

describe("assembleContext", () => {
  const ranked = [
    candidate("b", "second day news", "2023-05-09T10:00:00.000Z", "Bo"),
    candidate("a", "first day news", "2023-05-08T10:00:00.000Z", "Ada"),
    candidate("t", "a timeless fact", null),
    candidate("c", "more first day", "2023-05-08T11:00:00.000Z", "Ada"),
  ];

  it("lists timeless items first, then by time under one header per day, and ranks best first", () => {
    const { items, context } = assembleContext(ranked, { budgetTokens: 100, limit: 100, tokenizer: words });
    assert.equal(context.text, ["a timeless fact", "[2023-05-08]", "Ada: first day news", "Ada: more first day", "[2023-05-09]", "Bo: second day news"].join("\n"));
    assert.deepEqual(items.map((item) => [item.memory.id, item.rank]), [["b", 1], ["a", 2], ["t", 3], ["c", 4]]);
    assert.equal(context.tokens, words.count(context.text));
  });

  it("skips an item that does not fit and still takes smaller ones after it", () => {
    const big = candidate("big", "one two three four five six seven eight nine ten", "2023-05-08T09:00:00.000Z");
    const small = candidate("small", "tiny", "2023-05-08T09:30:00.000Z");
    const { items, context } = assembleContext([big, small], { budgetTokens: 5, limit: 10, tokenizer: words });
    assert.deepEqual(items.map((item) => item.memory.id), ["small"]);
    assert.equal(context.text, "[2023-05-08]\ntiny");
  });

  it("never exceeds the budget and honours the limit", () => {
    for (let budget = 1; budget <= 20; budget += 1) {
      const { context, items } = assembleContext(ranked, { budgetTokens: budget, limit: 2, tokenizer: words });
      assert.ok(context.tokens <= budget, `budget ${budget}: ${context.tokens} tokens`);
      assert.ok(items.length <= 2);
    }
  });

  it("trims from the lowest rank when the whole text counts more than its parts", () => {
    // A tokenizer that charges 3 extra tokens for the text as a whole, which per-item estimates cannot see.
    const surcharge: Tokenizer = { name: "surcharge", count: (text) => words.count(text) + (text.includes("\n") ? 3 : 0) };
    const { items, context } = assembleContext(ranked, { budgetTokens: 12, limit: 100, tokenizer: surcharge });
    assert.ok(context.tokens <= 12);
    assert.equal(context.tokens, surcharge.count(context.text));
    assert.equal(items[0]?.memory.id, "b", "the best item survives the trimming");
  });
});
