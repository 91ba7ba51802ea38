import assert from "node:assert/strict";
import { describe, it, type TestContext } from "node:test";
import { hashedEmbedding, startOpenAITestServer, type OpenAITestServer, type OpenAITestServerOptions } from "../../testing/openai-test-server.js";
import { MemoryError } from "../../domain/memory-error.js";
import { rejectsWith } from "../../testing/store-contract-fixtures.js";
import type { Embedder } from "../embedder.js";
import { abortableSleep } from "./abortable-sleep.js";
import { createOpenAIEmbedder, type OpenAIEmbedderOptions } from "./create-openai-embedder.js";

const DIMENSIONS = 32;

interface Setup {
  server: OpenAITestServer;
  embedder: Embedder;
  /** Every wait the embedder asked for, in ms; none really happens. */
  sleeps: number[];
}

/** A test server and an embedder pointed at it, whose sleeps are recorded and resolve at once. */
async function setup(t: TestContext, options: Partial<OpenAIEmbedderOptions> = {}, serverOptions: OpenAITestServerOptions = {}): Promise<Setup> {
  const server = await startOpenAITestServer({ dimensions: DIMENSIONS, ...serverOptions });
  t.after(() => server.close());
  const sleeps: number[] = [];
  const embedder = createOpenAIEmbedder({
    baseURL: server.baseURL,
    model: "test-model",
    dimensions: DIMENSIONS,
    random: () => 0.5,
    sleep: async (ms) => void sleeps.push(ms),
    ...options,
  });
  return { server, embedder, sleeps };
}

/** What the embedder should return for a text: the server's vector, as float32. */
function expected(text: string, dimensions = DIMENSIONS): Float32Array {
  return new Float32Array(hashedEmbedding(text, dimensions));
}

function assertClose(actual: Float32Array | undefined, wanted: ArrayLike<number>, message?: string): void {
  assert.ok(actual, message ?? "a vector");
  assert.equal(actual.length, wanted.length, message);
  actual.forEach((value, index) => assert.ok(Math.abs(value - (wanted[index] ?? Number.NaN)) < 1e-6, `${message ?? "vector"}[${index}]: ${value} vs ${wanted[index]}`));
}

function dot(a: Float32Array, b: Float32Array): number {
  return a.reduce((sum, value, index) => sum + value * (b[index] ?? 0), 0);
}

/** A reply body with these raw vectors, indexed in order. */
function reply(vectors: unknown[]): unknown {
  return { object: "list", model: "test-model", data: vectors.map((embedding, index) => ({ object: "embedding", index, embedding })) };
}

const unit = (first: number, dimensions = DIMENSIONS): number[] => Array.from({ length: dimensions }, (_, index) => (index === 0 ? first : 0));

describe("createOpenAIEmbedder", () => {
  describe("embedding", () => {
    it("sends the OpenAI request and returns the server's vectors, unit length, in input order", async (t) => {
      const { server, embedder } = await setup(t);
      const texts = ["The cat sat on the mat.", "Deploy the server on Friday."];
      const vectors = await embedder.embed(texts);
      assert.equal(vectors.length, 2);
      vectors.forEach((vector, index) => {
        assert.ok(vector instanceof Float32Array);
        assertClose(vector, expected(texts[index]!), texts[index]);
        assert.ok(Math.abs(Math.hypot(...vector) - 1) < 1e-6);
      });
      assert.equal(server.requests.length, 1);
      const [request] = server.requests;
      assert.equal(request?.method, "POST");
      assert.equal(request?.path, "/v1/embeddings");
      assert.equal(request?.headers["content-type"], "application/json");
      assert.equal(request?.headers.authorization, undefined, "no key, no Authorization header");
      assert.deepEqual(request?.body, { model: "test-model", input: texts, encoding_format: "float" });
    });

    it("is named after provider, model and dimensions", async (t) => {
      const { embedder } = await setup(t);
      assert.equal(embedder.name, "openai-compatible/test-model@32");
      assert.equal(embedder.dimensions, 32);
      assert.equal(embedder.maxBatchSize, 64);
      assert.equal(createOpenAIEmbedder({ baseURL: "http://127.0.0.1:11434/v1/", model: "nomic-embed-text", dimensions: 768, provider: "ollama", maxBatchSize: 8 }).name, "ollama/nomic-embed-text@768");
    });

    it("keeps the provider's similarities: texts that share words are closer", async (t) => {
      const { embedder } = await setup(t, { dimensions: 128 }, { dimensions: 128 });
      const [cat, kitten, invoice] = await embedder.embed(["my cat sleeps on the sofa", "the cat sleeps all day", "quarterly invoice totals"]);
      assert.ok(cat && kitten && invoice);
      assert.ok(dot(cat, kitten) > dot(cat, invoice) + 0.2, `${dot(cat, kitten)} vs ${dot(cat, invoice)}`);
    });

    it("returns [] for no texts without sending a request", async (t) => {
      const { server, embedder } = await setup(t);
      assert.deepEqual(await embedder.embed([]), []);
      assert.equal(server.requests.length, 0);
    });

    it("refuses an empty or blank text, naming it, before any request", async (t) => {
      const { server, embedder } = await setup(t);
      const error = await rejectsWith(embedder.embed(["fine", "  \n"]), "invalid_input");
      assert.equal(error.details.field, "texts[1]");
      assert.match(error.message, /non-whitespace/);
      assert.equal((await rejectsWith(embedder.embed([""]), "invalid_input")).details.field, "texts[0]");
      assert.equal((await rejectsWith(embedder.embed(["ok", 42 as unknown as string]), "invalid_input")).details.field, "texts[1]");
      assert.equal((await rejectsWith(embedder.embed("one text" as unknown as string[]), "invalid_input")).details.field, "texts");
      assert.equal(server.requests.length, 0);
    });

    it("sends the API key as a bearer token, and extra headers", async (t) => {
      const { server, embedder } = await setup(t, { apiKey: "sk-test", headers: { "X-Team": "memory" } }, { apiKey: "sk-test" });
      assert.equal((await embedder.embed(["hello"])).length, 1);
      assert.equal(server.requests[0]?.headers.authorization, "Bearer sk-test");
      assert.equal(server.requests[0]?.headers["x-team"], "memory");
    });

    it("sends dimensions only when sendDimensions is true", async (t) => {
      const { server, embedder } = await setup(t, { dimensions: 16, sendDimensions: true });
      const [vector] = await embedder.embed(["shorter vectors"]);
      assert.equal((server.requests[0]?.body as { dimensions?: number }).dimensions, 16);
      assertClose(vector, expected("shorter vectors", 16));
    });
  });

  describe("batching", () => {
    it("splits 150 texts into requests of at most maxBatchSize and keeps their order", async (t) => {
      const { server, embedder } = await setup(t);
      const texts = Array.from({ length: 150 }, (_, index) => `note number ${index} about topic ${index % 7}`);
      const vectors = await embedder.embed(texts);
      assert.deepEqual(
        server.requests.map((request) => (request.body as { input: string[] }).input.length),
        [64, 64, 22],
      );
      assert.deepEqual(server.requests.flatMap((request) => (request.body as { input: string[] }).input), texts);
      assert.equal(vectors.length, 150);
      vectors.forEach((vector, index) => assertClose(vector, expected(texts[index]!), `texts[${index}]`));
    });

    it("also splits by maxBatchChars, sending a text longer than the limit on its own", async (t) => {
      const { server, embedder } = await setup(t, { maxBatchChars: 100 });
      const short = "x".repeat(40);
      const long = "y".repeat(150);
      const vectors = await embedder.embed([`${short}1`, `${short}2`, `${short}3`, long, `${short}4`]);
      assert.deepEqual(
        server.requests.map((request) => (request.body as { input: string[] }).input.map((text) => text.at(-1))),
        [["1", "2"], ["3"], ["y"], ["4"]],
      );
      assert.equal(vectors.length, 5);
      assertClose(vectors[3], expected(long));
    });
  });

  describe("reading replies", () => {
    it("puts embeddings in input order by their index", async (t) => {
      const { server, embedder } = await setup(t);
      server.script({ body: (_request: unknown, standard: () => { data: unknown[] }) => ({ ...standard(), data: [...standard().data].reverse() }) });
      const texts = ["alpha beta", "gamma delta", "epsilon zeta"];
      const vectors = await embedder.embed(texts);
      vectors.forEach((vector, index) => assertClose(vector, expected(texts[index]!), texts[index]));
    });

    it("takes items without an index in reply order", async (t) => {
      const { server, embedder } = await setup(t);
      server.script({ body: { data: [{ embedding: unit(2) }, { embedding: unit(-1) }] } });
      const [first, second] = await embedder.embed(["one", "two"]);
      assert.equal(first?.[0], 1);
      assert.equal(second?.[0], -1);
    });

    it("L2-normalises what the provider returns", async (t) => {
      const { server, embedder } = await setup(t);
      server.script({ body: reply([[3, 4, ...new Array<number>(DIMENSIONS - 2).fill(0)]]) });
      const [vector] = await embedder.embed(["anything"]);
      assertClose(vector, [0.6, 0.8, ...new Array<number>(DIMENSIONS - 2).fill(0)]);
    });

    it("accepts base64 float32 embeddings", async (t) => {
      const { server, embedder } = await setup(t);
      const floats = new Float32Array(unit(5));
      floats[1] = 12;
      server.script({ body: reply([Buffer.from(floats.buffer).toString("base64")]) });
      const [vector] = await embedder.embed(["anything"]);
      assertClose(vector, [5 / 13, 12 / 13, ...new Array<number>(DIMENSIONS - 2).fill(0)]);
    });

    const malformed: { name: string; reply: { body?: unknown; raw?: string }; texts?: string[]; pattern: RegExp }[] = [
      { name: "a body that is not JSON", reply: { raw: "{not json" }, pattern: /not JSON: "\{not json"/ },
      { name: "an HTML page", reply: { raw: "<html>Bad gateway</html>" }, pattern: /not JSON/ },
      { name: "no data array", reply: { body: { object: "list" } }, pattern: /no "data" array/ },
      { name: "too few embeddings", reply: { body: reply([unit(1), unit(1)]) }, texts: ["a", "b", "c"], pattern: /2 embeddings for 3 texts/ },
      { name: "too many embeddings", reply: { body: reply([unit(1), unit(1)]) }, texts: ["a"], pattern: /2 embeddings for 1 texts/ },
      { name: "a duplicate index", reply: { body: { data: [{ index: 0, embedding: unit(1) }, { index: 0, embedding: unit(1) }] } }, texts: ["a", "b"], pattern: /index 0 appears twice/ },
      { name: "an index out of range", reply: { body: { data: [{ index: 0, embedding: unit(1) }, { index: 2, embedding: unit(1) }] } }, texts: ["a", "b"], pattern: /data\[1\]\.index is 2/ },
      { name: "an index on some items only", reply: { body: { data: [{ index: 0, embedding: unit(1) }, { embedding: unit(1) }] } }, texts: ["a", "b"], pattern: /1 of 2 items have an "index"/ },
      { name: "an item that is not an object", reply: { body: { data: [unit(1)] } }, pattern: /data\[0\] is an array/ },
      { name: "a missing embedding", reply: { body: { data: [{ index: 0 }] } }, pattern: /texts\[0\] is missing/ },
      { name: "a number given as a string", reply: { body: reply([["0.5", ...unit(0).slice(1)]]) }, pattern: /"0\.5" at position 0/ },
      { name: "a number too large for a double (Infinity)", reply: { raw: `{"data":[{"index":0,"embedding":[1e999${",0".repeat(DIMENSIONS - 1)}]}]}` }, pattern: /Infinity at position 0, not a finite number/ },
      { name: "a null in the vector", reply: { body: reply([[0.1, null, ...unit(0).slice(2)]]) }, pattern: /null at position 1/ },
      { name: "an all-zero vector", reply: { body: reply([unit(0)]) }, pattern: /all zeros/ },
      { name: "base64 that is not whole floats", reply: { body: reply([Buffer.from([1, 2, 3]).toString("base64")]) }, pattern: /3 bytes, not a whole number of float32/ },
    ];
    for (const { name, reply: scripted, texts = ["a"], pattern } of malformed) {
      it(`fails with a provider error, without retrying, on ${name}`, async (t) => {
        const { server, embedder, sleeps } = await setup(t);
        server.script(scripted);
        const error = await rejectsWith(embedder.embed(texts), "provider");
        assert.match(error.message, pattern);
        assert.match(error.message, /^openai-compatible: /);
        assert.equal(error.details.provider, "openai-compatible");
        assert.equal(error.details.url, `${server.baseURL}/embeddings`);
        assert.equal(server.requests.length, 1);
        assert.deepEqual(sleeps, []);
      });
    }

    it("fails when the vectors are not `dimensions` long, saying which size to configure", async (t) => {
      const { server, embedder } = await setup(t);
      server.script({ body: reply([unit(1, 8)]) });
      const error = await rejectsWith(embedder.embed(["a"]), "provider");
      assert.match(error.message, /has 8 dimensions, but the embedder was created with dimensions: 32\. Set dimensions to 8/);
      assert.equal(error.details.expected, 32);
      assert.equal(error.details.actual, 8);
    });
  });

  describe("retries", () => {
    it("retries a 429 after the Retry-After seconds, then succeeds", async (t) => {
      const { server, embedder, sleeps } = await setup(t);
      server.script({ status: 429, headers: { "retry-after": "2" } });
      const [vector] = await embedder.embed(["rate limited"]);
      assertClose(vector, expected("rate limited"));
      assert.deepEqual(sleeps, [2000]);
      assert.equal(server.requests.length, 2);
      assert.equal(server.unusedReplies(), 0);
    });

    it("reads Retry-After as an HTTP date and OpenAI's retry-after-ms", async (t) => {
      const now = Date.parse("2024-03-01T12:00:00Z");
      const { server, embedder, sleeps } = await setup(t, { now: () => now });
      server.script({ status: 429, headers: { "retry-after": "Fri, 01 Mar 2024 12:00:07 GMT" } }, { status: 503, headers: { "retry-after-ms": "1250", "retry-after": "9" } });
      assert.equal((await embedder.embed(["later"])).length, 1);
      assert.deepEqual(sleeps, [7000, 1250]);
    });

    it("retries 5xx with exponential backoff and jitter, then succeeds", async (t) => {
      const { server, embedder, sleeps } = await setup(t);
      server.script({ status: 500 }, { status: 502, raw: "Bad gateway" }, { status: 503 });
      assert.equal((await embedder.embed(["flaky"])).length, 1);
      // random() = 0.5 waits 3/4 of 500, 1000, 2000 ms.
      assert.deepEqual(sleeps, [375, 750, 1500]);
      assert.equal(server.requests.length, 4);
    });

    it("gives up after maxRetries with a provider error carrying the status and attempts", async (t) => {
      const { server, embedder, sleeps } = await setup(t, { maxRetries: 2 });
      server.script({ status: 503, body: { error: { message: "The engine is currently overloaded" } } }, { status: 503 }, { status: 503, body: { error: { message: "The engine is currently overloaded" } } });
      const error = await rejectsWith(embedder.embed(["busy"]), "provider");
      assert.equal(error.details.status, 503);
      assert.equal(error.details.attempt, 3);
      assert.match(error.message, /HTTP 503: The engine is currently overloaded \(gave up after 3 attempts\)\. .*retry later/);
      assert.equal(server.requests.length, 3);
      assert.equal(sleeps.length, 2);
    });

    it("does not retry when maxRetries is 0", async (t) => {
      const { server, embedder, sleeps } = await setup(t, { maxRetries: 0 });
      server.script({ status: 429 });
      const error = await rejectsWith(embedder.embed(["once"]), "provider");
      assert.equal(error.details.status, 429);
      assert.match(error.message, /rate-limiting/);
      assert.equal(server.requests.length, 1);
      assert.deepEqual(sleeps, []);
    });

    it("fails at once when Retry-After asks for longer than maxRetryAfterMs", async (t) => {
      const { server, embedder, sleeps } = await setup(t, { maxRetryAfterMs: 5000 });
      server.script({ status: 429, headers: { "retry-after": "3600" } });
      const error = await rejectsWith(embedder.embed(["quota"]), "provider");
      assert.equal(error.details.retryAfterMs, 3_600_000);
      assert.match(error.message, /retry after 3600000 ms, longer than maxRetryAfterMs \(5000 ms\)/);
      assert.equal(server.requests.length, 1);
      assert.deepEqual(sleeps, []);
    });

    it("does not retry a 401, and quotes the provider's message", async (t) => {
      const { server, embedder, sleeps } = await setup(t, { apiKey: "sk-wrong" }, { apiKey: "sk-right" });
      const error = await rejectsWith(embedder.embed(["secret"]), "provider");
      assert.equal(error.details.status, 401);
      assert.match(error.message, /HTTP 401: Incorrect API key provided.*Check apiKey\./);
      assert.doesNotMatch(error.message, /sk-wrong/);
      assert.equal(server.requests.length, 1);
      assert.deepEqual(sleeps, []);
    });

    it("does not retry a 400, and says what to check", async (t) => {
      const { server, embedder } = await setup(t, { sendDimensions: true });
      server.script({ status: 400, body: { error: { message: "This model does not support specifying dimensions.", type: "invalid_request_error" } } });
      const error = await rejectsWith(embedder.embed(["x"]), "provider");
      assert.match(error.message, /HTTP 400: This model does not support specifying dimensions\. Check model \("test-model"\), or set sendDimensions: false/);
      assert.equal(server.requests.length, 1);
    });

    it("quotes error bodies in the other common shapes", async (t) => {
      const { server, embedder } = await setup(t);
      server.script({ status: 404, body: { error: 'model "nomic" not found, try pulling it first' } }, { status: 422, body: { detail: "input too long" } }, { status: 403, raw: "" });
      assert.match((await rejectsWith(embedder.embed(["x"]), "provider")).message, /HTTP 404: model "nomic" not found, try pulling it first\. Check baseURL \(it usually ends in \/v1\) and model\./);
      assert.match((await rejectsWith(embedder.embed(["x"]), "provider")).message, /HTTP 422: input too long\./);
      assert.match((await rejectsWith(embedder.embed(["x"]), "provider")).message, /failed with HTTP 403\. Check apiKey\./);
    });

    it("times out a request after timeoutMs, retries it, then gives up", async (t) => {
      const { server, embedder, sleeps } = await setup(t, { timeoutMs: 50, maxRetries: 1 });
      server.script({ delayMs: 2000 }, { delayMs: 2000 });
      const started = Date.now();
      const error = await rejectsWith(embedder.embed(["slow"]), "provider");
      assert.match(error.message, /timed out after 50 ms \(gave up after 2 attempts\)\. Raise timeoutMs/);
      assert.equal(error.details.status, undefined);
      assert.equal(server.requests.length, 2);
      assert.equal(sleeps.length, 1);
      assert.ok(Date.now() - started < 1500, "did not wait for the slow replies");
    });

    it("retries when the server cannot be reached", async () => {
      const closed = await startOpenAITestServer();
      await closed.close();
      const sleeps: number[] = [];
      const embedder = createOpenAIEmbedder({ baseURL: closed.baseURL, model: "m", dimensions: 4, maxRetries: 2, random: () => 0, sleep: async (ms) => void sleeps.push(ms) });
      const error = await rejectsWith(embedder.embed(["anyone there?"]), "provider");
      assert.match(error.message, /could not reach the server \(.*ECONNREFUSED.*\) \(gave up after 3 attempts\)\. Check baseURL/);
      assert.ok(error.cause instanceof Error);
      assert.deepEqual(sleeps, [250, 500]);
    });
  });

  describe("cancelling", () => {
    it("rejects with the signal's reason, sending nothing, when already aborted", async (t) => {
      const { server, embedder } = await setup(t);
      const reason = new Error("user left");
      await assert.rejects(embedder.embed(["x"], { signal: AbortSignal.abort(reason) }), (error) => error === reason);
      assert.equal(server.requests.length, 0);
    });

    it("aborts a request in flight with the signal's reason and does not retry", async (t) => {
      const { server, embedder, sleeps } = await setup(t);
      server.script({ delayMs: 2000 });
      const controller = new AbortController();
      const reason = new Error("stop");
      setTimeout(() => controller.abort(reason), 30);
      await assert.rejects(embedder.embed(["x"], { signal: controller.signal }), (error) => error === reason);
      assert.equal(server.requests.length, 1);
      assert.deepEqual(sleeps, []);
    });

    it("stops waiting between retries when aborted", async (t) => {
      const controller = new AbortController();
      const reason = new Error("stop");
      const waits: number[] = [];
      const { server, embedder } = await setup(t, {
        sleep: (ms, signal) => {
          waits.push(ms);
          controller.abort(reason);
          return abortableSleep(ms, signal);
        },
      });
      server.script({ status: 503, headers: { "retry-after": "30" } });
      await assert.rejects(embedder.embed(["x"], { signal: controller.signal }), (error) => error === reason);
      assert.deepEqual(waits, [30_000]);
      assert.equal(server.requests.length, 1);
    });

    it("does not start the next batch once aborted", async (t) => {
      const controller = new AbortController();
      const reason = new Error("enough");
      // Aborts right after the first reply has been read in full, so only the next batch can notice.
      const fetchThenAbort: typeof fetch = async (input, init) => {
        const response = await fetch(input, init);
        const text = await response.text();
        controller.abort(reason);
        return new Response(text, { status: response.status, headers: response.headers });
      };
      const { server, embedder } = await setup(t, { maxBatchSize: 1, fetch: fetchThenAbort });
      await assert.rejects(embedder.embed(["a", "b", "c"], { signal: controller.signal }), (error) => error === reason);
      assert.equal(server.requests.length, 1);
    });
  });

  describe("options", () => {
    const base: OpenAIEmbedderOptions = { baseURL: "http://127.0.0.1:1/v1", model: "m", dimensions: 8 };
    const invalid: [string, Partial<Record<keyof OpenAIEmbedderOptions, unknown>>, RegExp][] = [
      ["baseURL", { baseURL: undefined }, /must be the API's root URL/],
      ["baseURL", { baseURL: "localhost:11434" }, /must be an http or https URL, got localhost:/],
      ["baseURL", { baseURL: "not a url" }, /is not a URL/],
      ["baseURL", { baseURL: "ftp://example.com/v1" }, /must be an http or https URL, got ftp:/],
      ["baseURL", { baseURL: "https://user:secret@example.com/v1" }, /must not contain credentials; pass the key as apiKey/],
      ["baseURL", { baseURL: "https://example.com/v1?key=1" }, /must not have a query/],
      ["model", { model: "" }, /must be a non-empty string/],
      ["dimensions", { dimensions: undefined }, /is required/],
      ["dimensions", { dimensions: 0 }, /must be a positive integer, got 0/],
      ["dimensions", { dimensions: 1.5 }, /got 1\.5/],
      ["maxBatchSize", { maxBatchSize: 0 }, /positive integer/],
      ["maxBatchChars", { maxBatchChars: -5 }, /positive integer/],
      ["timeoutMs", { timeoutMs: Number.POSITIVE_INFINITY }, /positive integer, got Infinity/],
      ["maxRetries", { maxRetries: -1 }, /0 or more, got -1/],
      ["maxRetryAfterMs", { maxRetryAfterMs: "60s" }, /0 or more, got 60s/],
      ["apiKey", { apiKey: " " }, /non-empty string when given/],
      ["apiKey", { apiKey: "sk-line\nbreak" }, /cannot be sent as an HTTP header/],
      ["headers.x-bad", { headers: { "x-bad": "a\r\nb" } }, /cannot be sent as an HTTP header/],
      ["headers.x-count", { headers: { "x-count": 3 } }, /must be a string, got number/],
      ["sendDimensions", { sendDimensions: "yes" }, /true or false/],
      ["fetch", { fetch: "fetch" }, /must be a function/],
      ["provider", { provider: "" }, /non-empty string/],
    ];
    for (const [field, change, pattern] of invalid) {
      it(`rejects ${field} = ${JSON.stringify(Object.values(change)[0]) ?? "undefined"} at creation`, () => {
        assert.throws(
          () => createOpenAIEmbedder({ ...base, ...change } as OpenAIEmbedderOptions),
          (error) => error instanceof MemoryError && error.code === "invalid_input" && error.details.field === field && pattern.test(error.message),
        );
      });
    }

    it("never puts the API key in an error", () => {
      assert.throws(
        () => createOpenAIEmbedder({ ...base, apiKey: "sk-secret\n" + "x" }),
        (error) => error instanceof MemoryError && !error.message.includes("sk-secret") && error.cause === undefined,
      );
    });

    it("accepts a base URL with or without a trailing slash", async (t) => {
      const server = await startOpenAITestServer({ dimensions: 4 });
      t.after(() => server.close());
      for (const baseURL of [server.baseURL, `${server.baseURL}/`, ` ${server.baseURL}// `]) {
        await createOpenAIEmbedder({ baseURL, model: "m", dimensions: 4 }).embed(["x"]);
      }
      assert.deepEqual(server.requests.map((request) => request.path), ["/v1/embeddings", "/v1/embeddings", "/v1/embeddings"]);
    });
  });
});
