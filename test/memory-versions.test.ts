import assert from "node:assert/strict";
import { afterEach, beforeEach, describe, it } from "node:test";
import type { Memory } from "../src/index.js";
import { counts, recallTexts, rejectsWith, testMemory, type ManualClock } from "./support/memory-fixtures.js";

describe("memory.update, history and get({ version })", () => {
  let memory: Memory;
  let clock: ManualClock;
  let id: string;
  beforeEach(async () => {
    ({ memory, clock } = await testMemory());
    const result = await memory.ingest({ text: "Ana lives in Boston", speaker: "Ana", occurredAt: "2023-05-01T09:00:00Z", metadata: { source: "chat" } });
    id = result.events[0]!.memoryId;
    clock.advance(60_000);
  });
  afterEach(() => memory.close());

  it("update writes version 2, which replaces version 1", async () => {
    const updated = await memory.update(id, { expectedVersion: 1, text: "Ana lives in Denver" });
    assert.equal(updated.id, id);
    assert.equal(updated.version, 2);
    assert.equal(updated.replacesVersion, 1);
    assert.equal(updated.text, "Ana lives in Denver");
    assert.equal(updated.recordedAt, "2024-03-01T12:01:00.000Z");
    assert.deepEqual(updated.metadata, { source: "chat" }, "fields left out carry over");
    assert.equal(updated.validFrom, "2023-05-01T09:00:00.000Z");
    assert.equal(updated.origin?.speaker, "Ana");
    assert.deepEqual(await memory.get(id), updated);
    const stats = await memory.stats();
    assert.equal(stats.versions, 2);
    assert.equal(stats.memories, 1, "still one memory");
  });

  it("history returns both versions, oldest first, the first superseded by the second", async () => {
    await memory.update(id, { expectedVersion: 1, text: "Ana lives in Denver" });
    const history = await memory.history(id);
    assert.deepEqual(history.map((record) => [record.version, record.text, record.supersededAt]), [
      [1, "Ana lives in Boston", "2024-03-01T12:01:00.000Z"],
      [2, "Ana lives in Denver", null],
    ]);
  });

  it("get({ version }) reads an old version; a version that does not exist is not_found", async () => {
    await memory.update(id, { expectedVersion: 1, text: "Ana lives in Denver" });
    const first = await memory.get(id, { version: 1 });
    assert.equal(first.text, "Ana lives in Boston");
    assert.equal(first.version, 1);
    assert.equal((await memory.get(id, { version: 2 })).text, "Ana lives in Denver");
    const error = await rejectsWith(memory.get(id, { version: 3 }), "not_found");
    assert.match(error.message, /version 3/);
  });

  it("a stale expectedVersion fails with conflict, details.currentVersion, and changes nothing", async () => {
    await memory.update(id, { expectedVersion: 1, text: "Ana lives in Denver" });
    const before = await memory.stats();
    const error = await rejectsWith(memory.update(id, { expectedVersion: 1, text: "Ana lives in Austin" }), "conflict");
    assert.equal(error.details["currentVersion"], 2);
    assert.equal(error.details["expectedVersion"], 1);
    assert.match(error.message, /version 2/);
    assert.deepEqual(await memory.stats(), before);
    assert.equal((await memory.get(id)).text, "Ana lives in Denver");
    assert.deepEqual(await recallTexts(memory, "Austin"), []);
  });

  it("retrying with the version from the conflict succeeds", async () => {
    await memory.update(id, { expectedVersion: 1, text: "Ana lives in Denver" });
    const error = await rejectsWith(memory.update(id, { expectedVersion: 1, importance: 0.9 }), "conflict");
    const retried = await memory.update(id, { expectedVersion: error.details["currentVersion"] as number, importance: 0.9 });
    assert.equal(retried.version, 3);
    assert.equal(retried.importance, 0.9);
    assert.equal(retried.text, "Ana lives in Denver");
  });

  it("recall finds the current text, not the replaced one", async () => {
    await memory.update(id, { expectedVersion: 1, text: "Ana lives in Denver" });
    assert.deepEqual(await recallTexts(memory, "Boston"), []);
    const { items } = await memory.recall("where does Ana live, Denver?");
    assert.deepEqual(items.map((item) => [item.memory.id, item.memory.version]), [[id, 2]]);
  });

  it("validFrom and validTo can be changed, and validTo before validFrom is refused", async () => {
    const updated = await memory.update(id, { expectedVersion: 1, validTo: "2023-09-01T00:00:00Z" });
    assert.equal(updated.validTo, "2023-09-01T00:00:00.000Z");
    const before = await counts(memory);
    const error = await rejectsWith(memory.update(id, { expectedVersion: 2, validTo: "2020-01-01" }), "invalid_input");
    assert.equal(error.details["field"], "update.validTo");
    assert.deepEqual(await counts(memory), before);
  });

  it("an update that changes nothing, or names an unknown field, is refused", async () => {
    const nothing = await rejectsWith(memory.update(id, { expectedVersion: 1 }), "invalid_input");
    assert.equal(nothing.details["field"], "update");
    const typo = await rejectsWith(memory.update(id, { expectedVersion: 1, txt: "typo" } as never), "invalid_input");
    assert.equal(typo.details["field"], "update.txt");
    assert.equal((await memory.stats()).versions, 1);
  });

  it("an unknown id is not_found for update, history and get", async () => {
    await rejectsWith(memory.update("mem_nope", { expectedVersion: 1, text: "x" }), "not_found");
    await rejectsWith(memory.history("mem_nope"), "not_found");
    const error = await rejectsWith(memory.get("mem_nope"), "not_found");
    assert.match(error.message, /mem_nope/);
  });
});
