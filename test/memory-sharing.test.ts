import assert from "node:assert/strict";
import { join } from "node:path";
import { afterEach, beforeEach, describe, it } from "node:test";
import { createMemory, type ChangeEvent, type Memory, type Subscription } from "../src/index.js";
import { openSqliteStore } from "../src/store/sqlite/index.js";
import type { MemoryStore } from "../src/store/store.js";
import { counterIds, manualClock, rejectsWith, tempDirectory } from "./support/memory-fixtures.js";

/** Several principals of one tenant on one store, as a team of agents in one process would be. */
async function team(names: string[], store: MemoryStore, ids: () => string = counterIds()): Promise<Record<string, Memory>> {
  const clock = manualClock("2024-03-01T12:00:00Z");
  const memories: Record<string, Memory> = {};
  for (const name of names) memories[name] = await createMemory({ store, principal: name, clock: clock.now, generateId: ids, extraction: false });
  return memories;
}

/** The next `count` changes of a subscription. */
async function take(subscription: Subscription, count: number): Promise<ChangeEvent[]> {
  const taken: ChangeEvent[] = [];
  const iterator = subscription[Symbol.asyncIterator]();
  while (taken.length < count) {
    const next = await iterator.next();
    if (next.done) break;
    taken.push(next.value);
  }
  return taken;
}

describe("sharing between principals", () => {
  let store: MemoryStore;
  beforeEach(async () => {
    store = await openSqliteStore({ path: ":memory:" });
  });
  afterEach(async () => {
    await store.close();
  });

  it("an agent's own default space is private; the tenant space is shared by all", async () => {
    const { ana, ben } = await team(["ana", "ben"], store);
    const own = await createMemory({ store, principal: "ana", defaultSpace: "ana/notes", extraction: false, generateId: counterIds("own") });
    const spaces = await own.spaces.get("ana/notes");
    assert.deepEqual([spaces.type, spaces.role, spaces.members.map((member) => member.principal)], ["private", "admin", ["ana"]]);
    await own.ingest({ text: "ana keeps the pelican key" });
    await ana!.ingest({ text: "everyone knows the pelican song" });
    const seen = (await ben!.recall("pelican")).items.map((item) => item.memory.text);
    assert.deepEqual(seen, ["everyone knows the pelican song"]);
    await rejectsWith(ben!.spaces.get("ana/notes"), "space_not_found");
    await own.close();
  });

  it("validates space options and says what was wrong", async () => {
    const { ana } = await team(["ana"], store);
    const cases: [unknown, string][] = [
      [{ type: "secret" }, "options.type"],
      [{ type: "private", members: [{ principal: "ben", role: "read" }] }, "options.members"],
      [{ members: [{ principal: "ben", role: "owner" }] }, "options.members[0].role"],
      [{ everyone: "read" }, "options.everyone"],
      [{ admission: { mode: "scored", threshold: 2 } }, "options.admission.threshold"],
      [{ admission: { mode: "always", threshold: 0.3 } }, "options.admission.threshold"],
      [{ colour: "red" }, "options.colour"],
    ];
    for (const [options, field] of cases) {
      const error = await rejectsWith(ana!.spaces.create("bad", options as never), "invalid_input");
      assert.equal(error.details?.["field"], field, JSON.stringify(options));
    }
    await rejectsWith(ana!.spaces.setMember("default", "", "read"), "invalid_input");
    await rejectsWith(ana!.feedback("mem_x", { used: "yes" } as never), "invalid_input");
    await rejectsWith(ana!.list({ admission: ["maybe"] } as never), "invalid_input");
    assert.equal((await ana!.spaces.list()).some((space) => space.name === "bad"), false, "nothing was created");
  });

  it("recall and list filter by author, and each item says who wrote it", async () => {
    const { ana, ben } = await team(["ana", "ben"], store);
    await ana!.ingest({ text: "walrus migration starts in june", space: "default" });
    await ben!.ingest({ text: "walrus migration delayed by storms", space: "default" });
    const all = await ben!.recall("walrus migration");
    assert.deepEqual(new Set(all.items.map((item) => item.memory.author)), new Set(["ana", "ben"]));
    assert.match(all.context.text, /walrus migration starts in june \[by ana\]/, "a line by another principal names its author");
    assert.match(all.context.text, /walrus migration delayed by storms$/m, "the reader's own lines do not");
    const onlyAna = await ben!.recall("walrus migration", { authors: ["ana"] });
    assert.deepEqual(onlyAna.items.map((item) => item.memory.text), ["walrus migration starts in june"]);
    const listed = await ana!.list({ authors: ["ben"], spaces: ["default"] });
    assert.ok(listed.items.length > 0 && listed.items.every((memory) => memory.author === "ben"));
  });

  it("forget takes an expected version and refuses a stale one", async () => {
    const { ana } = await team(["ana"], store);
    const { events } = await ana!.ingest({ text: "temporary note" });
    const id = events[0]!.memoryId;
    await ana!.update(id, { expectedVersion: 1, text: "temporary note, revised" });
    const stale = await rejectsWith(ana!.forget(id, { expectedVersion: 1 }), "conflict");
    assert.equal(stale.details?.["currentVersion"], 2);
    assert.equal((await ana!.forget(id, { expectedVersion: 2 })).versionsPurged, 2);
  });
});

describe("scored admission", () => {
  it("keeps near-duplicates and chatter out, admits new findings, and explains each decision", async () => {
    const store = await openSqliteStore({ path: ":memory:" });
    const { lead, ana, ben } = await team(["lead", "ana", "ben"], store);
    await lead!.spaces.create("team", { members: [{ principal: "ana", role: "write" }, { principal: "ben", role: "write" }], admission: { mode: "scored" } });
    const write = async (memory: Memory, text: string) => (await memory.get((await memory.ingest({ text, space: "team" })).events[0]!.memoryId)).admission;
    const finding = await write(ana!, "The checkout test fails because the mock clock never advances past the retry delay");
    assert.equal(finding.status, "admitted", finding.why);
    assert.match(finding.why, /novelty 1\.00 \(nothing like it in the space\); usefulness 0\.50 \(no feedback yet: the prior\)/);
    const duplicate = await write(ben!, "checkout test fails: the mock clock never advances past the retry delay");
    assert.equal(duplicate.status, "rejected", duplicate.why);
    assert.match(duplicate.why, /novelty under 0\.2.*% of its words are in mem_/);
    const chatter = await write(ben!, "on it");
    assert.equal(chatter.status, "rejected", chatter.why);
    const other = await write(ben!, "Payments webhook retries exhaust the queue when the signing secret rotates");
    assert.equal(other.status, "admitted", other.why);
    const seenByLead = (await lead!.recall("checkout mock clock retry", { spaces: ["team"] })).items.map((item) => item.memory.text);
    assert.equal(seenByLead[0], "The checkout test fails because the mock clock never advances past the retry delay");
    assert.ok(!seenByLead.includes("checkout test fails: the mock clock never advances past the retry delay"), "the rejected duplicate stays out of others' recall");
    assert.equal((await ben!.list({ spaces: ["team"], admission: ["rejected"] })).items.length, 2, "its author still sees what was kept out");
    await store.close();
  });

  it("learns usefulness from what other principals recall and use", async () => {
    const store = await openSqliteStore({ path: ":memory:" });
    const ids = counterIds();
    const { lead, ana, ben } = await team(["lead", "ana", "ben"], store, ids);
    await lead!.spaces.create("team", { members: [{ principal: "ana", role: "write" }, { principal: "ben", role: "write" }], admission: { mode: "scored", threshold: 0.65 } });
    const usefulBefore = (await ana!.get((await ana!.ingest({ text: "Deploys need the vault token from ops before noon", space: "team" })).events[0]!.memoryId)).admission;
    // Others recall ana's memories and mark them used; ben's are recalled and marked unused.
    const topics = [
      ["kafka lag alarms fire after broker restarts", "maybe the office printer jams on mondays"],
      ["grafana panels drift when the datasource renames", "perhaps lunch orders arrive late on fridays"],
      ["terraform plans stall on provider locks", "possibly the elevator music changed recently"],
    ];
    for (const [finding, guess] of topics) {
      const { events } = await ana!.ingest({ text: `Ana found ${finding}`, space: "team" });
      const { events: bens } = await ben!.ingest({ text: `Ben thinks ${guess}`, space: "team" });
      await lead!.recall(finding!, { spaces: ["team"] });
      await ben!.recall(finding!, { spaces: ["team"] });
      await lead!.recall(guess!, { spaces: ["team"] });
      await ana!.recall(guess!, { spaces: ["team"] });
      await lead!.feedback(events[0]!.memoryId, { used: true });
      await ben!.feedback(events[0]!.memoryId, { used: true });
      // Once ben's guesses fall below the threshold only he and the lead (an admin) can see them.
      await lead!.feedback(bens[0]!.memoryId, { used: false });
    }
    await Promise.all([lead!, ana!, ben!].map((memory) => memory.close())); // Flushes the recall counts.
    const again = await team(["ana", "ben"], store, ids);
    const anaNext = (await again.ana!.get((await again.ana!.ingest({ text: "Cron jobs skip daylight saving transitions in the scheduler", space: "team" })).events[0]!.memoryId)).admission;
    const benNext = (await again.ben!.get((await again.ben!.ingest({ text: "Redis evictions spike whenever batch imports overlap backups", space: "team" })).events[0]!.memoryId)).admission;
    assert.ok(anaNext.usefulness! > usefulBefore.usefulness!, `ana's usefulness rose: ${anaNext.why}`);
    assert.ok(benNext.usefulness! < usefulBefore.usefulness!, `ben's usefulness fell: ${benNext.why}`);
    assert.match(anaNext.why, /by others, ana's memories here: 6 used, 0 unused, \d+ recalls/);
    assert.equal(anaNext.status, "admitted", anaNext.why);
    assert.equal(benNext.status, "rejected", benNext.why);
    await store.close();
  });
});

describe("memory.subscribe", () => {
  it("delivers the changes a principal may see, in order, live, and resumes from a sequence number", async () => {
    const store = await openSqliteStore({ path: ":memory:" });
    const { lead, ana, out } = await team(["lead", "ana", "out"], store);
    await lead!.spaces.create("team", { members: [{ principal: "ana", role: "write" }] });
    const anaFeed = ana!.subscribe({ spaces: ["team"] });
    const outFeed = out!.subscribe();
    await new Promise((resolve) => setImmediate(resolve));
    assert.equal(anaFeed.cursor, 2, "a feed from now starts at the last change: the team space's creation, after the tenant space's");
    const pending = take(anaFeed, 3);
    await lead!.ingest({ text: "first team note", space: "team" });
    await lead!.ingest({ text: "tenant-wide note" });
    await ana!.ingest([{ text: "second team note", space: "team" }, { text: "third team note", space: "team" }]);
    const got = await pending;
    assert.deepEqual(got.map((change) => [change.operation, change.memory?.text, change.actor]), [
      ["memory.created", "first team note", "lead"],
      ["memory.created", "second team note", "ana"],
      ["memory.created", "third team note", "ana"],
    ]);
    assert.ok(got[0]!.seq < got[1]!.seq && got[1]!.seq < got[2]!.seq);
    const outside = await take(outFeed, 1);
    assert.equal(outside[0]?.memory?.text, "tenant-wide note", "an outsider gets the tenant space's change and nothing of the team");
    assert.equal(anaFeed.cursor, got[2]!.seq);
    anaFeed.close();
    outFeed.close();
    const resumed = ana!.subscribe({ since: got[0]!.seq, kinds: ["episode"] });
    const rest = await take(resumed, 3);
    assert.deepEqual(rest.map((change) => change.memory?.text), ["tenant-wide note", "second team note", "third team note"]);
    resumed.close();
    await store.close();
  });

  it("ends when closed, and when the memory closes", async () => {
    const { memory } = { memory: await createMemory({ path: ":memory:", extraction: false }) };
    const feed = memory.subscribe();
    const waiting = feed[Symbol.asyncIterator]().next();
    feed.close();
    assert.deepEqual(await waiting, { done: true, value: undefined });
    const other = memory.subscribe();
    const pending = other[Symbol.asyncIterator]().next();
    await memory.close();
    assert.deepEqual(await pending, { done: true, value: undefined });
    await rejectsWith(Promise.resolve().then(() => memory.subscribe()), "closed");
  });

  it("sees another process's commits on the same file by polling", async () => {
    const directory = await tempDirectory("mnemo-feed-");
    const path = join(directory.path, "memory.db");
    const reader = await createMemory({ path, extraction: false });
    const writerStore = await openSqliteStore({ path, pollChangesMs: 0 });
    const writer = await createMemory({ store: writerStore, principal: "elsewhere", extraction: false });
    try {
      const feed = reader.subscribe();
      const pending = take(feed, 1);
      await writer.ingest({ text: "written through another connection" });
      const [change] = await pending;
      assert.equal(change?.memory?.text, "written through another connection");
      feed.close();
    } finally {
      await writer.close();
      await writerStore.close();
      await reader.close();
      await directory.remove();
    }
  });

  it("refuses bad options", async () => {
    const memory = await createMemory({ path: ":memory:", extraction: false });
    for (const [options, field] of [
      [{ since: -1 }, "options.since"],
      [{ spaces: [] }, "options.spaces"],
      [{ kinds: ["gossip"] }, "options.kinds[0]"],
      [{ from: 3 }, "options.from"],
    ] as const) {
      const error = await rejectsWith(Promise.resolve().then(() => memory.subscribe(options as never)), "invalid_input");
      assert.equal(error.details?.["field"], field);
    }
    await memory.close();
  });
});
