import { isStopWord } from "./query-terms.js";

/** A top-ranked memory's words, with the weight its rank earned. */
export interface FeedbackDocument {
  text: string;
  score: number;
}

export interface ExpansionOptions {
  /** Most terms added to the query. */
  terms: number;
  /** A term must appear in at least this many feedback documents: one document's quirks are not a topic. */
  minDocuments: number;
}

/** The words of a text that can expand a query: no stop words, no bare numbers, at least 3 letters. */
export function contentWords(text: string): string[] {
  return (text.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? []).filter((word) => word.length >= 3 && !/^\p{N}+$/u.test(word) && !isStopWord(word));
}

/**
 * The candidate words of a relevance model (RM1, Lavrenko and Croft): each feedback document lends its
 * words a share of its normalised score, in proportion to their frequency in it. Words of the query and
 * words in too few documents are left out. Best first.
 */
export function candidateExpansionTerms(feedback: readonly FeedbackDocument[], query: readonly string[], options: ExpansionOptions): { term: string; weight: number }[] {
  const totalScore = feedback.reduce((sum, document) => sum + Math.max(0, document.score), 0);
  if (totalScore <= 0) return [];
  const asked = new Set(query);
  const weights = new Map<string, { weight: number; documents: number }>();
  for (const document of feedback) {
    const words = contentWords(document.text);
    if (words.length === 0) continue;
    const share = Math.max(0, document.score) / totalScore / words.length;
    const seen = new Set<string>();
    for (const word of words) {
      if (asked.has(word)) continue;
      const entry = weights.get(word) ?? { weight: 0, documents: 0 };
      entry.weight += share;
      if (!seen.has(word)) entry.documents += 1;
      seen.add(word);
      weights.set(word, entry);
    }
  }
  return [...weights]
    .filter(([, entry]) => entry.documents >= options.minDocuments)
    .map(([term, entry]) => ({ term, weight: entry.weight }))
    .sort((a, b) => b.weight - a.weight || (a.term < b.term ? -1 : 1));
}

/**
 * The expansion terms: candidates re-weighted by inverse document frequency, so the words that make the
 * feedback documents special win over words common everywhere. Best first, at most `options.terms`.
 */
export function pickExpansionTerms(candidates: readonly { term: string; weight: number }[], counts: { total: number; counts: readonly number[] }, options: ExpansionOptions): string[] {
  return candidates
    .map((candidate, index) => ({ term: candidate.term, weight: candidate.weight * Math.log(1 + counts.total / (1 + (counts.counts[index] ?? 0))) }))
    .sort((a, b) => b.weight - a.weight || (a.term < b.term ? -1 : 1))
    .slice(0, options.terms)
    .map((candidate) => candidate.term);
}
