import { MemoryError } from "../domain/memory-error.js";
import type { Engine, EngineVectors } from "../engine.js";
import type { Embedder } from "../providers/embedder.js";
import { l2Normalize } from "../providers/embedding-vectors.js";
import { catchUpVectors } from "../recall/catch-up-vectors.js";
import type { EmbedWork, StoredVector } from "../store/store.js";

/** What an embedding pass did: how many memories got their vector, and whether some are still waiting. */
export interface EmbedOutcome {
  embedded: number;
  /**
   * Why some memories were left without a vector: the provider was down (the pass stopped there), or
   * refused some texts (those were skipped, the rest embedded). A later pass tries them again.
   */
  error: MemoryError | null;
}

/**
 * Embeds the current memories that have no vector from the configured embedder yet (only `ids` when
 * given, e.g. what one ingest just wrote), saves the vectors and adds them to the index. Failures are
 * returned, never thrown: the memories are already stored and recallable by text, and a later pass
 * (`Memory.embedPending()`) picks up what was left. A text the provider refuses for good (e.g. too long
 * for the model) is skipped so it cannot hold back the memories after it.
 */
export async function embedMemories(engine: Engine, vectors: EngineVectors, options: { ids?: readonly string[]; limit?: number } = {}): Promise<EmbedOutcome> {
  const { embedder } = vectors;
  let embedded = 0;
  let error: MemoryError | null = null;
  let afterKey = 0;
  const limit = options.limit ?? Number.POSITIVE_INFINITY;
  try {
    while (embedded < limit) {
      const work = await engine.store.memoriesToEmbed(engine.scope, embedder.name, {
        ids: options.ids,
        afterKey,
        limit: Math.min(embedder.maxBatchSize * 4, limit - embedded),
      });
      if (work.length === 0) break;
      afterKey = work.at(-1)!.key;
      const made = await embedBatch(embedder, work);
      if (made.vectors.length > 0) await engine.store.saveVectors(engine.scope, embedder.name, made.vectors);
      embedded += made.vectors.length;
      error = made.error ?? error;
      if (made.stop) break;
    }
    await catchUpVectors(engine, vectors);
  } catch (caught) {
    // Anything else (a store failure, an adapter that throws a TypeError) must not turn a committed write
    // into a failed call: the caller would retry what is already stored.
    error = asProviderError(caught, embedder);
  }
  return { embedded, error };
}

interface BatchResult {
  vectors: StoredVector[];
  error: MemoryError | null;
  /** The provider is unavailable: later batches would fail the same way. */
  stop: boolean;
}

/** One batch; when the provider refuses it for good, each text alone, so only the refused ones are left out. */
async function embedBatch(embedder: Embedder, work: readonly EmbedWork[]): Promise<BatchResult> {
  try {
    return { vectors: await embedChecked(embedder, work), error: null, stop: false };
  } catch (caught) {
    const error = asProviderError(caught, embedder);
    if (!refusedForGood(error) || work.length === 1) return { vectors: [], error, stop: !refusedForGood(error) };
    const vectors: StoredVector[] = [];
    let last: MemoryError = error;
    for (const item of work) {
      const single = await embedBatch(embedder, [item]);
      vectors.push(...single.vectors);
      if (single.error) last = single.error;
      if (single.stop) return { vectors, error: last, stop: true };
    }
    return { vectors, error: last, stop: false };
  }
}

/** The embedder's vectors, normalised, with every promise of the port checked: a bad one must not reach the index. */
async function embedChecked(embedder: Embedder, work: readonly EmbedWork[]): Promise<StoredVector[]> {
  const made = await embedder.embed(work.map((item) => item.text));
  if (!Array.isArray(made) || made.length !== work.length) {
    throw new MemoryError("provider", `The embedder ${embedder.name} returned ${Array.isArray(made) ? made.length : "no"} vectors for ${work.length} texts.`, {
      details: { provider: embedder.name },
    });
  }
  return work.map((item, index) => {
    const raw = made[index];
    const vector = raw && raw.length === embedder.dimensions ? l2Normalize(raw) : undefined;
    if (!vector) {
      throw new MemoryError("provider", `The embedder ${embedder.name} returned a vector for memory ${item.id} that is not ${embedder.dimensions} finite numbers with a direction (all zeros?).`, {
        details: { provider: embedder.name, status: 422 },
      });
    }
    return { key: item.key, vector };
  });
}

/** A `MemoryError` as it is; anything else thrown while embedding, as the provider's failure. */
function asProviderError(caught: unknown, embedder: Embedder): MemoryError {
  if (caught instanceof MemoryError) return caught;
  return new MemoryError("provider", `The embedder ${embedder.name} failed: ${(caught as Error)?.message ?? String(caught)}`, { cause: caught, details: { provider: embedder.name } });
}

/**
 * The provider refused these texts, not the caller (400 bad request, 413 too large, 422 unprocessable, or
 * an input the adapter refused): sending the same text again cannot help, but other texts may pass.
 * 401, 403 and 404 say the setup is wrong, 429 and 5xx that the provider is busy: both stop the pass.
 */
function refusedForGood(error: MemoryError): boolean {
  if (error.code === "invalid_input") return true;
  const status = error.details["status"];
  return status === 400 || status === 413 || status === 422;
}
