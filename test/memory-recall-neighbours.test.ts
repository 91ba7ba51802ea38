import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { EventInput } from "../src/index.js";
import { rejectsWith, testMemory } from "./support/memory-fixtures.js";

// The answer ("Lisbon") is in the reply, which shares no word with the question.
const conversation: EventInput[] = [
  { text: "Where did you spend the holidays this year?", speaker: "Bo", sessionId: "s1", occurredAt: "2024-01-05T10:00:00Z" },
  { text: "Lisbon, with my sister. Lots of pastries.", speaker: "Ada", sessionId: "s1", occurredAt: "2024-01-05T10:01:00Z" },
  { text: "Completely unrelated chatter about the weather.", speaker: "Bo", sessionId: "s2", occurredAt: "2024-02-01T10:00:00Z" },
  { text: "Lovely cold and sunny days ahead.", speaker: "Ada", sessionId: "s2", occurredAt: "2024-02-01T10:01:00Z" },
];

describe("recall across neighbouring turns", () => {
  it("brings the reply next to a matching turn into the context", async () => {
    const { memory } = await testMemory();
    await memory.ingest(conversation);
    const { items, context } = await memory.recall("where were the holidays spent", { budgetTokens: 200 });
    assert.deepEqual(items.slice(0, 2).map((item) => item.memory.text), [conversation[0]!.text, conversation[1]!.text]);
    assert.match(context.text, /Lisbon/);
    assert.ok(!items.some((item) => item.memory.origin?.sessionId === "s2"), "no weight crosses into another session");
    await memory.close();
  });

  it("can be turned off, and then only the matching turn is recalled", async () => {
    const { memory } = await testMemory({ recall: { neighbours: false } });
    await memory.ingest(conversation);
    const { items } = await memory.recall("where were the holidays spent", { budgetTokens: 200 });
    assert.deepEqual(items.map((item) => item.memory.text), [conversation[0]!.text]);
    await memory.close();
  });

  it("refuses tuning it cannot use, naming the field", async () => {
    for (const [recall, field] of [
      [{ neighbours: { radius: -1 } }, "options.recall.neighbours.radius"],
      [{ neighbours: { decay: 2 } }, "options.recall.neighbours.decay"],
      [{ neighbours: { width: 2 } }, "options.recall.neighbours.width"],
      [{ neighbors: false }, "options.recall.neighbors"],
    ] as const) {
      const error = await rejectsWith(testMemory({ recall: recall as never }), "invalid_input");
      assert.equal(error.details["field"], field);
    }
  });
});
