import type { Engine } from "../engine.js";
import type { Candidate, MemoryFilter } from "../store/store.js";
import { candidateExpansionTerms, pickExpansionTerms, type ExpansionOptions } from "./expansion-terms.js";

/** Top text matches read as feedback. */
const FEEDBACK_DOCUMENTS = 8;
/** Candidate words whose index statistics are looked up; the rest are too weak to win. */
const CANDIDATE_TERMS = 20;
const EXPANSION: ExpansionOptions = { terms: 6, minDocuments: 2 };

/**
 * Pseudo-relevance feedback: the best text matches are assumed relevant, the words that characterise
 * them are added to the query, and the expanded query is searched again. It finds turns that use the
 * topic's words but not the question's.
 */
export async function feedbackCandidates(engine: Engine, textRanking: readonly Candidate[], terms: readonly string[], filter: MemoryFilter, limit: number): Promise<Candidate[]> {
  const top = textRanking.slice(0, FEEDBACK_DOCUMENTS);
  if (top.length < EXPANSION.minDocuments) return [];
  const records = await engine.store.loadMemories(engine.scope, top.map((candidate) => candidate.key));
  const scoreOf = new Map(top.map((candidate) => [`${candidate.id}@${candidate.version}`, candidate.score]));
  const feedback = records.map((record) => ({ text: record.text, score: scoreOf.get(`${record.id}@${record.version}`) ?? 0 }));
  const candidates = candidateExpansionTerms(feedback, terms, EXPANSION).slice(0, CANDIDATE_TERMS);
  if (candidates.length === 0) return [];
  const expansion = pickExpansionTerms(candidates, await engine.store.termCounts(candidates.map((candidate) => candidate.term)), EXPANSION);
  return engine.store.searchText(engine.scope, { ...filter, terms: [...terms, ...expansion], limit });
}
