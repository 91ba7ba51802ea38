import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import { after, before, describe, it } from "node:test";
import { scriptedExtractionModel } from "../bench/llm/scripted-extraction-model.js";
import type { JobRecord, RecallResult } from "../src/index.js";
import { chatCompletion, startOpenAITestServer, type OpenAITestServer } from "../src/testing/openai-test-server.js";
import { cliSandbox, jsonl, type CliRun, type CliSandbox } from "./support/run-cli.js";

const EVENTS = [
  { text: "I live in Boston with my dog Rex.", speaker: "Ana", sessionId: "chat-1", occurredAt: "2023-05-01T09:00:00Z", idempotencyKey: "chat-1/1" },
  { text: "Rex loves the beach in summer.", speaker: "Ana", sessionId: "chat-1", occurredAt: "2023-05-01T09:05:00Z", idempotencyKey: "chat-1/2" },
  { text: "I moved to Denver last week, Rex came along!", speaker: "Ana", sessionId: "chat-2", occurredAt: "2023-09-12T18:30:00Z", idempotencyKey: "chat-2/1" },
];
const MORE = [{ text: "The quarterly report is due on Friday.", speaker: "Bo", sessionId: "chat-3", occurredAt: "2023-10-02T08:00:00Z", idempotencyKey: "chat-3/1" }];
const CHAT = "/v1/chat/completions";
const MODEL = "openai-compatible/test-chat";

/** The rows of `mnemo jobs` below its header, split into cells (a failed job's error line is not a row). */
function rows(stdout: string): string[][] {
  const [header, ...lines] = stdout.trimEnd().split("\n");
  assert.match(header ?? "", /^id +status +space +events +tries +llm calls +tokens in\/out +updated$/);
  return lines.filter((line) => /^ *\d+ /.test(line)).map((line) => line.trim().split(/ {2,}/));
}

function ok(result: CliRun): CliRun {
  assert.equal(result.status, 0, result.stderr);
  return result;
}

describe("mnemo jobs, with heuristic extraction", () => {
  let sandbox: CliSandbox;
  let ingested: CliRun;
  before(() => {
    sandbox = cliSandbox();
    ingested = sandbox.run(["ingest", sandbox.write("events.jsonl", jsonl(EVENTS))]);
  });
  after(() => sandbox.remove());

  it("ingest runs the jobs it queued and says what they extracted", () => {
    ok(ingested);
    assert.match(ingested.stdout, /^Ingested 3 new events\.$/m);
    assert.match(ingested.stdout, /^Extracted (\d+) memories \(\1 new, 0 updated\) in 1 job; no job failed\.$/m);
    assert.equal(sandbox.stats().jobs.done, 1);
  });

  it("lists the done job: its events, tries and usage; --json gives the records", () => {
    const [row, ...others] = rows(ok(sandbox.run(["jobs"])).stdout);
    assert.equal(others.length, 0);
    assert.deepEqual(row?.slice(0, 7), ["1", "done", "default", "3", "1", "0", "0/0"]);
    assert.match(row?.[7] ?? "", /^\d{4}-\d\d-\d\d \d\d:\d\d$/);
    const [job] = JSON.parse(ok(sandbox.run(["jobs", "list", "--json"])).stdout) as JobRecord[];
    assert.equal(job?.status, "done");
    assert.equal(job?.eventIds.length, 3);
    assert.equal(job?.lastReply, null);
  });

  it("show prints one job in full", () => {
    const shown = ok(sandbox.run(["jobs", "show", "1"])).stdout;
    assert.match(shown, /^Job 1: done after 1 attempt$/m);
    assert.match(shown, /^ {2}events {6}3: evt_\w+, evt_\w+, evt_\w+$/m);
    assert.match(shown, /^ {2}llm {9}0 calls, 0 tokens in, 0 out$/m);
    assert.match(shown, /^ {2}last reply {2}-$/m);
    assert.equal((JSON.parse(ok(sandbox.run(["jobs", "show", "1", "--json"])).stdout) as JobRecord).id, 1);
  });

  it("--no-extract leaves the jobs queued; jobs run runs them; --status and --limit filter the list", () => {
    const skipped = ok(sandbox.run(["ingest", sandbox.write("more.jsonl", jsonl(MORE)), "--no-extract"]));
    assert.match(skipped.stdout, /^Ingested 1 new event\.$/m);
    assert.match(skipped.stdout, /^Extraction skipped \(--no-extract\): 1 job queued; mnemo jobs run runs them\.$/m);
    assert.deepEqual(rows(ok(sandbox.run(["jobs", "--status", "pending"])).stdout).map((row) => row.slice(0, 2)), [["2", "pending"]]);
    assert.match(ok(sandbox.run(["jobs", "run"])).stdout, /^Extracted \d+ memor(y|ies) \(\d+ new, 0 updated\) in 1 job; no job failed\.$/m);
    assert.equal(ok(sandbox.run(["jobs", "run"])).stdout, "Extraction: no job to run.\n");
    const newest = ok(sandbox.run(["jobs", "--status", "done", "--status", "dead", "--limit", "1"])).stdout;
    assert.deepEqual(rows(newest).map((row) => row.slice(0, 2)), [["2", "done"]]);
    assert.match(newest, /^\(the 1 newest job that is done or dead; --limit for more\)$/m);
    assert.equal(ok(sandbox.run(["jobs", "--status", "dead"])).stdout, "No dead jobs.\n");
  });

  it("rejects bad arguments: usage errors exit 2, a job that is not there or not dead exits 1", () => {
    const usage: [string[], RegExp][] = [
      [["jobs", "--status", "stuck"], /--status must be one of pending, running, done, dead\./],
      [["jobs", "--limit", "0"], /--limit must be a whole number from 1 to 10,000\./],
      [["jobs", "show"], /missing required argument 'id'/],
      [["jobs", "show", "x1"], /A job id must be a whole number/],
      [["jobs", "replay", "1", "-3"], /A job id must be a whole number from 1 to/],
      [["jobs", "replay", "2.5"], /A job id must be a whole number/],
      [["jobs", "run", "--max-attempts", "0"], /--max-attempts must be a whole number from 1 to 100\./],
      [["ingest", "x.jsonl", "--max-attempts", "many"], /--max-attempts must be a whole number from 1 to 100\./],
      [["jobs", "retry"], /too many arguments/],
    ];
    for (const [args, message] of usage) {
      const result = sandbox.run(args);
      assert.equal(result.status, 2, `${args.join(" ")}: ${result.stderr}`);
      assert.match(result.stderr, message, args.join(" "));
      assert.equal(result.stdout, "");
    }
    const missing = sandbox.run(["jobs", "show", "99"]);
    assert.equal(missing.status, 1);
    assert.match(missing.stderr, /^error: No job 99 in this database: mnemo jobs lists them\.$/m);
    assert.match(missing.stderr, /^code: not_found$/m);
    const notDead = sandbox.run(["jobs", "replay", "1"]);
    assert.equal(notDead.status, 1);
    assert.match(notDead.stderr, /^error: Job 1 is done, not dead: only dead jobs are replayed .*Nothing was replayed\.$/m);
    assert.match(ok(sandbox.run(["jobs", "replay"])).stdout, /^No dead jobs to replay\.$/m);
  });

  it("never creates a database", () => {
    const result = sandbox.run(["jobs"], { withoutDb: true });
    assert.equal(result.status, 1);
    assert.match(result.stderr, /^error: No database at .*mnemo\.db\./m);
    assert.equal(existsSync(`${sandbox.directory}/mnemo.db`), false);
  });
});

describe("mnemo jobs, with a language model from MNEMO_LLM_*", () => {
  let server: OpenAITestServer;
  let sandbox: CliSandbox;
  let env: Record<string, string>;
  before(async () => {
    server = await startOpenAITestServer({ chat: scriptedExtractionModel });
    sandbox = cliSandbox();
    env = { MNEMO_LLM_BASE_URL: server.baseURL, MNEMO_LLM_MODEL: "test-chat" };
  });
  after(async () => {
    await server.close();
    sandbox.remove();
  });
  const run = (args: readonly string[]): Promise<CliRun> => sandbox.runAsync(args, { env });

  it("a job whose replies are not JSON fails; with --max-attempts 1 it is dead at once, and ingest says so", async () => {
    // The adapter asks again once after a reply that is not JSON: one failed call is two replies.
    const notJson = { path: CHAT, body: chatCompletion("not json", { inputTokens: 50, outputTokens: 2 }) };
    server.script(notJson, notJson);
    const ingested = ok(await run(["ingest", sandbox.write("events.jsonl", jsonl(EVENTS)), "--max-attempts", "1"]));
    assert.equal(server.unusedReplies(), 0);
    assert.match(ingested.stdout, /^Ingested 3 new events\.$/m, "the events are stored all the same");
    assert.match(ingested.stdout, /^Extracted no memories, 1 LLM call \(100 tokens in, 4 out\); 1 job failed: 1 is dead \(mnemo jobs replay\)\. See mnemo jobs\.$/m);
  });

  it("jobs lists the dead job with its error; show prints the error and the model's last reply", async () => {
    const listed = ok(await run(["jobs", "--status", "dead"])).stdout;
    assert.deepEqual(rows(listed).map((row) => row.slice(0, 7)), [["1", "dead", "default", "3", "1", "1", "100/4"]]);
    assert.match(listed, /^ {4}last error: openai-compatible: model "test-chat" gave 2 invalid replies .*not JSON/m);
    assert.match(listed, /^Dead jobs failed too often: mnemo jobs show <id> .*mnemo jobs replay runs them again\.$/m);
    const shown = ok(await run(["jobs", "show", "1"])).stdout;
    assert.match(shown, /^Job 1: dead after 1 attempt$/m);
    assert.match(shown, /^ {2}last error {2}.*test-chat.*not JSON/m);
    assert.match(shown, /^ {2}last reply {2}8 characters, as kept:\n {2}│ not json$/m);
    assert.match(shown, /^Run it again: mnemo jobs replay 1$/m);
  });

  it("stats names the model and shows its calls and tokens, and the jobs by status", async () => {
    const stats = ok(await run(["stats"])).stdout;
    assert.match(stats, new RegExp(`^llm +${MODEL}$`, "m"));
    assert.match(stats, /^jobs +0 pending, 0 running, 0 done, 1 dead$/m);
    assert.match(stats, /^llm usage +1 call, 100 tokens in, 4 out$/m);
    assert.match(stats, /^memories +3 \(episode 3\)$/m);
  });

  it("replay gives the dead job fresh attempts and runs it against a model that answers", async () => {
    const replayed = ok(await run(["jobs", "replay", "1"])).stdout;
    assert.match(replayed, /^Replayed 1 dead job\.$/m);
    assert.match(replayed, /^Extracted (\d+) memories \(\1 new, 0 updated\) in 1 job, 1 LLM call \([\d,]+ tokens in, [\d,]+ out\); no job failed\.$/m);
    const facts = JSON.parse(ok(await run(["recall", "Where does Ana live?", "--kind", "fact", "--json"])).stdout) as RecallResult;
    assert.ok(facts.items.some((item) => /^Ana lives in (Boston|Denver)\.$/.test(item.memory.text)), facts.items.map((item) => item.memory.text).join("\n"));
    const stats = sandbox.stats();
    assert.deepEqual(stats.jobs, { pending: 0, running: 0, done: 1, dead: 0 });
    assert.equal(stats.llm.llmCalls, 2);
    assert.ok(stats.llm.inputTokens > 100 && stats.llm.outputTokens > 4, JSON.stringify(stats.llm));
    const job = JSON.parse(ok(await run(["jobs", "show", "1", "--json"])).stdout) as JobRecord;
    assert.equal(job.status, "done");
    assert.match(job.lastError ?? "", /not JSON/, "the error of the failed attempt is kept");
    assert.match(ok(await run(["jobs"])).stdout, /^ {4}error before it succeeded: .*not JSON/m);
  });

  it("a failure with attempts left waits for a retry, and says when", async () => {
    const notJson = { path: CHAT, body: chatCompletion("still not json") };
    server.script(notJson, notJson);
    const ingested = ok(await run(["ingest", sandbox.write("more.jsonl", jsonl(MORE))]));
    assert.match(ingested.stdout, /; 1 job failed: 1 will be retried\. See mnemo jobs\. 1 job is still queued, the first ready from \d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC \(mnemo jobs run\)\.$/m);
    const shown = ok(await run(["jobs", "show", "2"])).stdout;
    assert.match(shown, /^Job 2: pending after 1 attempt$/m);
    assert.match(shown, /^ {2}next try {4}from \d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC$/m);
    assert.match(shown, /^ {2}│ still not json$/m);
  });

  it("a partial MNEMO_LLM_* setup is an error naming the variable, before anything is written", async () => {
    const fresh = cliSandbox();
    try {
      const result = await fresh.runAsync(["ingest", fresh.write("events.jsonl", jsonl(EVENTS))], { env: { MNEMO_LLM_BASE_URL: server.baseURL } });
      assert.equal(result.status, 1);
      assert.match(result.stderr, /^error: MNEMO_LLM_MODEL is not set, but MNEMO_LLM_BASE_URL is: /m);
      assert.equal(existsSync(fresh.db), false);
    } finally {
      fresh.remove();
    }
  });
});
