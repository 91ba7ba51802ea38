import { MemoryError, invalidInput } from "../domain/memory-error.js";
import type { RecallResult } from "../domain/types.js";
import type { Engine } from "../engine.js";
import type { Candidate, MemoryFilter } from "../store/store.js";
import { assembleContext } from "./assemble-context.js";
import { feedbackCandidates } from "./feedback-candidates.js";
import { fuseRankings, type Ranking } from "./fuse-rankings.js";
import { graphCandidates } from "./graph-candidates.js";
import { sessionCandidates } from "./session-candidates.js";
import { queryTerms } from "./query-terms.js";
import { missingNeighbourRanges, spreadToNeighbours } from "./spread-to-neighbours.js";
import { timeCandidates } from "./time-candidates.js";
import { validateRecallOptions } from "./validate-recall-options.js";
import { vectorCandidates } from "./vector-candidates.js";

/** Fewest tokens a candidate line is assumed to take when deciding how many candidates to fetch. */
const MIN_TOKENS_PER_ITEM = 8;
const MIN_CANDIDATES = 50;
const MAX_CANDIDATES = 1_000;

/**
 * Candidates from each generator with a weight (BM25 text search; BM25 within the periods the query
 * names; the nearest vectors when an embedder is configured; BM25 with the query expanded by feedback or
 * by the keyword graph), each ranking's weight spread to the neighbouring turns of its matches, fused by
 * weighted reciprocal rank and packed into the token budget.
 */
export async function recall(engine: Engine, query: string, options?: unknown): Promise<RecallResult> {
  if (typeof query !== "string") throw invalidInput("query", `must be a string, got ${query === null ? "null" : typeof query}.`);
  if (query.trim() === "") throw invalidInput("query", "must not be empty. Ask for something, e.g. recall(\"where does Alice live?\").");
  if (query.length > engine.limits.maxQueryChars) {
    throw new MemoryError("too_large", `query: is ${query.length} characters, over the limit of ${engine.limits.maxQueryChars}. Shorten it.`, {
      details: { field: "query", length: query.length, limit: engine.limits.maxQueryChars },
    });
  }
  const valid = validateRecallOptions(options);
  if (valid.spaces) await requireSpaces(engine, valid.spaces);
  // Enough candidates to fill the budget even with short lines; fewer when the caller caps the items.
  const fillBudget = Math.min(MAX_CANDIDATES, Math.max(MIN_CANDIDATES, Math.ceil(valid.budgetTokens / MIN_TOKENS_PER_ITEM)));
  const limit = Math.min(fillBudget, Math.max(valid.limit, MIN_CANDIDATES));
  const now = engine.clock().getTime();
  const filter: MemoryFilter = { spaces: valid.spaces, kinds: valid.kinds, authors: valid.authors, from: valid.from, to: valid.to, asOf: valid.asOf ?? now, current: valid.asOf === undefined };
  const { weights } = engine.recall;
  const terms = queryTerms(query);
  const warnings: string[] = [];
  const rankings: Ranking[] = [];
  const add = async (generator: string, weight: number, candidates: Candidate[]): Promise<void> => {
    if (candidates.length > 0) rankings.push({ generator, weight, candidates: await spread(engine, filter, candidates) });
  };
  const textRanking = weights.text > 0 || weights.feedback > 0 || weights.sessions > 0 ? await engine.store.searchText(engine.scope, { ...filter, terms, limit }) : [];
  if (weights.text > 0) await add("text", weights.text, textRanking);
  if (weights.sessions > 0) await add("sessions", weights.sessions, sessionCandidates(textRanking));
  if (weights.feedback > 0) await add("feedback", weights.feedback, await feedbackCandidates(engine, textRanking, terms, filter, limit));
  if (weights.graph > 0) await add("graph", weights.graph, await graphCandidates(engine, terms, filter, limit));
  if (weights.time > 0) await add("time", weights.time, await timeCandidates(engine, query, filter, limit, valid.now ?? filter.asOf));
  if (weights.vector > 0 && engine.vectors) {
    try {
      await add("vector", weights.vector, await vectorCandidates(engine, engine.vectors, query, filter, limit));
    } catch (error) {
      // Whatever the provider did (failed, timed out, replied nonsense), the other generators still answer;
      // the store's own failures are not the provider's and are thrown.
      if (error instanceof MemoryError && error.code !== "provider" && error.code !== "invalid_input") throw error;
      warnings.push(`Vector search was skipped: ${(error as Error)?.message ?? String(error)}`);
    }
  }
  const { items, context } = await assembleContext(fuseRankings(rankings, engine.recall.fusionK), {
    budgetTokens: valid.budgetTokens,
    limit: valid.limit,
    tokenizer: engine.tokenizer,
    load: (keys) => engine.store.loadMemories(engine.scope, keys),
    reader: engine.scope.principalId,
  });
  return warnings.length > 0 ? { query, items, context, warnings } : { query, items, context };
}

/** A ranking with each match's score lent to the turns around it, when neighbour spreading is on. */
async function spread(engine: Engine, filter: MemoryFilter, ranked: Candidate[]): Promise<Candidate[]> {
  const spreading = engine.recall.neighbours;
  if (!spreading || spreading.radius === 0) return ranked;
  const ranges = missingNeighbourRanges(ranked, spreading.radius);
  const near = ranges.length === 0 ? [] : await engine.store.episodesAt(engine.scope, { ...filter, ranges });
  return spreadToNeighbours(ranked, near, spreading);
}

async function requireSpaces(engine: Engine, names: readonly string[]): Promise<void> {
  const known = new Set((await engine.store.listSpaces(engine.scope)).map((space) => space.name));
  const missing = names.find((name) => !known.has(name));
  if (missing !== undefined) {
    throw new MemoryError("space_not_found", `Space "${missing}" does not exist, or is not one you may read. Spaces you may read: ${[...known].join(", ") || "none"}.`, {
      details: { space: missing },
    });
  }
}
