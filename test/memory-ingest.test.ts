import assert from "node:assert/strict";
import { afterEach, describe, it } from "node:test";
import { createMemory, type Memory } from "../src/index.js";
import { openSqliteStore } from "../src/store/sqlite/index.js";
import { recallTexts, rejectsWith, testMemory } from "./support/memory-fixtures.js";

describe("memory.ingest", () => {
  let memory: Memory;
  afterEach(() => memory.close());

  it("stores each event as an episode, recallable as soon as ingest returns", async () => {
    ({ memory } = await testMemory());
    const result = await memory.ingest([
      { text: "Caroline went to the pottery class", speaker: "Caroline", occurredAt: "2023-05-08T13:56:00Z", idempotencyKey: "chat/1" },
      { text: "Melanie painted a sunrise", speaker: "Melanie", sessionId: "s1", metadata: { turn: 2 } },
    ]);
    assert.equal(result.inserted, 2);
    assert.equal(result.duplicates, 0);
    assert.deepEqual(result.events.map((event) => [event.idempotencyKey, event.duplicate]), [["chat/1", false], [null, false]]);
    const first = await memory.get(result.events[0]!.memoryId);
    assert.equal(first.kind, "episode");
    assert.equal(first.text, "Caroline went to the pottery class");
    assert.equal(first.validFrom, "2023-05-08T13:56:00.000Z");
    assert.equal(first.recordedAt, "2024-03-01T12:00:00.000Z");
    assert.deepEqual(first.sourceEventIds, [result.events[0]!.eventId]);
    assert.equal(first.origin?.speaker, "Caroline");
    const second = await memory.get(result.events[1]!.memoryId);
    assert.equal(second.validFrom, "2024-03-01T12:00:00.000Z", "occurredAt defaults to the time of ingest");
    assert.deepEqual(second.metadata, { turn: 2 });
    assert.deepEqual(await recallTexts(memory, "pottery"), ["Caroline went to the pottery class"]);
    assert.deepEqual(await recallTexts(memory, "Melanie"), ["Melanie painted a sunrise"], "the speaker is indexed too");
  });

  it("treats a re-sent event as the same whether it names the default space or leaves it out", async () => {
    ({ memory } = await testMemory());
    const first = await memory.ingest({ text: "the same words", idempotencyKey: "k-space" });
    const again = await memory.ingest({ text: "the same words", idempotencyKey: "k-space", space: "default" });
    assert.equal(again.duplicates, 1);
    assert.equal(again.events[0]!.memoryId, first.events[0]!.memoryId);
  });

  it("accepts a single event as well as an array", async () => {
    ({ memory } = await testMemory());
    const result = await memory.ingest({ text: "one lonely event" });
    assert.equal(result.events.length, 1);
    assert.equal((await memory.stats()).events, 1);
  });

  it("re-sending an idempotency key returns the same ids, flags a duplicate and stores nothing new", async () => {
    ({ memory } = await testMemory());
    const event = { text: "The deploy finished at noon", idempotencyKey: "log/17", speaker: "ci" };
    const first = await memory.ingest(event);
    const before = await memory.stats();
    const again = await memory.ingest(event);
    assert.deepEqual(again.events, [{ ...first.events[0]!, duplicate: true }]);
    assert.equal(again.inserted, 0);
    assert.equal(again.duplicates, 1);
    assert.deepEqual(await memory.stats(), before);
    assert.equal((await memory.recall("deploy")).items.length, 1);
  });

  it("a key repeated within one batch is stored once", async () => {
    ({ memory } = await testMemory());
    const result = await memory.ingest([
      { text: "twice in one batch", idempotencyKey: "k" },
      { text: "something else" },
      { text: "twice in one batch", idempotencyKey: "k" },
    ]);
    assert.equal(result.inserted, 2);
    assert.equal(result.duplicates, 1);
    assert.equal(result.events[2]!.memoryId, result.events[0]!.memoryId);
    assert.equal(result.events[2]!.eventId, result.events[0]!.eventId);
    assert.equal(result.events[2]!.duplicate, true);
    assert.equal((await memory.stats()).events, 2);
  });

  it("a re-sent key keeps its first occurredAt when the resend omits it", async () => {
    const setup = await testMemory();
    memory = setup.memory;
    const first = await memory.ingest({ text: "heartbeat", idempotencyKey: "hb" });
    setup.clock.advance(60_000);
    const again = await memory.ingest({ text: "heartbeat", idempotencyKey: "hb" });
    assert.equal(again.events[0]!.duplicate, true);
    assert.equal((await memory.get(first.events[0]!.memoryId)).validFrom, "2024-03-01T12:00:00.000Z");
  });

  it("other content under a stored key fails with idempotency_conflict and stores nothing from the batch", async () => {
    ({ memory } = await testMemory());
    await memory.ingest({ text: "The meeting is on Tuesday", idempotencyKey: "cal/1" });
    const before = await memory.stats();
    const error = await rejectsWith(
      memory.ingest([
        { text: "An unrelated walrus event", idempotencyKey: "cal/2" },
        { text: "The meeting is on Friday", idempotencyKey: "cal/1" },
      ]),
      "idempotency_conflict",
    );
    assert.match(error.message, /cal\/1/);
    assert.equal(error.details["idempotencyKey"], "cal/1");
    assert.deepEqual(await memory.stats(), before);
    assert.deepEqual(await recallTexts(memory, "walrus"), []);
    assert.deepEqual(await recallTexts(memory, "Friday"), []);
    assert.deepEqual(await recallTexts(memory, "meeting"), ["The meeting is on Tuesday"]);
  });

  it("the same key with other speaker, time or metadata is other content", async () => {
    ({ memory } = await testMemory());
    const event = { text: "same words", idempotencyKey: "k", speaker: "Ana", occurredAt: "2023-01-01T00:00:00Z", metadata: { a: 1 } };
    await memory.ingest(event);
    for (const change of [{ speaker: "Bo" }, { occurredAt: "2023-01-02T00:00:00Z" }, { metadata: { a: 2 } }, { kind: "observation" as const }]) {
      await rejectsWith(memory.ingest({ ...event, ...change }), "idempotency_conflict");
    }
    assert.equal((await memory.stats()).events, 1);
  });

  it("keys are per tenant: two tenants sharing a store may use the same key", async () => {
    const shared = await openSqliteStore({ path: ":memory:" });
    const alpha = await createMemory({ store: shared, tenant: "alpha" });
    memory = await createMemory({ store: shared, tenant: "beta" });
    const a = await alpha.ingest({ text: "alpha says hello", idempotencyKey: "same" });
    const b = await memory.ingest({ text: "beta says goodbye", idempotencyKey: "same" });
    assert.equal(b.events[0]!.duplicate, false);
    assert.notEqual(a.events[0]!.memoryId, b.events[0]!.memoryId);
    assert.deepEqual(await recallTexts(memory, "hello alpha"), []);
    await rejectsWith(memory.get(a.events[0]!.memoryId), "not_found");
    await alpha.close();
    assert.equal((await shared.stats({ tenantId: "alpha", principalId: "default" })).events, 1, "a memory given a store leaves it open");
    await memory.close();
    await shared.close();
  });
});
