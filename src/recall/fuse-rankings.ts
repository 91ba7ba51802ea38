import type { Candidate } from "../store/store.js";
import { compareNewerFirst } from "../domain/compare-newer-first.js";

/** One generator's ranking, best first, and how much its ranks count in the fusion. */
export interface Ranking {
  generator: string;
  weight: number;
  candidates: readonly Candidate[];
}

/** RRF's damping constant: 60 is the value of Cormack et al., robust across collections. */
export const DEFAULT_FUSION_K = 60;

/**
 * Weighted reciprocal-rank fusion: a candidate scores Σ weight / (k + rank) over the rankings that hold
 * it, so agreement between generators lifts it whatever their score scales. Each memory version appears
 * once. A single ranking keeps its order. Ties go to the better best rank, then to the newer world time.
 */
export function fuseRankings(rankings: readonly Ranking[], k: number = DEFAULT_FUSION_K): Candidate[] {
  const fused = new Map<number, { candidate: Candidate; score: number; bestRank: number }>();
  for (const { weight, candidates } of rankings) {
    if (weight <= 0) continue;
    candidates.forEach((candidate, index) => {
      const rank = index + 1;
      const entry = fused.get(candidate.key);
      if (entry) {
        entry.score += weight / (k + rank);
        entry.bestRank = Math.min(entry.bestRank, rank);
      } else {
        fused.set(candidate.key, { candidate, score: weight / (k + rank), bestRank: rank });
      }
    });
  }
  return [...fused.values()]
    .sort((a, b) => b.score - a.score || a.bestRank - b.bestRank || compareNewerFirst(a.candidate.validFrom, b.candidate.validFrom))
    .map(({ candidate, score }) => ({ ...candidate, score }));
}
