import type { Engine, EngineVectors } from "../engine.js";
import type { Candidate, MemoryFilter } from "../store/store.js";
import { catchUpVectors } from "./catch-up-vectors.js";

/** Hits beyond `limit` asked of the index, since the store's filter (spaces, times, current) drops some. */
const OVERFETCH = 2;
/** A recall does not wait longer than this for the query's embedding; it goes on without vectors. */
const QUERY_EMBED_TIMEOUT_MS = 10_000;

/**
 * The memories whose vectors are nearest the query's, best first, scored by cosine similarity, under the
 * same filter as text search.
 */
export async function vectorCandidates(engine: Engine, vectors: EngineVectors, query: string, filter: MemoryFilter, limit: number): Promise<Candidate[]> {
  await catchUpVectors(engine, vectors);
  if (vectors.index.size === 0) return [];
  const [embedding] = await vectors.embedder.embed([query], { signal: AbortSignal.timeout(QUERY_EMBED_TIMEOUT_MS) });
  if (!embedding || embedding.length !== vectors.index.dimensions) return [];
  const similarity = new Map<number, number>();
  let candidates: Candidate[] = [];
  // The filter (spaces, kinds, times, current versions) applies after the index: widen the search until
  // enough hits pass it or the index has no more.
  for (let k = limit * OVERFETCH; ; k *= 4) {
    // A cosine of 0 or less says unrelated: such vectors are no evidence, however few others there are.
    const hits = vectors.index.search(embedding, k);
    const related = hits.filter((hit) => hit.similarity > 0);
    for (const hit of related) similarity.set(hit.key, hit.similarity);
    candidates = await engine.store.candidatesAt(engine.scope, { ...filter, keys: related.map((hit) => hit.key) });
    if (candidates.length >= limit || hits.length < k || related.length < hits.length || k >= vectors.index.size) break;
  }
  return candidates.slice(0, limit).map((candidate) => ({ ...candidate, score: similarity.get(candidate.key) ?? 0 }));
}
