/**
 * Turns texts into vectors for semantic recall. Optional: with no embedder (the default) recall is
 * lexical, temporal and graph-based only.
 *
 * Contract:
 * - `embed` returns one vector per input, in input order, each `dimensions` long, finite, and
 *   L2-normalised (so cosine similarity is a dot product). Adapters normalise what a provider returns.
 * - It accepts any number of texts (none gives `[]` without a request) and splits them into requests
 *   within `maxBatchSize` itself.
 * - Every text must contain a non-whitespace character: providers reject or mis-embed empty input, so an
 *   empty text is an `invalid_input` error whose `details.field` names it (`texts[3]`), before any request.
 * - Failures are `MemoryError`s with code `provider` (after the adapter's own retries; `details.provider`
 *   names the adapter), or `invalid_input` for arguments the caller got wrong. One failed request fails
 *   the whole call: no partial results.
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
  /**
   * Cancels the call: outstanding requests and retry waits stop, and the promise rejects with the signal's
   * reason. Work that cannot be interrupted (a local model's forward pass) stops at the next batch.
   */
  signal?: AbortSignal;
}
