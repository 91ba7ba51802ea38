import { MemoryError, invalidInput } from "../domain/memory-error.js";
import type { RecallResult } from "../domain/types.js";
import type { Engine } from "../engine.js";
import { assembleContext } from "./assemble-context.js";
import type { MemoryFilter } from "../store/store.js";
import { queryTerms } from "./query-terms.js";
import { missingNeighbourRanges, spreadToNeighbours } from "./spread-to-neighbours.js";
import { validateRecallOptions } from "./validate-recall-options.js";

/** Fewest tokens a candidate line is assumed to take when deciding how many candidates to fetch. */
const MIN_TOKENS_PER_ITEM = 8;
const MIN_CANDIDATES = 50;
const MAX_CANDIDATES = 1_000;

/**
 * BM25 candidates over the spaces the caller may read, their weight spread to the neighbouring turns of
 * each conversation, packed into the token budget.
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
  const candidateLimit = Math.min(fillBudget, Math.max(valid.limit, MIN_CANDIDATES));
  const filter: MemoryFilter = {
    spaces: valid.spaces,
    kinds: valid.kinds,
    from: valid.from,
    to: valid.to,
    asOf: valid.asOf ?? engine.clock().getTime(),
    current: valid.asOf === undefined,
  };
  let ranked = await engine.store.searchText(engine.scope, { ...filter, terms: queryTerms(query), limit: candidateLimit });
  const spreading = engine.recall.neighbours;
  if (spreading && spreading.radius > 0 && ranked.length > 0) {
    const ranges = missingNeighbourRanges(ranked, spreading.radius);
    const near = ranges.length === 0 ? [] : await engine.store.episodesAt(engine.scope, { ...filter, ranges });
    ranked = spreadToNeighbours(ranked, near, spreading);
  }
  const { items, context } = await assembleContext(ranked, {
    budgetTokens: valid.budgetTokens,
    limit: valid.limit,
    tokenizer: engine.tokenizer,
    load: (keys) => engine.store.loadMemories(engine.scope, keys),
  });
  return { query, items, context };
}

async function requireSpaces(engine: Engine, names: readonly string[]): Promise<void> {
  const known = new Set((await engine.store.listSpaces(engine.scope)).map((space) => space.name));
  const missing = names.find((name) => !known.has(name));
  if (missing !== undefined) {
    throw new MemoryError("space_not_found", `Space "${missing}" does not exist. Known spaces: ${[...known].join(", ") || "none"}.`, {
      details: { space: missing },
    });
  }
}
