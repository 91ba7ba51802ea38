import assert from "node:assert/strict";
import { describe } from "node:test";
import { DAY, iso, rejectsWith, T0, type ContractContext } from "./store-contract-fixtures.js";

const KEY = { id: "key1", tenantId: "tenant-a", principalId: "agent-a", name: "planner", secretHash: "hash-of-secret" };

/** saveApiKey, listApiKeys, revokeApiKey and findApiKey: the operator's keys, kept as hashes. */
export function describeApiKeys({ open, it }: ContractContext): void {
  describe("API keys", () => {
    it("saves a key with its hash, lists keys without it, newest first, per tenant or all", async () => {
      const store = await open();
      const saved = await store.saveApiKey(KEY, T0);
      assert.deepEqual(saved, { id: "key1", tenant: "tenant-a", principal: "agent-a", name: "planner", createdAt: iso(T0), revokedAt: null });
      await store.saveApiKey({ ...KEY, id: "key2", tenantId: "tenant-b", principalId: "agent-b" }, T0 + DAY);
      assert.deepEqual((await store.listApiKeys()).map((key) => key.id), ["key2", "key1"]);
      assert.deepEqual((await store.listApiKeys("tenant-a")).map((key) => key.id), ["key1"]);
      assert.ok((await store.listApiKeys()).every((key) => !("secretHash" in key)), "a listing never carries the hash");
      assert.equal((await store.findApiKey("key1"))?.secretHash, "hash-of-secret");
      assert.equal(await store.findApiKey("nope"), undefined);
      await rejectsWith(store.saveApiKey(KEY, T0), "conflict");
    });

    it("revokes a key for good; revoking again changes nothing; an unknown id is not_found", async () => {
      const store = await open();
      await store.saveApiKey(KEY, T0);
      assert.equal((await store.revokeApiKey("key1", T0 + 1)).revokedAt, iso(T0 + 1));
      assert.equal((await store.revokeApiKey("key1", T0 + 2)).revokedAt, iso(T0 + 1));
      assert.equal((await store.findApiKey("key1"))?.revokedAt, iso(T0 + 1));
      await rejectsWith(store.revokeApiKey("nope", T0), "not_found");
    });
  });
}
