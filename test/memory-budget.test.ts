import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import type { EventInput, Memory, MemoryRecord, RecallResult } from "../src/index.js";
import type { Tokenizer } from "../src/providers/tokenizer.js";
import { loadO200kTokenizer } from "../src/providers/tokenizer/o200k-tokenizer.js";
import { mulberry32 as random } from "../src/testing/mulberry32.js";
import { testMemory } from "./support/memory-fixtures.js";

const SEED = 20240301;
const QUERY_WORDS = ["harbor", "lantern", "東京", "naïve", "café", "zebra"];
const FILLER = [
  "the", "of", "and", "a", "meeting", "went", "well", "tomorrow", "👩‍👩‍👧‍👦", "🏳️‍🌈", "e\u0301te\u0301", "مرحبا", "नमस्ते", "Привет",
  "zero\u200bwidth", "\u202ertl\u202c", "Z̴̡̛a̷l̶g̵o̸", "𝔘𝔫𝔦𝔠𝔬𝔡𝔢", "ｆｕｌｌ", "tab\there", "1,234.56", "a—b", "🙂🙂🙂", "ﷺ", "ℌ𝔢𝔩𝔩𝔬",
];
const SPEAKERS = [null, "Ana", "Zoë", "李雷", "agent-7", "👾"];
const HEADER = /^\[\d{4}-\d{2}-\d{2}\]$/;

function generateEvents(next: () => number, count: number): EventInput[] {
  const pick = <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)]!;
  return Array.from({ length: count }, (_, index) => {
    const length = next() < 0.1 ? 80 + Math.floor(next() * 300) : 1 + Math.floor(next() * 25);
    const words = Array.from({ length }, () => pick(FILLER));
    words.splice(Math.floor(next() * words.length), 0, pick(QUERY_WORDS));
    if (next() < 0.1) words.splice(Math.floor(next() * words.length), 0, "\n  ");
    const speaker = pick(SPEAKERS);
    const event: EventInput = {
      text: words.join(" "),
      occurredAt: Date.UTC(2023, 4, 1 + Math.floor(next() * 10), Math.floor(next() * 24), index % 60),
    };
    if (speaker !== null) event.speaker = speaker;
    if (next() < 0.1) event.attachments = [{ kind: "image", caption: `a photo of ${pick(FILLER)}` }];
    if (next() < 0.05) delete event.occurredAt;
    return event;
  });
}

/** The line the context shows for a memory: speaker, the text on one line, then attachment captions. */
function expectedLine(memory: MemoryRecord): string {
  const speaker = memory.origin?.speaker;
  const captions = (memory.origin?.attachments ?? []).map((attachment) => ` [${attachment.kind}: ${attachment.caption}]`).join("");
  return `${speaker ? `${speaker}: ` : ""}${memory.text.replace(/\s*\n\s*/g, " ")}${captions}`;
}

function checkResult(result: RecallResult, budgetTokens: number, tokenizer: Tokenizer, label: string): void {
  const { items, context } = result;
  assert.ok(context.tokens <= budgetTokens, `${label}: ${context.tokens} tokens`);
  assert.equal(context.tokens, tokenizer.count(context.text), `${label}: tokens must be a fresh count of the text`);
  assert.equal(context.budgetTokens, budgetTokens, label);
  const lines = context.text === "" ? [] : context.text.split("\n");
  const itemLines = lines.filter((line) => !HEADER.test(line));
  assert.deepEqual([...itemLines].sort(), items.map((item) => expectedLine(item.memory)).sort(), `${label}: one line per item, and nothing else`);
  const headers = lines.filter((line) => HEADER.test(line));
  const days = [...new Set(items.flatMap((item) => (item.memory.validFrom === null ? [] : [`[${item.memory.validFrom.slice(0, 10)}]`])))].sort();
  assert.deepEqual(headers, days, `${label}: one header per day, in order`);
  items.forEach((item, index) => {
    assert.equal(item.rank, index + 1, label);
    assert.equal(item.tokens, tokenizer.count(expectedLine(item.memory)), `${label}: item tokens`);
    if (index > 0) assert.ok(items[index - 1]!.score >= item.score, `${label}: best first`);
  });
}

describe("recall stays within the token budget", () => {
  let memory: Memory;
  let tokenizer: Tokenizer;
  const next = random(SEED);

  before(async () => {
    ({ memory } = await testMemory());
    tokenizer = await loadO200kTokenizer();
    const events = generateEvents(next, 400);
    for (let start = 0; start < events.length; start += 100) await memory.ingest(events.slice(start, start + 100));
  });
  after(() => memory.close());

  it(`for every budget from 1 to 20 tokens (seed ${SEED})`, async () => {
    let filled = 0;
    for (let budgetTokens = 1; budgetTokens <= 20; budgetTokens += 1) {
      for (const query of QUERY_WORDS) {
        const result = await memory.recall(query, { budgetTokens });
        checkResult(result, budgetTokens, tokenizer, `budget ${budgetTokens}, query ${query}`);
        if (result.items.length > 0) filled += 1;
      }
    }
    // Not a quality bar, only a check that the loop above did exercise non-empty contexts.
    assert.ok(filled >= 20, `tiny budgets should still hold some short memories (${filled} of 120 recalls had items)`);
  });

  it(`for many random budgets, queries and limits (seed ${SEED})`, async () => {
    let nearlyFull = 0;
    for (let round = 0; round < 150; round += 1) {
      const budgetTokens = 1 + Math.floor(next() ** 2 * 4_000);
      const query = QUERY_WORDS.filter(() => next() < 0.4).join(" ") || QUERY_WORDS[round % QUERY_WORDS.length]!;
      const limit = next() < 0.3 ? 1 + Math.floor(next() * 20) : undefined;
      const result = await memory.recall(query, limit === undefined ? { budgetTokens } : { budgetTokens, limit });
      const label = `round ${round}: budget ${budgetTokens}, query "${query}", limit ${limit}`;
      checkResult(result, budgetTokens, tokenizer, label);
      if (limit !== undefined) assert.ok(result.items.length <= limit, label);
      if (result.context.tokens >= budgetTokens * 0.8) nearlyFull += 1;
    }
    assert.ok(nearlyFull > 50, `contexts should mostly fill their budget (${nearlyFull} of 150 did)`);
  });

  it("the default budget is 2000 tokens", async () => {
    const result = await memory.recall(QUERY_WORDS.join(" "));
    checkResult(result, 2000, tokenizer, "default budget");
    assert.ok(result.context.tokens > 1500, `${result.context.tokens} tokens: the context should use the budget`);
  });
});
