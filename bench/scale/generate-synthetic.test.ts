import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { createMemory } from "../../src/index.js";
import { seededRandom, syntheticQueries, syntheticSessions, type SyntheticSession } from "./generate-synthetic.js";

const collect = (options: Parameters<typeof syntheticSessions>[0]): SyntheticSession[] => [...syntheticSessions(options)];
const words = (text: string): string[] => text.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? [];

describe("syntheticSessions", () => {
  it("gives the same data for the same seed, and other data for another seed", () => {
    assert.deepEqual(collect({ memories: 500, seed: 7 }), collect({ memories: 500, seed: 7 }));
    assert.deepEqual(syntheticQueries({ memories: 500, seed: 7, count: 20 }), syntheticQueries({ memories: 500, seed: 7, count: 20 }));
    assert.notDeepEqual(collect({ memories: 500, seed: 7 })[0]!.events, collect({ memories: 500, seed: 8 })[0]!.events);
  });

  it("makes exactly the number of turns asked for, in sessions of 10 to 40 turns, in time order", () => {
    const sessions = collect({ memories: 2_000, start: "2022-01-01T00:00:00Z", years: 2 });
    const events = sessions.flatMap((session) => session.events);
    assert.equal(events.length, 2_000);
    assert.ok(sessions.slice(0, -1).every((session) => session.events.length >= 10 && session.events.length <= 40));
    assert.equal(new Set(events.map((event) => event.idempotencyKey)).size, events.length, "idempotency keys are unique");
    const times = events.map((event) => Date.parse(event.occurredAt as string));
    assert.ok(times.every((time, index) => index === 0 || time >= times[index - 1]!), "turns run forward in time");
    assert.ok(times[0]! >= Date.parse("2022-01-01T00:00:00Z") && times.at(-1)! < Date.parse("2024-01-02T00:00:00Z"));
    assert.ok(times.at(-1)! - times[0]! > 365 * 86_400_000, "sessions spread over the years");
    for (const session of sessions) {
      assert.ok(session.events.every((event) => event.sessionId === session.id));
      assert.deepEqual(session.events.map((event) => event.role), session.events.map((_, index) => (index % 2 === 0 ? "user" : "assistant")));
      assert.equal(new Set(session.events.filter((event) => event.role === "user").map((event) => event.speaker)).size, 1);
    }
  });

  it("has Zipf-like term statistics: a few words in most turns, most words in very few", () => {
    const documentFrequency = new Map<string, number>();
    const events = collect({ memories: 5_000 }).flatMap((session) => session.events);
    for (const event of events) for (const word of new Set(words(event.text))) documentFrequency.set(word, (documentFrequency.get(word) ?? 0) + 1);
    const counts = [...documentFrequency.values()].sort((a, b) => b - a);
    assert.ok(counts.length > 2_000, `vocabulary of ${counts.length} words`);
    assert.ok(counts[0]! > events.length / 3, "the commonest word is in a third of the turns or more");
    assert.ok(counts[Math.floor(counts.length / 2)]! <= 5, "the median word is in a handful of turns");
  });

  it("makes events the engine accepts", async () => {
    const memory = await createMemory({ path: ":memory:" });
    try {
      for (const session of syntheticSessions({ memories: 300 })) await memory.ingest(session.events);
      assert.equal((await memory.stats()).memories, 300);
    } finally {
      await memory.close();
    }
  });

  it("rejects a size that is not a positive whole number", () => {
    assert.throws(() => collect({ memories: 0 }), /memories must be a whole number of at least 1, got 0/);
    assert.throws(() => collect({ memories: 1.5 }), RangeError);
  });
});

describe("syntheticQueries", () => {
  it("asks about a known turn with some of that turn's rarer words", () => {
    const events = new Map(collect({ memories: 1_000 }).flatMap((session) => session.events.map((event) => [event.idempotencyKey!, event] as const)));
    const queries = syntheticQueries({ memories: 1_000, count: 50 });
    assert.equal(queries.length, 50);
    assert.deepEqual(queries.map((query) => query.id), queries.map((_, index) => `q${index}`));
    for (const query of queries) {
      const target = events.get(query.targetKey);
      assert.ok(target, `${query.targetKey} is one of the generated turns`);
      const shared = words(query.question).filter((word) => words(target.text).includes(word) && word.length >= 4);
      assert.ok(shared.length >= 1, `"${query.question}" shares a word with "${target.text}"`);
    }
    assert.ok(new Set(queries.map((query) => query.question)).size > 45, "questions vary");
  });
});

describe("seededRandom", () => {
  it("is uniform in [0, 1) and repeatable", () => {
    const [first, second] = [seededRandom(42), seededRandom(42)];
    const draws = Array.from({ length: 10_000 }, () => first());
    assert.deepEqual(draws.slice(0, 5), Array.from({ length: 5 }, () => second()));
    assert.ok(draws.every((value) => value >= 0 && value < 1));
    const mean = draws.reduce((sum, value) => sum + value, 0) / draws.length;
    assert.ok(Math.abs(mean - 0.5) < 0.02, `mean ${mean}`);
  });
});
