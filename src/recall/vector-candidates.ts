import type { Engine, EngineVectors } from "../engine.js";
import type { Candidate, MemoryFilter } from "../store/store.js";
import { catchUpVectors } from "./catch-up-vectors.js";

/** Hits beyond `limit` asked of the index, since the store's filter (spaces, times, current) drops some. */
const OVERFETCH = 2;

/**
 * The memories whose vectors are nearest the query's, best first, scored by cosine similarity, under the
 * same filter as text search.
 */
export async function vectorCandidates(engine: Engine, vectors: EngineVectors, query: string, filter: MemoryFilter, limit: number): Promise<Candidate[]> {
  await catchUpVectors(engine, vectors);
  if (vectors.index.size === 0) return [];
  const [embedding] = await vectors.embedder.embed([query]);
  if (!embedding || embedding.length !== vectors.index.dimensions) return [];
  // A cosine of 0 or less says unrelated: such vectors are no evidence, however few others there are.
  const hits = vectors.index.search(embedding, limit * OVERFETCH).filter((hit) => hit.similarity > 0);
  const similarity = new Map(hits.map((hit) => [hit.key, hit.similarity]));
  const candidates = await engine.store.candidatesAt(engine.scope, { ...filter, keys: hits.map((hit) => hit.key) });
  return candidates.slice(0, limit).map((candidate) => ({ ...candidate, score: similarity.get(candidate.key) ?? 0 }));
}
