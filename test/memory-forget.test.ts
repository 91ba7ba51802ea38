import assert from "node:assert/strict";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import Database from "better-sqlite3";
import { createMemory, type Memory } from "../src/index.js";
import { counterIds, manualClock, recallTexts, rejectsWith, tempDirectory, testMemory } from "./support/memory-fixtures.js";

/** Words that occur nowhere else, so finding their bytes in the file means the content is still there. */
const SECRETS = {
  firstText: "Xylobranchia",
  secondText: "Quorptellian",
  speaker: "Vandermoltz",
  caption: "Glimmerwhisk",
  metadata: "Snorkelfjord",
} as const;
const KEPT = "Pemberthwick";

/** Every byte SQLite keeps for the database: the main file and the write-ahead log. */
function databaseBytes(path: string): Buffer {
  return Buffer.concat([path, `${path}-wal`].filter((file) => existsSync(file)).map((file) => readFileSync(file)));
}

/** Which of the words occur in the bytes, as written or lower-cased (the full-text index stores lower-case terms). */
function occurring(bytes: Buffer, words: readonly string[]): string[] {
  return words.flatMap((word) => [...new Set([word, word.toLowerCase()])]).filter((form) => bytes.includes(Buffer.from(form, "utf8")));
}

describe("memory.forget purges for real", () => {
  let directory: Awaited<ReturnType<typeof tempDirectory>>;
  let path: string;
  let memory: Memory;
  let id: string;
  let keptId: string;
  const clock = manualClock("2024-03-01T12:00:00Z");
  const secretWords = Object.values(SECRETS);

  before(async () => {
    directory = await tempDirectory("mnemo-forget-");
    path = join(directory.path, "memory.db");
    memory = await createMemory({ path, clock: clock.now, generateId: counterIds() });
    const result = await memory.ingest([
      {
        text: `The vault code is hidden under ${SECRETS.firstText}`,
        speaker: SECRETS.speaker,
        idempotencyKey: "chat/secret",
        attachments: [{ kind: "image", caption: `a photo of ${SECRETS.caption}` }],
        metadata: { note: SECRETS.metadata },
      },
      { text: `The vault in ${KEPT} stays on record`, idempotencyKey: "chat/kept" },
    ]);
    id = result.events[0]!.memoryId;
    keptId = result.events[1]!.memoryId;
    clock.advance(60_000);
    await memory.update(id, { expectedVersion: 1, text: `The vault code moved to ${SECRETS.secondText}` });
    clock.advance(60_000);
  });
  after(async () => {
    await memory.close();
    await directory.remove();
  });

  it("the content was on disk before forget", () => {
    const bytes = databaseBytes(path);
    for (const word of secretWords) assert.deepEqual(occurring(bytes, [word])[0], word, `${word} is stored as written`);
    const indexed = [SECRETS.firstText, SECRETS.secondText, SECRETS.speaker, SECRETS.caption].map((word) => word.toLowerCase());
    assert.deepEqual(occurring(bytes, indexed), indexed, "and its words are in the full-text index");
    assert.deepEqual(occurring(bytes, [KEPT]), [KEPT, KEPT.toLowerCase()]);
  });

  it("forget reports every version and the episode's event as purged", async () => {
    assert.deepEqual(await memory.forget(id), { id, forgottenAt: "2024-03-01T12:02:00.000Z", versionsPurged: 2, eventsPurged: 1 });
  });

  it("after a checkpoint, no trace of any version, the speaker, caption or metadata is left in the .db or -wal file", () => {
    const checkpointer = new Database(path);
    try {
      const [result] = checkpointer.pragma("wal_checkpoint(TRUNCATE)") as { busy: number }[];
      assert.equal(result?.busy, 0, "the checkpoint ran to completion");
    } finally {
      checkpointer.close();
    }
    const bytes = databaseBytes(path);
    assert.deepEqual(occurring(bytes, secretWords), []);
    assert.deepEqual(occurring(bytes, [KEPT]), [KEPT, KEPT.toLowerCase()], "the other memory is still there, so the file was read");
  });

  it("recall no longer finds it, in the present or the past", async () => {
    for (const word of [SECRETS.firstText, SECRETS.secondText, SECRETS.speaker, SECRETS.caption, "vault code"]) {
      assert.ok(!(await memory.recall(word)).items.some((item) => item.memory.id === id), `recall("${word}") found the forgotten memory`);
    }
    assert.deepEqual(await recallTexts(memory, SECRETS.firstText, { asOf: "2024-03-01T12:00:30Z" }), []);
    assert.deepEqual(await recallTexts(memory, "vault"), [`The vault in ${KEPT} stays on record`]);
  });

  it("the tombstone remains: get and history return every version with forgottenAt and no content", async () => {
    const tombstone = await memory.get(id);
    assert.equal(tombstone.forgottenAt, "2024-03-01T12:02:00.000Z");
    assert.equal(tombstone.version, 2);
    const history = await memory.history(id);
    assert.deepEqual(history.map((record) => [record.version, record.text, record.origin, record.forgottenAt]), [
      [1, "", null, "2024-03-01T12:02:00.000Z"],
      [2, "", null, "2024-03-01T12:02:00.000Z"],
    ]);
    assert.deepEqual((await memory.get(id, { version: 1 })).metadata, {});
    const stats = await memory.stats();
    assert.equal(stats.forgotten, 1);
    assert.equal(stats.memories, 1, "only the kept memory counts");
    assert.deepEqual((await memory.list()).items.map((record) => record.id), [keptId]);
  });

  it("forgetting again is a no-op that returns the first time; the memory cannot be updated", async () => {
    clock.advance(60_000);
    const before = await memory.stats();
    assert.deepEqual(await memory.forget(id), { id, forgottenAt: "2024-03-01T12:02:00.000Z", versionsPurged: 0, eventsPurged: 0 });
    await rejectsWith(memory.update(id, { expectedVersion: 2, text: "resurrected" }), "not_found");
    assert.deepEqual(await memory.stats(), before);
  });

  it("re-sending the forgotten event's idempotency key does not bring the content back", async () => {
    const again = await memory.ingest({
      text: `The vault code is hidden under ${SECRETS.firstText}`,
      speaker: SECRETS.speaker,
      idempotencyKey: "chat/secret",
    });
    assert.deepEqual(again.events.map((event) => [event.memoryId, event.duplicate]), [[id, true]]);
    assert.equal((await memory.get(id)).text, "");
    assert.deepEqual(await recallTexts(memory, SECRETS.firstText), []);
  });

  it("after close, the file still holds no trace", async () => {
    await memory.close();
    assert.equal(existsSync(`${path}-wal`), false, "closing the last connection checkpoints and removes the log");
    assert.deepEqual(occurring(databaseBytes(path), secretWords), []);
  });
});

describe("memory.forget", () => {
  it("an unknown id is not_found and changes nothing", async () => {
    const { memory } = await testMemory();
    await memory.ingest({ text: "something" });
    const before = await memory.stats();
    const error = await rejectsWith(memory.forget("mem_missing"), "not_found");
    assert.match(error.message, /mem_missing/);
    assert.deepEqual(await memory.stats(), before);
    await memory.close();
  });
});
