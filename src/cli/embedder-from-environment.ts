import { MemoryError } from "../domain/memory-error.js";
import type { Embedder } from "../providers/embedder.js";
import { createOpenAIEmbedder } from "../providers/openai-compatible/create-openai-embedder.js";

/** The variables that configure semantic recall, and what each maps to in `createOpenAIEmbedder`. */
export const EMBEDDINGS_VARIABLES = {
  MNEMO_EMBEDDER_BASE_URL: "baseURL",
  MNEMO_EMBEDDER_MODEL: "model",
  MNEMO_EMBEDDER_DIMENSIONS: "dimensions",
  MNEMO_EMBEDDER_API_KEY: "apiKey",
} as const;

type Variable = keyof typeof EMBEDDINGS_VARIABLES;

/** A working setup for a local Ollama, quoted in errors and help. */
export const EMBEDDINGS_EXAMPLE = "MNEMO_EMBEDDER_BASE_URL=http://127.0.0.1:11434/v1 MNEMO_EMBEDDER_MODEL=nomic-embed-text MNEMO_EMBEDDER_DIMENSIONS=768";

/**
 * The embedder the MNEMO_EMBEDDER_* variables describe, or `undefined` when none of them is set.
 * A partial or malformed setup throws `invalid_input` naming the variable, so that a typo never
 * silently turns semantic recall off. The API key's value never appears in an error.
 */
export function embedderFromEnvironment(environment: Readonly<Record<string, string | undefined>> = process.env): Embedder | undefined {
  const read = (variable: Variable): string | undefined => {
    const value = environment[variable]?.trim();
    return value === "" ? undefined : value;
  };
  rejectUnknownVariables(environment);
  const url = read("MNEMO_EMBEDDER_BASE_URL");
  const others = (Object.keys(EMBEDDINGS_VARIABLES) as Variable[]).filter((variable) => variable !== "MNEMO_EMBEDDER_BASE_URL" && read(variable) !== undefined);
  if (url === undefined) {
    if (others.length === 0) return undefined;
    throw configurationError(
      others[0]!,
      `${others.join(" and ")} ${others.length === 1 ? "is" : "are"} set but MNEMO_EMBEDDER_BASE_URL is not. Set MNEMO_EMBEDDER_BASE_URL to the embeddings API's root URL to turn on semantic recall (e.g. ${EMBEDDINGS_EXAMPLE}), or unset ${others.join(" and ")}.`,
    );
  }
  const model = read("MNEMO_EMBEDDER_MODEL");
  if (model === undefined) {
    throw configurationError("MNEMO_EMBEDDER_MODEL", "MNEMO_EMBEDDER_MODEL is not set, but MNEMO_EMBEDDER_BASE_URL is: name the embedding model, e.g. MNEMO_EMBEDDER_MODEL=nomic-embed-text (Ollama) or text-embedding-3-small (OpenAI).");
  }
  const dimensionsText = read("MNEMO_EMBEDDER_DIMENSIONS");
  const dimensionsHint = "the length of the model's vectors, e.g. MNEMO_EMBEDDER_DIMENSIONS=768 for nomic-embed-text or 1536 for text-embedding-3-small";
  if (dimensionsText === undefined) throw configurationError("MNEMO_EMBEDDER_DIMENSIONS", `MNEMO_EMBEDDER_DIMENSIONS is not set, but MNEMO_EMBEDDER_BASE_URL is: give ${dimensionsHint}.`);
  if (!/^\d+$/.test(dimensionsText)) throw configurationError("MNEMO_EMBEDDER_DIMENSIONS", `MNEMO_EMBEDDER_DIMENSIONS must be a whole number, got ${JSON.stringify(dimensionsText)}: give ${dimensionsHint}.`);
  const apiKey = read("MNEMO_EMBEDDER_API_KEY");
  try {
    return createOpenAIEmbedder({ baseURL: url, model, dimensions: Number(dimensionsText), ...(apiKey === undefined ? {} : { apiKey }) });
  } catch (error) {
    throw renamed(error);
  }
}

/** `MNEMO_EMBEDDER_URL`, `MNEMO_EMBEDDINGS_MODEL` or `MNEMO_EMBEDDER_KEY` would otherwise be ignored without a word. */
function rejectUnknownVariables(environment: Readonly<Record<string, string | undefined>>): void {
  const unknown = Object.keys(environment).filter((name) => /^MNEMO_EMBEDD(ER|INGS?)_/.test(name) && !(name in EMBEDDINGS_VARIABLES) && environment[name]?.trim());
  if (unknown.length === 0) return;
  const names = unknown.join(", ");
  throw configurationError(
    unknown[0]!,
    `${names} ${unknown.length === 1 ? "is not a variable" : "are not variables"} mnemo reads. Semantic recall is configured with ${Object.keys(EMBEDDINGS_VARIABLES).join(", ")}: rename or unset ${names}.`,
  );
}

/** The adapter names its options (`baseURL: …`); the user set variables. */
function renamed(error: unknown): unknown {
  if (!(error instanceof MemoryError) || error.code !== "invalid_input") return error;
  const entry = Object.entries(EMBEDDINGS_VARIABLES).find(([, option]) => option === error.details["field"]);
  if (entry === undefined) return error;
  const [variable, option] = entry;
  const message = error.message.replace(new RegExp(`^${option}: `), "").replace(/\bapiKey\b/g, "MNEMO_EMBEDDER_API_KEY");
  return configurationError(variable, `${variable}: ${message}`, error);
}

function configurationError(variable: string, message: string, cause?: unknown): MemoryError {
  return new MemoryError("invalid_input", message, { details: { field: variable }, ...(cause === undefined ? {} : { cause }) });
}
