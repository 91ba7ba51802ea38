import assert from "node:assert/strict";
import { copyFileSync, existsSync } from "node:fs";
import { after, afterEach, before, beforeEach, describe, it } from "node:test";
import { TINY_NEUTRAL_CASE, cliSandbox, jsonl, summaryFigure, type CliSandbox } from "./support/run-cli.js";

const ANA = [
  { text: "I live in Boston with my dog Rex.", speaker: "Ana", occurredAt: "2023-05-01T09:00:00Z", idempotencyKey: "chat-1/1" },
  { text: "I moved to Denver last week!", speaker: "Ana", occurredAt: "2023-09-12T18:30:00Z", idempotencyKey: "chat-1/2" },
];


describe("mnemo ingest", () => {
  let sandbox: CliSandbox;
  beforeEach(() => (sandbox = cliSandbox()));
  afterEach(() => sandbox.remove());

  it("ingests a JSON array and prints a summary: read, inserted, duplicates, time, rate, database", () => {
    const file = sandbox.write("events.json", JSON.stringify(ANA, null, 2));
    const result = sandbox.run(["ingest", file]);
    assert.equal(result.status, 0, result.stderr);
    assert.match(result.stdout, /events\.json \(JSON\)/);
    assert.equal(summaryFigure(result.stdout, "events read"), 2);
    assert.equal(summaryFigure(result.stdout, "inserted"), 2);
    assert.equal(summaryFigure(result.stdout, "duplicates"), 0);
    assert.match(result.stdout, /elapsed\s+\d+\.\d+ s \([\d,]+ events\/s\)/);
    assert.ok(result.stdout.includes(`database    ${sandbox.db}`), result.stdout);
    assert.equal(sandbox.stats().events, 2);
  });

  it("ingests a single pretty-printed JSON event", () => {
    const file = sandbox.write("one.json", JSON.stringify(ANA[0], null, 2));
    const result = sandbox.run(["ingest", file]);
    assert.equal(result.status, 0, result.stderr);
    assert.equal(summaryFigure(result.stdout, "inserted"), 1);
    assert.equal(sandbox.stats().events, 1);
  });

  it("tells JSONL by its content, whatever the extension", () => {
    const file = sandbox.write("events.json", jsonl(ANA));
    const result = sandbox.run(["ingest", file]);
    assert.equal(result.status, 0, result.stderr);
    assert.match(result.stdout, /\(JSONL\)/);
    assert.equal(summaryFigure(result.stdout, "inserted"), 2);
  });

  it("ingests the neutral bench format: each turn becomes an event with its session and date", () => {
    const file = sandbox.write("cases.jsonl", jsonl([TINY_NEUTRAL_CASE, { ...TINY_NEUTRAL_CASE, id: "case-2" }]));
    const result = sandbox.run(["ingest", file]);
    assert.equal(result.status, 0, result.stderr);
    assert.match(result.stdout, /neutral bench format \(2 cases\)/);
    assert.equal(summaryFigure(result.stdout, "inserted"), 6);
    const recall = sandbox.run(["recall", "blue vase", "--json", "--limit", "1"]);
    assert.equal(recall.status, 0, recall.stderr);
    const [item] = (JSON.parse(recall.stdout) as { items: { memory: { text: string; validFrom: string; origin: { sessionId: string; speaker: string } } }[] }).items;
    assert.equal(item?.memory.text, "I made a blue vase for my mum.");
    assert.equal(item?.memory.origin.sessionId, "s2");
    assert.equal(item?.memory.origin.speaker, "Caroline");
    assert.equal(item?.memory.validFrom, "2023-06-01T10:00:00.000Z");
  });

  it("is idempotent: ingesting the same file again stores nothing and counts duplicates", () => {
    const file = sandbox.write("cases.jsonl", jsonl([TINY_NEUTRAL_CASE]));
    assert.equal(sandbox.run(["ingest", file]).status, 0);
    const again = sandbox.run(["ingest", file]);
    assert.equal(again.status, 0, again.stderr);
    assert.equal(summaryFigure(again.stdout, "inserted"), 0);
    assert.equal(summaryFigure(again.stdout, "duplicates"), 3);
    assert.equal(sandbox.stats().events, 3);
  });

  it("warns that events without an idempotency key would be stored again", () => {
    const file = sandbox.write("plain.jsonl", jsonl([{ text: "no key here" }, { text: "nor here" }]));
    const result = sandbox.run(["ingest", file]);
    assert.equal(result.status, 0, result.stderr);
    assert.match(result.stdout, /2 events have no idempotencyKey/);
  });

  it("--space creates the space and writes every event there", () => {
    const file = sandbox.write("events.jsonl", jsonl([{ ...ANA[0], space: "elsewhere" }, ANA[1]]));
    const result = sandbox.run(["ingest", file, "--space", "team-a"]);
    assert.equal(result.status, 0, result.stderr);
    assert.match(result.stdout, /space\s+team-a/);
    const recall = sandbox.run(["recall", "Boston Denver", "--space", "team-a", "--json"]);
    const items = (JSON.parse(recall.stdout) as { items: { memory: { space: string; kind: string } }[] }).items;
    // The two episodes, and what extraction derived from them: derived memories go where their events are.
    assert.equal(items.filter((item) => item.memory.kind === "episode").length, 2);
    assert.ok(items.length > 2, "extraction derived memories from the events");
    assert.deepEqual(new Set(items.map((item) => item.memory.space)), new Set(["team-a"]));
  });

  it("refuses events naming a space that does not exist, before storing anything", () => {
    const file = sandbox.write("events.jsonl", jsonl([ANA[0], { ...ANA[1], space: "nowhere" }]));
    const result = sandbox.run(["ingest", file]);
    assert.equal(result.status, 1);
    assert.match(result.stderr, /events\.jsonl line 2: space "nowhere" does not exist/);
    assert.match(result.stderr, /code: space_not_found/);
    assert.equal(sandbox.stats().events, 0);
  });
});

describe("mnemo ingest with a bad file", () => {
  /** A database holding ANA's 2 events, ingested once: each test starts from a copy of it. */
  let seeded: CliSandbox;
  let sandbox: CliSandbox;
  before(() => {
    seeded = cliSandbox();
    const result = seeded.run(["ingest", seeded.write("good.json", JSON.stringify(ANA))]);
    assert.equal(result.status, 0, result.stderr);
  });
  after(() => seeded.remove());
  beforeEach(() => {
    sandbox = cliSandbox();
    for (const suffix of ["", "-wal", "-shm"]) if (existsSync(seeded.db + suffix)) copyFileSync(seeded.db + suffix, sandbox.db + suffix);
  });
  afterEach(() => sandbox.remove());

  it("names the line and column of malformed JSON, exits 1 and stores nothing", () => {
    const file = sandbox.write("broken.json", '[\n  {"text": "fine"},\n  {"text": "oops" "speaker": "Bo"}\n]\n');
    const result = sandbox.run(["ingest", file]);
    assert.equal(result.status, 1);
    assert.match(result.stderr, /^error: .*broken\.json line 3, column 19: not valid JSON: expected ',' or '}', found '"'\./m);
    assert.match(result.stderr, /\n {2}3 \| {3}\{"text": "oops" "speaker": "Bo"\}\n {4}\| {19}\^/);
    assert.match(result.stderr, /nothing was ingested/);
    assert.match(result.stderr, /code: invalid_input/);
    assert.doesNotMatch(result.stderr, /^\s+at /m, "no stack trace");
    assert.equal(sandbox.stats().events, 2);
  });

  it("names the line of malformed JSONL", () => {
    const file = sandbox.write("broken.jsonl", jsonl([{ text: "one" }, { text: "two" }]) + '{"text": "three",}\n');
    const result = sandbox.run(["ingest", file]);
    assert.equal(result.status, 1);
    assert.match(result.stderr, /broken\.jsonl line 3, column 18: not valid JSON: expected another property after ','/);
    assert.equal(sandbox.stats().events, 2);
  });

  it("stores nothing when one event deep in a large file is invalid", () => {
    const events = Array.from({ length: 1_500 }, (_, index) => ({ text: `note ${index + 1}`, idempotencyKey: `bulk/${index + 1}` }));
    events[1_233] = { text: "   ", idempotencyKey: "bulk/1234" };
    const result = sandbox.run(["ingest", sandbox.write("bulk.jsonl", jsonl(events))]);
    assert.equal(result.status, 1);
    assert.match(result.stderr, /bulk\.jsonl line 1234: event\.text: must not be empty or only whitespace\. Nothing was ingested/);
    assert.equal(sandbox.stats().events, 2);
  });

  it("catches an idempotency key used twice in the file for different content", () => {
    const file = sandbox.write("twice.jsonl", jsonl([{ text: "a", idempotencyKey: "k" }, { text: "b" }, { text: "c", idempotencyKey: "k" }]));
    const result = sandbox.run(["ingest", file]);
    assert.equal(result.status, 1);
    assert.match(result.stderr, /twice\.jsonl line 3: idempotency key "k" is also used on line 1, for different content/);
    assert.match(result.stderr, /code: idempotency_conflict/);
    assert.equal(sandbox.stats().events, 2);
  });

  it("names the line of a key already stored with other content, and says what was stored before it", () => {
    const events = Array.from({ length: 1_200 }, (_, index) => ({ text: `note ${index + 1}`, idempotencyKey: `bulk/${index + 1}` }));
    events[1_099] = { text: "other content", idempotencyKey: "chat-1/2" };
    const result = sandbox.run(["ingest", sandbox.write("bulk.jsonl", jsonl(events))]);
    assert.equal(result.status, 1);
    assert.match(result.stderr, /bulk\.jsonl line 1100: Idempotency key "chat-1\/2" was already used/);
    assert.match(result.stderr, /The 1000 events before this batch were stored/);
    assert.equal(sandbox.stats().events, 1_002);
  });

  it("reports an unreadable file without a stack trace, and with one under --debug", () => {
    const result = sandbox.run(["ingest", "missing.jsonl"]);
    assert.equal(result.status, 1);
    assert.match(result.stderr, /^error: Cannot read missing\.jsonl: ENOENT/);
    assert.doesNotMatch(result.stderr, /^\s+at /m);
    const debug = sandbox.run(["ingest", "missing.jsonl", "--debug"]);
    assert.equal(debug.status, 1);
    assert.match(debug.stderr, /^\s+at /m);
  });
});
