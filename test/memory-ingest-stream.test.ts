import assert from "node:assert/strict";
import { afterEach, describe, it } from "node:test";
import type { EventInput, IngestedEvent, Memory } from "../src/index.js";
import { recallTexts, rejectsWith, testMemory } from "./support/memory-fixtures.js";

/** An async iterable the test feeds by hand: the stream waits for the test, never for a timer. */
function channel<T>(): { source: AsyncIterable<T>; push(value: T): void; end(): void; fail(error: Error): void; pulls(): number } {
  const queue: ({ value: T } | { done: true } | { error: Error })[] = [];
  let waiting: (() => void) | null = null;
  let pulls = 0;
  const put = (item: (typeof queue)[number]): void => {
    queue.push(item);
    waiting?.();
    waiting = null;
  };
  return {
    source: {
      [Symbol.asyncIterator]: () => ({
        next: async (): Promise<IteratorResult<T>> => {
          pulls++;
          while (queue.length === 0) await new Promise<void>((resolve) => (waiting = resolve));
          const item = queue.shift()!;
          if ("error" in item) throw item.error;
          return "done" in item ? { done: true, value: undefined } : { done: false, value: item.value };
        },
      }),
    },
    push: (value) => put({ value }),
    end: () => put({ done: true }),
    fail: (error) => put({ error }),
    pulls: () => pulls,
  };
}

describe("memory.ingest with a stream", () => {
  let memory: Memory;
  afterEach(() => memory.close());

  it("acknowledges each event once it is durable and recallable, while the source is still open", async () => {
    ({ memory } = await testMemory());
    const events = channel<EventInput>();
    const acked: IngestedEvent[] = [];
    let ackedOne: () => void = () => {};
    const done = memory.ingest(events.source, {
      onIngested: (batch) => {
        acked.push(...batch);
        ackedOne();
      },
    });
    const next = (): Promise<void> => new Promise((resolve) => (ackedOne = resolve));
    let waiting = next();
    events.push({ text: "The boiler was serviced on Tuesday", idempotencyKey: "s/1" });
    await waiting;
    assert.equal(acked.length, 1);
    assert.deepEqual(await recallTexts(memory, "boiler"), ["The boiler was serviced on Tuesday"], "recallable before the stream ends");
    waiting = next();
    events.push({ text: "The gutter needs clearing", idempotencyKey: "s/2" });
    await waiting;
    assert.equal((await memory.get(acked[1]!.memoryId)).text, "The gutter needs clearing");
    events.push({ text: "The boiler was serviced on Tuesday", idempotencyKey: "s/1" });
    events.end();
    const result = await done;
    assert.deepEqual(result, { events: [], inserted: 2, duplicates: 1 }, "with onIngested, the acks went there");
    assert.deepEqual(acked.map((event) => [event.idempotencyKey, event.duplicate]), [["s/1", false], ["s/2", false], ["s/1", true]]);
  });

  it("writes what arrived during a write in the next transaction, and returns every event without onIngested", async () => {
    ({ memory } = await testMemory());
    const batches: number[] = [];
    async function* burst(): AsyncGenerator<EventInput> {
      for (let index = 0; index < 1_200; index++) yield { text: `reading number ${index} from sensor`, idempotencyKey: `b/${index}` };
    }
    const acked = await memory.ingest(burst(), { onIngested: (batch) => void batches.push(batch.length) });
    assert.equal(acked.inserted, 1_200);
    assert.equal(batches.reduce((sum, size) => sum + size, 0), 1_200);
    assert.ok(batches.length < 1_200 && batches.length >= 3, `group commits of at most 500: ${batches.join(", ")}`);
    assert.ok(batches.every((size) => size <= 500));
    const plain = await memory.ingest(new Set<EventInput>([{ text: "a set works", idempotencyKey: "set/1" }, { text: "and a second one", idempotencyKey: "set/2" }]));
    assert.deepEqual(plain.events.map((event) => event.idempotencyKey), ["set/1", "set/2"], "without onIngested the result lists every event, in order");
  });

  it("stores what came before a bad event, names its position, and reads no further", async () => {
    ({ memory } = await testMemory());
    const events = channel<unknown>();
    const done = memory.ingest(events.source as AsyncIterable<EventInput>);
    events.push({ text: "first" });
    events.push({ text: "second" });
    events.push({ text: 42 });
    events.push({ text: "after the bad one" });
    const error = await rejectsWith(done, "invalid_input");
    assert.match(error.message, /^events\[2\]\.text: /);
    assert.deepEqual((await memory.list()).items.map((item) => item.text).sort(), ["first", "second"]);
  });

  it("keeps what arrived before the source broke, and throws the source's error", async () => {
    ({ memory } = await testMemory());
    const events = channel<EventInput>();
    const done = memory.ingest(events.source);
    events.push({ text: "kept one" });
    events.push({ text: "kept two" });
    events.fail(new Error("connection reset"));
    await assert.rejects(done, /connection reset/);
    assert.deepEqual((await memory.list()).items.map((item) => item.text).sort(), ["kept one", "kept two"]);
  });

  it("writes the events of a refused batch one by one, keeps those before the refused one, and names it", async () => {
    ({ memory } = await testMemory());
    const events: EventInput[] = [{ text: "one" }, { text: "two" }, { text: "three", space: "nowhere" }, { text: "four" }];
    const error = await rejectsWith(memory.ingest(events.values()), "space_not_found");
    assert.match(error.message, /^events\[2\]: .*Events before it were stored\.$/);
    assert.equal(error.details.index, 2);
    assert.deepEqual((await memory.list()).items.map((item) => item.text).sort(), ["one", "two"]);
  });

  it("reads at most one batch ahead of a consumer that is slow to take its acknowledgements", async () => {
    ({ memory } = await testMemory());
    const events = channel<EventInput>();
    for (let index = 0; index < 2_000; index++) events.push({ text: `event ${index}` });
    events.end();
    let release: () => void = () => {};
    let firstAck: () => void = () => {};
    const acknowledged = new Promise<void>((resolve) => (firstAck = resolve));
    let holding = true;
    const done = memory.ingest(events.source, {
      onIngested: () => {
        if (!holding) return;
        firstAck();
        return new Promise<void>((resolve) => (release = resolve));
      },
    });
    await acknowledged;
    for (let turn = 0; turn < 50; turn++) await new Promise((resolve) => setImmediate(resolve));
    const pulled = events.pulls();
    assert.ok(pulled > 1 && pulled <= 1_002, `pulled ${pulled} while the consumer held its first acknowledgement`);
    holding = false;
    release();
    const result = await done;
    assert.equal(result.inserted, 2_000);
  });

  it("refuses options that are not an object with a function", async () => {
    ({ memory } = await testMemory());
    await rejectsWith(memory.ingest([{ text: "x" }], { onIngested: "yes" } as never), "invalid_input");
    await rejectsWith(memory.ingest([{ text: "x" }], { onAck: () => {} } as never), "invalid_input");
    await rejectsWith(memory.ingest("just text" as never), "invalid_input");
  });
});
