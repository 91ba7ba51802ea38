import assert from "node:assert/strict";
import { describe } from "node:test";
import type { JobClaim, JobCompletion, MemoryStore, NewDerivedMemory, StoreScope } from "../store/store.js";
import { DEFAULT_SPACE, episode, MINUTE, rejectsWith, searchIds, snapshot, space, T0, TENANT_A, TENANT_B, type ContractContext } from "./store-contract-fixtures.js";

const ENQUEUE = { enqueue: { kind: "extract", eventsPerJob: 2 } };
const NO_USAGE = { llmCalls: 0, inputTokens: 0, outputTokens: 0 };

function claim(token: string, maxEvents = 10): JobClaim {
  return { kind: "extract", maxEvents, leaseMs: MINUTE, leaseToken: token };
}

let derived = 0;
function fact(text: string, sourceEventIds: string[]): NewDerivedMemory {
  derived += 1;
  return {
    id: `mem_derived_${derived}`,
    kind: "fact",
    text,
    indexText: "",
    keywords: [],
    tokens: text.split(" ").length,
    metadata: { extractor: "contract" },
    importance: 0.6,
    origin: null,
    validFrom: T0,
    validTo: null,
    sourceEventIds,
  };
}

async function appendWithJobs(store: MemoryStore, scope: StoreScope, texts: string[], space = DEFAULT_SPACE): Promise<string[]> {
  const entries = texts.map((text) => episode({ text, space }));
  await store.appendEvents(scope, entries, T0, ENQUEUE);
  return entries.map((entry) => entry.event.id);
}

/** The durable job queue: enqueue with the append, claim under a lease, complete exactly once, fail, dead-letter, replay. */
export function describeJobs({ open, it }: ContractContext): void {
  describe("job queue", () => {
    it("appendEvents enqueues the fresh events in jobs of eventsPerJob, and duplicates enqueue nothing", async () => {
      const store = await open();
      const entries = ["one", "two", "three"].map((text) => episode({ text, key: text }));
      await store.appendEvents(TENANT_A, entries, T0, ENQUEUE);
      await store.appendEvents(TENANT_A, entries, T0 + MINUTE, ENQUEUE);
      await store.appendEvents(TENANT_A, [episode({ text: "no job" })], T0);
      const jobs = await store.listJobs(TENANT_A, { limit: 10 });
      assert.deepEqual(
        jobs.map((job) => [job.status, job.eventIds, job.attempts]),
        [
          ["pending", [entries[2]!.event.id], 0],
          ["pending", [entries[0]!.event.id, entries[1]!.event.id], 0],
        ],
      );
      assert.deepEqual((await store.stats(TENANT_A)).jobs, { pending: 2, running: 0, done: 0, dead: 0 });
      assert.deepEqual(await store.listJobs(TENANT_B, { limit: 10 }), []);
    });

    it("claimJobs batches untried jobs of one space up to maxEvents, in order, and leases them", async () => {
      const store = await open();
      await store.createSpace(TENANT_A, space("team"), T0);
      const first = await appendWithJobs(store, TENANT_A, ["a", "b", "c", "d", "e"]);
      await appendWithJobs(store, TENANT_A, ["elsewhere"], "team");
      const batch = await store.claimJobs(TENANT_A, claim("lease-1", 4), T0);
      assert.ok(batch);
      assert.equal(batch.space, DEFAULT_SPACE);
      assert.equal(batch.principal, TENANT_A.principalId);
      assert.equal(batch.attempt, 1);
      assert.deepEqual(batch.events.map((event) => event.id), first.slice(0, 4));
      assert.deepEqual(batch.events.map((event) => event.text), ["a", "b", "c", "d"]);
      assert.equal(batch.jobIds.length, 2);
      const next = await store.claimJobs(TENANT_A, claim("lease-2", 4), T0);
      assert.deepEqual(next?.events.map((event) => event.id), [first[4]]);
      const team = await store.claimJobs(TENANT_A, claim("lease-3", 4), T0);
      assert.equal(team?.space, "team");
      assert.equal(await store.claimJobs(TENANT_A, claim("lease-4"), T0), null, "every job is leased");
      assert.equal(await store.claimJobs(TENANT_B, claim("lease-5"), T0 + 10 * MINUTE), null, "another tenant's jobs are never claimed");
    });

    it("completeJobs writes the derived memories, versions and links and finishes the jobs, once", async () => {
      const store = await open();
      const [eventId] = await appendWithJobs(store, TENANT_A, ["I live in Boston"]);
      const [target] = await store.appendEvents(TENANT_A, [episode({ text: "old note" })], T0);
      const batch = (await store.claimJobs(TENANT_A, claim("lease-1"), T0))!;
      const memory = fact("Ana lives in Boston.", [eventId!]);
      const completion: JobCompletion = {
        jobIds: batch.jobIds,
        leaseToken: "lease-1",
        memories: [memory],
        versions: [{ id: target!.memoryId, expectedVersion: 1, next: { ...memory, text: "old note, refined", validFrom: T0 } }],
        links: [{ from: memory.id, to: target!.memoryId, type: "same_entity" }],
        usage: { llmCalls: 2, inputTokens: 300, outputTokens: 40 },
      };
      const result = await store.completeJobs(TENANT_A, completion, T0 + MINUTE);
      assert.deepEqual(result.created.map((record) => [record.id, record.kind, record.text, record.sourceEventIds, record.version]), [
        [memory.id, "fact", "Ana lives in Boston.", [eventId], 1],
      ]);
      assert.deepEqual(result.updated.map((record) => [record.id, record.version, record.text]), [[target!.memoryId, 2, "old note, refined"]]);
      assert.deepEqual(await searchIds(store, TENANT_A, ["boston"]), [memory.id, (await store.listMemories(TENANT_A, { limit: 10 })).items.at(-1)!.id]);
      assert.deepEqual(
        (await store.memoryLinks(TENANT_A, target!.memoryId)).map((link) => [link.from, link.to, link.type]),
        [[memory.id, target!.memoryId, "same_entity"]],
      );
      assert.deepEqual(await store.memoryLinks(TENANT_B, target!.memoryId), []);
      const stats = await store.stats(TENANT_A);
      assert.deepEqual(stats.jobs, { pending: 0, running: 0, done: 1, dead: 0 });
      assert.deepEqual(stats.llm, { llmCalls: 2, inputTokens: 300, outputTokens: 40 });
      const before = await snapshot(store, TENANT_A);
      const again = await rejectsWith(store.completeJobs(TENANT_A, completion, T0 + 2 * MINUTE), "conflict");
      assert.equal(again.details["lease"], true);
      assert.deepEqual(await snapshot(store, TENANT_A), before, "a second completion writes nothing");
    });

    it("a lease that ran out is claimed again, and only the new holder can complete", async () => {
      const store = await open();
      const [eventId] = await appendWithJobs(store, TENANT_A, ["slow"]);
      const stale = (await store.claimJobs(TENANT_A, claim("stale"), T0))!;
      assert.equal(await store.claimJobs(TENANT_A, claim("early"), T0 + MINUTE - 1), null, "the lease still holds");
      const fresh = (await store.claimJobs(TENANT_A, claim("fresh"), T0 + MINUTE))!;
      assert.deepEqual(fresh.jobIds, stale.jobIds);
      assert.equal(fresh.attempt, 2);
      await rejectsWith(store.completeJobs(TENANT_A, { ...stale, memories: [fact("stale write", [eventId!])], versions: [], links: [], usage: NO_USAGE }, T0 + MINUTE), "conflict");
      await store.completeJobs(TENANT_A, { ...fresh, memories: [fact("fresh write", [eventId!])], versions: [], links: [], usage: NO_USAGE }, T0 + MINUTE);
      const texts = (await store.listMemories(TENANT_A, { limit: 10, kinds: ["fact"] })).items.map((record) => record.text);
      assert.deepEqual(texts, ["fresh write"]);
    });

    it("a conflicting version undoes the whole completion and leaves the jobs running", async () => {
      const store = await open();
      const [eventId] = await appendWithJobs(store, TENANT_A, ["x"]);
      const [target] = await store.appendEvents(TENANT_A, [episode({ text: "target" })], T0);
      const batch = (await store.claimJobs(TENANT_A, claim("lease"), T0))!;
      const memory = fact("derived", [eventId!]);
      const before = await snapshot(store, TENANT_A);
      await rejectsWith(
        store.completeJobs(
          TENANT_A,
          { ...batch, memories: [memory], versions: [{ id: target!.memoryId, expectedVersion: 7, next: { ...memory, text: "never" } }], links: [], usage: NO_USAGE },
          T0,
        ),
        "conflict",
      );
      assert.deepEqual(await snapshot(store, TENANT_A), before);
      assert.equal((await store.listJobs(TENANT_A, { limit: 1 }))[0]!.status, "running");
    });

    it("failJobs retries later, then dead-letters; replayJobs brings dead jobs back", async () => {
      const store = await open();
      await appendWithJobs(store, TENANT_A, ["x"]);
      const first = (await store.claimJobs(TENANT_A, claim("one"), T0))!;
      await store.failJobs(TENANT_A, { ...first, error: "reply was not JSON", reply: "sorry!", retryAt: T0 + 5 * MINUTE, usage: { llmCalls: 1, inputTokens: 10, outputTokens: 2 } }, T0);
      let [job] = await store.listJobs(TENANT_A, { limit: 1 });
      assert.deepEqual([job!.status, job!.attempts, job!.lastError, job!.lastReply, job!.llmCalls], ["pending", 1, "reply was not JSON", "sorry!", 1]);
      assert.equal(await store.claimJobs(TENANT_A, claim("early"), T0 + MINUTE), null, "not before retryAt");
      const second = (await store.claimJobs(TENANT_A, claim("two"), T0 + 5 * MINUTE))!;
      await store.failJobs(TENANT_A, { ...second, error: "gave up", reply: null, retryAt: null, usage: NO_USAGE }, T0 + 5 * MINUTE);
      [job] = await store.listJobs(TENANT_A, { limit: 1, statuses: ["dead"] });
      assert.deepEqual([job!.status, job!.attempts, job!.lastError], ["dead", 2, "gave up"]);
      assert.equal(await store.claimJobs(TENANT_A, claim("never"), T0 + 60 * MINUTE), null, "dead jobs are not claimed");
      assert.equal(await store.replayJobs(TENANT_B, "dead", T0), 0, "another tenant cannot replay them");
      assert.equal(await store.replayJobs(TENANT_A, "dead", T0 + 60 * MINUTE), 1);
      const replayed = (await store.claimJobs(TENANT_A, claim("three"), T0 + 60 * MINUTE))!;
      assert.equal(replayed.attempt, 1);
    });

    it("releaseJobs hands a claim back without counting the attempt; a stale lease cannot fail or release", async () => {
      const store = await open();
      await appendWithJobs(store, TENANT_A, ["x"]);
      const batch = (await store.claimJobs(TENANT_A, claim("one"), T0))!;
      await store.failJobs(TENANT_A, { ...batch, leaseToken: "someone-else", error: "no", reply: null, retryAt: null, usage: NO_USAGE }, T0);
      await store.releaseJobs(TENANT_A, { ...batch, leaseToken: "someone-else" }, T0);
      assert.equal((await store.listJobs(TENANT_A, { limit: 1 }))[0]!.status, "running");
      await store.releaseJobs(TENANT_A, batch, T0);
      const again = (await store.claimJobs(TENANT_A, claim("two"), T0))!;
      assert.equal(again.attempt, 1);
    });

    it("a claimed job leaves out events forgotten since it was enqueued", async () => {
      const store = await open();
      const entries = [episode({ text: "keep me" }), episode({ text: "forget me" })];
      await store.appendEvents(TENANT_A, entries, T0, ENQUEUE);
      await store.forgetMemory(TENANT_A, entries[1]!.memory.id, T0);
      const batch = (await store.claimJobs(TENANT_A, claim("lease"), T0))!;
      assert.deepEqual(batch.events.map((event) => event.text), ["keep me"]);
    });
  });
}
