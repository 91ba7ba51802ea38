import type { Embedder } from "../providers/embedder.js";
import { createOpenAIEmbedder } from "../providers/openai-compatible/create-openai-embedder.js";
import { configurationError, createFromVariables, readProviderVariables, type Environment, type ProviderVariables } from "./read-provider-variables.js";

/** The variables that configure semantic recall, and what each maps to in `createOpenAIEmbedder`. */
export const EMBEDDINGS_VARIABLES = {
  MNEMO_EMBEDDER_BASE_URL: "baseURL",
  MNEMO_EMBEDDER_MODEL: "model",
  MNEMO_EMBEDDER_DIMENSIONS: "dimensions",
  MNEMO_EMBEDDER_API_KEY: "apiKey",
} as const;

/** A working setup for a local Ollama, quoted in errors and help. */
export const EMBEDDINGS_EXAMPLE = "MNEMO_EMBEDDER_BASE_URL=http://127.0.0.1:11434/v1 MNEMO_EMBEDDER_MODEL=nomic-embed-text MNEMO_EMBEDDER_DIMENSIONS=768";

const EMBEDDER: ProviderVariables<keyof typeof EMBEDDINGS_VARIABLES> = {
  options: EMBEDDINGS_VARIABLES,
  baseURL: "MNEMO_EMBEDDER_BASE_URL",
  family: /^MNEMO_EMBEDD(ER|INGS?)_/,
  feature: "semantic recall",
  api: "embeddings API",
  example: EMBEDDINGS_EXAMPLE,
};

/**
 * The embedder the MNEMO_EMBEDDER_* variables describe, or `undefined` when none of them is set.
 * A partial or malformed setup throws `invalid_input` naming the variable, so that a typo never
 * silently turns semantic recall off. The API key's value never appears in an error.
 */
export function embedderFromEnvironment(environment: Environment = process.env): Embedder | undefined {
  const variables = readProviderVariables(environment, EMBEDDER);
  if (variables === undefined) return undefined;
  const model = variables.required("MNEMO_EMBEDDER_MODEL", "name the embedding model, e.g. MNEMO_EMBEDDER_MODEL=nomic-embed-text (Ollama) or text-embedding-3-small (OpenAI).");
  const dimensionsHint = "the length of the model's vectors, e.g. MNEMO_EMBEDDER_DIMENSIONS=768 for nomic-embed-text or 1536 for text-embedding-3-small";
  const dimensions = variables.required("MNEMO_EMBEDDER_DIMENSIONS", `give ${dimensionsHint}.`);
  if (!/^\d+$/.test(dimensions)) throw configurationError("MNEMO_EMBEDDER_DIMENSIONS", `MNEMO_EMBEDDER_DIMENSIONS must be a whole number, got ${JSON.stringify(dimensions)}: give ${dimensionsHint}.`);
  const apiKey = variables.optional("MNEMO_EMBEDDER_API_KEY");
  return createFromVariables(EMBEDDER, () => createOpenAIEmbedder({ baseURL: variables.baseURL, model, dimensions: Number(dimensions), ...(apiKey === undefined ? {} : { apiKey }) }));
}
