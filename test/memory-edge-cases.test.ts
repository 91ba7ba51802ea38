import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, it } from "node:test";
import { createMemory } from "../src/index.js";
import { openSqliteStore } from "../src/store/sqlite/index.js";
import { counterIds, recallTexts, rejectsWith, tempDirectory, testMemory } from "./support/memory-fixtures.js";

describe("edge cases found in review", () => {
  it("a re-sent event whose metadata lists the same keys in another order is the same event", async () => {
    const { memory } = await testMemory();
    await memory.ingest({ text: "same", idempotencyKey: "k", metadata: { a: 1, nested: { x: 1, y: 2 }, b: 2 } });
    const again = await memory.ingest({ text: "same", idempotencyKey: "k", metadata: { b: 2, nested: { y: 2, x: 1 }, a: 1 } });
    assert.equal(again.duplicates, 1);
    await memory.close();
  });

  it("a hole in a sparse array of events is reported as that event, not as a missing space", async () => {
    const { memory } = await testMemory();
    // eslint-disable-next-line no-sparse-arrays
    const error = await rejectsWith(memory.ingest([, { text: "a" }] as never), "invalid_input");
    assert.equal(error.details["field"], "events[0]");
    await memory.close();
  });

  it("accepts years before 100", async () => {
    const { memory } = await testMemory();
    const { events } = await memory.ingest({ text: "an old inscription", occurredAt: "0050-03-01" });
    assert.equal((await memory.get(events[0]!.memoryId)).validFrom, "0050-03-01T00:00:00.000Z");
    await memory.close();
  });

  it("a date alone as the end of a time range includes that whole day", async () => {
    const { memory } = await testMemory();
    await memory.ingest([{ text: "late walk", occurredAt: "2024-03-31T22:00:00Z" }, { text: "next walk", occurredAt: "2024-04-01T08:00:00Z" }]);
    assert.deepEqual(await recallTexts(memory, "walk", { timeRange: { from: "2024-03-01", to: "2024-03-31" } }), ["late walk"]);
    await memory.close();
  });

  it("duplicate spaces and kinds are merged, and too many are refused", async () => {
    const { memory } = await testMemory();
    await memory.ingest({ text: "kept" });
    assert.deepEqual(await recallTexts(memory, "kept", { spaces: ["default", "default"], kinds: ["episode", "episode"] }), ["kept"]);
    const error = await rejectsWith(memory.recall("kept", { spaces: Array.from({ length: 101 }, (_, index) => `s${index}`) }), "invalid_input");
    assert.equal(error.details["field"], "options.spaces");
    await memory.close();
  });

  it("two tenants in one file may use the same event ids", async () => {
    const store = await openSqliteStore({ path: ":memory:" });
    const first = await createMemory({ store, tenant: "a", generateId: counterIds() });
    const second = await createMemory({ store, tenant: "b", generateId: counterIds() });
    await first.ingest({ text: "from tenant a" });
    const { events } = await second.ingest({ text: "from tenant b" });
    assert.equal(events[0]!.eventId, "evt_t000001");
    assert.deepEqual(await recallTexts(second, "tenant"), ["from tenant b"]);
    await store.close();
  });

  it("forget removes the text from the write-ahead log too, while the database stays open", async () => {
    const directory = await tempDirectory("mnemo-forget-wal-");
    const path = join(directory.path, "memory.db");
    const memory = await createMemory({ path });
    const { events } = await memory.ingest({ text: "quixotic-wal-secret" });
    await memory.ingest(Array.from({ length: 50 }, (_, index) => ({ text: `filler ${index}` })));
    const onDisk = (): boolean => [path, `${path}-wal`].some((file) => {
      try {
        return readFileSync(file).includes("quixotic-wal-secret");
      } catch {
        return false;
      }
    });
    assert.ok(onDisk(), "the text was on disk before forget");
    await memory.forget(events[0]!.memoryId);
    assert.ok(!onDisk(), "no file holds the text after forget");
    await memory.close();
    await directory.remove();
  });
});
