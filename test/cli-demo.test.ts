import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { after, before, describe, it } from "node:test";
import { cliSandbox, type CliSandbox } from "./support/run-cli.js";

const TURNS = readFileSync(new URL("../data/demo-conversation.jsonl", import.meta.url), "utf8").trim().split("\n").length;

describe("mnemo demo", () => {
  let sandbox: CliSandbox;
  let first: ReturnType<CliSandbox["run"]>;
  before(() => {
    sandbox = cliSandbox();
    first = sandbox.run(["demo"]);
  });
  after(() => sandbox.remove());

  it("ingests the sample conversation into space demo of the --db database", () => {
    assert.equal(first.status, 0, first.stderr);
    assert.equal(first.stderr, "");
    assert.match(first.stdout, new RegExp(`${TURNS} turns in 4 sessions from 2024-03-04 to 2024-04-29`));
    assert.ok(first.stdout.includes(`database  ${sandbox.db}, space "demo"`), first.stdout);
    assert.match(first.stdout, new RegExp(`ingested  ${TURNS} new events`));
    const stats = sandbox.stats();
    assert.equal(stats.events, TURNS);
    assert.equal(stats.spaces, 2);
  });

  it("extracts memories from the turns and lists them, oldest first", () => {
    const extracted = /^ {2}extracted (\d+) memories from the turns by heuristics \(set MNEMO_LLM_\* to use a model\):\n((?: {3}.*\n)+)/m.exec(first.stdout);
    assert.ok(extracted, first.stdout);
    const listed = extracted[2]!.trimEnd().split("\n");
    assert.equal(listed.length, Math.min(Number(extracted[1]), 8));
    assert.ok(listed.some((line) => /^ {3}2024-03-04 \d\d:\d\d {2}fact {8}Maya lives in Lisbon\.$/.test(line)), listed.join("\n"));
    assert.ok(listed.some((line) => /^ {3}2024-04-29 \d\d:\d\d {2}preference {2}Maya prefers afternoon meetings\.$/.test(line)), listed.join("\n"));
    const days = listed.map((line) => line.slice(3, 19));
    assert.deepEqual(days, [...days].sort());
    const stats = sandbox.stats();
    assert.equal(stats.memories, TURNS + Number(extracted[1]));
    assert.deepEqual({ ...stats.jobs, done: 0 }, { pending: 0, running: 0, done: 0, dead: 0 }, "every job ran before the demo ended");
  });

  it("answers each question with a small context that holds the old and the new fact, and their provenance", () => {
    const answers = first.stdout.split(/\n(?=\d\. )/).slice(1);
    assert.equal(answers.length, 4);
    const [live, deadline, coffee] = answers as [string, string, string];
    assert.match(live, /^1\. Where does Maya live\?/);
    assert.match(live, /│ Maya: .*I live in Lisbon/);
    assert.match(live, /│ Maya: .*we live in Berlin now/);
    assert.ok(live.indexOf("Lisbon") < live.indexOf("live in Berlin"), "the context lists items by time");
    assert.match(deadline, /April 12[\s\S]*May 3[\s\S]*May 17/);
    assert.match(coffee, /quit coffee/);
    for (const answer of answers) {
      const budget = /context, (\d+) of (\d+) tokens/.exec(answer);
      assert.ok(budget && Number(budget[1]) <= Number(budget[2]), answer);
      assert.match(answer, /^ {3}1\. evt_\w+ {2}(session demo-s\d|extracted (fact|preference|procedure|event)) {2}2024-\d\d-\d\d \d\d:\d\d$/m);
    }
  });

  it("is a no-op when run again, and says so", () => {
    const again = sandbox.run(["demo"]);
    assert.equal(again.status, 0, again.stderr);
    assert.match(again.stdout, new RegExp(`ingested  0 new events, ${TURNS} already stored \\(idempotency keys make a re-run a no-op\\)`));
    assert.equal(sandbox.stats().events, TURNS);
    const answers = (output: string): string => output.slice(output.indexOf("\n1. "));
    assert.equal(answers(again.stdout), answers(first.stdout), "the same recalls, with the same provenance");
  });

  it("fits a screen or two", () => {
    assert.ok(first.stdout.split("\n").length <= 80, `${first.stdout.split("\n").length} lines`);
  });
});
