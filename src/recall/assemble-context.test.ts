import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { MemoryRecord } from "../domain/types.js";
import type { Tokenizer } from "../providers/tokenizer.js";
import type { Candidate } from "../store/store.js";
import { assembleContext, type AssembleOptions } from "./assemble-context.js";

/** One token per whitespace-separated word: easy to reason about in assertions. */
const words: Tokenizer = { name: "words", count: (text) => text.split(/\s+/).filter(Boolean).length };

const stored = new Map<number, MemoryRecord>();
let nextKey = 0;

function candidate(id: string, text: string, validFrom: string | null, speaker: string | null = null, author = "default"): Candidate {
  const memory: MemoryRecord = {
    id,
    version: 1,
    replacesVersion: null,
    kind: "episode",
    text,
    metadata: {},
    importance: 0.5,
    space: "default",
    author,
    sourceEventIds: [`evt_${id}`],
    origin: speaker === null ? null : { eventKind: "message", role: null, speaker, sessionId: null, attachments: [] },
    validFrom,
    validTo: null,
    recordedAt: "2024-01-01T00:00:00.000Z",
    supersededAt: null,
    forgottenAt: null,
    admission: { status: "admitted", why: "admitted: the space admits every write" },
  };
  const key = (nextKey += 1);
  stored.set(key, memory);
  const tokens = words.count(speaker ? `${speaker}: ${text}` : text);
  return { key, id, version: 1, score: 1, tokens, author, validFrom: validFrom === null ? null : Date.parse(validFrom), position: null };
}

/** Options with a loader over the candidates made above, which records what it was asked for. */
function options(budgetTokens: number, limit: number, tokenizer: Tokenizer = words): AssembleOptions & { loaded: number[] } {
  const loaded: number[] = [];
  return {
    budgetTokens,
    limit,
    tokenizer,
    loaded,
    load: async (keys) => {
      loaded.push(...keys);
      return keys.map((key) => stored.get(key)!);
    },
  };
}

describe("assembleContext", () => {
  const ranked = [
    candidate("b", "second day news", "2023-05-09T10:00:00.000Z", "Bo"),
    candidate("a", "first day news", "2023-05-08T10:00:00.000Z", "Ada"),
    candidate("t", "a timeless fact", null),
    candidate("c", "more first day", "2023-05-08T11:00:00.000Z", "Ada"),
  ];

  it("lists timeless items first, then by time under one header per day, and ranks best first", async () => {
    const { items, context } = await assembleContext(ranked, options(100, 100));
    assert.equal(context.text, ["a timeless fact", "[2023-05-08]", "Ada: first day news", "Ada: more first day", "[2023-05-09]", "Bo: second day news"].join("\n"));
    assert.deepEqual(items.map((item) => [item.memory.id, item.rank]), [["b", 1], ["a", 2], ["t", 3], ["c", 4]]);
    assert.equal(context.tokens, words.count(context.text));
  });

  it("skips an item that does not fit and still takes smaller ones after it", async () => {
    const big = candidate("big", "one two three four five six seven eight nine ten", "2023-05-08T09:00:00.000Z");
    const small = candidate("small", "tiny", "2023-05-08T09:30:00.000Z");
    const settings = options(5, 10);
    const { items, context } = await assembleContext([big, small], settings);
    assert.deepEqual(items.map((item) => item.memory.id), ["small"]);
    assert.equal(context.text, "[2023-05-08]\ntiny");
    assert.deepEqual(settings.loaded, [small.key], "only the chosen candidate is loaded");
  });

  it("never exceeds the budget and honours the limit", async () => {
    for (let budget = 1; budget <= 20; budget += 1) {
      const { context, items } = await assembleContext(ranked, options(budget, 2));
      assert.ok(context.tokens <= budget, `budget ${budget}: ${context.tokens} tokens`);
      assert.ok(items.length <= 2);
    }
  });

  it("trims from the lowest rank when the whole text counts more than its parts", async () => {
    // A tokenizer that charges 3 extra tokens for the text as a whole, which per-item estimates cannot see.
    const surcharge: Tokenizer = { name: "surcharge", count: (text) => words.count(text) + (text.includes("\n") ? 3 : 0) };
    const { items, context } = await assembleContext(ranked, options(12, 100, surcharge));
    assert.ok(context.tokens <= 12);
    assert.equal(context.tokens, surcharge.count(context.text));
    assert.equal(items[0]?.memory.id, "b", "the best item survives the trimming");
  });

  it("names the author of another principal's lines, and counts that when packing", async () => {
    const shared = [
      candidate("x", "one two three", null, null, "ana"),
      candidate("y", "four five six", null, null, "ben"),
      candidate("z", "seven eight nine", null, null, "ana"),
      candidate("w", "ten", null, null, "ben"),
    ];
    // With its byline ("[by ana]", 2 words) z no longer fits 12 tokens, and the short w takes the rest;
    // counted without it, z would be chosen, then trimmed, and w left out.
    const { items, context } = await assembleContext(shared, { ...options(12, 10), reader: "ben" });
    assert.deepEqual(items.map((item) => item.memory.id), ["x", "y", "w"]);
    assert.equal(context.text, "ten\none two three [by ana]\nfour five six", "timeless lines in id order");
  });
});
