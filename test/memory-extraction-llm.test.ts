import assert from "node:assert/strict";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { scriptedExtractionModel } from "../bench/llm/scripted-extraction-model.js";
import { createMemory, createOpenAIChat, type CreateMemoryOptions, type Memory } from "../src/index.js";
import { chatCompletion, startOpenAITestServer, type OpenAITestServer } from "../src/testing/openai-test-server.js";
import { counterIds, manualClock, tempDirectory, type ManualClock } from "./support/memory-fixtures.js";

const CHAT = "/v1/chat/completions";

async function openWithModel(server: OpenAITestServer, options: Partial<CreateMemoryOptions> & { timeoutMs?: number } = {}): Promise<{ memory: Memory; clock: ManualClock }> {
  const clock = manualClock("2023-01-10T09:00:00Z");
  const { timeoutMs, ...rest } = options;
  const llm = createOpenAIChat({ baseURL: server.baseURL, model: "scripted", maxRetries: 1, ...(timeoutMs === undefined ? {} : { timeoutMs }) });
  const memory = await createMemory({ path: ":memory:", clock: clock.now, generateId: counterIds(), llm, extraction: { background: false, maxAttempts: 3, retryDelayMs: 1_000 }, ...rest });
  return { memory, clock };
}

async function derived(memory: Memory): Promise<string[]> {
  const { items } = await memory.list({ kinds: ["fact", "preference", "procedure", "event"], limit: 100 });
  return items.map((item) => item.text).sort();
}

async function episodes(memory: Memory): Promise<number> {
  return (await memory.stats()).memoriesByKind.episode ?? 0;
}

describe("extraction with a language model (local OpenAI-format server)", () => {
  let server: OpenAITestServer;
  before(async () => {
    server = await startOpenAITestServer({ chat: scriptedExtractionModel });
  });
  after(() => server.close());

  it("a correct batch: one call per batch, memories with provenance and usage, ingest returns before any call", async () => {
    const { memory } = await openWithModel(server);
    const calls = server.requests.length;
    const { events } = await memory.ingest([
      { text: "I live in Boston.", speaker: "Ana", sessionId: "s1" },
      { text: "I love hiking in the mountains", speaker: "Ana", sessionId: "s1" },
      { text: "How was your weekend?", speaker: "Ben", sessionId: "s1" },
    ]);
    assert.equal(server.requests.length, calls, "ingest does not wait for the model");
    assert.deepEqual((await memory.stats()).jobs, { pending: 1, running: 0, done: 0, dead: 0 });
    const summary = await memory.jobs.run();
    assert.deepEqual(summary, { done: 1, retrying: 0, dead: 0, created: 2, updated: 0 });
    assert.deepEqual(await derived(memory), ["Ana likes hiking in the mountains.", "Ana lives in Boston."]);
    const [fact] = (await memory.list({ kinds: ["fact"] })).items;
    assert.deepEqual(fact!.sourceEventIds, [events[0]!.eventId]);
    assert.equal(fact!.validFrom, "2023-01-10T09:00:00.000Z", "no time in the turn: it became true when it was said");
    assert.deepEqual(fact!.metadata["extraction"], { extractor: "llm", model: "openai-compatible/scripted", promptVersion: "extract-1+consolidate-1", jobIds: [1] });
    const stats = await memory.stats();
    assert.equal(stats.llm.llmCalls, 1, "nothing to consolidate against: no second call");
    assert.ok(stats.llm.inputTokens > 100 && stats.llm.outputTokens > 10, JSON.stringify(stats.llm));
    assert.deepEqual(stats.jobs, { pending: 0, running: 0, done: 1, dead: 0 });
    const recalled = await memory.recall("Where does Ana live?", { kinds: ["fact"] });
    assert.equal(recalled.items[0]?.memory.text, "Ana lives in Boston.");
    await memory.close();
  });

  it("a fact that changes: Denver current, Boston invalidated at the move, both in history, asOf before the move answers Boston", async () => {
    const { memory, clock } = await openWithModel(server);
    await memory.ingest({ text: "I live in Boston.", speaker: "Ana" });
    await memory.jobs.run();
    clock.set("2023-05-08T15:00:00Z"); // a Monday
    await memory.ingest({ text: "Big news: I moved to Denver last week!", speaker: "Ana" });
    await memory.jobs.run();
    const facts = (await memory.list({ kinds: ["fact"] })).items;
    const boston = facts.find((record) => record.text === "Ana lives in Boston.")!;
    const denver = facts.find((record) => record.text === "Ana lives in Denver.")!;
    assert.equal(denver.validFrom, "2023-05-01T00:00:00.000Z", "last week, said on Monday 8 May, began on Monday 1 May");
    assert.equal(denver.validTo, null);
    assert.equal(boston.validTo, "2023-05-01T00:00:00.000Z", "Boston stopped being true when Denver started");
    const history = await memory.history(boston.id);
    assert.deepEqual(history.map((version) => [version.version, version.validTo, version.supersededAt]), [
      [1, null, "2023-05-08T15:00:00.000Z"],
      [2, "2023-05-01T00:00:00.000Z", null],
    ]);
    assert.equal(history[1]!.metadata["invalidatedBy"], denver.id);
    assert.deepEqual((await memory.links(denver.id)).map((link) => [link.from, link.to, link.type]), [[denver.id, boston.id, "updates"]]);
    const now = await memory.recall("Where does Ana live?", { kinds: ["fact"] });
    assert.deepEqual(now.items.map((item) => item.memory.text), ["Ana lives in Denver."]);
    const then = await memory.recall("Where does Ana live?", { kinds: ["fact"], asOf: "2023-03-01" });
    assert.deepEqual(then.items.map((item) => item.memory.text), ["Ana lives in Boston."]);
    assert.equal((await memory.stats()).llm.llmCalls, 3, "one extraction per batch, and one consolidation for the batch that had a neighbour");
    await memory.close();
  });

  it("a reply that is not JSON fails the job with the reply kept; the retry succeeds; nothing is lost or doubled", async () => {
    const { memory, clock } = await openWithModel(server);
    server.script({ path: CHAT, body: chatCompletion("Sorry, I cannot help with that.") }, { path: CHAT, body: chatCompletion("Still no.") });
    await memory.ingest({ text: "I live in Lisbon.", speaker: "Ana" });
    assert.deepEqual(await memory.jobs.run(), { done: 0, retrying: 1, dead: 0, created: 0, updated: 0 });
    const [job] = await memory.jobs.list();
    assert.equal(job!.status, "pending");
    assert.match(job!.lastError!, /not JSON/);
    assert.equal(job!.lastReply, "Still no.");
    assert.equal(job!.llmCalls, 1);
    assert.deepEqual(await derived(memory), []);
    assert.equal(await episodes(memory), 1, "the event is stored and recallable all the same");
    assert.deepEqual(await memory.jobs.run(), { done: 0, retrying: 0, dead: 0, created: 0, updated: 0 }, "not before the retry delay");
    clock.advance(1_000);
    assert.equal((await memory.jobs.run()).done, 1);
    assert.deepEqual(await derived(memory), ["Ana lives in Lisbon."]);
    assert.equal((await memory.jobs.list())[0]!.attempts, 2);
    await memory.close();
  });

  it("a reply with the wrong schema is rejected with the path of the problem, retried, and dead-lettered after the last attempt", async () => {
    const { memory, clock } = await openWithModel(server);
    const wrong = chatCompletion(JSON.stringify({ memories: [{ kind: "opinion", text: "x", keywords: [], tags: [], importance: 1, when: null, until: null, slot: null, sources: ["t1"] }] }));
    for (let reply = 0; reply < 6; reply += 1) server.script({ path: CHAT, body: wrong });
    await memory.ingest({ text: "I live in Porto.", speaker: "Ana" });
    await memory.jobs.run();
    clock.advance(1_000);
    await memory.jobs.run();
    clock.advance(4_000);
    assert.deepEqual(await memory.jobs.run(), { done: 0, retrying: 0, dead: 1, created: 0, updated: 0 });
    const [dead] = await memory.jobs.list({ status: "dead" });
    assert.match(dead!.lastError!, /memories\[0\]\.kind/);
    assert.equal(dead!.attempts, 3);
    assert.equal(server.unusedReplies(), 0);
    assert.deepEqual(await derived(memory), []);
    assert.equal(await memory.jobs.replay(), 1);
    assert.equal((await memory.jobs.run()).done, 1);
    assert.deepEqual(await derived(memory), ["Ana lives in Porto."]);
    await memory.close();
  });

  it("a timeout and a 429 are retried by the adapter; a second timeout fails the attempt, not the events", async () => {
    const { memory, clock } = await openWithModel(server, { timeoutMs: 300 });
    server.script({ path: CHAT, status: 429, headers: { "retry-after": "0" } });
    await memory.ingest({ text: "I live in Oslo.", speaker: "Ana" });
    assert.equal((await memory.jobs.run()).done, 1, "429 then success within one attempt");
    server.script({ path: CHAT, delayMs: 2_000, body: chatCompletion("{}") }, { path: CHAT, delayMs: 2_000, body: chatCompletion("{}") });
    await memory.ingest({ text: "I love skiing", speaker: "Ana" });
    assert.equal((await memory.jobs.run()).retrying, 1);
    assert.match((await memory.jobs.list())[0]!.lastError!, /timed out|timeout/i);
    clock.advance(1_000);
    assert.equal((await memory.jobs.run()).done, 1);
    assert.deepEqual(await derived(memory), ["Ana likes skiing.", "Ana lives in Oslo."]);
    assert.equal(await episodes(memory), 2);
    await memory.close();
  });

  it("the server going away mid-run: jobs fail, go to the dead-letter list, and a replay against a new server finishes each once", async () => {
    const directory = await tempDirectory("mnemo-llm-");
    const path = join(directory.path, "memory.db");
    const flaky = await startOpenAITestServer({ chat: scriptedExtractionModel });
    try {
      const { memory, clock } = await openWithModel(flaky, { path, extraction: { background: false, batchSize: 1, concurrency: 1, maxAttempts: 2, retryDelayMs: 1_000 } });
      await memory.ingest([
        { text: "I live in Rome.", speaker: "Ana" },
        { text: "I like jazz", speaker: "Ben" },
        { text: "I live in Paris.", speaker: "Cy" },
      ]);
      // The first batch is answered, then the server goes away.
      flaky.script({
        path: CHAT,
        body: (_request: unknown, standard: () => unknown) => {
          setImmediate(() => void flaky.close());
          return standard();
        },
      });
      const first = await memory.jobs.run();
      assert.equal(first.done, 1);
      assert.equal(first.retrying, 2);
      clock.advance(1_000);
      assert.equal((await memory.jobs.run()).dead, 2);
      const dead = await memory.jobs.list({ status: "dead" });
      assert.equal(dead.length, 2);
      for (const job of dead) assert.match(job.lastError!, /ECONNREFUSED|unreachable|connect|closed|socket|fetch failed/i);
      await memory.close();

      const healthy = await startOpenAITestServer({ chat: scriptedExtractionModel });
      try {
        // Counter ids start over in a new process: give this one its own, as ULIDs would be.
        const ids = counterIds();
        const reopened = await openWithModel(healthy, { path, extraction: { background: false }, generateId: () => `second-${ids()}` });
        assert.equal(await reopened.memory.jobs.replay(dead.map((job) => job.id)), 2);
        assert.equal((await reopened.memory.jobs.run()).done, 2);
        assert.deepEqual(await derived(reopened.memory), ["Ana lives in Rome.", "Ben likes jazz.", "Cy lives in Paris."]);
        assert.equal(await episodes(reopened.memory), 3);
        assert.deepEqual((await reopened.memory.stats()).jobs, { pending: 0, running: 0, done: 3, dead: 0 });
        await reopened.memory.close();
      } finally {
        await healthy.close();
      }
    } finally {
      await flaky.close();
      await directory.remove();
    }
  });
});
