import assert from "node:assert/strict";
import { describe } from "node:test";
import { addMemory, changesAfter, DAY, DEFAULT_SPACE, episode, GLOBAL_DEFAULT, iso, MINUTE, rejectsWith, searchIds, snapshot, space, T0, TENANT_A, TENANT_B, type ContractContext } from "./store-contract-fixtures.js";

/** ensureScope, createSpace, listSpaces and appendEvents. */
export function describeAppend({ open, it }: ContractContext): void {
  describe("scope and spaces", () => {
    it("ensureScope creates the default space once, however often it is called", async () => {
      const store = await open();
      await store.ensureScope(TENANT_A, GLOBAL_DEFAULT, T0 + DAY);
      assert.deepEqual(await store.listSpaces(TENANT_A), [
        { name: DEFAULT_SPACE, type: "global", role: "admin", everyone: "write", admission: { mode: "always", threshold: 0.5 }, createdBy: TENANT_A.principalId, createdAt: iso(T0) },
      ]);
      assert.equal((await store.stats(TENANT_A)).spaces, 1);
      const changes = await changesAfter(store, TENANT_A, 0, 100);
      assert.deepEqual(changes.map((change) => [change.operation, change.space]), [["space.created", DEFAULT_SPACE]]);
    });

    it("createSpace returns the existing space unchanged when the name is taken", async () => {
      const store = await open();
      const team = { name: "team", type: "shared", role: "admin", everyone: null, admission: { mode: "always", threshold: 0.5 }, createdBy: TENANT_A.principalId, createdAt: iso(T0 + MINUTE) };
      assert.deepEqual(await store.createSpace(TENANT_A, space("team"), T0 + MINUTE), team);
      assert.deepEqual(await store.createSpace(TENANT_A, space("team", [], { mode: "never", threshold: 0.5 }), T0 + DAY), team);
      const names = (await store.listSpaces(TENANT_A)).map((space) => space.name).sort();
      assert.deepEqual(names, [DEFAULT_SPACE, "team"]);
      assert.equal((await changesAfter(store, TENANT_A, 0, 100)).filter((change) => change.operation === "space.created").length, 2);
    });
  });

  describe("appendEvents", () => {
    it("stores each entry as version 1 of its memory, in order, with the caller's times", async () => {
      const store = await open();
      const entries = [
        episode({ text: "first entry", occurredAt: T0 - DAY, metadata: { turn: 1 }, speaker: "Ana" }),
        episode({ text: "second entry", kind: "fact" }),
      ];
      const outcomes = await store.appendEvents(TENANT_A, entries, T0 + MINUTE);
      assert.deepEqual(
        outcomes,
        entries.map((entry) => ({ eventId: entry.event.id, memoryId: entry.memory.id, duplicate: false })),
      );
      const first = await store.getMemory(TENANT_A, entries[0]!.memory.id);
      assert.deepEqual(first, {
        id: entries[0]!.memory.id,
        version: 1,
        replacesVersion: null,
        kind: "episode",
        text: "first entry",
        metadata: { turn: 1 },
        importance: 0.5,
        space: DEFAULT_SPACE,
        author: TENANT_A.principalId,
        sourceEventIds: [entries[0]!.event.id],
        origin: entries[0]!.memory.origin,
        validFrom: iso(T0 - DAY),
        validTo: null,
        recordedAt: iso(T0 + MINUTE),
        supersededAt: null,
        forgottenAt: null,
        admission: { status: "admitted", why: "admitted: the space admits every write" },
      });
      assert.equal((await store.getMemory(TENANT_A, entries[1]!.memory.id))?.kind, "fact");
      assert.equal((await store.stats(TENANT_A)).events, 2);
    });

    it("a stored idempotency key with the same content is a duplicate that writes nothing", async () => {
      const store = await open();
      const original = episode({ text: "keyed once", key: "chat/1" });
      await store.appendEvents(TENANT_A, [original], T0);
      const before = await snapshot(store, TENANT_A);
      const resent = episode({ text: "keyed once", key: "chat/1" });
      const [outcome] = await store.appendEvents(TENANT_A, [resent], T0 + MINUTE);
      assert.deepEqual(outcome, { eventId: original.event.id, memoryId: original.memory.id, duplicate: true });
      assert.deepEqual(await snapshot(store, TENANT_A), before);
      assert.equal(await store.getMemory(TENANT_A, resent.memory.id), undefined);
    });

    it("a key repeated within one call is stored once", async () => {
      const store = await open();
      const first = episode({ text: "said twice", key: "chat/2" });
      const again = episode({ text: "said twice", key: "chat/2" });
      const unkeyed = episode({ text: "no key at all" });
      const outcomes = await store.appendEvents(TENANT_A, [first, again, unkeyed], T0);
      assert.deepEqual(outcomes, [
        { eventId: first.event.id, memoryId: first.memory.id, duplicate: false },
        { eventId: first.event.id, memoryId: first.memory.id, duplicate: true },
        { eventId: unkeyed.event.id, memoryId: unkeyed.memory.id, duplicate: false },
      ]);
      const stats = await store.stats(TENANT_A);
      assert.equal(stats.events, 2);
      assert.equal(stats.versions, 2);
    });

    it("entries without a key are never duplicates, even with equal content", async () => {
      const store = await open();
      const outcomes = await store.appendEvents(TENANT_A, [episode({ text: "same words" }), episode({ text: "same words" })], T0);
      assert.deepEqual(outcomes.map((outcome) => outcome.duplicate), [false, false]);
      assert.notEqual(outcomes[0]!.memoryId, outcomes[1]!.memoryId);
      assert.equal((await store.stats(TENANT_A)).events, 2);
    });

    it("a stored key re-sent with other content fails with idempotency_conflict and writes nothing", async () => {
      const store = await open();
      await store.appendEvents(TENANT_A, [episode({ text: "the original", key: "chat/3" })], T0);
      const before = await snapshot(store, TENANT_A);
      const fresh = episode({ text: "an innocent bystander" });
      const error = await rejectsWith(store.appendEvents(TENANT_A, [fresh, episode({ text: "a rewrite", key: "chat/3" })], T0 + MINUTE), "idempotency_conflict");
      assert.match(error.message, /chat\/3/);
      assert.deepEqual(await snapshot(store, TENANT_A), before);
      assert.equal(await store.getMemory(TENANT_A, fresh.memory.id), undefined);
      assert.deepEqual(await searchIds(store, TENANT_A, ["bystander"]), []);
    });

    it("a key repeated within one call with other content fails the whole call", async () => {
      const store = await open();
      const before = await snapshot(store, TENANT_A);
      await rejectsWith(
        store.appendEvents(TENANT_A, [episode({ text: "version one", key: "chat/4" }), episode({ text: "version two", key: "chat/4" })], T0),
        "idempotency_conflict",
      );
      assert.deepEqual(await snapshot(store, TENANT_A), before);
    });

    it("an unknown space fails the whole call with space_not_found and writes nothing", async () => {
      const store = await open();
      const before = await snapshot(store, TENANT_A);
      const error = await rejectsWith(
        store.appendEvents(TENANT_A, [episode({ text: "fine" }), episode({ text: "lost", space: "nowhere" })], T0),
        "space_not_found",
      );
      assert.match(error.message, /nowhere/);
      assert.deepEqual(await snapshot(store, TENANT_A), before);
    });

    it("an empty call returns nothing and writes nothing", async () => {
      const store = await open();
      const before = await snapshot(store, TENANT_A);
      assert.deepEqual(await store.appendEvents(TENANT_A, [], T0), []);
      assert.deepEqual(await snapshot(store, TENANT_A), before);
    });
  });

  describe("changesSince", () => {
    it("every mutation writes its changes with the tenant's next contiguous sequence numbers", async () => {
      const store = await open();
      await store.createSpace(TENANT_A, space("team"), T0 + 1);
      const [a, b] = await store.appendEvents(TENANT_A, [episode({ text: "one", key: "k1" }), episode({ text: "two", space: "team" })], T0 + 2);
      await store.appendEvents(TENANT_A, [episode({ text: "one", key: "k1" })], T0 + 3);
      await store.updateMemory(TENANT_A, { id: a!.memoryId, expectedVersion: 1, next: episode({ text: "one, revised" }).memory }, T0 + 4);
      await rejectsWith(store.updateMemory(TENANT_A, { id: a!.memoryId, expectedVersion: 1, next: episode({ text: "lost" }).memory }, T0 + 5), "conflict");
      await store.forgetMemory(TENANT_A, b!.memoryId, T0 + 6);
      await store.forgetMemory(TENANT_A, b!.memoryId, T0 + 7);
      await store.createSpace(TENANT_A, space("team"), T0 + 8);
      await store.ensureScope(TENANT_A, GLOBAL_DEFAULT, T0 + 9);
      const changes = await changesAfter(store, TENANT_A, 0, 100);
      const actor = TENANT_A.principalId;
      assert.deepEqual(
        changes.map(({ memory, ...change }) => ({ ...change, memory: memory && [memory.id, memory.version, memory.text] })),
        [
          { seq: 1, operation: "space.created", space: DEFAULT_SPACE, memoryId: null, version: null, kind: null, actor, at: iso(T0), memory: null },
          { seq: 2, operation: "space.created", space: "team", memoryId: null, version: null, kind: null, actor, at: iso(T0 + 1), memory: null },
          { seq: 3, operation: "memory.created", space: DEFAULT_SPACE, memoryId: a!.memoryId, version: 1, kind: "episode", actor, at: iso(T0 + 2), memory: [a!.memoryId, 1, "one"] },
          { seq: 4, operation: "memory.created", space: "team", memoryId: b!.memoryId, version: 1, kind: "episode", actor, at: iso(T0 + 2), memory: [b!.memoryId, 1, ""] },
          { seq: 5, operation: "memory.updated", space: DEFAULT_SPACE, memoryId: a!.memoryId, version: 2, kind: "episode", actor, at: iso(T0 + 4), memory: [a!.memoryId, 2, "one, revised"] },
          { seq: 6, operation: "memory.forgotten", space: "team", memoryId: b!.memoryId, version: null, kind: "episode", actor, at: iso(T0 + 6), memory: [b!.memoryId, 1, ""] },
        ],
        "each change carries the version it wrote as stored now (forgotten content is gone from it too)",
      );
      assert.equal((await store.stats(TENANT_A)).lastChangeSeq, 6);
      const other = await changesAfter(store, TENANT_B, 0, 100);
      assert.deepEqual(other.map((change) => change.seq), [1], "tenant B numbers its own changes from 1");
    });

    it("resumes after a sequence number and honours the limit", async () => {
      const store = await open();
      await store.appendEvents(TENANT_A, ["a", "b", "c", "d"].map((text) => episode({ text })), T0);
      assert.deepEqual((await changesAfter(store, TENANT_A, 2, 2)).map((change) => change.seq), [3, 4]);
      assert.deepEqual((await changesAfter(store, TENANT_A, 4, 10)).map((change) => change.seq), [5]);
      assert.deepEqual(await changesAfter(store, TENANT_A, 5, 10), []);
      assert.deepEqual(await store.changesSince(TENANT_A, { after: 0, limit: 0 }), { changes: [], cursor: 5 }, "limit 0 reads where the feed stands");
      assert.deepEqual(await store.changesSince(TENANT_A, { after: 2, limit: 10, kinds: ["fact"] }), { changes: [], cursor: 5 }, "filtered-out changes are read past once");
    });
  });
}

/** updateMemory and forgetMemory. */
export function describeVersions({ open, it }: ContractContext): void {
  describe("updateMemory", () => {
    it("writes version expectedVersion + 1 and supersedes the current one", async () => {
      const store = await open();
      const id = await addMemory(store, TENANT_A, { text: "lives in Boston", metadata: { source: "chat" } });
      const next = { ...episode({ text: "lives in Denver" }).memory, validFrom: T0 + DAY, metadata: { source: "update" } };
      const updated = await store.updateMemory(TENANT_A, { id, expectedVersion: 1, next }, T0 + DAY);
      assert.equal(updated.version, 2);
      assert.equal(updated.replacesVersion, 1);
      assert.equal(updated.text, "lives in Denver");
      assert.deepEqual(updated.metadata, { source: "update" });
      assert.equal(updated.recordedAt, iso(T0 + DAY));
      assert.equal(updated.supersededAt, null);
      assert.deepEqual(await store.getMemory(TENANT_A, id), updated);
      const first = await store.getMemory(TENANT_A, id, 1);
      assert.equal(first?.text, "lives in Boston");
      assert.equal(first?.supersededAt, iso(T0 + DAY));
      assert.deepEqual(updated.sourceEventIds, first?.sourceEventIds, "provenance carries over");
      assert.equal(updated.space, first?.space);
      assert.deepEqual((await store.memoryHistory(TENANT_A, id)).map((record) => [record.version, record.text]), [
        [1, "lives in Boston"],
        [2, "lives in Denver"],
      ]);
      assert.equal((await store.stats(TENANT_A)).versions, 2);
    });

    it("a stale expectedVersion fails with conflict and details.currentVersion, writing nothing", async () => {
      const store = await open();
      const id = await addMemory(store, TENANT_A, { text: "version one" });
      await store.updateMemory(TENANT_A, { id, expectedVersion: 1, next: episode({ text: "version two" }).memory }, T0 + 1);
      const before = await snapshot(store, TENANT_A);
      for (const expectedVersion of [1, 3]) {
        const error = await rejectsWith(store.updateMemory(TENANT_A, { id, expectedVersion, next: episode({ text: "stale write" }).memory }, T0 + 2), "conflict");
        assert.equal(error.details["currentVersion"], 2);
      }
      assert.deepEqual(await snapshot(store, TENANT_A), before);
      assert.equal((await store.memoryHistory(TENANT_A, id)).length, 2);
    });

    it("of two updates from the same version, exactly one wins", async () => {
      const store = await open();
      const id = await addMemory(store, TENANT_A, { text: "contested" });
      const results = await Promise.allSettled(
        ["writer one", "writer two"].map((text) => store.updateMemory(TENANT_A, { id, expectedVersion: 1, next: episode({ text }).memory }, T0 + 1)),
      );
      assert.equal(results.filter((result) => result.status === "fulfilled").length, 1);
      const lost = results.find((result) => result.status === "rejected");
      assert.equal((lost?.reason as { code?: string } | undefined)?.code, "conflict");
      assert.equal((await store.memoryHistory(TENANT_A, id)).length, 2);
    });

    it("an unknown or forgotten memory fails with not_found", async () => {
      const store = await open();
      await rejectsWith(store.updateMemory(TENANT_A, { id: "mem_missing", expectedVersion: 1, next: episode({ text: "x" }).memory }, T0), "not_found");
      const id = await addMemory(store, TENANT_A, { text: "soon gone" });
      await store.forgetMemory(TENANT_A, id, T0 + 1);
      const before = await snapshot(store, TENANT_A);
      await rejectsWith(store.updateMemory(TENANT_A, { id, expectedVersion: 1, next: episode({ text: "revived" }).memory }, T0 + 2), "not_found");
      assert.deepEqual(await snapshot(store, TENANT_A), before);
    });
  });

  describe("forgetMemory", () => {
    it("purges the content of every version and keeps a tombstone", async () => {
      const store = await open();
      const id = await addMemory(store, TENANT_A, { text: "quokka first words", metadata: { secret: "m1" }, speaker: "Ana" });
      await store.updateMemory(TENANT_A, { id, expectedVersion: 1, next: { ...episode({ text: "wombat second words" }).memory, metadata: { secret: "m2" } } }, T0 + 1);
      const result = await store.forgetMemory(TENANT_A, id, T0 + 2);
      assert.deepEqual(result, { id, forgottenAt: iso(T0 + 2), versionsPurged: 2, eventsPurged: 1 });
      const history = await store.memoryHistory(TENANT_A, id);
      assert.deepEqual(history.map((record) => record.version), [1, 2], "the tombstone keeps every version");
      for (const record of history) {
        assert.equal(record.text, "");
        assert.deepEqual(record.metadata, {});
        assert.equal(record.origin, null);
        assert.equal(record.forgottenAt, iso(T0 + 2));
        assert.equal(record.id, id);
      }
      assert.equal((await store.getMemory(TENANT_A, id))?.forgottenAt, iso(T0 + 2));
      assert.equal((await store.getMemory(TENANT_A, id, 1))?.text, "");
      assert.deepEqual(await searchIds(store, TENANT_A, ["quokka", "wombat", "ana"]), []);
      assert.deepEqual(await searchIds(store, TENANT_A, ["quokka", "wombat"], { asOf: T0 + 1, current: false }), [], "not even in the past");
      assert.deepEqual((await store.listMemories(TENANT_A, { limit: 10 })).items, []);
      const stats = await store.stats(TENANT_A);
      assert.equal(stats.forgotten, 1);
      assert.deepEqual(stats.memoriesByKind, {});
    });

    it("forgetting again returns the first tombstone's time and purges nothing more", async () => {
      const store = await open();
      const id = await addMemory(store, TENANT_A, { text: "forget me twice" });
      await store.forgetMemory(TENANT_A, id, T0 + 1);
      const before = await snapshot(store, TENANT_A);
      assert.deepEqual(await store.forgetMemory(TENANT_A, id, T0 + 2), { id, forgottenAt: iso(T0 + 1), versionsPurged: 0, eventsPurged: 0 });
      assert.deepEqual(await snapshot(store, TENANT_A), before);
    });

    it("an unknown memory fails with not_found", async () => {
      const store = await open();
      await rejectsWith(store.forgetMemory(TENANT_A, "mem_missing", T0), "not_found");
    });
  });
}
