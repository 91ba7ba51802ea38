import type { Engine } from "../engine.js";
import type { Candidate, MemoryFilter } from "../store/store.js";
import { queryTerms } from "./query-terms.js";
import { findTimeExpressions } from "./time-expressions.js";

/** A query rarely names more periods than this; the rest are ignored. */
const MAX_PERIODS = 4;

/**
 * BM25 candidates whose world time falls in a period the query names ("last May", "in 2022"), relative
 * expressions read from `askedAt` (epoch ms). The words of the time expressions themselves are not searched:
 * stored turns rarely spell out their own date. Best first across the periods.
 */
export async function timeCandidates(engine: Engine, query: string, filter: MemoryFilter, limit: number, askedAt: number): Promise<Candidate[]> {
  const periods = findTimeExpressions(query, new Date(askedAt)).slice(0, MAX_PERIODS);
  if (periods.length === 0) return [];
  const timeWords = new Set(periods.flatMap((period) => queryTerms(period.text)));
  const terms = queryTerms(query).filter((term) => !timeWords.has(term));
  if (terms.length === 0) return [];
  const found = new Map<number, Candidate>();
  for (const period of periods) {
    // The filter's range is inclusive at both ends; a period's end is exclusive.
    const from = latest(filter.from, period.from ?? undefined);
    const to = earliest(filter.to, period.to === null ? undefined : period.to - 1);
    if (from !== undefined && to !== undefined && from > to) continue;
    const hits = await engine.store.searchText(engine.scope, { ...filter, from, to, terms, limit });
    for (const hit of hits) if ((found.get(hit.key)?.score ?? -Infinity) < hit.score) found.set(hit.key, hit);
  }
  return [...found.values()].sort((a, b) => b.score - a.score).slice(0, limit);
}

/** The later of two optional bounds (undefined is open). */
function latest(a: number | undefined, b: number | undefined): number | undefined {
  return a === undefined ? b : b === undefined ? a : Math.max(a, b);
}

/** The earlier of two optional bounds (undefined is open). */
function earliest(a: number | undefined, b: number | undefined): number | undefined {
  return a === undefined ? b : b === undefined ? a : Math.min(a, b);
}
