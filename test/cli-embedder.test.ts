import assert from "node:assert/strict";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { after, afterEach, before, beforeEach, describe, it } from "node:test";
import type { RecallResult } from "../src/index.js";
import { startOpenAITestServer, type OpenAITestServer } from "../src/testing/openai-test-server.js";
import { TINY_NEUTRAL_CASE, cliSandbox, jsonl, summaryFigure, type CliRun, type CliSandbox } from "./support/run-cli.js";


const EVENTS = [
  { text: "I live in Boston with my dog Rex.", speaker: "Ana", sessionId: "chat-1", occurredAt: "2023-05-01T09:00:00Z", idempotencyKey: "chat-1/1" },
  { text: "Rex loves the beach in summer.", speaker: "Ana", sessionId: "chat-1", occurredAt: "2023-05-01T09:05:00Z", idempotencyKey: "chat-1/2" },
  { text: "I moved to Denver last week, Rex came along!", speaker: "Ana", sessionId: "chat-2", occurredAt: "2023-09-12T18:30:00Z", idempotencyKey: "chat-2/1" },
  { text: "The quarterly report is due on Friday.", speaker: "Bo", sessionId: "chat-3", occurredAt: "2023-10-02T08:00:00Z", idempotencyKey: "chat-3/1" },
];
const TEXTS = EVENTS.map((event) => event.text);
const API_KEY = "sk-test-0123456789abcdef";
const EMBEDDER_NAME = "openai-compatible/test-embedding@128";

/** The CLI in the sandbox, without blocking this process (the in-process test server must answer it). */
function runCli(sandbox: CliSandbox, args: readonly string[], env: Record<string, string> = {}): Promise<CliRun> {
  return sandbox.runAsync(args, { env });
}

function embeddingsEnv(server: OpenAITestServer, extra: Record<string, string> = {}): Record<string, string> {
  return { MNEMO_EMBEDDER_BASE_URL: server.baseURL, MNEMO_EMBEDDER_MODEL: "test-embedding", MNEMO_EMBEDDER_DIMENSIONS: "128", ...extra };
}

/** Which events' texts are among those embedded (the library adds the speaker to what it embeds). */
function eventsIn(embedded: readonly string[]): string[] {
  return TEXTS.filter((text) => embedded.some((sent) => sent.startsWith(text)));
}

/** Every text the server was asked to embed, in order. */
function embeddedTexts(server: OpenAITestServer, from = 0): string[] {
  return server.requests.slice(from).flatMap((request) => {
    assert.equal(request.path, "/v1/embeddings");
    return (request.body as { input: string[] }).input;
  });
}

describe("mnemo with MNEMO_EMBEDDER_* set: ingest and recall", () => {
  let server: OpenAITestServer;
  let sandbox: CliSandbox;
  let ingested: CliRun;
  before(async () => {
    server = await startOpenAITestServer({ apiKey: API_KEY });
    sandbox = cliSandbox();
    ingested = await runCli(sandbox, ["ingest", sandbox.write("events.jsonl", jsonl(EVENTS))], embeddingsEnv(server, { MNEMO_EMBEDDER_API_KEY: API_KEY }));
  });
  after(async () => {
    await server.close();
    sandbox.remove();
  });

  it("ingest embeds each new memory with the configured model and key, and the summary says so", () => {
    assert.equal(ingested.status, 0, ingested.stderr);
    // The episodes as they are stored, then the memories extraction derives from them.
    const extracted = Number(/^Extracted (\d+) memories/m.exec(ingested.stdout)?.[1]);
    assert.ok(extracted > 0, ingested.stdout);
    assert.equal(embeddedTexts(server).length, 4 + extracted);
    assert.deepEqual(eventsIn(embeddedTexts(server).slice(0, 4)), TEXTS);
    for (const request of server.requests) {
      assert.equal((request.body as { model: string }).model, "test-embedding");
      assert.equal(request.headers.authorization, `Bearer ${API_KEY}`);
    }
    assert.equal(summaryFigure(ingested.stdout, "inserted"), 4);
    assert.match(ingested.stdout, new RegExp(`^ {2}embedding +4 new memories embedded with ${EMBEDDER_NAME}$`, "m"));
    assert.ok(!ingested.stdout.includes(API_KEY) && !ingested.stderr.includes(API_KEY), "the API key is never printed");
  });

  it("recall embeds the query, and the vector ranking adds to the fused scores", async () => {
    const query = "Where does Ana live with Rex?";
    const sent = server.requests.length;
    const withVectors = await runCli(sandbox, ["recall", query, "--json"], embeddingsEnv(server, { MNEMO_EMBEDDER_API_KEY: API_KEY }));
    assert.equal(withVectors.status, 0, withVectors.stderr);
    assert.deepEqual(embeddedTexts(server, sent), [query]);
    const result = JSON.parse(withVectors.stdout) as RecallResult;
    assert.equal(result.warnings, undefined);
    assert.equal(result.items[0]?.memory.text, "I live in Boston with my dog Rex.");

    const textOnly = await runCli(sandbox, ["recall", query, "--json"]);
    assert.equal(textOnly.status, 0, textOnly.stderr);
    assert.equal(server.requests.length, sent + 1, "without the variables, nothing is sent");
    const lexical = JSON.parse(textOnly.stdout) as RecallResult;
    assert.equal(lexical.items[0]?.memory.id, result.items[0]?.memory.id);
    assert.ok(result.items[0]!.score > lexical.items[0]!.score, `${result.items[0]!.score} > ${lexical.items[0]!.score}: the vector ranking counted`);
  });

  it("recall still answers by text when the provider fails, with a warning", async () => {
    server.script({ status: 401 });
    const result = await runCli(sandbox, ["recall", "Rex beach", "--json"], embeddingsEnv(server, { MNEMO_EMBEDDER_API_KEY: API_KEY }));
    assert.equal(result.status, 0, result.stderr);
    assert.equal(server.unusedReplies(), 0);
    const recalled = JSON.parse(result.stdout) as RecallResult;
    assert.equal(recalled.items[0]?.memory.text, "Rex loves the beach in summer.");
    assert.match(recalled.warnings?.join("\n") ?? "", /Vector search was skipped: .*401/);
  });

  it("stats names the embedder when one is configured, and says none otherwise", async () => {
    const configured = await runCli(sandbox, ["stats"], embeddingsEnv(server, { MNEMO_EMBEDDER_API_KEY: API_KEY }));
    assert.equal(configured.status, 0, configured.stderr);
    assert.match(configured.stdout, new RegExp(`^embedder +${EMBEDDER_NAME}$`, "m"));
    const plain = await runCli(sandbox, ["stats"]);
    assert.match(plain.stdout, /^embedder +none \(set MNEMO_EMBEDDER_BASE_URL/m);
  });
});

describe("mnemo embed, and provider failures during ingest", () => {
  let server: OpenAITestServer;
  let sandbox: CliSandbox;
  let file: string;
  beforeEach(async () => {
    server = await startOpenAITestServer();
    sandbox = cliSandbox();
    file = sandbox.write("events.jsonl", jsonl(EVENTS));
  });
  afterEach(async () => {
    await server.close();
    sandbox.remove();
  });

  it("embeds what was ingested before the variables were set, --limit at a time, then nothing; another model starts over", async () => {
    // About the episodes: with --no-extract no derived memory joins them.
    const plain = await runCli(sandbox, ["ingest", file, "--no-extract"]);
    assert.equal(plain.status, 0, plain.stderr);
    assert.doesNotMatch(plain.stdout, /embedding/);
    assert.equal(server.requests.length, 0);

    const first = await runCli(sandbox, ["embed", "--limit", "1"], embeddingsEnv(server));
    assert.equal(first.status, 0, first.stderr);
    assert.equal(first.stdout.trim(), `Embedded 1 memory with ${EMBEDDER_NAME} (--limit reached: run it again for the rest, if any).`);
    assert.equal(embeddedTexts(server).length, 1);

    const rest = await runCli(sandbox, ["embed"], embeddingsEnv(server));
    assert.equal(rest.status, 0, rest.stderr);
    assert.equal(rest.stdout.trim(), `Embedded 3 memories with ${EMBEDDER_NAME}.`);
    assert.equal(embeddedTexts(server).length, 4);
    assert.deepEqual(eventsIn(embeddedTexts(server)), TEXTS, "each memory was embedded once");

    const sent = server.requests.length;
    const again = await runCli(sandbox, ["embed"], embeddingsEnv(server));
    assert.equal(again.status, 0, again.stderr);
    assert.equal(again.stdout.trim(), `Nothing to embed: every memory has a vector from ${EMBEDDER_NAME}.`);
    assert.equal(server.requests.length, sent);

    const otherModel = await runCli(sandbox, ["embed"], embeddingsEnv(server, { MNEMO_EMBEDDER_MODEL: "other-embedding" }));
    assert.equal(otherModel.status, 0, otherModel.stderr);
    assert.match(otherModel.stdout, /^Embedded 4 memories with openai-compatible\/other-embedding@128\.$/m);
  });

  it("a 401 during ingest still stores the events; the summary says embedding failed, and embed catches up", async () => {
    server.script({ status: 401 });
    const result = await runCli(sandbox, ["ingest", file], embeddingsEnv(server));
    assert.equal(result.status, 0, result.stderr);
    assert.equal(server.unusedReplies(), 0);
    assert.equal(summaryFigure(result.stdout, "inserted"), 4);
    assert.match(result.stdout, new RegExp(`^ {2}embedding +0 of 4 new memories embedded with ${EMBEDDER_NAME}, then the provider failed: .*HTTP 401`, "m"));
    assert.match(result.stdout, /run `mnemo embed` once the embeddings provider works/);
    assert.equal(sandbox.stats().events, 4);

    const caughtUp = await runCli(sandbox, ["embed"], embeddingsEnv(server));
    assert.equal(caughtUp.status, 0, caughtUp.stderr);
    assert.equal(caughtUp.stdout.trim(), `Embedded 4 memories with ${EMBEDDER_NAME}.`);
  });

  it("5xx replies during ingest are retried, then reported; the events are stored", async () => {
    const failure = { status: 500, headers: { "retry-after-ms": "0" } };
    server.script(failure, failure, failure, failure, failure);
    // --no-extract: the requests counted are the episodes' alone, not those of the memories extraction derives.
    const result = await runCli(sandbox, ["ingest", file, "--no-extract"], embeddingsEnv(server));
    assert.equal(result.status, 0, result.stderr);
    assert.equal(server.unusedReplies(), 0, "the first try and 4 retries");
    assert.equal(server.requests.length, 5);
    assert.match(result.stdout, /^ {2}embedding +0 of 4 new memories embedded with .*, then the provider failed: .*HTTP 500/m);
    assert.equal(sandbox.stats().events, 4);
  });

  it("embed reports a provider failure with exit 1 and code provider", async () => {
    assert.equal((await runCli(sandbox, ["ingest", file])).status, 0);
    server.script({ status: 401 });
    const result = await runCli(sandbox, ["embed"], embeddingsEnv(server));
    assert.equal(result.status, 1);
    assert.match(result.stderr, /^error: Embedded 0 memories with .*, then the provider failed: .*401.*run mnemo embed again once the provider works\.$/m);
    assert.match(result.stderr, /^code: provider$/m);
  });

  it("embed without the variables says which to set, with exit 1", async () => {
    const result = await runCli(sandbox, ["embed"]);
    assert.equal(result.status, 1);
    assert.match(result.stderr, /^error: No embedder is configured.*Set MNEMO_EMBEDDER_BASE_URL, MNEMO_EMBEDDER_MODEL and MNEMO_EMBEDDER_DIMENSIONS/m);
    assert.equal(server.requests.length, 0);
  });
});

describe("mnemo with a partial or malformed MNEMO_EMBEDDER_* setup", () => {
  let sandbox: CliSandbox;
  let file: string;
  before(() => {
    sandbox = cliSandbox();
    file = sandbox.write("events.jsonl", jsonl(EVENTS));
  });
  after(() => sandbox.remove());

  const URL = "http://127.0.0.1:9/v1";
  const cases: { name: string; env: Record<string, string>; error: RegExp }[] = [
    { name: "the URL without a model", env: { MNEMO_EMBEDDER_BASE_URL: URL, MNEMO_EMBEDDER_DIMENSIONS: "768" }, error: /^error: MNEMO_EMBEDDER_MODEL is not set, but MNEMO_EMBEDDER_BASE_URL is: .*e\.g\. MNEMO_EMBEDDER_MODEL=nomic-embed-text/m },
    { name: "no dimensions", env: { MNEMO_EMBEDDER_BASE_URL: URL, MNEMO_EMBEDDER_MODEL: "m" }, error: /^error: MNEMO_EMBEDDER_DIMENSIONS is not set, .*e\.g\. MNEMO_EMBEDDER_DIMENSIONS=768/m },
    { name: "dimensions that are not a number", env: { MNEMO_EMBEDDER_BASE_URL: URL, MNEMO_EMBEDDER_MODEL: "m", MNEMO_EMBEDDER_DIMENSIONS: "768px" }, error: /^error: MNEMO_EMBEDDER_DIMENSIONS must be a whole number, got "768px"/m },
    { name: "zero dimensions", env: { MNEMO_EMBEDDER_BASE_URL: URL, MNEMO_EMBEDDER_MODEL: "m", MNEMO_EMBEDDER_DIMENSIONS: "0" }, error: /^error: MNEMO_EMBEDDER_DIMENSIONS: must be a positive integer, got 0\./m },
    { name: "a URL that is not http", env: { MNEMO_EMBEDDER_BASE_URL: "ftp://example.com/v1", MNEMO_EMBEDDER_MODEL: "m", MNEMO_EMBEDDER_DIMENSIONS: "8" }, error: /^error: MNEMO_EMBEDDER_BASE_URL: must be an http or https URL/m },
    { name: "a model without the URL", env: { MNEMO_EMBEDDER_MODEL: "m" }, error: /^error: MNEMO_EMBEDDER_MODEL is set but MNEMO_EMBEDDER_BASE_URL is not\. Set MNEMO_EMBEDDER_BASE_URL/m },
    { name: "a key without the URL", env: { MNEMO_EMBEDDER_API_KEY: API_KEY }, error: /^error: MNEMO_EMBEDDER_API_KEY is set but MNEMO_EMBEDDER_BASE_URL is not/m },
    { name: "a misspelt variable", env: { MNEMO_EMBEDDER_URL: URL }, error: /^error: MNEMO_EMBEDDER_URL is not a variable mnemo reads\./m },
  ];
  for (const { name, env, error } of cases) {
    it(`rejects ${name}, naming the variable, before writing anything`, async () => {
      const result = await runCli(sandbox, ["ingest", file], env);
      assert.equal(result.status, 1, result.stdout);
      assert.match(result.stderr, error);
      assert.match(result.stderr, /^code: invalid_input$/m);
      assert.ok(!result.stderr.includes(API_KEY), "the API key is never printed");
      assert.equal(existsSync(sandbox.db), false);
    });
  }
});

describe("mnemo bench with MNEMO_EMBEDDER_* set", () => {
  let server: OpenAITestServer;
  let sandbox: CliSandbox;
  let dataset: string;
  before(async () => {
    server = await startOpenAITestServer();
    sandbox = cliSandbox();
    dataset = sandbox.write("tiny.jsonl", jsonl([TINY_NEUTRAL_CASE]));
  });
  after(async () => {
    await server.close();
    sandbox.remove();
  });

  it("measures with vectors, and the ablation includes a run without them", async () => {
    const result = await runCli(sandbox, ["bench", "run", dataset, "--ablation", "--json", "ablation.json"], embeddingsEnv(server));
    assert.equal(result.status, 0, result.stderr);
    assert.ok(embeddedTexts(server).includes("What did Caroline make?"), "the questions were embedded");
    assert.match(result.stdout, /^\s*without vector\b/m);
    const json = JSON.parse(readFileSync(join(sandbox.directory, "ablation.json"), "utf8")) as {
      ablation: { configuration: string; config: { embedder: string; generators: string } }[];
    };
    const byLabel = new Map(json.ablation.map((run) => [run.configuration, run.config]));
    assert.equal(byLabel.get("defaults")?.embedder, EMBEDDER_NAME);
    assert.match(byLabel.get("defaults")?.generators ?? "", /vector/);
    assert.equal(byLabel.get("without vector")?.embedder, "none");
  });
});
