import { invalidInput, MemoryError } from "../../domain/memory-error.js";
import type { JsonCompletion, JsonCompletionRequest, LanguageModel, LanguageModelUsage, TokenUsage } from "../llm.js";
import { extractJson } from "./extract-json.js";
import { resolveChatOptions, type ChatSettings, type OpenAIChatOptions } from "./openai-chat-options.js";
import { postJson } from "./post-json.js";
import { readChatReply, type ChatReply } from "./read-chat-reply.js";

export type { OpenAIChatOptions, StructuredOutput } from "./openai-chat-options.js";

/** How much of a rejected reply an error keeps in `details.raw`. */
const MAX_RAW_CHARS = 2_000;

interface ChatMessage {
  role: "system" | "user" | "assistant";
  content: string;
}

/** Why a reply was rejected. */
interface Rejection {
  problem: string;
  cause?: unknown;
}

/**
 * A `LanguageModel` for any server speaking OpenAI's `POST /v1/chat/completions` (OpenAI, Ollama, vLLM,
 * LM Studio, llama.cpp, …), at temperature 0. Asks for JSON as `structuredOutput` says; retries transient
 * failures (see `maxRetries`) and invalid replies (see `maxInvalidReplies`), telling the model what was wrong
 * with its previous reply. Options are checked here, synchronously; nothing is sent until `completeJson`.
 *
 * @example
 * const llm = createOpenAIChat({ baseURL: "http://127.0.0.1:11434/v1", model: "qwen2.5:7b", structuredOutput: "json_object" });
 * const { value } = await llm.completeJson({
 *   system: "List the cities the user mentions.",
 *   user: "I moved from Boston to Denver.",
 *   schemaName: "cities",
 *   schema: { type: "object", properties: { cities: { type: "array", items: { type: "string" } } }, required: ["cities"], additionalProperties: false },
 *   parse: (reply) => reply as { cities: string[] },
 * });
 */
export function createOpenAIChat(options: OpenAIChatOptions): LanguageModel {
  const settings = resolveChatOptions(options);
  const totals: LanguageModelUsage = { calls: 0, failures: 0, invalidReplies: 0, inputTokens: 0, outputTokens: 0 };
  return {
    name: `${settings.http.provider}/${settings.model}`,
    async completeJson<T>(request: JsonCompletionRequest<T>): Promise<JsonCompletion<T>> {
      checkRequest(request);
      request.signal?.throwIfAborted();
      try {
        const completion = await complete(settings, request, totals);
        totals.calls += 1;
        return completion;
      } catch (error) {
        if (!(request.signal?.aborted && error === request.signal.reason)) {
          totals.calls += 1;
          totals.failures += 1;
        }
        throw error;
      }
    },
    usage: () => ({ ...totals }),
  };
}

async function complete<T>(settings: ChatSettings, request: JsonCompletionRequest<T>, totals: LanguageModelUsage): Promise<JsonCompletion<T>> {
  const { http, url, model, headers, structuredOutput } = settings;
  const usage: TokenUsage = { inputTokens: 0, outputTokens: 0 };
  const system = structuredOutput === "json_schema" ? request.system : withSchema(request.system, request.schema);
  let messages: ChatMessage[] = [...(system === "" ? [] : [{ role: "system" as const, content: system }]), { role: "user", content: request.user }];
  const hint = (status: number): string | undefined =>
    status === 400 || status === 422
      ? `Check model ("${model}")${structuredOutput === "json_schema" ? ', or set structuredOutput: "json_object" or "none" if the server does not support JSON-schema output' : ""}.`
      : undefined;
  for (let attempt = 1; ; attempt += 1) {
    const body = {
      model,
      messages,
      temperature: 0,
      ...(request.maxTokens === undefined ? {} : { max_tokens: request.maxTokens }),
      ...responseFormat(settings, request),
    };
    const reply = readChatReply(await postJson(http, { url, headers, body, signal: request.signal, hint }), { provider: http.provider, url });
    for (const counts of [usage, totals]) {
      counts.inputTokens += reply.usage.inputTokens;
      counts.outputTokens += reply.usage.outputTokens;
    }
    const outcome = accept(reply, request.parse);
    if ("value" in outcome) return { value: outcome.value, usage, raw: reply.content };
    totals.invalidReplies += 1;
    if (attempt > settings.maxInvalidReplies) throw invalidReplyError(settings, request, reply, outcome, attempt, usage);
    messages = [
      ...messages,
      { role: "assistant", content: reply.content === "" ? (reply.refusal ?? "(no reply)") : reply.content },
      { role: "user", content: `Your reply was rejected: ${outcome.problem}. Reply again with only the JSON value, matching the schema.` },
    ];
  }
}

function responseFormat(settings: ChatSettings, request: JsonCompletionRequest<unknown>): Record<string, unknown> {
  if (settings.structuredOutput === "json_schema") {
    return { response_format: { type: "json_schema", json_schema: { name: request.schemaName, schema: request.schema, strict: true } } };
  }
  return settings.structuredOutput === "json_object" ? { response_format: { type: "json_object" } } : {};
}

/** Servers without JSON-schema output learn the schema from the prompt (JSON mode also requires the word "JSON" there). */
function withSchema(system: string, schema: unknown): string {
  const instruction = `Reply with only a JSON value, and no other text, that matches this JSON Schema:\n${JSON.stringify(schema)}`;
  return system === "" ? instruction : `${system}\n\n${instruction}`;
}

function accept<T>(reply: ChatReply, parse: (value: unknown) => T): { value: T } | Rejection {
  if (reply.refusal !== undefined && reply.content === "") return { problem: `the model refused: ${JSON.stringify(truncate(reply.refusal, 300))}` };
  const json = extractJson(reply.content);
  if ("error" in json) {
    const problem = reply.finishReason === "length" ? "it was cut off at the token limit (finish_reason \"length\"), so it is not complete JSON" : `it is not JSON (${json.error.message})`;
    return { problem, cause: json.error };
  }
  try {
    return { value: parse(json.value) };
  } catch (error) {
    return { problem: `it does not match the schema: ${truncate(error instanceof Error ? error.message : String(error), 500)}`, cause: error };
  }
}

function invalidReplyError(settings: ChatSettings, request: JsonCompletionRequest<unknown>, reply: ChatReply, rejection: Rejection, attempts: number, usage: TokenUsage): MemoryError {
  const raw = reply.content === "" ? (reply.refusal ?? "") : reply.content;
  const fix =
    reply.finishReason === "length"
      ? "Raise maxTokens, or send less per call."
      : settings.structuredOutput === "json_schema"
        ? "Check that the schema and the parse function agree, or raise maxInvalidReplies."
        : 'Use structuredOutput: "json_schema" if the server supports it, a model that follows JSON instructions better, or raise maxInvalidReplies.';
  const { provider } = settings.http;
  return new MemoryError(
    "provider",
    `${provider}: model "${settings.model}" gave ${attempts} invalid ${attempts === 1 ? "reply" : "replies"} for "${request.schemaName}"; the last was rejected because ${rejection.problem}: ${JSON.stringify(truncate(raw.trim(), 200))}. ${fix}`,
    {
      details: { provider, url: settings.url, model: settings.model, schemaName: request.schemaName, attempts, raw: truncate(raw, MAX_RAW_CHARS), rawLength: raw.length, finishReason: reply.finishReason, usage },
      cause: rejection.cause,
    },
  );
}

function checkRequest(request: JsonCompletionRequest<unknown>): void {
  if (typeof request !== "object" || request === null) throw invalidInput("request", "must be an object: { system, user, schema, schemaName, parse }.");
  if (typeof request.system !== "string") throw invalidInput("system", `must be a string, got ${typeof request.system}.`);
  if (typeof request.user !== "string" || request.user.trim() === "") throw invalidInput("user", "must be a non-empty string: the material the model works on.");
  if (typeof request.schema !== "object" || request.schema === null || Array.isArray(request.schema)) throw invalidInput("schema", "must be a JSON Schema object, e.g. { type: \"object\", properties: {…} }.");
  if (typeof request.schemaName !== "string" || !/^[A-Za-z0-9_-]{1,64}$/.test(request.schemaName)) {
    throw invalidInput("schemaName", `must be 1–64 letters, digits, "_" or "-", e.g. "extracted_memories"; got ${JSON.stringify(request.schemaName) ?? "undefined"}.`);
  }
  if (typeof request.parse !== "function") throw invalidInput("parse", `must be a function, got ${typeof request.parse}.`);
  if (request.maxTokens !== undefined && (!Number.isSafeInteger(request.maxTokens) || request.maxTokens < 1)) throw invalidInput("maxTokens", `must be a positive integer, got ${String(request.maxTokens)}.`);
}

function truncate(text: string, length: number): string {
  return text.length <= length ? text : `${text.slice(0, length)}…`;
}
