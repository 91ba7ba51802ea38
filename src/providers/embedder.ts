/**
 * Turns texts into vectors for semantic recall. Optional: with no embedder (the default) recall is
 * lexical, temporal and graph-based only.
 *
 * Contract:
 * - `embed` returns one vector per input, in input order, each `dimensions` long, finite, and
 *   L2-normalised (so cosine similarity is a dot product). Adapters normalise what a provider returns.
 * - It accepts any number of texts and splits them into requests within `maxBatchSize` itself.
 * - Failures are `MemoryError`s with code `provider` (after the adapter's own retries), or
 *   `invalid_input` for arguments the caller got wrong.
 * - The same text with the same embedder gives the same vector, within float rounding; `name` changes
 *   whenever vectors would not be comparable (another model or dimension count).
 */
export interface Embedder {
  /** Identifies model and dimensions, e.g. "openai-compatible/text-embedding-3-small@1536". */
  readonly name: string;
  readonly dimensions: number;
  /** Most texts sent in one provider request. */
  readonly maxBatchSize: number;
  embed(texts: readonly string[], options?: EmbedOptions): Promise<Float32Array[]>;
}

export interface EmbedOptions {
  /** Cancels outstanding requests; the promise rejects with the signal's reason. */
  signal?: AbortSignal;
}
