/**
 * A chat model that answers with JSON, for extraction and consolidation. Optional: with no language model
 * (the default) mnemo extracts memories heuristically.
 *
 * Contract:
 * - `completeJson` sends one prompt and resolves only with a reply that is JSON and that `parse` accepted;
 *   `value` is what `parse` returned. Adapters ask for `schema` in the provider's structured-output mode
 *   when it has one, and otherwise put the schema in the prompt and find the JSON in the reply.
 * - A reply that is not JSON, or that `parse` rejects (by throwing), is retried a bounded number of times;
 *   then the call fails with a `MemoryError` of code `provider` whose `details.raw` holds the last reply
 *   (truncated), so the caller can keep it for inspection, and `details.usage` the tokens the call spent.
 * - Transport failures (unreachable, timed out, HTTP 429 or 5xx) are retried by the adapter; what is left
 *   is a `MemoryError` with code `provider`, `details.provider` naming the adapter and `details.status` the
 *   HTTP status when there was one. Arguments the caller got wrong are `invalid_input` with `details.field`,
 *   before any request. Errors never contain API keys.
 * - Replies are as deterministic as the provider allows (temperature 0), but not guaranteed identical.
 * - Calls are independent and may run concurrently; an aborted `signal` rejects with its reason.
 */
export interface LanguageModel {
  /** Identifies provider and model, e.g. "openai-compatible/gpt-4o-mini". */
  readonly name: string;
  completeJson<T>(request: JsonCompletionRequest<T>): Promise<JsonCompletion<T>>;
  /** Totals since the model was created, in this process: what `mnemo stats` reports. */
  usage(): LanguageModelUsage;
}

/** A JSON Schema object (draft 2020-12 subset the provider supports), e.g. `{ type: "object", properties: {…}, required: […] }`. */
export type JsonSchema = Readonly<Record<string, unknown>>;

export interface JsonCompletionRequest<T> {
  /** Instructions: what to extract and how. */
  system: string;
  /** The material to work on, e.g. the conversation turns. */
  user: string;
  /** What the reply must look like. With OpenAI's strict mode, every object needs `additionalProperties: false` and all its properties `required`. */
  schema: JsonSchema;
  /** Names the schema for the provider: 1–64 letters, digits, `_` or `-`, e.g. "extracted_memories". */
  schemaName: string;
  /** Checks the parsed reply and returns it typed; throws (with a message saying what is wrong) to reject it. */
  parse: (value: unknown) => T;
  /** The most tokens the reply may have. @default the provider's limit */
  maxTokens?: number;
  /** Cancels the call, including retry waits; the promise rejects with the signal's reason. */
  signal?: AbortSignal;
}

export interface JsonCompletion<T> {
  /** What `parse` returned for the accepted reply. */
  value: T;
  /** Tokens of every request this call made, rejected replies included (they were paid for). */
  usage: TokenUsage;
  /** The accepted reply's text as the model wrote it. */
  raw: string;
}

export interface TokenUsage {
  /** Prompt tokens, as the provider counted them; 0 when it did not say. */
  inputTokens: number;
  /** Reply tokens, as the provider counted them; 0 when it did not say. */
  outputTokens: number;
}

export interface LanguageModelUsage extends TokenUsage {
  /** `completeJson` calls that finished, succeeded or failed (a caller's abort is not counted). */
  calls: number;
  /** Calls of `calls` that failed. */
  failures: number;
  /** Replies rejected as not JSON or by `parse`, whether or not a retry then succeeded. */
  invalidReplies: number;
}
