import type { LanguageModel } from "../providers/llm.js";
import { createOpenAIChat } from "../providers/openai-compatible/create-openai-chat.js";
import { createFromVariables, readProviderVariables, type Environment, type ProviderVariables } from "./read-provider-variables.js";

/** The variables that configure extraction with a language model, and what each maps to in `createOpenAIChat`. */
export const LLM_VARIABLES = {
  MNEMO_LLM_BASE_URL: "baseURL",
  MNEMO_LLM_MODEL: "model",
  MNEMO_LLM_API_KEY: "apiKey",
} as const;

/** A working setup for a local Ollama, quoted in errors and help. */
export const LLM_EXAMPLE = "MNEMO_LLM_BASE_URL=http://127.0.0.1:11434/v1 MNEMO_LLM_MODEL=qwen2.5:7b";

const LLM: ProviderVariables<keyof typeof LLM_VARIABLES> = {
  options: LLM_VARIABLES,
  baseURL: "MNEMO_LLM_BASE_URL",
  family: /^MNEMO_LLM_/,
  feature: "extraction with a language model",
  api: "chat completions API",
  example: LLM_EXAMPLE,
};

/**
 * The language model the MNEMO_LLM_* variables describe, or `undefined` when none of them is set (then
 * mnemo extracts memories heuristically). A partial or malformed setup throws `invalid_input` naming the
 * variable, so that a typo never silently turns the model off. The API key's value never appears in an error.
 */
export function llmFromEnvironment(environment: Environment = process.env): LanguageModel | undefined {
  const variables = readProviderVariables(environment, LLM);
  if (variables === undefined) return undefined;
  const model = variables.required("MNEMO_LLM_MODEL", "name the chat model, e.g. MNEMO_LLM_MODEL=qwen2.5:7b (Ollama) or gpt-4o-mini (OpenAI).");
  const apiKey = variables.optional("MNEMO_LLM_API_KEY");
  return createFromVariables(LLM, () => createOpenAIChat({ baseURL: variables.baseURL, model, ...(apiKey === undefined ? {} : { apiKey }) }));
}
