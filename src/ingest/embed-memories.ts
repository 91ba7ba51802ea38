import { MemoryError } from "../domain/memory-error.js";
import type { Engine, EngineVectors } from "../engine.js";
import { catchUpVectors } from "../recall/catch-up-vectors.js";

/** What an embedding pass did: how many memories got their vector, and whether some are still waiting. */
export interface EmbedOutcome {
  embedded: number;
  /** The provider's failure, if it stopped the pass; the memories it left are embedded by a later pass. */
  error: MemoryError | null;
}

/**
 * Embeds the current memories that have no vector from the configured embedder yet (only `ids` when
 * given, e.g. what one ingest just wrote), saves the vectors and adds them to the index. A provider
 * failure stops the pass and is returned, not thrown: the memories are already stored and recallable by
 * text, and a later pass (`Memory.embedPending()`) picks them up.
 */
export async function embedMemories(engine: Engine, vectors: EngineVectors, options: { ids?: readonly string[]; limit?: number } = {}): Promise<EmbedOutcome> {
  const { embedder } = vectors;
  let embedded = 0;
  let error: MemoryError | null = null;
  const limit = options.limit ?? Number.POSITIVE_INFINITY;
  const attempted = new Set<number>();
  while (embedded < limit) {
    const work = await engine.store.memoriesToEmbed(engine.scope, embedder.name, {
      ids: options.ids,
      limit: Math.min(embedder.maxBatchSize * 4, limit - embedded),
    });
    // A memory whose vector could not be saved (forgotten meanwhile) must not be asked for again and again.
    if (work.length === 0 || work.some((item) => attempted.has(item.key))) break;
    for (const item of work) attempted.add(item.key);
    try {
      const made = await embedder.embed(work.map((item) => item.text));
      checkVectors(made, work.length, embedder.dimensions, embedder.name);
      await engine.store.saveVectors(
        engine.scope,
        embedder.name,
        work.map((item, index) => ({ key: item.key, vector: made[index]! })),
      );
    } catch (caught) {
      if (!(caught instanceof MemoryError) || caught.code !== "provider") throw caught;
      error = caught;
      break;
    }
    embedded += work.length;
  }
  await catchUpVectors(engine, vectors);
  return { embedded, error };
}

/** The port promises these; a third-party adapter that breaks them must not corrupt the index. */
function checkVectors(vectors: readonly Float32Array[], count: number, dimensions: number, name: string): void {
  const bad = vectors.length !== count ? `${vectors.length} vectors for ${count} texts` : vectors.find((vector) => vector.length !== dimensions) ? `a vector that is not ${dimensions} long` : null;
  if (bad !== null) throw new MemoryError("provider", `The embedder ${name} returned ${bad}.`, { details: { provider: name } });
}
