import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import Database from "better-sqlite3";
import { testStore } from "../../testing/index.js";
import { addMemory, GLOBAL_DEFAULT, searchIds, T0, TENANT_A } from "../../testing/store-contract-fixtures.js";
import { openSqliteStore } from "./open-sqlite-store.js";

/** Whether each (stemmed, lower-case) term is in the index's segments; also runs FTS5's integrity check. */
function indexHolds(path: string, terms: readonly string[]): boolean[] {
  const database = new Database(path);
  try {
    database.exec("INSERT INTO memory_text (memory_text) VALUES ('integrity-check')");
    const blocks = (database.prepare("SELECT block FROM memory_text_data").all() as { block: Buffer | null }[]).flatMap((row) => (row.block ? [row.block] : []));
    return terms.map((term) => blocks.some((block) => block.includes(term)));
  } finally {
    database.close();
  }
}

testStore({ name: "sqlite (:memory:)", create: () => openSqliteStore({ path: ":memory:" }) });

describe("sqlite in a file", () => {
  let directory = "";
  let files = 0;
  const nextPath = (): string => join(directory, `store-${(files += 1)}.db`);
  before(async () => {
    directory = await mkdtemp(join(tmpdir(), "mnemo-store-"));
  });
  after(async () => {
    await rm(directory, { recursive: true, force: true });
  });

  testStore({ name: "sqlite (file)", create: () => openSqliteStore({ path: nextPath() }) });

  it("wrote each contract store to its own file in the temp directory", () => {
    assert.ok(files > 0);
    assert.ok(existsSync(join(directory, "store-1.db")));
  });

  it("forget removes the memory's terms from the full-text index, which stays consistent", async () => {
    const path = nextPath();
    const store = await openSqliteStore({ path });
    await store.ensureScope(TENANT_A, GLOBAL_DEFAULT, T0);
    const gone = await addMemory(store, TENANT_A, { text: "zorblatt notes", speaker: "Quentinabc" });
    await addMemory(store, TENANT_A, { text: "plain notes" });
    assert.deepEqual(indexHolds(path, ["zorblatt", "quentinabc", "plain"]), [true, true, true]);
    await store.forgetMemory(TENANT_A, gone, T0 + 1);
    assert.deepEqual(indexHolds(path, ["zorblatt", "quentinabc", "plain"]), [false, false, true]);
    assert.equal((await searchIds(store, TENANT_A, ["notes"])).length, 1);
    await store.close();
  });
});
