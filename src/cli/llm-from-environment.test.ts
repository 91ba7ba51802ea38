import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { chatCompletion, startOpenAITestServer } from "../testing/openai-test-server.js";
import { MemoryError } from "../domain/memory-error.js";
import { LLM_EXAMPLE, LLM_VARIABLES, llmFromEnvironment } from "./llm-from-environment.js";

const API_KEY = "sk-test-0123456789abcdef";
const URL = "http://127.0.0.1:9/v1";

/** The error `llmFromEnvironment` throws for `environment`, checked to be `invalid_input` without the key anywhere in it. */
function configurationError(environment: Record<string, string>): MemoryError {
  let caught: unknown;
  assert.throws(
    () => llmFromEnvironment(environment),
    (error: unknown) => {
      caught = error;
      return true;
    },
  );
  assert.ok(caught instanceof MemoryError, `expected a MemoryError, got ${String(caught)}`);
  assert.equal(caught.code, "invalid_input", caught.message);
  for (let error: unknown = caught; error instanceof Error; error = error.cause) {
    assert.ok(!error.message.includes(API_KEY), `the API key is never in an error: ${error.message}`);
  }
  return caught;
}

describe("llmFromEnvironment", () => {
  it("returns undefined when no MNEMO_LLM_* variable is set, or all are blank", () => {
    assert.equal(llmFromEnvironment({}), undefined);
    assert.equal(llmFromEnvironment({ PATH: "/usr/bin", MNEMO_EMBEDDER_MODEL: "nomic-embed-text", MNEMO_LLM: "on" }), undefined);
    assert.equal(llmFromEnvironment({ MNEMO_LLM_BASE_URL: " ", MNEMO_LLM_MODEL: "", MNEMO_LLM_API_KEY: "  ", MNEMO_LLM_URL: "" }), undefined);
  });

  it("creates a chat model that sends the model and the key to the base URL", async (t) => {
    const server = await startOpenAITestServer({ apiKey: API_KEY });
    t.after(() => server.close());
    const llm = llmFromEnvironment({ MNEMO_LLM_BASE_URL: ` ${server.baseURL} `, MNEMO_LLM_MODEL: " test-chat ", MNEMO_LLM_API_KEY: API_KEY });
    assert.equal(llm?.name, "openai-compatible/test-chat");
    server.script({ body: chatCompletion('{"ok":true}') });
    const { value } = await llm.completeJson({ system: "Say ok.", user: "ok?", schema: { type: "object" }, schemaName: "ok", parse: (reply) => reply });
    assert.deepEqual(value, { ok: true });
    assert.equal(server.requests[0]?.path, "/v1/chat/completions");
    assert.equal(server.requests[0]?.headers.authorization, `Bearer ${API_KEY}`);
    assert.equal((server.requests[0]?.body as { model: string }).model, "test-chat");
  });

  it("sends no key when MNEMO_LLM_API_KEY is not set", async (t) => {
    const server = await startOpenAITestServer();
    t.after(() => server.close());
    const llm = llmFromEnvironment({ MNEMO_LLM_BASE_URL: server.baseURL, MNEMO_LLM_MODEL: "test-chat" });
    server.script({ body: chatCompletion("{}") });
    await llm?.completeJson({ system: "", user: "ok?", schema: { type: "object" }, schemaName: "ok", parse: (reply) => reply });
    assert.equal(server.requests[0]?.headers.authorization, undefined);
  });

  it("names every variable it reads, and the example sets the required ones", () => {
    assert.deepEqual(Object.keys(LLM_VARIABLES), ["MNEMO_LLM_BASE_URL", "MNEMO_LLM_MODEL", "MNEMO_LLM_API_KEY"]);
    const example = Object.fromEntries(LLM_EXAMPLE.split(" ").map((assignment) => assignment.split("=") as [string, string]));
    assert.equal(llmFromEnvironment(example)?.name, "openai-compatible/qwen2.5:7b");
  });

  const cases: { name: string; environment: Record<string, string>; field: string; message: RegExp }[] = [
    { name: "the URL without a model", environment: { MNEMO_LLM_BASE_URL: URL, MNEMO_LLM_API_KEY: API_KEY }, field: "MNEMO_LLM_MODEL", message: /^MNEMO_LLM_MODEL is not set, but MNEMO_LLM_BASE_URL is: name the chat model, e\.g\. MNEMO_LLM_MODEL=qwen2\.5:7b/ },
    { name: "a model without the URL", environment: { MNEMO_LLM_MODEL: "qwen2.5:7b" }, field: "MNEMO_LLM_MODEL", message: /^MNEMO_LLM_MODEL is set but MNEMO_LLM_BASE_URL is not\. Set MNEMO_LLM_BASE_URL to the chat completions API's root URL .*\(e\.g\. MNEMO_LLM_BASE_URL=http:\/\/127\.0\.0\.1:11434\/v1 .*\), or unset MNEMO_LLM_MODEL\.$/ },
    { name: "a key without the URL", environment: { MNEMO_LLM_API_KEY: API_KEY }, field: "MNEMO_LLM_API_KEY", message: /^MNEMO_LLM_API_KEY is set but MNEMO_LLM_BASE_URL is not\./ },
    { name: "a model and a key without the URL", environment: { MNEMO_LLM_MODEL: "m", MNEMO_LLM_API_KEY: API_KEY }, field: "MNEMO_LLM_MODEL", message: /^MNEMO_LLM_MODEL and MNEMO_LLM_API_KEY are set but MNEMO_LLM_BASE_URL is not\..*or unset MNEMO_LLM_MODEL and MNEMO_LLM_API_KEY\.$/ },
    { name: "a misspelt variable", environment: { MNEMO_LLM_BASE_URL: URL, MNEMO_LLM_MODEL: "m", MNEMO_LLM_KEY: API_KEY }, field: "MNEMO_LLM_KEY", message: /^MNEMO_LLM_KEY is not a variable mnemo reads\. Extraction with a language model is configured with MNEMO_LLM_BASE_URL, MNEMO_LLM_MODEL, MNEMO_LLM_API_KEY: rename or unset MNEMO_LLM_KEY\.$/ },
    { name: "two misspelt variables", environment: { MNEMO_LLM_URL: URL, MNEMO_LLM_NAME: "m" }, field: "MNEMO_LLM_URL", message: /^MNEMO_LLM_URL, MNEMO_LLM_NAME are not variables mnemo reads\./ },
    { name: "a URL that is not http", environment: { MNEMO_LLM_BASE_URL: "ftp://example.com/v1", MNEMO_LLM_MODEL: "m" }, field: "MNEMO_LLM_BASE_URL", message: /^MNEMO_LLM_BASE_URL: must be an http or https URL, got ftp:/ },
    { name: "a URL that is not a URL", environment: { MNEMO_LLM_BASE_URL: "localhost:11434", MNEMO_LLM_MODEL: "m" }, field: "MNEMO_LLM_BASE_URL", message: /^MNEMO_LLM_BASE_URL: must be an http or https URL/ },
    { name: "a URL with credentials", environment: { MNEMO_LLM_BASE_URL: `https://user:${API_KEY}@example.com/v1`, MNEMO_LLM_MODEL: "m" }, field: "MNEMO_LLM_BASE_URL", message: /^MNEMO_LLM_BASE_URL: must not contain credentials; pass the key as MNEMO_LLM_API_KEY instead\.$/ },
    { name: "a key that cannot be sent as a header", environment: { MNEMO_LLM_BASE_URL: URL, MNEMO_LLM_MODEL: "m", MNEMO_LLM_API_KEY: `${API_KEY}\nX-Other: 1` }, field: "MNEMO_LLM_API_KEY", message: /^MNEMO_LLM_API_KEY: cannot be sent as an HTTP header/ },
  ];
  for (const { name, environment, field, message } of cases) {
    it(`rejects ${name}, naming the variable`, () => {
      const error = configurationError(environment);
      assert.equal(error.details["field"], field);
      assert.match(error.message, message);
    });
  }
});
