import assert from "node:assert/strict";
import { describe } from "node:test";
import type { MemoryStore, StoreScope, StoredVector } from "../store/store.js";
import { addMemory, DAY, episode, space, T0, TENANT_A, TENANT_B, type ContractContext } from "./store-contract-fixtures.js";

const EMBEDDER = "test-embedder@3";
const NOW = { asOf: T0 + 365 * DAY, current: true };

/** The store's key for a memory's current version, found through text search on a unique word. */
async function keyOf(store: MemoryStore, scope: StoreScope, word: string): Promise<number> {
  const [hit] = await store.searchText(scope, { terms: [word], limit: 1, ...NOW });
  assert.ok(hit, `a memory with the word ${word}`);
  return hit.key;
}

async function storedVectors(store: MemoryStore, scope: StoreScope, embedder = EMBEDDER): Promise<StoredVector[]> {
  return (await store.vectorsSince(scope, embedder, 0, 100)).vectors;
}

function vector(...values: number[]): Float32Array {
  return new Float32Array(values);
}

/** candidatesAt, saveVectors, vectorsSince and memoriesToEmbed. */
export function describeVectors({ open, it }: ContractContext): void {
  describe("vectors", () => {
    it("memoriesToEmbed lists the memories still without a vector, oldest first, text then extra words", async () => {
      const store = await open();
      const first = await addMemory(store, TENANT_A, { text: "alpha words", speaker: "Ana" });
      const second = await addMemory(store, TENANT_A, { text: "beta words" });
      await addMemory(store, TENANT_B, { text: "gamma words" });
      const work = await store.memoriesToEmbed(TENANT_A, EMBEDDER, { limit: 10 });
      assert.deepEqual(
        work.map(({ id, text }) => ({ id, text })),
        [
          { id: first, text: "alpha words\nAna" },
          { id: second, text: "beta words" },
        ],
      );
      assert.deepEqual((await store.memoriesToEmbed(TENANT_A, EMBEDDER, { limit: 1 })).map((item) => item.id), [first]);
      assert.deepEqual((await store.memoriesToEmbed(TENANT_A, EMBEDDER, { ids: [second, "mem_missing"], limit: 10 })).map((item) => item.id), [second]);
    });

    it("saved vectors read back exactly, by key, and leave the to-embed list", async () => {
      const store = await open();
      await addMemory(store, TENANT_A, { text: "alpha" });
      await addMemory(store, TENANT_A, { text: "beta" });
      const alpha = await keyOf(store, TENANT_A, "alpha");
      const beta = await keyOf(store, TENANT_A, "beta");
      await store.saveVectors(TENANT_A, EMBEDDER, [
        { key: beta, vector: vector(0, 1, 0) },
        { key: alpha, vector: vector(0.6, 0.8, 0) },
      ]);
      await store.saveVectors(TENANT_A, EMBEDDER, [{ key: beta, vector: vector(0, 0, 1) }]);
      const stored = await storedVectors(store, TENANT_A);
      assert.deepEqual(
        stored.map(({ key, vector }) => [key, [...vector]]),
        [
          [alpha, [...vector(0.6, 0.8, 0)]],
          [beta, [0, 0, 1]],
        ],
        "in save order: the replaced vector comes last",
      );
      const first = await store.vectorsSince(TENANT_A, EMBEDDER, 0, 1);
      assert.deepEqual(first.vectors.map((item) => item.key), [alpha]);
      const rest = await store.vectorsSince(TENANT_A, EMBEDDER, first.cursor, 10);
      assert.deepEqual(rest.vectors.map((item) => item.key), [beta]);
      assert.deepEqual(await store.vectorsSince(TENANT_A, EMBEDDER, rest.cursor, 10), { vectors: [], cursor: rest.cursor });
      assert.deepEqual(await store.memoriesToEmbed(TENANT_A, EMBEDDER, { limit: 10 }), []);
      assert.equal((await store.memoriesToEmbed(TENANT_A, "another-embedder", { limit: 10 })).length, 2, "each embedder has its own vectors");
      assert.deepEqual(await storedVectors(store, TENANT_A, "another-embedder"), []);
    });

    it("a key of another tenant is neither saved nor read", async () => {
      const store = await open();
      await addMemory(store, TENANT_B, { text: "secret" });
      const secret = await keyOf(store, TENANT_B, "secret");
      await store.saveVectors(TENANT_A, EMBEDDER, [{ key: secret, vector: vector(1, 0, 0) }]);
      assert.deepEqual(await storedVectors(store, TENANT_B), []);
      assert.deepEqual(await storedVectors(store, TENANT_A), []);
      assert.deepEqual(await store.candidatesAt(TENANT_A, { keys: [secret], ...NOW }), []);
    });

    it("an update leaves the old version's vector out and asks for the new one", async () => {
      const store = await open();
      const id = await addMemory(store, TENANT_A, { text: "before" });
      const before = await keyOf(store, TENANT_A, "before");
      await store.saveVectors(TENANT_A, EMBEDDER, [{ key: before, vector: vector(1, 0, 0) }]);
      await store.updateMemory(TENANT_A, { id, expectedVersion: 1, next: episode({ text: "after" }).memory }, T0 + 1);
      assert.deepEqual(await storedVectors(store, TENANT_A), []);
      const [work] = await store.memoriesToEmbed(TENANT_A, EMBEDDER, { limit: 10 });
      assert.equal(work?.key, await keyOf(store, TENANT_A, "after"));
      assert.deepEqual(await store.candidatesAt(TENANT_A, { keys: [before], ...NOW }), [], "the superseded version is no candidate now");
    });

    it("forget removes the vectors, and a later save for the memory is skipped", async () => {
      const store = await open();
      const id = await addMemory(store, TENANT_A, { text: "private" });
      const key = await keyOf(store, TENANT_A, "private");
      await store.saveVectors(TENANT_A, EMBEDDER, [{ key, vector: vector(1, 0, 0) }]);
      await store.forgetMemory(TENANT_A, id, T0 + 1);
      assert.deepEqual(await storedVectors(store, TENANT_A), []);
      await store.saveVectors(TENANT_A, EMBEDDER, [{ key, vector: vector(1, 0, 0) }]);
      assert.deepEqual(await storedVectors(store, TENANT_A), []);
      assert.deepEqual(await store.memoriesToEmbed(TENANT_A, EMBEDDER, { limit: 10 }), []);
    });

    it("candidatesAt keeps the order of the keys and applies the filter", async () => {
      const store = await open();
      await store.createSpace(TENANT_A, space("team"), T0);
      await addMemory(store, TENANT_A, { text: "one", occurredAt: T0 });
      await addMemory(store, TENANT_A, { text: "two", occurredAt: T0 + DAY, space: "team" });
      await addMemory(store, TENANT_A, { text: "three", occurredAt: T0 + 2 * DAY });
      const [one, two, three] = [await keyOf(store, TENANT_A, "one"), await keyOf(store, TENANT_A, "two"), await keyOf(store, TENANT_A, "three")];
      const ids = async (query: Partial<Parameters<MemoryStore["candidatesAt"]>[1]>): Promise<number[]> =>
        (await store.candidatesAt(TENANT_A, { keys: [three!, one!, two!], ...NOW, ...query })).map((candidate) => candidate.key);
      assert.deepEqual(await ids({}), [three, one, two]);
      assert.deepEqual(await ids({ spaces: ["team"] }), [two]);
      assert.deepEqual(await ids({ from: T0 + DAY }), [three, two]);
      const [candidate] = await store.candidatesAt(TENANT_A, { keys: [one!], ...NOW });
      assert.equal(candidate?.score, 0);
      assert.equal(candidate?.validFrom, T0);
      assert.deepEqual(await store.candidatesAt(TENANT_A, { keys: [], ...NOW }), []);
    });
  });
}
