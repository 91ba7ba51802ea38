import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { after, before, describe, it } from "node:test";
import type { RecallResult } from "../src/index.js";
import { cliSandbox, jsonl, type CliSandbox } from "./support/run-cli.js";

const EVENTS = [
  { text: "I live in Boston with my dog Rex.", speaker: "Ana", sessionId: "chat-1", occurredAt: "2023-05-01T09:00:00Z", idempotencyKey: "chat-1/1" },
  { text: "Rex loves the beach in summer.", speaker: "Ana", sessionId: "chat-1", occurredAt: "2023-05-01T09:05:00Z", idempotencyKey: "chat-1/2" },
  { text: "I moved to Denver last week, Rex came along!", speaker: "Ana", sessionId: "chat-2", occurredAt: "2023-09-12T18:30:00Z", idempotencyKey: "chat-2/1" },
  { text: "The quarterly report is due on Friday.", speaker: "Bo", sessionId: "chat-3", occurredAt: "2023-10-02T08:00:00Z", idempotencyKey: "chat-3/1" },
];

describe("mnemo recall, stats and usage", () => {
  let sandbox: CliSandbox;
  before(() => {
    sandbox = cliSandbox();
    const result = sandbox.run(["ingest", sandbox.write("events.jsonl", jsonl(EVENTS))]);
    assert.equal(result.status, 0, result.stderr);
  });
  after(() => sandbox.remove());

  const recallJson = (args: string[]): RecallResult => {
    const result = sandbox.run(["recall", ...args, "--json"]);
    assert.equal(result.status, 0, result.stderr);
    return JSON.parse(result.stdout) as RecallResult;
  };

  it("--json prints the RecallResult: ranked items with provenance and a context within the budget", () => {
    const result = recallJson(["Where does Ana live with Rex?", "--budget", "60"]);
    assert.equal(result.query, "Where does Ana live with Rex?");
    assert.ok(result.items.length >= 2);
    assert.deepEqual(result.items.map((item) => item.rank), result.items.map((_, index) => index + 1));
    assert.ok(result.items.every((item, index) => index === 0 || item.score <= result.items[index - 1]!.score));
    assert.ok(result.context.tokens <= 60 && result.context.budgetTokens === 60);
    assert.match(result.context.tokenizer, /o200k/);
    assert.ok(result.context.text.includes("Ana: I live in Boston with my dog Rex."), result.context.text);
    for (const item of result.items) {
      assert.match(item.memory.sourceEventIds[0] ?? "", /^evt_/);
      assert.ok(result.context.text.includes(item.memory.text));
    }
  });

  it("filters by time, kind and space, and caps items with --limit", () => {
    const late = recallJson(["Rex", "--from", "2023-06-01", "--to", "2023-12-31"]);
    assert.deepEqual(late.items.map((item) => item.memory.text), ["I moved to Denver last week, Rex came along!"]);
    assert.equal(recallJson(["Rex", "--limit", "1"]).items.length, 1);
    const facts = recallJson(["Rex", "--kind", "fact"]).items;
    assert.ok(facts.length > 0, "ingest extracted facts about Rex");
    for (const { memory } of facts) {
      assert.equal(memory.kind, "fact");
      assert.match(memory.text, /Rex/);
      assert.equal(memory.origin, null, "an extracted memory has no speaker or session of its own");
      assert.match(memory.sourceEventIds[0] ?? "", /^evt_/);
    }
    assert.equal(recallJson(["Rex", "--space", "default", "--kind", "episode"]).items.length, 3);
    assert.equal(recallJson(["Rex", "--as-of", "2023-01-01"]).items.length, 0, "the episodes were recorded today: as of 2023 nothing was known");
  });

  it("prints the context, then each item's rank, score, date, speaker, space, id@version and provenance", () => {
    const result = sandbox.run(["recall", "report due", "--budget", "100"]);
    assert.equal(result.status, 0, result.stderr);
    assert.match(result.stdout, /^Context: \d+ of 100 tokens \(.*o200k.*\), 1 item$/m);
    assert.match(result.stdout, /│ \[2023-10-02\]\n {2}│ Bo: The quarterly report is due on Friday\./);
    assert.match(result.stdout, /^ {3}1\. score \d+\.\d{3} {2}2023-10-02 08:00 {2}Bo {2}space default {2}mem_\w+@1$/m);
    assert.match(result.stdout, /^ {6}from event evt_\w+, session chat-3$/m);
    const extracted = sandbox.run(["recall", "Rex", "--kind", "fact", "--limit", "1"]);
    assert.equal(extracted.status, 0, extracted.stderr);
    assert.match(extracted.stdout, /^ {3}1\. score \d+\.\d{3} {2}2023-05-01 09:00 {2}\(fact\) {2}space default {2}mem_\w+@1$/m, "an extracted memory shows its kind where an episode shows its speaker");
    assert.match(extracted.stdout, /^ {6}extracted from event evt_\w+$/m);
  });

  it("says so when nothing matches", () => {
    const result = sandbox.run(["recall", "zeppelin"]);
    assert.equal(result.status, 0, result.stderr);
    assert.equal(result.stdout.trim(), 'No memory matched "zeppelin".');
  });

  it("rejects an empty query with the library's message and exit 1", () => {
    const result = sandbox.run(["recall", "  "]);
    assert.equal(result.status, 1);
    assert.match(result.stderr, /^error: query: must not be empty\./m);
    assert.match(result.stderr, /^code: invalid_input$/m);
  });

  it("rejects an unknown space with exit 1", () => {
    const result = sandbox.run(["recall", "Rex", "--space", "nope"]);
    assert.equal(result.status, 1);
    assert.match(result.stderr, /Space "nope" does not exist/);
    assert.match(result.stderr, /code: space_not_found/);
  });

  it("treats bad flags as usage errors: exit 2 with a message naming the flag", () => {
    const cases: [string[], RegExp][] = [
      [["recall", "Rex", "--budget", "abc"], /--budget must be a whole number from 1 to 1,000,000/],
      [["recall", "Rex", "--budget", "1.5"], /--budget must be a whole number/],
      [["recall", "Rex", "--limit", "0"], /--limit must be a whole number from 1 to 1,000/],
      [["recall", "Rex", "--kind", "gossip"], /--kind must be one of episode, fact/],
      [["recall", "Rex", "--from", "last tuesday"], /--from: "last tuesday" is not an ISO 8601 date/],
      [["recall", "Rex", "--frobnicate"], /unknown option '--frobnicate'/],
      [["ingest", "--bogus", "x.json"], /unknown option '--bogus'/],
      [["ingest"], /missing required argument 'file'/],
      [["teleport"], /unknown command 'teleport'/],
    ];
    for (const [args, message] of cases) {
      const result = sandbox.run(args);
      assert.equal(result.status, 2, `${args.join(" ")}: ${result.stderr}`);
      assert.match(result.stderr, message);
      assert.equal(result.stdout, "");
    }
  });

  it("stats shows counts, memories by kind, database path and size, schema version and tokenizer", () => {
    const result = sandbox.run(["stats"]);
    assert.equal(result.status, 0, result.stderr);
    assert.match(result.stdout, new RegExp(`^database +${sandbox.db.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")} \\(\\d+\\.\\d KiB\\)$`, "m"));
    assert.match(result.stdout, /^store +sqlite, schema version \d+, journal wal$/m);
    assert.match(result.stdout, /^tokenizer +.*o200k/m);
    assert.match(result.stdout, /^events +4$/m);
    const memories = /^memories +(\d+) \(episode 4, fact (\d+)\)$/m.exec(result.stdout);
    assert.ok(memories, result.stdout);
    assert.equal(Number(memories[1]), 4 + Number(memories[2]), "the episodes, and the facts extracted from them");
    assert.match(result.stdout, /^llm +none: heuristic extraction \(set MNEMO_LLM_BASE_URL/m);
    assert.match(result.stdout, /^jobs +0 pending, 0 running, 1 done, 0 dead$/m);
    assert.match(result.stdout, /^llm usage +0 calls, 0 tokens in, 0 out$/m);
    assert.match(result.stdout, /^spaces +1 \(default\)$/m);
    const json = sandbox.stats();
    assert.equal(json.events, 4);
    assert.equal(json.store["path"], sandbox.db);
  });

  it("uses $MNEMO_DB, else ./mnemo.db, when --db is not given; read commands never create a database", () => {
    const missing = sandbox.run(["stats"], { withoutDb: true });
    assert.equal(missing.status, 1);
    assert.match(missing.stderr, /^error: No database at .*\/mnemo\.db\. Ingest something first/m);
    const viaEnv = sandbox.run(["stats", "--json"], { withoutDb: true, env: { MNEMO_DB: sandbox.db } });
    assert.equal(viaEnv.status, 0, viaEnv.stderr);
    assert.equal((JSON.parse(viaEnv.stdout) as { events: number }).events, 4);
    const ingested = sandbox.run(["ingest", "events.jsonl"], { withoutDb: true });
    assert.equal(ingested.status, 0, ingested.stderr);
    assert.match(ingested.stdout, /database +\/.*\/mnemo\.db$/m);
  });

  it("prints the package version and a help that documents the database default", () => {
    const manifest = JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8")) as { version: string };
    const version = sandbox.run(["--version"]);
    assert.equal(version.status, 0);
    assert.equal(version.stdout.trim(), manifest.version);
    const help = sandbox.run(["--help"]);
    assert.equal(help.status, 0);
    assert.match(help.stdout, /\$MNEMO_DB/);
    assert.match(help.stdout, /\.\/mnemo\.db/);
    for (const command of ["ingest", "recall", "stats", "demo", "bench"]) assert.match(help.stdout, new RegExp(`^  ${command} `, "m"));
  });
});
