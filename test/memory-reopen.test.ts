import assert from "node:assert/strict";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import Database from "better-sqlite3";
import { createMemory, type Memory, type RecallOptions } from "../src/index.js";
import { counterIds, manualClock, rejectsWith, tempDirectory } from "./support/memory-fixtures.js";

const QUERIES: [string, RecallOptions][] = [
  ["Where does Ana live?", {}],
  ["Ana Boston Denver", { asOf: "2024-03-01T12:00:30Z" }],
  ["secret vault", {}],
  ["dog Rex", { budgetTokens: 30 }],
  ["rockets", { spaces: ["team"] }],
];

/** Everything a caller can read back, to compare before close and after reopening. */
async function observe(memory: Memory, ids: readonly string[]) {
  return {
    list: await memory.list({ limit: 1000 }),
    spaces: await memory.spaces.list(),
    stats: await memory.stats(),
    history: await Promise.all(ids.map((id) => memory.history(id))),
    current: await Promise.all(ids.map((id) => memory.get(id))),
    recall: await Promise.all(QUERIES.map(([query, options]) => memory.recall(query, options))),
  };
}

describe("a memory reopened from its file", () => {
  let directory: Awaited<ReturnType<typeof tempDirectory>>;
  let path: string;
  const clock = manualClock("2024-03-01T12:00:00Z");
  let ids: string[];
  let forgotten: string;
  let updated: string;
  let seen: Awaited<ReturnType<typeof observe>>;

  before(async () => {
    directory = await tempDirectory("mnemo-reopen-");
    path = join(directory.path, "memory.db");
    const memory = await createMemory({ path, clock: clock.now, generateId: counterIds() });
    await memory.spaces.create("team");
    const { events } = await memory.ingest([
      { text: "I live in Boston with my dog Rex", speaker: "Ana", occurredAt: "2023-05-01T09:00:00Z", idempotencyKey: "chat/1" },
      { text: "The secret vault code is 1234", speaker: "Bo", idempotencyKey: "chat/2" },
      { text: "Team meeting about rockets", space: "team", sessionId: "s-9", attachments: [{ kind: "image", caption: "a launch pad" }] },
    ]);
    ids = events.map((event) => event.memoryId);
    [updated, forgotten] = [ids[0]!, ids[1]!];
    clock.advance(60_000);
    await memory.update(updated, { expectedVersion: 1, text: "I moved to Denver with my dog Rex", metadata: { moved: true } });
    clock.advance(60_000);
    await memory.forget(forgotten);
    seen = await observe(memory, ids);
    await memory.close();
  });
  after(() => directory.remove());

  it("returns the same memories, versions, tombstone, stats and recall results", async () => {
    const memory = await createMemory({ path, clock: clock.now });
    try {
      const now = await observe(memory, ids);
      assert.deepEqual(now, seen);
      assert.deepEqual(now.recall.map((result) => result.items.length > 0), [true, true, false, true, true], "the compared recalls found something");
      assert.equal(now.recall[1]!.items[0]!.memory.text, "I live in Boston with my dog Rex", "asOf still reads version 1");
      assert.equal(now.stats.forgotten, 1);
    } finally {
      await memory.close();
    }
  });

  it("keeps the details that matter: version 2 replaces 1, the tombstone, the idempotency keys", async () => {
    const memory = await createMemory({ path, clock: clock.now });
    try {
      assert.deepEqual((await memory.history(updated)).map((record) => [record.version, record.text]), [
        [1, "I live in Boston with my dog Rex"],
        [2, "I moved to Denver with my dog Rex"],
      ]);
      const tombstone = await memory.get(forgotten);
      assert.equal(tombstone.forgottenAt, "2024-03-01T12:02:00.000Z");
      assert.equal(tombstone.text, "");
      const again = await memory.ingest({ text: "I live in Boston with my dog Rex", speaker: "Ana", occurredAt: "2023-05-01T09:00:00Z", idempotencyKey: "chat/1" });
      assert.deepEqual(again.events.map((event) => [event.memoryId, event.duplicate]), [[updated, true]]);
      const conflict = await rejectsWith(memory.update(updated, { expectedVersion: 1, text: "stale" }), "conflict");
      assert.equal(conflict.details["currentVersion"], 2);
    } finally {
      await memory.close();
    }
  });

  it("continues the change sequence where it stopped", async () => {
    const memory = await createMemory({ path, clock: clock.now });
    try {
      const before = (await memory.stats()).lastChangeSeq;
      await memory.ingest({ text: "a new event after reopening" });
      assert.equal((await memory.stats()).lastChangeSeq, before + 1);
      await memory.forget((await memory.recall("reopening")).items[0]!.memory.id);
      assert.equal((await memory.stats()).lastChangeSeq, before + 2);
    } finally {
      await memory.close();
    }
  });
});

describe("close", () => {
  it("a second close is fine; every other call after close throws closed", async () => {
    const memory = await createMemory({ path: ":memory:" });
    const { events } = await memory.ingest({ text: "still here?" });
    const id = events[0]!.memoryId;
    await memory.close();
    await memory.close();
    const calls: [string, () => Promise<unknown>][] = [
      ["ingest", () => memory.ingest({ text: "too late" })],
      ["recall", () => memory.recall("here")],
      ["get", () => memory.get(id)],
      ["list", () => memory.list()],
      ["update", () => memory.update(id, { expectedVersion: 1, text: "too late" })],
      ["history", () => memory.history(id)],
      ["forget", () => memory.forget(id)],
      ["createSpace", () => memory.spaces.create("late")],
      ["listSpaces", () => memory.spaces.list()],
      ["stats", () => memory.stats()],
    ];
    for (const [name, call] of calls) {
      const error = await rejectsWith(call(), "closed");
      assert.match(error.message, /closed/, name);
    }
  });

  it("closed is reported before input is validated", async () => {
    const memory = await createMemory({ path: ":memory:" });
    await memory.close();
    await rejectsWith(memory.recall(""), "closed");
    await rejectsWith(memory.ingest({ text: 42 } as never), "closed");
  });
});

describe("opening a file", () => {
  let directory: Awaited<ReturnType<typeof tempDirectory>>;
  before(async () => {
    directory = await tempDirectory("mnemo-open-");
  });
  after(() => directory.remove());

  it("in a folder that does not exist fails with storage", async () => {
    const error = await rejectsWith(createMemory({ path: join(directory.path, "missing", "memory.db") }), "storage");
    assert.ok(error.cause instanceof Error, "the driver's error is the cause");
  });

  it("written by a newer mnemo fails with schema_version", async () => {
    const path = join(directory.path, "newer.db");
    const database = new Database(path);
    database.pragma("user_version = 999");
    database.close();
    const error = await rejectsWith(createMemory({ path }), "schema_version");
    assert.equal(error.details["databaseVersion"], 999);
  });
});
