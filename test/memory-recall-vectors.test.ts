import assert from "node:assert/strict";
import { join } from "node:path";
import { describe, it } from "node:test";
import { MemoryError, createMemory, createOpenAIEmbedder, type EventInput } from "../src/index.js";
import { startOpenAITestServer } from "../src/testing/openai-test-server.js";
import { conceptEmbedder } from "./support/concept-embedder.js";
import { counterIds, manualClock, rejectsWith, tempDirectory, testMemory } from "./support/memory-fixtures.js";

const events: EventInput[] = [
  { text: "I finally bought a sedan last week", speaker: "Ana", sessionId: "s1", occurredAt: "2024-01-05T10:00:00Z" },
  { text: "The weather has been grey all month", speaker: "Bo", sessionId: "s2", occurredAt: "2024-01-20T10:00:00Z" },
  { text: "My puppy chewed the sofa again", speaker: "Ana", sessionId: "s3", occurredAt: "2024-02-01T10:00:00Z" },
];

// No word of these queries appears in the memory they should find: only the vectors can connect them.
const AUTOMOBILE = "automobile";
const CANINE = "canine";

async function texts(memory: Awaited<ReturnType<typeof testMemory>>["memory"], query: string): Promise<string[]> {
  return (await memory.recall(query, { budgetTokens: 300 })).items.map((item) => item.memory.text);
}

describe("recall with an embedder", () => {
  it("finds memories that share no word with the query, and embeds each new memory once", async () => {
    const embedder = conceptEmbedder();
    const { memory } = await testMemory({ embedder, recall: { neighbours: false } });
    const result = await memory.ingest(events);
    assert.deepEqual(result.embedding, { embedded: 3, error: null });
    assert.deepEqual(embedder.calls, [["I finally bought a sedan last week\nAna", "The weather has been grey all month\nBo", "My puppy chewed the sofa again\nAna"]]);
    assert.equal((await texts(memory, AUTOMOBILE))[0], events[0]!.text);
    assert.equal((await texts(memory, CANINE))[0], events[2]!.text);
    await memory.close();
  });

  it("recalls nothing by vector with the vector generator off", async () => {
    const { memory } = await testMemory({ embedder: conceptEmbedder(), recall: { neighbours: false, generators: { vector: false } } });
    await memory.ingest(events);
    assert.deepEqual(await texts(memory, AUTOMOBILE), []);
    await memory.close();
  });

  it("keeps ingesting when the provider fails, reports it, and embeds the rest later", async () => {
    const embedder = conceptEmbedder();
    const { memory } = await testMemory({ embedder, recall: { neighbours: false } });
    await memory.ingest(events[1]!);
    embedder.failWith = "provider down (HTTP 503)";
    const result = await memory.ingest([events[0]!, events[2]!]);
    assert.equal(result.inserted, 2);
    assert.deepEqual(result.embedding, { embedded: 0, error: "provider down (HTTP 503)" });
    assert.equal((await texts(memory, "sedan"))[0], events[0]!.text, "stored and recallable by text");
    const during = await memory.recall(AUTOMOBILE);
    assert.deepEqual(during.items, []);
    assert.match(during.warnings?.[0] ?? "", /Vector search was skipped: provider down/);
    embedder.failWith = null;
    assert.deepEqual(await memory.embedPending({ limit: 1 }), { embedded: 1, error: null });
    assert.deepEqual(await memory.embedPending(), { embedded: 1, error: null });
    assert.deepEqual(await memory.embedPending(), { embedded: 0, error: null });
    assert.equal((await texts(memory, AUTOMOBILE))[0], events[0]!.text);
    await memory.close();
  });

  it("embeds a new version on update, and the old version's vector no longer counts", async () => {
    const embedder = conceptEmbedder();
    const { memory } = await testMemory({ embedder, recall: { neighbours: false } });
    const { events: [first] } = await memory.ingest(events[0]!);
    await memory.update(first!.memoryId, { expectedVersion: 1, text: "Sold it and now I walk with my dog" });
    const found = (await memory.recall(CANINE)).items;
    assert.deepEqual(found.map((item) => [item.memory.id, item.memory.version]), [[first!.memoryId, 2]]);
    assert.deepEqual((await memory.recall(AUTOMOBILE)).items, [], "the superseded version is not recalled, and the new one is unrelated");
    await memory.close();
  });

  it("forgets the vector with the memory", async () => {
    const { memory } = await testMemory({ embedder: conceptEmbedder(), recall: { neighbours: false } });
    const { events: [first] } = await memory.ingest(events[0]!);
    await memory.forget(first!.memoryId);
    assert.deepEqual((await memory.recall(AUTOMOBILE)).items, []);
    await memory.close();
  });

  it("reloads stored vectors on reopen without embedding again, and catches up with another writer", async () => {
    const directory = await tempDirectory("mnemo-vectors-");
    try {
      const path = join(directory.path, "memory.db");
      const options = { path, clock: manualClock("2024-03-01T00:00:00Z").now, generateId: counterIds(), recall: { neighbours: false as const } };
      const writer = await createMemory({ ...options, embedder: conceptEmbedder() });
      await writer.ingest(events[0]!);
      await writer.close();

      const embedder = conceptEmbedder();
      const reader = await createMemory({ ...options, generateId: () => `r${Math.random()}`, embedder });
      assert.equal((await reader.recall(AUTOMOBILE)).items[0]?.memory.text, events[0]!.text);
      const other = await createMemory({ ...options, generateId: () => `o${Math.random()}`, embedder: conceptEmbedder() });
      await other.ingest(events[2]!);
      assert.equal((await reader.recall(CANINE)).items[0]?.memory.text, events[2]!.text, "a vector saved by another writer is found");
      assert.deepEqual(embedder.calls, [[AUTOMOBILE], [CANINE]], "the reader embedded only its queries");
      await other.close();
      await reader.close();
    } finally {
      await directory.remove();
    }
  });

  it("never returns another tenant's memories by vector", async () => {
    const directory = await tempDirectory("mnemo-vectors-");
    try {
      const path = join(directory.path, "memory.db");
      // Without extraction, the one event is the one memory tenant a can find.
      const a = await createMemory({ path, tenant: "a", embedder: conceptEmbedder(), extraction: false });
      const b = await createMemory({ path, tenant: "b", embedder: conceptEmbedder(), extraction: false });
      await a.ingest(events[0]!);
      assert.deepEqual((await b.recall(AUTOMOBILE)).items, []);
      assert.equal((await a.recall(AUTOMOBILE)).items.length, 1);
      await a.close();
      await b.close();
    } finally {
      await directory.remove();
    }
  });

  it("refuses an embedder or index options it cannot use, naming the field", async () => {
    const broken = { name: "x", dimensions: 0, maxBatchSize: 1, embed: async () => [] };
    assert.match((await rejectsWith(testMemory({ embedder: broken }), "invalid_input")).message, /options\.embedder/);
    assert.match((await rejectsWith(testMemory({ embedder: conceptEmbedder(), vectorIndex: { threshold: 5 } as never }), "invalid_input")).message, /options\.vectorIndex\.threshold/);
    assert.match((await rejectsWith(testMemory({ recall: { generators: { vector: -1 } } }), "invalid_input")).message, /options\.recall\.generators\.vector/);
    assert.match((await rejectsWith(testMemory({ recall: { generators: { entities: 1 } as never } }), "invalid_input")).message, /options\.recall\.generators\.entities/);
  });

  it("works end to end through an OpenAI-compatible HTTP server, each text embedded once", async () => {
    const server = await startOpenAITestServer({ dimensions: 64, apiKey: "sk-test" });
    try {
      const embedder = createOpenAIEmbedder({ baseURL: server.baseURL, model: "test-embed", dimensions: 64, apiKey: "sk-test" });
      // Vectors alone: the text generator is off, so only the embeddings can rank these.
      const { memory } = await testMemory({ embedder, recall: { neighbours: false, generators: { text: false, time: false } } });
      const result = await memory.ingest([
        { text: "The quarterly budget review moved to Friday" },
        { text: "Our cat knocked the plant off the shelf" },
        { text: "Lunch was a spicy ramen bowl" },
      ]);
      assert.deepEqual(result.embedding, { embedded: 3, error: null });
      const { items } = await memory.recall("when is the budget review?", { limit: 1 });
      assert.equal(items[0]?.memory.text, "The quarterly budget review moved to Friday");
      const inputs = server.requests.map((request) => (request.body as { input: string[] }).input);
      assert.deepEqual(inputs, [
        ["The quarterly budget review moved to Friday", "Our cat knocked the plant off the shelf", "Lunch was a spicy ramen bowl"],
        ["when is the budget review?"],
      ]);
      assert.ok(server.requests.every((request) => request.headers.authorization === "Bearer sk-test" && request.path === "/v1/embeddings"));
      await memory.close();
    } finally {
      await server.close();
    }
  });

  it("a vector the embedder got wrong, or a text it refuses, is left out without holding back the rest", async () => {
    const embedder = conceptEmbedder();
    const wrapped = {
      ...embedder,
      async embed(texts: readonly string[]) {
        if (texts.some((text) => text.includes("refused"))) throw new MemoryError("provider", "HTTP 400: input too long", { details: { provider: "test", status: 400 } });
        const vectors = await embedder.embed(texts);
        return texts.map((text, index) => (text.includes("zeroes") ? new Float32Array(embedder.dimensions) : vectors[index]!));
      },
    };
    const { memory } = await testMemory({ embedder: wrapped, recall: { neighbours: false, generators: { text: false, time: false } } });
    const result = await memory.ingest([{ text: "this one gets zeroes" }, { text: "refused: far too long" }, events[0]!, events[2]!]);
    assert.equal(result.inserted, 4);
    assert.equal(result.embedding?.embedded, 2);
    assert.match(result.embedding?.error ?? "", /input too long|finite numbers/);
    assert.equal((await memory.recall(AUTOMOBILE)).items[0]?.memory.text, events[0]!.text);
    assert.equal((await memory.recall(CANINE)).items[0]?.memory.text, events[2]!.text);
    const again = await memory.embedPending();
    assert.equal(again.embedded, 0, "the refused ones stay pending, and nothing breaks");
    assert.match(again.error ?? "", /input too long|finite numbers/);
    await memory.close();
  });

  it("widens the vector search until enough hits pass the recall's filter", async () => {
    const { memory } = await testMemory({ embedder: conceptEmbedder(), recall: { neighbours: false, generators: { text: false, time: false } } });
    await memory.spaces.create("team");
    await memory.ingest(Array.from({ length: 300 }, (_, index) => ({ text: `my car number ${index}` })));
    const { events: [team] } = await memory.ingest({ text: "the team sedan", space: "team" });
    const { items } = await memory.recall(AUTOMOBILE, { spaces: ["team"], limit: 5 });
    assert.deepEqual(items.map((item) => item.memory.id), [team!.memoryId]);
    await memory.close();
  });
});
