import assert from "node:assert/strict";
import { afterEach, describe, it } from "node:test";
import type { Memory } from "../src/index.js";
import { recallTexts, testMemory, type ManualClock } from "./support/memory-fixtures.js";

// These tests pin text matching and filters, so recall here leaves out the spreading of matches to
// neighbouring turns (tested in memory-recall-neighbours.test.ts), which would add turns that match nothing.
const TEXT_ONLY = { recall: { neighbours: false } } as const;

describe("memory.recall", () => {
  let memory: Memory;
  let clock: ManualClock;
  afterEach(() => memory.close());

  it("finds memories by their words and says which events they came from", async () => {
    ({ memory } = await testMemory(TEXT_ONLY));
    const { events } = await memory.ingest([
      { text: "Caroline joined the LGBTQ support group", speaker: "Caroline" },
      { text: "Melanie ran a charity race", speaker: "Melanie" },
    ]);
    const { query, items, context } = await memory.recall("When did Caroline go to the support group?");
    assert.equal(query, "When did Caroline go to the support group?");
    assert.deepEqual(items.map((item) => [item.rank, item.memory.id, item.memory.sourceEventIds]), [[1, events[0]!.memoryId, [events[0]!.eventId]]]);
    assert.ok(context.text.includes("Caroline: Caroline joined the LGBTQ support group"));
    assert.ok(!context.text.includes("charity"));
    assert.equal(context.budgetTokens, 2000);
    assert.equal(context.tokenizer, "gpt-tokenizer/o200k_base");
  });

  it("ranks the better match first and numbers ranks from 1", async () => {
    ({ memory } = await testMemory(TEXT_ONLY));
    await memory.ingest([{ text: "a story about a garden and many unrelated words around it" }, { text: "garden tomatoes" }, { text: "nothing relevant" }]);
    const { items } = await memory.recall("garden tomatoes");
    assert.deepEqual(items.map((item) => [item.rank, item.memory.text]), [
      [1, "garden tomatoes"],
      [2, "a story about a garden and many unrelated words around it"],
    ]);
    assert.ok(items[0]!.score > items[1]!.score);
  });

  describe("timeRange", () => {
    const hikes = [
      { text: "hike to the lake", occurredAt: "2023-05-01T10:00:00Z" },
      { text: "hike up the hill", occurredAt: "2023-05-08T10:00:00Z" },
      { text: "hike in the rain", occurredAt: "2023-05-15T10:00:00Z" },
    ];
    const hikesIn = async (timeRange: { from?: string | Date | number; to?: string | Date | number }): Promise<string[]> =>
      (await recallTexts(memory, "hike", { timeRange })).sort();

    it("keeps the events that happened from `from` on, and up to `to`", async () => {
      ({ memory } = await testMemory(TEXT_ONLY));
      await memory.ingest(hikes);
      assert.deepEqual(await hikesIn({ from: "2023-05-05" }), ["hike in the rain", "hike up the hill"]);
      assert.deepEqual(await hikesIn({ to: "2023-05-10" }), ["hike to the lake", "hike up the hill"]);
      assert.deepEqual(await hikesIn({ from: "2023-05-08", to: "2023-05-08T23:59:59Z" }), ["hike up the hill"]);
      assert.deepEqual(await hikesIn({ from: "2023-06-01" }), []);
    });

    it("includes both ends, and takes Dates and epoch milliseconds as well as strings", async () => {
      ({ memory } = await testMemory(TEXT_ONLY));
      await memory.ingest(hikes);
      const exact = Date.parse("2023-05-08T10:00:00Z");
      assert.deepEqual(await hikesIn({ from: exact, to: exact }), ["hike up the hill"]);
      assert.deepEqual(await hikesIn({ from: new Date(exact + 1), to: new Date("2023-05-15T10:00:00Z") }), ["hike in the rain"]);
    });

    it("filters on when the event happened, not when it was ingested", async () => {
      ({ memory, clock } = await testMemory(TEXT_ONLY));
      await memory.ingest({ text: "hike long ago", occurredAt: "2020-01-01T00:00:00Z" });
      clock.set("2024-06-01T00:00:00Z");
      await memory.ingest({ text: "hike just now" });
      assert.deepEqual(await hikesIn({ to: "2021-01-01" }), ["hike long ago"]);
      assert.deepEqual(await hikesIn({ from: "2024-05-31" }), ["hike just now"]);
    });
  });

  describe("asOf", () => {
    async function boston(): Promise<string> {
      ({ memory, clock } = await testMemory(TEXT_ONLY));
      const { events } = await memory.ingest({ text: "Ana lives in Boston", speaker: "Ana" });
      clock.set("2024-03-05T12:00:00Z");
      await memory.update(events[0]!.memoryId, { expectedVersion: 1, text: "Ana lives in Denver" });
      clock.set("2024-04-01T00:00:00Z");
      return events[0]!.memoryId;
    }

    it("between two versions, recall sees version 1; without asOf it sees version 2", async () => {
      const id = await boston();
      const past = await memory.recall("where does Ana live", { asOf: "2024-03-03T00:00:00Z" });
      assert.deepEqual(past.items.map((item) => [item.memory.id, item.memory.version, item.memory.text]), [[id, 1, "Ana lives in Boston"]]);
      assert.ok(past.context.text.includes("Boston") && !past.context.text.includes("Denver"));
      const now = await memory.recall("where does Ana live");
      assert.deepEqual(now.items.map((item) => [item.memory.id, item.memory.version, item.memory.text]), [[id, 2, "Ana lives in Denver"]]);
    });

    it("from the moment of the update on, asOf sees version 2", async () => {
      await boston();
      assert.deepEqual(await recallTexts(memory, "Ana", { asOf: "2024-03-05T12:00:00Z" }), ["Ana lives in Denver"]);
      assert.deepEqual(await recallTexts(memory, "Ana", { asOf: "2024-03-05T11:59:59.999Z" }), ["Ana lives in Boston"]);
    });

    it("before the memory was recorded, asOf sees nothing", async () => {
      await boston();
      assert.deepEqual(await recallTexts(memory, "Ana", { asOf: "2024-02-01" }), []);
    });

    it("before an event happened, asOf does not see it, even when it was already recorded", async () => {
      ({ memory, clock } = await testMemory(TEXT_ONLY));
      await memory.ingest({ text: "the concert takes place", occurredAt: "2024-03-20T19:00:00Z" });
      await memory.ingest({ text: "the concert was announced", occurredAt: "2024-02-20T19:00:00Z" });
      clock.set("2024-04-01T00:00:00Z");
      assert.deepEqual(await recallTexts(memory, "concert", { asOf: "2024-03-10" }), ["the concert was announced"]);
      assert.deepEqual((await recallTexts(memory, "concert", { asOf: "2024-03-21" })).sort(), ["the concert takes place", "the concert was announced"]);
    });
  });

  describe("spaces, kinds and limit", () => {
    it("searches every space by default, or only the ones named", async () => {
      ({ memory } = await testMemory(TEXT_ONLY));
      await memory.spaces.create("team");
      await memory.ingest([{ text: "private note about rockets" }, { text: "team note about rockets", space: "team" }]);
      assert.deepEqual((await recallTexts(memory, "rockets")).sort(), ["private note about rockets", "team note about rockets"]);
      assert.deepEqual(await recallTexts(memory, "rockets", { spaces: ["team"] }), ["team note about rockets"]);
      assert.deepEqual(await recallTexts(memory, "rockets", { spaces: ["default"] }), ["private note about rockets"]);
    });

    it("kinds narrows by memory kind", async () => {
      ({ memory } = await testMemory(TEXT_ONLY));
      await memory.ingest({ text: "an episode about rockets" });
      assert.deepEqual(await recallTexts(memory, "rockets", { kinds: ["episode"] }), ["an episode about rockets"]);
      assert.deepEqual(await recallTexts(memory, "rockets", { kinds: ["fact", "preference"] }), []);
    });

    it("limit caps the number of items, keeping the best", async () => {
      ({ memory } = await testMemory(TEXT_ONLY));
      await memory.ingest([{ text: "rockets" }, { text: "rockets and a lot of other words that dilute it" }, { text: "rockets, rockets" }]);
      const { items } = await memory.recall("rockets", { limit: 2 });
      assert.equal(items.length, 2);
      assert.ok(!items.some((item) => item.memory.text.startsWith("rockets and a lot")), "the weakest match is the one left out");
    });
  });
});
