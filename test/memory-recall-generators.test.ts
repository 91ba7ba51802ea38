import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { EventInput } from "../src/index.js";
import { recallTexts, testMemory } from "./support/memory-fixtures.js";

describe("recall's candidate generators", () => {
  // The same words twice: only the date the query names tells them apart.
  const curries: EventInput[] = [
    { text: "Ana cooked a green curry for the team", sessionId: "a", occurredAt: "2023-03-10T19:00:00Z" },
    { text: "Ana cooked a green curry for the team", sessionId: "b", occurredAt: "2024-01-10T19:00:00Z" },
  ];

  it("puts memories from the period the query names first", async () => {
    const { memory } = await testMemory({ recall: { neighbours: false } });
    const { events } = await memory.ingest(curries);
    const { items } = await memory.recall("what did Ana cook in March 2023?");
    assert.equal(items[0]?.memory.id, events[0]!.memoryId);
    await memory.close();
  });

  it("without the time generator, equal matches go newest first", async () => {
    const { memory } = await testMemory({ recall: { neighbours: false, generators: { time: false } } });
    const { events } = await memory.ingest(curries);
    const { items } = await memory.recall("what did Ana cook in March 2023?");
    assert.equal(items[0]?.memory.id, events[1]!.memoryId);
    await memory.close();
  });

  const pottery: EventInput[] = [
    { text: "My pottery class: clay everywhere and a hot kiln", sessionId: "a" },
    { text: "Pottery again today, the clay kept cracking in the kiln", sessionId: "b" },
    { text: "The glaze on my clay bowls survived the kiln firing", sessionId: "c" },
    { text: "We watched a film about whales", sessionId: "d" },
  ];

  it("with feedback on, finds turns that use the topic's words but not the question's", async () => {
    const { memory } = await testMemory({ recall: { neighbours: false, generators: { feedback: 1 } } });
    await memory.ingest(pottery);
    const texts = await recallTexts(memory, "how is the pottery going?");
    assert.ok(texts.includes(pottery[2]!.text), `got ${JSON.stringify(texts)}`);
    assert.ok(!texts.includes(pottery[3]!.text));
    await memory.close();
  });

  it("feedback is off by default", async () => {
    const { memory } = await testMemory({ recall: { neighbours: false } });
    await memory.ingest(pottery);
    assert.deepEqual((await recallTexts(memory, "how is the pottery going?")).sort(), [pottery[0]!.text, pottery[1]!.text].sort());
    await memory.close();
  });

  it("with every generator off, recalls nothing", async () => {
    const { memory } = await testMemory({ recall: { generators: { text: false, time: false, feedback: false } } });
    await memory.ingest(pottery);
    assert.deepEqual(await recallTexts(memory, "pottery"), []);
    await memory.close();
  });
});

describe("the keyword graph", () => {
  const trips: EventInput[] = [
    { text: "We flew to Lisbon with Marta for the conference", sessionId: "a" },
    { text: "Back home, Marta said she loved Lisbon and its tiled houses", sessionId: "b" },
    { text: "Marta signed us up for a pottery class in Porto", sessionId: "c" },
    { text: "The Alfama streets were so steep, said Marta", sessionId: "d" },
    { text: "Nothing to report about the garden", sessionId: "e" },
  ];

  it("with the graph on, reaches turns about what the query's keywords are mentioned with", async () => {
    const { memory } = await testMemory({ recall: { neighbours: false, generators: { graph: 1 } } });
    await memory.ingest(trips);
    const texts = await recallTexts(memory, "what happened in Lisbon?");
    assert.ok(texts.includes(trips[3]!.text), `Marta is mentioned with Lisbon twice, so her other turns come in: ${JSON.stringify(texts)}`);
    assert.ok(!texts.includes(trips[4]!.text));
    await memory.close();
  });

  it("is off by default", async () => {
    const { memory } = await testMemory({ recall: { neighbours: false } });
    await memory.ingest(trips);
    assert.deepEqual((await recallTexts(memory, "what happened in Lisbon?")).sort(), [trips[0]!.text, trips[1]!.text].sort());
    await memory.close();
  });
});

describe("relative time expressions", () => {
  const walks: EventInput[] = [
    { text: "Long walk with the dog by the river", sessionId: "a", occurredAt: "2023-05-02T08:00:00Z" },
    { text: "Long walk with the dog by the river", sessionId: "b", occurredAt: "2023-06-20T08:00:00Z" },
  ];

  it("are read from `now`, which filters nothing", async () => {
    const { memory } = await testMemory({ recall: { neighbours: false } });
    const { events } = await memory.ingest(walks);
    const asked = await memory.recall("where did we walk last month?", { now: "2023-06-05T12:00:00Z" });
    assert.equal(asked.items[0]?.memory.id, events[0]!.memoryId, "May is last month on 5 June");
    assert.equal(asked.items.length, 2, "the other walk is still recalled, lower");
    const later = await memory.recall("where did we walk last month?", { now: "2023-07-05T12:00:00Z" });
    assert.equal(later.items[0]?.memory.id, events[1]!.memoryId, "June is last month on 5 July");
    await memory.close();
  });

  it("refuses a `now` that is not a time", async () => {
    const { memory } = await testMemory();
    await assert.rejects(memory.recall("walks", { now: "someday" }), /options\.now/);
    await memory.close();
  });
});
