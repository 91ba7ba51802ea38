import assert from "node:assert/strict";
import { describe } from "node:test";
import type { MemoryStore, StoreScope } from "../store/store.js";
import { addMemory, changesAfter, DAY, episode, GLOBAL_DEFAULT, rejectsWith, searchIds, space, T0, TENANT_A, type ContractContext } from "./store-contract-fixtures.js";

const LEAD = TENANT_A;
const WRITER: StoreScope = { tenantId: TENANT_A.tenantId, principalId: "writer" };
const READER: StoreScope = { tenantId: TENANT_A.tenantId, principalId: "reader" };
const OUTSIDER: StoreScope = { tenantId: TENANT_A.tenantId, principalId: "outsider" };
const SCORED = { mode: "scored", threshold: 0.5 } as const;

/** A team space led by LEAD (admin) with WRITER and READER, and OUTSIDER in the tenant but not the team. */
async function team(open: () => Promise<MemoryStore>, admission: Parameters<typeof space>[2] = undefined): Promise<MemoryStore> {
  const store = await open();
  for (const scope of [WRITER, READER, OUTSIDER]) await store.ensureScope(scope, GLOBAL_DEFAULT, T0);
  await store.createSpace(LEAD, space("team", [{ principal: WRITER.principalId, role: "write" }, { principal: READER.principalId, role: "read" }], admission), T0);
  return store;
}

/** Spaces, roles, admission and the visibility of changes: the access rules of the port. */
export function describeAccess({ open, it }: ContractContext): void {
  describe("spaces and roles", () => {
    it("a shared space is read by its members only; the rest of the tenant cannot tell it from a missing one", async () => {
      const store = await team(open);
      const id = await addMemory(store, WRITER, { text: "quartz deploy key rotates monday", space: "team" });
      for (const member of [LEAD, WRITER, READER]) {
        assert.deepEqual(await searchIds(store, member, ["quartz"]), [id], `${member.principalId} finds it`);
        assert.equal((await store.getMemory(member, id))?.text, "quartz deploy key rotates monday");
      }
      assert.deepEqual(await searchIds(store, OUTSIDER, ["quartz"]), []);
      assert.equal(await store.getMemory(OUTSIDER, id), undefined);
      assert.deepEqual(await store.memoryHistory(OUTSIDER, id), []);
      assert.equal(await store.getSpace(OUTSIDER, "team"), undefined);
      assert.deepEqual((await store.listSpaces(OUTSIDER)).map((entry) => entry.name), ["default"]);
      assert.deepEqual((await store.listMemories(OUTSIDER, { limit: 10 })).items, []);
      const missing = await rejectsWith(store.appendEvents(OUTSIDER, [episode({ text: "sneak in", space: "team" })], T0), "space_not_found");
      const nowhere = await rejectsWith(store.appendEvents(OUTSIDER, [episode({ text: "sneak in", space: "nowhere" })], T0), "space_not_found");
      assert.equal(missing.message.replace("team", "X"), nowhere.message.replace("nowhere", "X"), "the same words for a hidden space and a missing one");
      const update = await rejectsWith(store.updateMemory(OUTSIDER, { id, expectedVersion: 1, next: episode({ text: "x" }).memory }, T0), "not_found");
      assert.doesNotMatch(`${update.message} ${JSON.stringify(update.details)}`, /quartz|team/);
      await rejectsWith(store.forgetMemory(OUTSIDER, id, T0), "not_found");
      const stats = await store.stats(OUTSIDER);
      assert.deepEqual([stats.events, stats.versions, stats.spaces], [0, 0, 1]);
      assert.ok((await changesAfter(store, OUTSIDER, 0)).every((change) => change.space === "default"));
    });

    it("a reader may read but not write, and is told so; an admin manages members", async () => {
      const store = await team(open);
      const id = await addMemory(store, WRITER, { text: "the staging db is read-only", space: "team" });
      const write = await rejectsWith(store.appendEvents(READER, [episode({ text: "mine", space: "team" })], T0), "forbidden");
      assert.deepEqual(write.details, { role: "read", needed: "write" });
      await rejectsWith(store.updateMemory(READER, { id, expectedVersion: 1, next: episode({ text: "x" }).memory }, T0), "forbidden");
      await rejectsWith(store.forgetMemory(READER, id, T0), "forbidden");
      await rejectsWith(store.setMember(WRITER, "team", { principal: OUTSIDER.principalId, role: "read" }, T0), "forbidden");
      await rejectsWith(store.setMember(OUTSIDER, "team", { principal: OUTSIDER.principalId, role: "admin" }, T0), "space_not_found");
      const details = await store.setMember(LEAD, "team", { principal: READER.principalId, role: "write" }, T0 + 1);
      assert.deepEqual(
        details.members.map((member) => [member.principal, member.role]),
        [[LEAD.principalId, "admin"], ["reader", "write"], ["writer", "write"]],
      );
      await store.appendEvents(READER, [episode({ text: "now I can", space: "team" })], T0 + 2);
      await store.setMember(LEAD, "team", { principal: READER.principalId, role: null }, T0 + 3);
      assert.equal(await store.getMemory(READER, id), undefined, "a removed member reads nothing more");
      await rejectsWith(store.setMember(LEAD, "team", { principal: LEAD.principalId, role: "write" }, T0 + 4), "invalid_input");
      assert.equal((await store.getSpace(LEAD, "team"))?.role, "admin", "the last admin stays");
    });

    it("a private space keeps one member; a global space lets the tenant in with its everyone role", async () => {
      const store = await team(open);
      await store.createSpace(WRITER, { name: "writer/notes", type: "private", everyone: null, members: [], admission: GLOBAL_DEFAULT.admission }, T0);
      await rejectsWith(store.setMember(WRITER, "writer/notes", { principal: READER.principalId, role: "read" }, T0), "invalid_input");
      await addMemory(store, WRITER, { text: "private hunch about zeppelin", space: "writer/notes" });
      assert.deepEqual(await searchIds(store, LEAD, ["zeppelin"]), [], "not even another space's admin sees a private space");
      await store.createSpace(LEAD, { name: "handbook", type: "global", everyone: "read", members: [], admission: GLOBAL_DEFAULT.admission }, T0);
      const id = await addMemory(store, LEAD, { text: "handbook says marigold", space: "handbook" });
      assert.deepEqual(await searchIds(store, OUTSIDER, ["marigold"]), [id]);
      await rejectsWith(store.appendEvents(OUTSIDER, [episode({ text: "edit", space: "handbook" })], T0), "forbidden");
      assert.equal((await store.listSpaces(OUTSIDER)).find((entry) => entry.name === "handbook")?.role, "read");
      await rejectsWith(store.createSpace(OUTSIDER, space("writer/notes"), T0), "conflict");
    });
  });

  describe("admission", () => {
    it("review holds a write until an admin decides; only its author and the admins see it meanwhile", async () => {
      const store = await team(open, { mode: "review", threshold: 0.5 });
      const id = await addMemory(store, WRITER, { text: "held finding about walrus", space: "team" });
      assert.equal((await store.getMemory(WRITER, id))?.admission.status, "pending");
      assert.deepEqual(await searchIds(store, WRITER, ["walrus"]), [id], "the author still recalls its own");
      assert.deepEqual(await searchIds(store, READER, ["walrus"]), []);
      assert.equal(await store.getMemory(READER, id), undefined);
      assert.deepEqual(await searchIds(store, LEAD, ["walrus"]), [], "searches leave held memories out, even for admins");
      assert.equal((await store.getMemory(LEAD, id))?.admission.status, "pending", "but an admin can read one");
      assert.deepEqual((await store.listMemories(LEAD, { limit: 10, admission: ["pending"] })).items.map((record) => record.id), [id]);
      assert.deepEqual((await store.listMemories(READER, { limit: 10, admission: ["pending"] })).items, []);
      assert.ok(!(await changesAfter(store, READER, 0)).some((change) => change.memoryId === id), "no change of a held memory reaches a reader");
      await rejectsWith(store.decideAdmission(WRITER, id, { status: "admitted", why: "self-approval" }, T0), "forbidden");
      await rejectsWith(store.decideAdmission(LEAD, id, { status: "admitted", why: "ok", expectedVersion: 2 }, T0), "conflict");
      const admitted = await store.decideAdmission(LEAD, id, { status: "admitted", why: "checked" }, T0 + DAY);
      assert.deepEqual(admitted.admission, { status: "admitted", why: "checked", decidedBy: LEAD.principalId });
      assert.deepEqual(await searchIds(store, READER, ["walrus"]), [id]);
      const seen = (await changesAfter(store, READER, 0)).filter((change) => change.memoryId === id);
      assert.deepEqual(seen.map((change) => [change.operation, change.memory?.text]), [["memory.admitted", "held finding about walrus"]]);
      await rejectsWith(store.decideAdmission(LEAD, id, { status: "rejected", why: "changed my mind" }, T0), "conflict");
    });

    it("never rejects non-admins' writes, an admin's writes are admitted under any policy, and always admits everything", async () => {
      const store = await team(open, { mode: "never", threshold: 0.5 });
      const rejected = await addMemory(store, WRITER, { text: "noise from writer", space: "team" });
      const lead = await addMemory(store, LEAD, { text: "word from the lead", space: "team" });
      assert.equal((await store.getMemory(WRITER, rejected))?.admission.status, "rejected");
      assert.match((await store.getMemory(LEAD, lead))!.admission.why, /admin/);
      assert.deepEqual(await searchIds(store, READER, ["noise", "word"]), [lead]);
      const details = await store.setAdmission(LEAD, "team", { mode: "always", threshold: 0.5 }, T0 + 1);
      assert.equal(details.admission.mode, "always");
      const later = await addMemory(store, WRITER, { text: "noise admitted now", space: "team" });
      assert.equal((await store.getMemory(READER, later))?.admission.status, "admitted");
      await rejectsWith(store.setAdmission(WRITER, "team", { mode: "never", threshold: 0.5 }, T0), "forbidden");
    });

    it("scored takes the engine's proposal, and holds a write that comes without one", async () => {
      const store = await team(open, SCORED);
      const proposal = { status: "rejected" as const, why: "rejected: novelty under 0.2", score: 0.1, novelty: 0.1, usefulness: 0.5 };
      const [rejected, unscored] = await store.appendEvents(WRITER, [{ ...episode({ text: "dup", space: "team" }), admission: proposal }, episode({ text: "unscored", space: "team" })], T0);
      assert.deepEqual((await store.getMemory(WRITER, rejected!.memoryId))?.admission, proposal);
      assert.equal((await store.getMemory(WRITER, unscored!.memoryId))?.admission.status, "pending");
      const [ignored] = await store.appendEvents(LEAD, [{ ...episode({ text: "by the lead", space: "team" }), admission: proposal }], T0);
      assert.equal((await store.getMemory(LEAD, ignored!.memoryId))?.admission.status, "admitted", "an admin's write is admitted whatever the proposal");
    });
  });

  describe("usage and feedback", () => {
    it("counts recalls and verdicts of principals other than the author, per author and per keyword", async () => {
      const store = await team(open);
      const id = await addMemory(store, WRITER, { text: "cache warms at boot", space: "team", keywords: ["cache"] });
      await store.recordRecalls(READER, [id, id]);
      await store.recordRecalls(WRITER, [id]);
      await store.recordFeedback(READER, id, true, T0);
      await store.recordFeedback(LEAD, id, false, T0);
      await store.recordFeedback(WRITER, id, true, T0);
      await rejectsWith(store.recordFeedback(OUTSIDER, id, true, T0), "not_found");
      const stats = await store.usefulness(READER, { space: "team", author: WRITER.principalId, keywords: ["cache", "other"] });
      assert.deepEqual(stats, {
        author: { memories: 1, recalls: 2, used: 1, unused: 1 },
        keywords: [
          { keyword: "cache", memories: 1, recalls: 2, used: 1, unused: 1 },
          { keyword: "other", memories: 0, recalls: 0, used: 0, unused: 0 },
        ],
      });
      await rejectsWith(store.usefulness(OUTSIDER, { space: "team", author: WRITER.principalId, keywords: [] }), "space_not_found");
    });
  });

  describe("change watching", () => {
    it("wakes a watcher of the tenant after a commit through the store, and stops when asked", async () => {
      const store = await open();
      let woken = 0;
      const stop = store.watchChanges(TENANT_A.tenantId, () => (woken += 1));
      await addMemory(store, TENANT_A, { text: "wake up" });
      assert.ok(woken >= 1, "woken after the commit");
      stop();
      const before = woken;
      await addMemory(store, TENANT_A, { text: "asleep" });
      assert.equal(woken, before);
    });
  });
}
