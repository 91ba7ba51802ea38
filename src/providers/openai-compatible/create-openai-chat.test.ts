import assert from "node:assert/strict";
import { describe, it, type TestContext } from "node:test";
import { chatCompletion, startOpenAITestServer, type OpenAITestServer, type OpenAITestServerOptions } from "../../testing/openai-test-server.js";
import { MemoryError } from "../../domain/memory-error.js";
import { rejectsWith } from "../../testing/store-contract-fixtures.js";
import type { JsonCompletionRequest, LanguageModel } from "../llm.js";
import { createOpenAIChat } from "./create-openai-chat.js";
import type { OpenAIChatOptions } from "./openai-chat-options.js";

interface Cities {
  cities: string[];
}

const SCHEMA = { type: "object", properties: { cities: { type: "array", items: { type: "string" } } }, required: ["cities"], additionalProperties: false };

function parseCities(value: unknown): Cities {
  const cities = (value as Partial<Cities> | null)?.cities;
  if (!Array.isArray(cities) || !cities.every((city) => typeof city === "string")) throw new Error("cities must be an array of strings");
  return { cities };
}

const REQUEST: JsonCompletionRequest<Cities> = { system: "List the cities the user mentions.", user: "I moved from Boston to Denver.", schema: SCHEMA, schemaName: "cities", parse: parseCities };

interface Setup {
  server: OpenAITestServer;
  llm: LanguageModel;
  /** Every wait the adapter asked for, in ms; none really happens. */
  sleeps: number[];
}

async function setup(t: TestContext, options: Partial<OpenAIChatOptions> = {}, serverOptions: OpenAITestServerOptions = {}): Promise<Setup> {
  const server = await startOpenAITestServer(serverOptions);
  t.after(() => server.close());
  const sleeps: number[] = [];
  const llm = createOpenAIChat({ baseURL: server.baseURL, model: "test-model", random: () => 0.5, sleep: async (ms) => void sleeps.push(ms), ...options });
  return { server, llm, sleeps };
}

const GOOD = '{"cities":["Boston","Denver"]}';

/** The messages of the recorded request at `index`. */
function messages(server: OpenAITestServer, index: number): { role: string; content: string }[] {
  return (server.requests[index]?.body as { messages: { role: string; content: string }[] }).messages;
}

describe("createOpenAIChat", () => {
  describe("completing", () => {
    it("sends a json_schema chat completion at temperature 0 and returns the parsed value, usage and raw reply", async (t) => {
      const { server, llm } = await setup(t, { apiKey: "sk-test" }, { apiKey: "sk-test" });
      server.script({ body: chatCompletion(GOOD, { inputTokens: 42, outputTokens: 9 }) });
      const result = await llm.completeJson({ ...REQUEST, maxTokens: 200 });
      assert.deepEqual(result, { value: { cities: ["Boston", "Denver"] }, usage: { inputTokens: 42, outputTokens: 9 }, raw: GOOD });
      assert.equal(server.requests.length, 1);
      const [request] = server.requests;
      assert.equal(request?.path, "/v1/chat/completions");
      assert.equal(request?.headers.authorization, "Bearer sk-test");
      assert.deepEqual(request?.body, {
        model: "test-model",
        messages: [
          { role: "system", content: REQUEST.system },
          { role: "user", content: REQUEST.user },
        ],
        temperature: 0,
        max_tokens: 200,
        response_format: { type: "json_schema", json_schema: { name: "cities", schema: SCHEMA, strict: true } },
      });
      assert.equal(llm.name, "openai-compatible/test-model");
    });

    it('in "json_object" mode sends JSON mode and puts the schema in the system prompt', async (t) => {
      const { server, llm } = await setup(t, { structuredOutput: "json_object" });
      server.script({ body: chatCompletion(GOOD) });
      assert.deepEqual((await llm.completeJson(REQUEST)).value, { cities: ["Boston", "Denver"] });
      const body = server.requests[0]?.body as Record<string, unknown>;
      assert.deepEqual(body.response_format, { type: "json_object" });
      const system = messages(server, 0)[0];
      assert.equal(system?.role, "system");
      assert.ok(system?.content.startsWith(`${REQUEST.system}\n\nReply with only a JSON value`), system?.content);
      assert.ok(system?.content.endsWith(JSON.stringify(SCHEMA)), "the schema, verbatim");
    });

    it('in "none" mode sends no response_format and finds the JSON in a fenced block', async (t) => {
      const { server, llm } = await setup(t, { structuredOutput: "none" });
      const fenced = 'Here you go:\n```json\n{"cities": ["Denver"]}\n```\nAnything else?';
      server.script({ body: chatCompletion(fenced, { inputTokens: 5, outputTokens: 3 }) }, { body: chatCompletion('Sure. {"cities": []} Done.') });
      const first = await llm.completeJson(REQUEST);
      assert.deepEqual(first.value, { cities: ["Denver"] });
      assert.equal(first.raw, fenced, "raw is the reply as written, fence and all");
      assert.deepEqual((await llm.completeJson(REQUEST)).value, { cities: [] }, "or the braces in a sentence");
      const body = server.requests[0]?.body as Record<string, unknown>;
      assert.equal("response_format" in body, false);
      assert.match(messages(server, 0)[0]?.content ?? "", /matches this JSON Schema:\n\{"type":"object"/);
    });

    it("reads missing usage as 0 tokens", async (t) => {
      const { server, llm } = await setup(t);
      server.script({ body: { choices: [{ message: { role: "assistant", content: GOOD } }] } });
      assert.deepEqual((await llm.completeJson(REQUEST)).usage, { inputTokens: 0, outputTokens: 0 });
    });
  });

  describe("invalid replies", () => {
    it("retries a reply that is not JSON, telling the model why, then succeeds", async (t) => {
      const { server, llm } = await setup(t);
      server.script({ body: chatCompletion("Boston and Denver.", { inputTokens: 10, outputTokens: 4 }) }, { body: chatCompletion(GOOD, { inputTokens: 30, outputTokens: 8 }) });
      const result = await llm.completeJson(REQUEST);
      assert.deepEqual(result.value, { cities: ["Boston", "Denver"] });
      assert.deepEqual(result.usage, { inputTokens: 40, outputTokens: 12 }, "both requests' tokens");
      assert.equal(server.requests.length, 2);
      const retry = messages(server, 1);
      assert.equal(retry.length, 4);
      assert.deepEqual(retry[2], { role: "assistant", content: "Boston and Denver." });
      assert.match(retry[3]?.content ?? "", /^Your reply was rejected: it is not JSON \(.+\)\. Reply again with only the JSON value/);
      assert.deepEqual(llm.usage(), { calls: 1, failures: 0, invalidReplies: 1, inputTokens: 40, outputTokens: 12 });
    });

    it("fails with a provider error keeping the raw reply when parse rejects it twice", async (t) => {
      const { server, llm } = await setup(t);
      const wrong = JSON.stringify({ towns: ["Boston"], padding: "x".repeat(3000) });
      server.script({ body: chatCompletion(wrong) }, { body: chatCompletion(wrong) });
      const error = await rejectsWith(llm.completeJson(REQUEST), "provider");
      assert.equal(server.requests.length, 2);
      assert.match(error.message, /model "test-model" gave 2 invalid replies for "cities"; the last was rejected because it does not match the schema: cities must be an array of strings: "\{\\"towns\\"/);
      assert.equal(error.details.raw, `${wrong.slice(0, 2000)}…`);
      assert.equal(error.details.rawLength, wrong.length);
      assert.equal(error.details.attempts, 2);
      assert.equal(error.details.provider, "openai-compatible");
      assert.ok(error.cause instanceof Error && error.cause.message === "cities must be an array of strings");
      assert.deepEqual(llm.usage(), { calls: 1, failures: 1, invalidReplies: 2, inputTokens: 0, outputTokens: 0 });
    });

    it("does not retry invalid replies when maxInvalidReplies is 0, and says when the reply was cut off", async (t) => {
      const { server, llm } = await setup(t, { maxInvalidReplies: 0 });
      server.script({ body: chatCompletion('{"cities": ["Bos', { finishReason: "length" }) });
      const error = await rejectsWith(llm.completeJson(REQUEST), "provider");
      assert.equal(server.requests.length, 1);
      assert.match(error.message, /gave 1 invalid reply .*cut off at the token limit.*Raise maxTokens/);
      assert.equal(error.details.raw, '{"cities": ["Bos');
    });

    it("treats a refusal as an invalid reply and keeps it", async (t) => {
      const { server, llm } = await setup(t, { maxInvalidReplies: 0 });
      server.script({ body: { choices: [{ message: { role: "assistant", content: null, refusal: "I can't help with that." }, finish_reason: "stop" }] } });
      const error = await rejectsWith(llm.completeJson(REQUEST), "provider");
      assert.match(error.message, /the model refused: "I can't help with that\."/);
      assert.equal(error.details.raw, "I can't help with that.");
    });

    it("fails at once on a body that is not a chat completion", async (t) => {
      const { server, llm } = await setup(t);
      server.script({ body: { object: "list", data: [] } });
      const error = await rejectsWith(llm.completeJson(REQUEST), "provider");
      assert.match(error.message, /not a chat completion \(no choices\[0\]\.message\)/);
      assert.equal(server.requests.length, 1);
    });
  });

  describe("transport", () => {
    it("retries a 429 after the Retry-After seconds, then succeeds", async (t) => {
      const { server, llm, sleeps } = await setup(t);
      server.script({ status: 429, headers: { "retry-after": "3" } }, { body: chatCompletion(GOOD) });
      assert.deepEqual((await llm.completeJson(REQUEST)).value, { cities: ["Boston", "Denver"] });
      assert.deepEqual(sleeps, [3000]);
      assert.equal(server.requests.length, 2);
      assert.equal(llm.usage().invalidReplies, 0, "an HTTP retry is not an invalid reply");
    });

    it("does not retry a 401, and keeps the API key out of the error", async (t) => {
      const { server, llm, sleeps } = await setup(t, { apiKey: "sk-wrong" }, { apiKey: "sk-right" });
      const error = await rejectsWith(llm.completeJson(REQUEST), "provider");
      assert.equal(error.details.status, 401);
      assert.match(error.message, /HTTP 401: Incorrect API key provided.*Check apiKey\./);
      assert.doesNotMatch(error.message + JSON.stringify(error.details), /sk-wrong/);
      assert.equal(server.requests.length, 1);
      assert.deepEqual(sleeps, []);
      assert.deepEqual(llm.usage(), { calls: 1, failures: 1, invalidReplies: 0, inputTokens: 0, outputTokens: 0 });
    });

    it("suggests another structuredOutput when the server rejects json_schema with a 400", async (t) => {
      const { server, llm } = await setup(t);
      server.script({ status: 400, body: { error: { message: "response_format json_schema is not supported" } } });
      const error = await rejectsWith(llm.completeJson(REQUEST), "provider");
      assert.match(error.message, /HTTP 400: response_format json_schema is not supported\. Check model \("test-model"\), or set structuredOutput: "json_object" or "none"/);
    });

    it("times out a request after timeoutMs, retries it, then gives up", async (t) => {
      const { server, llm, sleeps } = await setup(t, { timeoutMs: 50, maxRetries: 1 });
      server.script({ delayMs: 2000, body: chatCompletion(GOOD) }, { delayMs: 2000, body: chatCompletion(GOOD) });
      const started = Date.now();
      const error = await rejectsWith(llm.completeJson(REQUEST), "provider");
      assert.match(error.message, /timed out after 50 ms \(gave up after 2 attempts\)\. Raise timeoutMs/);
      assert.equal(server.requests.length, 2);
      assert.equal(sleeps.length, 1);
      assert.ok(Date.now() - started < 1500, "did not wait for the slow replies");
    });

    it("fails with a provider error when the server goes away mid-request", async (t) => {
      const { server, llm, sleeps } = await setup(t, { maxRetries: 1 });
      server.script({ delayMs: 5000, body: chatCompletion(GOOD) });
      const pending = llm.completeJson(REQUEST);
      while (server.requests.length === 0) await new Promise((resolve) => setTimeout(resolve, 5));
      await server.close();
      const error = await rejectsWith(pending, "provider");
      assert.match(error.message, /could not reach the server \(.*ECONNREFUSED.*\) \(gave up after 2 attempts\)\. Check baseURL/);
      assert.equal(sleeps.length, 1, "the dropped connection was retried once");
      assert.equal(llm.usage().failures, 1);
    });

    it("rejects with the signal's reason, and does not count it as a failure", async (t) => {
      const { server, llm } = await setup(t);
      const reason = new Error("user left");
      await assert.rejects(llm.completeJson({ ...REQUEST, signal: AbortSignal.abort(reason) }), (error) => error === reason);
      assert.equal(server.requests.length, 0);
      assert.deepEqual(llm.usage(), { calls: 0, failures: 0, invalidReplies: 0, inputTokens: 0, outputTokens: 0 });
    });
  });

  describe("usage", () => {
    it("accumulates calls and tokens across calls", async (t) => {
      const { server, llm } = await setup(t, { maxInvalidReplies: 0 });
      server.script(
        { body: chatCompletion(GOOD, { inputTokens: 100, outputTokens: 20 }) },
        { body: chatCompletion('{"cities":[]}', { inputTokens: 50, outputTokens: 5 }) },
        { body: chatCompletion("nope", { inputTokens: 7, outputTokens: 1 }) },
      );
      await llm.completeJson(REQUEST);
      await llm.completeJson(REQUEST);
      await rejectsWith(llm.completeJson(REQUEST), "provider");
      assert.deepEqual(llm.usage(), { calls: 3, failures: 1, invalidReplies: 1, inputTokens: 157, outputTokens: 26 });
      const snapshot = llm.usage();
      snapshot.calls = 99;
      assert.equal(llm.usage().calls, 3, "usage() returns a copy");
    });
  });

  describe("options and requests", () => {
    const base: OpenAIChatOptions = { baseURL: "http://127.0.0.1:1/v1", model: "m" };
    const invalid: [string, Partial<Record<keyof OpenAIChatOptions, unknown>>, RegExp][] = [
      ["baseURL", { baseURL: "" }, /must be the API's root URL/],
      ["baseURL", { baseURL: "ftp://example.com/v1" }, /http or https/],
      ["baseURL", { baseURL: "https://user:secret@example.com/v1" }, /must not contain credentials/],
      ["model", { model: " " }, /must be a non-empty string/],
      ["structuredOutput", { structuredOutput: "json" }, /must be one of "json_schema", "json_object", "none", got "json"/],
      ["timeoutMs", { timeoutMs: 0 }, /positive integer, got 0/],
      ["maxRetries", { maxRetries: -1 }, /0 or more, got -1/],
      ["maxInvalidReplies", { maxInvalidReplies: 1.5 }, /0 or more, got 1\.5/],
      ["apiKey", { apiKey: "sk-line\nbreak" }, /cannot be sent as an HTTP header/],
      ["headers.x-count", { headers: { "x-count": 3 } }, /must be a string, got number/],
      ["sleep", { sleep: 5 }, /must be a function/],
    ];
    for (const [field, change, pattern] of invalid) {
      it(`rejects ${field} = ${JSON.stringify(Object.values(change)[0])} at creation`, () => {
        assert.throws(
          () => createOpenAIChat({ ...base, ...change } as OpenAIChatOptions),
          (error) => error instanceof MemoryError && error.code === "invalid_input" && error.details.field === field && pattern.test(error.message) && !error.message.includes("sk-line"),
        );
      });
    }

    const badRequests: [string, Partial<Record<keyof JsonCompletionRequest<Cities>, unknown>>][] = [
      ["user", { user: "  " }],
      ["schema", { schema: [] }],
      ["schemaName", { schemaName: "extracted memories" }],
      ["parse", { parse: undefined }],
      ["maxTokens", { maxTokens: 0 }],
    ];
    for (const [field, change] of badRequests) {
      it(`rejects a request with a bad ${field} before sending it`, async (t) => {
        const { server, llm } = await setup(t);
        const error = await rejectsWith(llm.completeJson({ ...REQUEST, ...change } as JsonCompletionRequest<Cities>), "invalid_input");
        assert.equal(error.details.field, field);
        assert.equal(server.requests.length, 0);
      });
    }

    it("posts to /chat/completions under a base URL with or without a trailing slash, named after provider", async (t) => {
      const server = await startOpenAITestServer();
      t.after(() => server.close());
      for (const baseURL of [server.baseURL, `${server.baseURL}/`]) {
        server.script({ body: chatCompletion(GOOD) });
        const llm = createOpenAIChat({ baseURL, model: "qwen", provider: "ollama" });
        assert.equal(llm.name, "ollama/qwen");
        await llm.completeJson(REQUEST);
      }
      assert.deepEqual(server.requests.map((request) => request.path), ["/v1/chat/completions", "/v1/chat/completions"]);
    });

    it("gets the test server's 500 when no reply is scripted", async (t) => {
      const { llm } = await setup(t, { maxRetries: 0 });
      const error = await rejectsWith(llm.completeJson(REQUEST), "provider");
      assert.match(error.message, /HTTP 500: The test server has no scripted reply/);
    });
  });
});
