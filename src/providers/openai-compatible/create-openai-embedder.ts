import { invalidInput } from "../../domain/memory-error.js";
import type { Embedder, EmbedOptions } from "../embedder.js";
import { checkTexts } from "../embedding-vectors.js";
import { postJson } from "./post-json.js";
import { readEmbeddingsReply } from "./read-embeddings-reply.js";
import { splitIntoBatches } from "./split-into-batches.js";
import { endpointURL, positiveInteger, requestHeaders, requireText, resolveHttpSettings, type OpenAICompatibleOptions } from "./check-options.js";

export interface OpenAIEmbedderOptions extends OpenAICompatibleOptions {
  /** The embedding model, e.g. "text-embedding-3-small" or "nomic-embed-text". Requests go to `${baseURL}/embeddings`. */
  model: string;
  /** The length of the vectors the model returns; every reply is checked against it. */
  dimensions: number;
  /**
   * Also send `dimensions` in the request, asking the model to shorten its vectors (OpenAI's
   * text-embedding-3 models can). Many other servers reject the field, so it is off by default.
   * @default false
   */
  sendDimensions?: boolean;
  /** Most texts in one request. @default 64 */
  maxBatchSize?: number;
  /** Most characters (UTF-16 code units) in one request; a longer text is sent alone. @default 200_000 */
  maxBatchChars?: number;
}

/**
 * An `Embedder` for any server speaking OpenAI's `POST /v1/embeddings` (OpenAI, Ollama, vLLM, LM Studio,
 * llama.cpp, …). Splits texts into requests by `maxBatchSize` and `maxBatchChars`, sent one after another;
 * retries transient failures; checks every reply strictly and L2-normalises the vectors. Options are
 * checked here, synchronously; nothing is sent until `embed`.
 *
 * @example
 * const embedder = createOpenAIEmbedder({ baseURL: "http://127.0.0.1:11434/v1", model: "nomic-embed-text", dimensions: 768 });
 * const [vector] = await embedder.embed(["The cat sat on the mat."]);
 */
export function createOpenAIEmbedder(options: OpenAIEmbedderOptions): Embedder {
  if (typeof options !== "object" || options === null) throw invalidInput("options", "must be an object: { baseURL, model, dimensions }.");
  const url = endpointURL(options.baseURL, "embeddings");
  const model = requireText("model", options.model, 'e.g. "text-embedding-3-small"');
  if (options.dimensions === undefined) throw invalidInput("dimensions", "is required: the length of the model's vectors, e.g. 1536 for text-embedding-3-small or 768 for nomic-embed-text.");
  const dimensions = positiveInteger("dimensions", options.dimensions, undefined);
  const maxBatchSize = positiveInteger("maxBatchSize", options.maxBatchSize, 64);
  const maxBatchChars = positiveInteger("maxBatchChars", options.maxBatchChars, 200_000);
  const settings = resolveHttpSettings(options, { timeoutMs: 30_000, maxRetries: 4 });
  const { provider } = settings;
  const headers = requestHeaders(options.apiKey, options.headers);
  const sendDimensions = options.sendDimensions ?? false;
  if (typeof sendDimensions !== "boolean") throw invalidInput("sendDimensions", `must be true or false, got ${String(sendDimensions)}.`);

  const embedBatch = async (texts: string[], signal: AbortSignal | undefined): Promise<Float32Array[]> => {
    const body = { model, input: texts, encoding_format: "float", ...(sendDimensions ? { dimensions } : {}) };
    const hint = (status: number): string | undefined =>
      status === 413
        ? "The request is too large: lower maxBatchSize or maxBatchChars."
        : status === 400 || status === 422
          ? `Check model ("${model}")${sendDimensions ? ", or set sendDimensions: false if the model has a fixed size" : ""}, and that each text fits the model's input limit.`
          : undefined;
    const reply = await postJson(settings, { url, headers, body, signal, hint });
    return readEmbeddingsReply(reply, { provider, url, count: texts.length, dimensions });
  };

  return {
    name: `${provider}/${model}@${dimensions}`,
    dimensions,
    maxBatchSize,
    async embed(texts: readonly string[], embedOptions: EmbedOptions = {}): Promise<Float32Array[]> {
      checkTexts(texts);
      const { signal } = embedOptions;
      signal?.throwIfAborted();
      const vectors: Float32Array[] = [];
      for (const batch of splitIntoBatches(texts, maxBatchSize, maxBatchChars)) vectors.push(...(await embedBatch(batch, signal)));
      return vectors;
    },
  };
}
