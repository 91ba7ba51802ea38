import type { Engine } from "../engine.js";
import type { Candidate, MemoryFilter } from "../store/store.js";

/** Keywords added to the query from the graph. */
const RELATED_KEYWORDS = 5;
/** A link seen in one memory only is chance, not association. */
const MIN_TOGETHER = 2;

/**
 * The keyword graph built at ingest: the names and terms that memories mention together with the
 * query's words are added to the query, and the expanded query is searched. It reaches turns about the
 * people, places and things associated with what was asked, without any model.
 */
export async function graphCandidates(engine: Engine, terms: readonly string[], filter: MemoryFilter, limit: number): Promise<Candidate[]> {
  const related = (await engine.store.relatedKeywords(engine.scope, terms, RELATED_KEYWORDS * 4))
    .filter((link) => link.together >= MIN_TOGETHER)
    .slice(0, RELATED_KEYWORDS);
  if (related.length === 0) return [];
  return engine.store.searchText(engine.scope, { ...filter, terms: [...terms, ...related.map((link) => link.keyword)], limit });
}
