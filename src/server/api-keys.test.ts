import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { openSqliteStore } from "../store/sqlite/open-sqlite-store.js";
import { authenticateApiKey, issueApiKey } from "./api-keys.js";

describe("API keys", () => {
  it("issues a key that authenticates as its principal until revoked, and stores only a hash", async () => {
    const store = await openSqliteStore({ path: ":memory:" });
    const { key, record } = await issueApiKey(store, { tenantId: "acme", principalId: "planner", name: "planner agent" }, 1_000);
    assert.match(key, /^mnemo_[A-Za-z0-9]{12}_[A-Za-z0-9_-]{43}$/);
    assert.deepEqual(await authenticateApiKey(store, key), { tenantId: "acme", principalId: "planner", keyId: record.id });
    const stored = await store.findApiKey(record.id);
    assert.ok(stored && !key.includes(stored.secretHash) && !JSON.stringify(stored).includes(key.split("_")[2]!), "the secret itself is not stored");
    await store.revokeApiKey(record.id, 2_000);
    assert.equal(await authenticateApiKey(store, key), null);
    await store.close();
  });

  it("refuses malformed, unknown and tampered keys alike", async () => {
    const store = await openSqliteStore({ path: ":memory:" });
    const { key } = await issueApiKey(store, { tenantId: "acme", principalId: "planner", name: "x" }, 1_000);
    const tampered = key.slice(0, -1) + (key.endsWith("A") ? "B" : "A");
    const unknown = key.replace(/^mnemo_[A-Za-z0-9]{12}/, "mnemo_AAAAAAAAAAAA");
    for (const presented of ["", "Bearer x", key + "x", tampered, unknown, "mnemo_' OR 1=1 --_" + "a".repeat(43)]) {
      assert.equal(await authenticateApiKey(store, presented), null, presented);
    }
    await store.close();
  });
});
