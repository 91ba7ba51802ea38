import assert from "node:assert/strict";
import { describe } from "node:test";
import type { MemoryStore } from "../store/store.js";
import { addMemory, changesAfter, DAY, DEFAULT_SPACE, episode, GLOBAL_DEFAULT, rejectsWith, searchIds, space, T0, TENANT_A, TENANT_B, type ContractContext } from "./store-contract-fixtures.js";

/** getMemory, memoryHistory, listMemories and searchText. */
export function describeReads({ open, it }: ContractContext): void {
  describe("getMemory and memoryHistory", () => {
    it("an unknown id or version reads as nothing", async () => {
      const store = await open();
      const id = await addMemory(store, TENANT_A, { text: "exists" });
      assert.equal(await store.getMemory(TENANT_A, "mem_missing"), undefined);
      assert.equal(await store.getMemory(TENANT_A, id, 2), undefined);
      assert.equal((await store.getMemory(TENANT_A, id, 1))?.text, "exists");
      assert.deepEqual(await store.memoryHistory(TENANT_A, "mem_missing"), []);
    });
  });

  describe("listMemories", () => {
    it("pages through current memories newest first with cursors", async () => {
      const store = await open();
      const ids: string[] = [];
      for (let index = 0; index < 7; index += 1) ids.push(await addMemory(store, TENANT_A, { text: `item ${index}` }, T0 + index));
      const gone = ids[3]!;
      await store.forgetMemory(TENANT_A, gone, T0 + 10);
      const seen: string[] = [];
      const sizes: number[] = [];
      let cursor: string | undefined;
      for (let pages = 0; pages < 10; pages += 1) {
        const page = await store.listMemories(TENANT_A, { limit: 2, cursor });
        seen.push(...page.items.map((record) => record.id));
        sizes.push(page.items.length);
        if (page.nextCursor === null) break;
        cursor = page.nextCursor;
      }
      assert.deepEqual(seen, ids.filter((id) => id !== gone).reverse());
      assert.deepEqual(sizes, [2, 2, 2]);
    });

    it("lists only the current version of an updated memory", async () => {
      const store = await open();
      const id = await addMemory(store, TENANT_A, { text: "old words" });
      const other = await addMemory(store, TENANT_A, { text: "another" });
      await store.updateMemory(TENANT_A, { id, expectedVersion: 1, next: episode({ text: "new words" }).memory }, T0 + 1);
      const { items, nextCursor } = await store.listMemories(TENANT_A, { limit: 10 });
      assert.deepEqual(items.map((record) => [record.id, record.version]).sort(), [[id, 2], [other, 1]].sort());
      assert.equal(nextCursor, null);
    });

    it("filters by spaces and kinds", async () => {
      const store = await open();
      await store.createSpace(TENANT_A, space("team"), T0);
      const inDefault = await addMemory(store, TENANT_A, { text: "default episode" });
      const inTeam = await addMemory(store, TENANT_A, { text: "team episode", space: "team" });
      const fact = await addMemory(store, TENANT_A, { text: "team fact", space: "team", kind: "fact" });
      const list = async (query: { spaces?: string[]; kinds?: ("episode" | "fact")[] }): Promise<string[]> =>
        (await store.listMemories(TENANT_A, { limit: 10, ...query })).items.map((record) => record.id).sort();
      assert.deepEqual(await list({ spaces: ["team"] }), [inTeam, fact].sort());
      assert.deepEqual(await list({ kinds: ["episode"] }), [inDefault, inTeam].sort());
      assert.deepEqual(await list({ spaces: ["team"], kinds: ["fact"] }), [fact]);
      assert.deepEqual(await list({ spaces: [DEFAULT_SPACE, "team"] }), [inDefault, inTeam, fact].sort());
    });
  });

  describe("searchText", () => {
    it("returns matches best first, the newer world time first on equal scores", async () => {
      const store = await open();
      const older = await addMemory(store, TENANT_A, { text: "orchard apple", occurredAt: T0 - 3 * DAY });
      const newer = await addMemory(store, TENANT_A, { text: "orchard apple", occurredAt: T0 - DAY });
      const diluted = await addMemory(store, TENANT_A, { text: "apple among many other words that dilute the match", occurredAt: T0, tokens: 9 });
      await addMemory(store, TENANT_A, { text: "pear only" });
      const hits = await store.searchText(TENANT_A, { terms: ["apple"], asOf: T0 + DAY, current: true, limit: 10 });
      assert.deepEqual(hits.map((hit) => hit.id), [newer, older, diluted]);
      for (let index = 1; index < hits.length; index += 1) assert.ok(hits[index - 1]!.score >= hits[index]!.score, "scores never rise");
      assert.equal(hits[0]!.score, hits[1]!.score);
      assert.equal(hits[2]!.tokens, 9, "tokens are the ones given at append");
    });

    it("matches any of the terms, and treats query-syntax words as plain words", async () => {
      const store = await open();
      const either = await addMemory(store, TENANT_A, { text: "this or that" });
      const near = await addMemory(store, TENANT_A, { text: "near the river" });
      assert.deepEqual(await searchIds(store, TENANT_A, ["or"]), [either]);
      assert.deepEqual(await searchIds(store, TENANT_A, ["near"]), [near]);
      assert.deepEqual((await searchIds(store, TENANT_A, ["that", "river"])).sort(), [either, near].sort());
      assert.deepEqual(await searchIds(store, TENANT_A, []), []);
      assert.deepEqual(await searchIds(store, TENANT_A, ["absent"]), []);
    });

    it("filters by spaces and kinds, and honours the limit", async () => {
      const store = await open();
      await store.createSpace(TENANT_A, space("team"), T0);
      const mine = await addMemory(store, TENANT_A, { text: "shared word" });
      const team = await addMemory(store, TENANT_A, { text: "shared word", space: "team" });
      const fact = await addMemory(store, TENANT_A, { text: "shared word", space: "team", kind: "fact" });
      assert.deepEqual((await searchIds(store, TENANT_A, ["shared"], { spaces: ["team"] })).sort(), [team, fact].sort());
      assert.deepEqual((await searchIds(store, TENANT_A, ["shared"], { kinds: ["episode"] })).sort(), [mine, team].sort());
      assert.deepEqual(await searchIds(store, TENANT_A, ["shared"], { spaces: [DEFAULT_SPACE], kinds: ["fact"] }), []);
      assert.equal((await searchIds(store, TENANT_A, ["shared"], { limit: 2 })).length, 2);
    });

    // Episodes only: an episode happened at validFrom, so it is in a range when validFrom is. How a memory
    // with a validity interval meets a range is not settled yet (store.ts says overlap, RecallOptions says
    // overlap except for episodes), so this suite does not test it.
    it("from and to keep the episodes that happened in the range, ends included", async () => {
      const store = await open();
      const ids: string[] = [];
      for (const day of [1, 2, 3]) ids.push(await addMemory(store, TENANT_A, { text: `diary day ${day}`, occurredAt: T0 + day * DAY }));
      const search = async (range: { from?: number; to?: number }): Promise<string[]> => (await searchIds(store, TENANT_A, ["diary"], range)).sort();
      assert.deepEqual(await search({ from: T0 + 2 * DAY }), [ids[1], ids[2]].sort());
      assert.deepEqual(await search({ to: T0 + 2 * DAY }), [ids[0], ids[1]].sort());
      assert.deepEqual(await search({ from: T0 + 2 * DAY, to: T0 + 2 * DAY }), [ids[1]]);
      assert.deepEqual(await search({ from: T0 + 3 * DAY + 1 }), []);
      assert.deepEqual(await search({ to: T0 + DAY - 1 }), []);
    });

    it("asOf answers as the store stood and as the world was at that time", async () => {
      const store = await open();
      const id = await addMemory(store, TENANT_A, { text: "zebra stripes black", occurredAt: T0 }, T0);
      await store.updateMemory(TENANT_A, { id, expectedVersion: 1, next: episode({ text: "zebra stripes white", occurredAt: T0 }).memory }, T0 + 10 * DAY);
      const future = await addMemory(store, TENANT_A, { text: "zebra arrives later", occurredAt: T0 + 20 * DAY }, T0);
      const ended = await addMemory(store, TENANT_A, { text: "zebra on loan", occurredAt: T0, validTo: T0 + 5 * DAY }, T0);
      const texts = async (asOf: number): Promise<string[]> => {
        const hits = await store.searchText(TENANT_A, { terms: ["zebra"], asOf, current: false, limit: 10 });
        return (await store.loadMemories(TENANT_A, hits.map((hit) => hit.key))).map((memory) => memory.text).sort();
      };
      assert.deepEqual(await texts(T0 - 1), [], "nothing was recorded yet");
      assert.deepEqual(await texts(T0 + 2 * DAY), ["zebra on loan", "zebra stripes black"]);
      assert.deepEqual(await texts(T0 + 5 * DAY), ["zebra stripes black"], "validTo is exclusive");
      assert.deepEqual(await texts(T0 + 10 * DAY), ["zebra stripes white"]);
      assert.deepEqual(await texts(T0 + 30 * DAY), ["zebra arrives later", "zebra stripes white"]);
      const hits = await store.searchText(TENANT_A, { terms: ["zebra"], asOf: T0 + 2 * DAY, current: false, limit: 10 });
      assert.ok(hits.every((hit) => hit.id !== future), "not true yet at asOf");
      assert.ok(hits.some((hit) => hit.id === ended));
    });

    it("current searches see only current versions, whatever their recordedAt", async () => {
      const store = await open();
      const id = await addMemory(store, TENANT_A, { text: "heron grey" }, T0 + 10 * DAY);
      await store.updateMemory(TENANT_A, { id, expectedVersion: 1, next: episode({ text: "heron blue" }).memory }, T0 + 11 * DAY);
      await addMemory(store, TENANT_A, { text: "heron expired", validTo: T0 + DAY });
      const hits = await store.searchText(TENANT_A, { terms: ["heron"], asOf: T0 + 2 * DAY, current: true, limit: 10 });
      const loaded = await store.loadMemories(TENANT_A, hits.map((hit) => hit.key));
      assert.deepEqual(loaded.map((memory) => [memory.id, memory.version, memory.text]), [[id, 2, "heron blue"]]);
      assert.deepEqual(hits.map((hit) => [hit.id, hit.version]), [[id, 2]]);
    });
  });

  describe("searchText under crowding", () => {
    it("finds a tenant's matches however many stronger matches other tenants and spaces have", async () => {
      const store = await open();
      await store.createSpace(TENANT_A, space("crowd"), T0);
      for (let index = 0; index < 30; index += 1) {
        await addMemory(store, TENANT_B, { text: `lantern lantern lantern ${index}` });
        await addMemory(store, TENANT_A, { text: `lantern lantern lantern crowd ${index}`, space: "crowd" });
      }
      const weak = [await addMemory(store, TENANT_A, { text: "a lantern and many other words in a long sentence" }), await addMemory(store, TENANT_A, { text: "one lantern here" })];
      assert.deepEqual((await searchIds(store, TENANT_A, ["lantern"], { limit: 2, spaces: [DEFAULT_SPACE] })).sort(), [...weak].sort());
    });
  });

  describe("searchText ties", () => {
    it("gives equal scores to the newer world time, however many matches tie", async () => {
      const store = await open();
      for (let day = 0; day < 120; day += 1) await addMemory(store, TENANT_A, { text: "good morning", occurredAt: T0 + day * DAY, contentHash: `h${day}` });
      const hits = await store.searchText(TENANT_A, { terms: ["morning"], limit: 10, asOf: T0 + 365 * DAY, current: true });
      assert.deepEqual(hits.map((hit) => hit.validFrom), Array.from({ length: 10 }, (_, index) => T0 + (119 - index) * DAY));
    });
  });

  describe("relatedKeywords", () => {
    it("links keywords by the current memories that mention both, strongest first, within the tenant", async () => {
      const store = await open();
      await addMemory(store, TENANT_A, { text: "one", keywords: ["ana", "lisbon"] });
      await addMemory(store, TENANT_A, { text: "two", keywords: ["ana", "lisbon", "rex"] });
      await addMemory(store, TENANT_A, { text: "three", keywords: ["rex", "park"] });
      await addMemory(store, TENANT_A, { text: "four", keywords: ["rex"] });
      await addMemory(store, TENANT_B, { text: "secret", keywords: ["ana", "secretplace"] });
      const related = await store.relatedKeywords(TENANT_A, ["ana", "unknown"], 10);
      assert.deepEqual(related, [
        { keyword: "lisbon", together: 2, mentions: 2 },
        { keyword: "rex", together: 1, mentions: 3 },
      ]);
      assert.deepEqual(await store.relatedKeywords(TENANT_A, ["ana"], 1), [{ keyword: "lisbon", together: 2, mentions: 2 }]);
      assert.deepEqual(await store.relatedKeywords(TENANT_A, [], 10), []);
    });

    it("forgets a memory's keywords with it, and an update's new version brings its own", async () => {
      const store = await open();
      const first = await addMemory(store, TENANT_A, { text: "one", keywords: ["ana", "lisbon"] });
      const second = await addMemory(store, TENANT_A, { text: "two", keywords: ["ana", "porto"] });
      await store.forgetMemory(TENANT_A, first, T0 + 1);
      await store.updateMemory(TENANT_A, { id: second, expectedVersion: 1, next: episode({ text: "two again", keywords: ["ana", "faro"] }).memory }, T0 + 2);
      assert.deepEqual(await store.relatedKeywords(TENANT_A, ["ana"], 10), [{ keyword: "faro", together: 1, mentions: 1 }]);
    });
  });

  describe("termCounts", () => {
    it("counts the indexed versions that contain each term, as searchText matches it", async () => {
      const store = await open();
      await addMemory(store, TENANT_A, { text: "clay bowls and clay cups" });
      await addMemory(store, TENANT_A, { text: "the kiln was hot" });
      await addMemory(store, TENANT_B, { text: "Clay again" });
      const { total, counts } = await store.termCounts(["clay", "kiln", "absent", 'quo"te']);
      assert.deepEqual(counts, [2, 1, 0, 0]);
      assert.ok(total >= 3, `total ${total} covers every indexed version`);
    });
  });
}

/** episodesAt and loadMemories: the two halves of ranking light candidates and loading the kept ones. */
export function describePositions({ open, it }: ContractContext): void {
  describe("episodesAt and loadMemories", () => {
    it("positions count a session's episodes in ingest order, per space and session, across calls", async () => {
      const store = await open();
      await store.createSpace(TENANT_A, space("team"), T0);
      const [a1, b1, a2] = await store.appendEvents(
        TENANT_A,
        [episode({ text: "a one", sessionId: "a" }), episode({ text: "b one", sessionId: "b" }), episode({ text: "a two", sessionId: "a" })],
        T0,
      );
      const a3 = await addMemory(store, TENANT_A, { text: "a three", sessionId: "a" });
      const loose = await addMemory(store, TENANT_A, { text: "no session", sessionId: null });
      const team = await addMemory(store, TENANT_A, { text: "team a one", sessionId: "a", space: "team" });
      const at = async (space: string, session: string, from: number, to: number): Promise<string[]> =>
        (await store.episodesAt(TENANT_A, { ranges: [{ space, session, from, to }], asOf: T0 + DAY, current: true })).map((hit) => hit.id).sort();
      assert.deepEqual(await at(DEFAULT_SPACE, "a", 1, 3), [a1!.memoryId, a2!.memoryId, a3].sort());
      assert.deepEqual(await at(DEFAULT_SPACE, "a", 2, 2), [a2!.memoryId]);
      assert.deepEqual(await at(DEFAULT_SPACE, "b", 1, 9), [b1!.memoryId]);
      assert.deepEqual(await at(DEFAULT_SPACE, "", 1, 1), [loose], "events without a session form the space's unnamed stream");
      assert.deepEqual(await at("team", "a", 1, 1), [team]);
      const [hit] = await store.episodesAt(TENANT_A, { ranges: [{ space: DEFAULT_SPACE, session: "a", from: 3, to: 3 }], asOf: T0 + DAY, current: true });
      assert.deepEqual(hit?.position, { space: DEFAULT_SPACE, session: "a", position: 3 });
      assert.equal(hit?.score, 0);
    });

    it("episodesAt applies the search filters, and an updated memory keeps its position", async () => {
      const store = await open();
      const first = await addMemory(store, TENANT_A, { text: "first", occurredAt: T0 });
      const second = await addMemory(store, TENANT_A, { text: "second", occurredAt: T0 + 2 * DAY });
      await store.updateMemory(TENANT_A, { id: first, expectedVersion: 1, next: episode({ text: "first, edited", occurredAt: T0 }).memory }, T0 + DAY);
      const ranges = [{ space: DEFAULT_SPACE, session: "session-1", from: 1, to: 2 }];
      const current = await store.episodesAt(TENANT_A, { ranges, asOf: T0 + 3 * DAY, current: true });
      assert.deepEqual(current.map((hit) => [hit.id, hit.version, hit.position?.position]).sort(), [[first, 2, 1], [second, 1, 2]].sort());
      const before = await store.episodesAt(TENANT_A, { ranges, asOf: T0 + DAY / 2, current: false });
      assert.deepEqual(before.map((hit) => [hit.id, hit.version]), [[first, 1]], "asOf sees version 1, and not the later episode");
      assert.deepEqual((await store.episodesAt(TENANT_A, { ranges, asOf: T0 + 3 * DAY, current: true, from: T0 + DAY })).map((hit) => hit.id), [second]);
      await store.forgetMemory(TENANT_A, second, T0 + 3 * DAY);
      assert.deepEqual((await store.episodesAt(TENANT_A, { ranges, asOf: T0 + 4 * DAY, current: true })).map((hit) => hit.id), [first]);
    });

    it("loadMemories returns the versions behind the keys in key order, and nothing of another tenant", async () => {
      const store = await open();
      await addMemory(store, TENANT_A, { text: "alpha kiwi" });
      await addMemory(store, TENANT_A, { text: "beta kiwi kiwi" });
      await addMemory(store, TENANT_B, { text: "gamma kiwi" });
      const hitsA = await store.searchText(TENANT_A, { terms: ["kiwi"], asOf: T0 + DAY, current: true, limit: 10 });
      const hitsB = await store.searchText(TENANT_B, { terms: ["kiwi"], asOf: T0 + DAY, current: true, limit: 10 });
      assert.equal(hitsA.length, 2);
      const reversed = [...hitsA].reverse();
      const loaded = await store.loadMemories(TENANT_A, reversed.map((hit) => hit.key));
      assert.deepEqual(loaded.map((memory) => memory.id), reversed.map((hit) => hit.id), "in the order of the keys given");
      assert.deepEqual(loaded.map((memory) => memory.text).sort(), ["alpha kiwi", "beta kiwi kiwi"]);
      assert.deepEqual(await store.loadMemories(TENANT_A, hitsB.map((hit) => hit.key)), [], "a key of tenant B loads nothing for tenant A");
      assert.deepEqual(await store.loadMemories(TENANT_A, []), []);
    });
  });
}

/** Tenant isolation and the lifecycle. */
export function describeIsolation({ open, it }: ContractContext): void {
  describe("tenant isolation", () => {
    it("two tenants never see each other's memories, search hits, changes or counts", async () => {
      const store = await open();
      const secret = await addMemory(store, TENANT_A, { text: "alpha secret plans", key: "shared-key" });
      const own = await addMemory(store, TENANT_B, { text: "bravo notes", key: "shared-key" });
      assert.equal(await store.getMemory(TENANT_B, secret), undefined);
      assert.equal(await store.getMemory(TENANT_B, secret, 1), undefined);
      assert.deepEqual(await store.memoryHistory(TENANT_B, secret), []);
      assert.deepEqual(await searchIds(store, TENANT_B, ["alpha", "secret", "plans"]), []);
      assert.deepEqual(await searchIds(store, TENANT_B, ["alpha"], { asOf: T0 + DAY, current: false }), []);
      assert.deepEqual((await store.listMemories(TENANT_B, { limit: 10 })).items.map((record) => record.id), [own]);
      assert.deepEqual(await searchIds(store, TENANT_A, ["bravo"]), []);
      const changesB = await changesAfter(store, TENANT_B, 0, 100);
      assert.ok(changesB.every((change) => change.memoryId !== secret));
      assert.deepEqual(changesB.map((change) => change.seq), [1, 2]);
      const statsB = await store.stats(TENANT_B);
      assert.deepEqual([statsB.events, statsB.versions, statsB.spaces, statsB.lastChangeSeq], [1, 1, 1, 2]);
      const update = await rejectsWith(store.updateMemory(TENANT_B, { id: secret, expectedVersion: 1, next: episode({ text: "hijack" }).memory }, T0), "not_found");
      const forget = await rejectsWith(store.forgetMemory(TENANT_B, secret, T0), "not_found");
      for (const error of [update, forget]) assert.doesNotMatch(`${error.message} ${JSON.stringify(error.details)}`, /alpha|secret plans|tenant-a/);
      assert.equal((await store.getMemory(TENANT_A, secret))?.text, "alpha secret plans", "tenant A's memory is untouched");
      assert.equal((await store.stats(TENANT_A)).lastChangeSeq, 2);
    });

    it("a space of one tenant does not exist for another", async () => {
      const store = await open();
      await store.createSpace(TENANT_A, space("team"), T0);
      await rejectsWith(store.appendEvents(TENANT_B, [episode({ text: "wrong door", space: "team" })], T0), "space_not_found");
      assert.deepEqual((await store.listSpaces(TENANT_B)).map((space) => space.name), [DEFAULT_SPACE]);
      assert.equal((await store.stats(TENANT_B)).events, 0);
    });

    it("principals of one tenant share its memories, and each write records its author", async () => {
      const store = await open();
      const colleague = { tenantId: TENANT_A.tenantId, principalId: "agent-c" };
      await store.ensureScope(colleague, GLOBAL_DEFAULT, T0);
      const id = await addMemory(store, TENANT_A, { text: "written by a" });
      const updated = await store.updateMemory(colleague, { id, expectedVersion: 1, next: episode({ text: "revised by c" }).memory }, T0 + 1);
      assert.equal(updated.author, "agent-c");
      assert.equal((await store.getMemory(TENANT_A, id, 1))?.author, TENANT_A.principalId);
      assert.deepEqual(await searchIds(store, TENANT_A, ["revised"]), [id]);
    });
  });

  describe("close", () => {
    it("a second close is a no-op and every other call fails with closed", async () => {
      const store = await open();
      const id = await addMemory(store, TENANT_A, { text: "before close" });
      await store.close();
      await store.close();
      const calls: [string, (closed: MemoryStore) => Promise<unknown>][] = [
        ["ensureScope", (closed) => closed.ensureScope(TENANT_A, GLOBAL_DEFAULT, T0)],
        ["createSpace", (closed) => closed.createSpace(TENANT_A, space("late"), T0)],
        ["listSpaces", (closed) => closed.listSpaces(TENANT_A)],
        ["appendEvents", (closed) => closed.appendEvents(TENANT_A, [episode({ text: "after close" })], T0)],
        ["getMemory", (closed) => closed.getMemory(TENANT_A, id)],
        ["memoryHistory", (closed) => closed.memoryHistory(TENANT_A, id)],
        ["listMemories", (closed) => closed.listMemories(TENANT_A, { limit: 10 })],
        ["updateMemory", (closed) => closed.updateMemory(TENANT_A, { id, expectedVersion: 1, next: episode({ text: "x" }).memory }, T0)],
        ["forgetMemory", (closed) => closed.forgetMemory(TENANT_A, id, T0)],
        ["searchText", (closed) => closed.searchText(TENANT_A, { terms: ["close"], asOf: T0, current: true, limit: 10 })],
        ["changesSince", (closed) => closed.changesSince(TENANT_A, { after: 0, limit: 10 })],
        ["stats", (closed) => closed.stats(TENANT_A)],
      ];
      for (const [name, call] of calls) {
        let result: Promise<unknown>;
        try {
          result = call(store);
        } catch (error) {
          assert.fail(`${name} threw synchronously instead of rejecting: ${String(error)}`);
        }
        await rejectsWith(result, "closed");
      }
    });
  });
}
