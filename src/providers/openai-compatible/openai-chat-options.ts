import { invalidInput } from "../../domain/memory-error.js";
import type { HttpSettings } from "./post-json.js";
import { endpointURL, nonNegativeInteger, requestHeaders, requireText, resolveHttpSettings, type OpenAICompatibleOptions } from "./check-options.js";

/**
 * How the adapter asks for JSON:
 * - `"json_schema"`: OpenAI structured outputs, `response_format: { type: "json_schema", json_schema: { name, schema, strict: true } }`;
 * - `"json_object"`: JSON mode, `response_format: { type: "json_object" }`, with the schema in the system prompt;
 * - `"none"`: no `response_format`; the schema goes in the system prompt and the JSON is found in the reply
 *   (bare, or in a fenced block), for servers that reject `response_format`.
 */
export type StructuredOutput = "json_schema" | "json_object" | "none";

const STRUCTURED_OUTPUTS: readonly StructuredOutput[] = ["json_schema", "json_object", "none"];

export interface OpenAIChatOptions extends OpenAICompatibleOptions {
  /** The chat model, e.g. "gpt-4o-mini" or "qwen2.5:7b". Requests go to `${baseURL}/chat/completions`. */
  model: string;
  /** See `StructuredOutput`. Use "json_object" or "none" for servers without JSON-schema output (Ollama before 0.5, older vLLM). @default "json_schema" */
  structuredOutput?: StructuredOutput;
  /** Replies that are not JSON or that `parse` rejects, retried before the call fails. @default 1 */
  maxInvalidReplies?: number;
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
  const structuredOutput = options.structuredOutput ?? "json_schema";
  if (!STRUCTURED_OUTPUTS.includes(structuredOutput)) {
    throw invalidInput("structuredOutput", `must be one of ${STRUCTURED_OUTPUTS.map((mode) => `"${mode}"`).join(", ")}, got ${JSON.stringify(structuredOutput) ?? "undefined"}.`);
  }
  return {
    http: resolveHttpSettings(options, { timeoutMs: 60_000, maxRetries: 3 }),
    url,
    model,
    headers: requestHeaders(options.apiKey, options.headers),
    structuredOutput,
    maxInvalidReplies: nonNegativeInteger("maxInvalidReplies", options.maxInvalidReplies, 1),
  };
}
