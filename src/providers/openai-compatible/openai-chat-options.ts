import { invalidInput } from "../../domain/memory-error.js";
import { abortableSleep } from "./abortable-sleep.js";
import type { HttpSettings } from "./post-json.js";
import { endpointURL, nonNegativeInteger, optionalFunction, positiveInteger, requestHeaders, requireText } from "./check-options.js";

/**
 * How the adapter asks for JSON:
 * - `"json_schema"`: OpenAI structured outputs, `response_format: { type: "json_schema", json_schema: { name, schema, strict: true } }`;
 * - `"json_object"`: JSON mode, `response_format: { type: "json_object" }`, with the schema in the system prompt;
 * - `"none"`: no `response_format`; the schema goes in the system prompt and the JSON is found in the reply
 *   (bare, or in a fenced block), for servers that reject `response_format`.
 */
export type StructuredOutput = "json_schema" | "json_object" | "none";

const STRUCTURED_OUTPUTS: readonly StructuredOutput[] = ["json_schema", "json_object", "none"];

export interface OpenAIChatOptions {
  /** The API root, e.g. "https://api.openai.com/v1" or Ollama's "http://127.0.0.1:11434/v1"; requests go to `${baseURL}/chat/completions`. */
  baseURL: string;
  /** The chat model, e.g. "gpt-4o-mini" or "qwen2.5:7b". */
  model: string;
  /** Sent as `Authorization: Bearer <apiKey>`. Local servers (Ollama, vLLM, LM Studio) usually need none. */
  apiKey?: string;
  /** See `StructuredOutput`. Use "json_object" or "none" for servers without JSON-schema output (Ollama before 0.5, older vLLM). @default "json_schema" */
  structuredOutput?: StructuredOutput;
  /** Extra request headers, e.g. `{ "api-key": "…" }` for Azure or an organisation header. */
  headers?: Record<string, string>;
  /** Names the provider in `name` and in errors' `details.provider`. @default "openai-compatible" */
  provider?: string;
  /** Each request (attempt) is aborted after this long. @default 60_000 */
  timeoutMs?: number;
  /** Retries of a request after a network error, a timeout, HTTP 429 or 5xx; other errors fail at once. @default 3 */
  maxRetries?: number;
  /** The longest `Retry-After` honoured; a server that asks for more fails the call at once. @default 60_000 */
  maxRetryAfterMs?: number;
  /** Replies that are not JSON or that `parse` rejects, retried before the call fails. @default 1 */
  maxInvalidReplies?: number;
  /** @default globalThis.fetch */
  fetch?: typeof globalThis.fetch;
  /** Waits between retries; tests pass one that records and resolves at once. @default a timer, cut short by the caller's signal */
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  /** Uniform in [0, 1), for backoff jitter. @default Math.random */
  random?: () => number;
  /** Milliseconds since the epoch, to read `Retry-After` dates. @default Date.now */
  now?: () => number;
}

/** The options checked, with defaults applied. */
export interface ChatSettings {
  http: HttpSettings;
  url: string;
  model: string;
  headers: Record<string, string>;
  structuredOutput: StructuredOutput;
  maxInvalidReplies: number;
}

/** Checks `options` and applies defaults; throws `invalid_input` naming the first bad option. */
export function resolveChatOptions(options: OpenAIChatOptions): ChatSettings {
  if (typeof options !== "object" || options === null) throw invalidInput("options", "must be an object: { baseURL, model }.");
  const url = endpointURL(options.baseURL, "chat/completions");
  const model = requireText("model", options.model, 'e.g. "gpt-4o-mini"');
  const provider = options.provider === undefined ? "openai-compatible" : requireText("provider", options.provider, 'e.g. "ollama"');
  const structuredOutput = options.structuredOutput ?? "json_schema";
  if (!STRUCTURED_OUTPUTS.includes(structuredOutput)) {
    throw invalidInput("structuredOutput", `must be one of ${STRUCTURED_OUTPUTS.map((mode) => `"${mode}"`).join(", ")}, got ${JSON.stringify(structuredOutput) ?? "undefined"}.`);
  }
  return {
    http: {
      provider,
      fetch: optionalFunction("fetch", options.fetch) ?? ((input, init) => globalThis.fetch(input, init)),
      sleep: optionalFunction("sleep", options.sleep) ?? abortableSleep,
      random: optionalFunction("random", options.random) ?? Math.random,
      now: optionalFunction("now", options.now) ?? Date.now,
      timeoutMs: positiveInteger("timeoutMs", options.timeoutMs, 60_000),
      maxRetries: nonNegativeInteger("maxRetries", options.maxRetries, 3),
      maxRetryAfterMs: nonNegativeInteger("maxRetryAfterMs", options.maxRetryAfterMs, 60_000),
    },
    url,
    model,
    headers: requestHeaders(options.apiKey, options.headers),
    structuredOutput,
    maxInvalidReplies: nonNegativeInteger("maxInvalidReplies", options.maxInvalidReplies, 1),
  };
}
