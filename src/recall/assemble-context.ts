import type { AssembledContext, RecallItem } from "../domain/types.js";
import type { Tokenizer } from "../providers/tokenizer.js";
import type { ScoredMemory } from "../store/store.js";
import { dateHeader, renderMemoryLine } from "./render-memory.js";

export interface AssembleOptions {
  budgetTokens: number;
  limit: number;
  tokenizer: Tokenizer;
}

/**
 * Packs ranked candidates into the budget: best first, skipping any that no longer fit so smaller ones
 * can still use the room. The context lists them in a stable order (timeless memories first, then by
 * world time under date headers), so consecutive recalls share a prefix. The final text is counted as
 * a whole, and trimmed from the lowest rank until it fits: the budget is never exceeded.
 */
export function assembleContext(candidates: readonly ScoredMemory[], options: AssembleOptions): { items: RecallItem[]; context: AssembledContext } {
  const { budgetTokens, tokenizer } = options;
  const headers = new Set<string>();
  const selected: RecallItem[] = [];
  let remaining = budgetTokens;
  for (const candidate of candidates) {
    if (selected.length >= options.limit || remaining <= 0) break;
    const header = dateHeader(candidate.memory.validFrom);
    const opensDay = header !== null && !headers.has(header);
    const cost = candidate.tokens + 1 + (opensDay ? tokenizer.count(header) + 1 : 0);
    if (cost > remaining) continue;
    if (opensDay) headers.add(header);
    remaining -= cost;
    selected.push({ memory: candidate.memory, rank: 0, score: candidate.score, tokens: candidate.tokens });
  }
  let text = render(selected);
  let tokens = tokenizer.count(text);
  while (tokens > budgetTokens && selected.length > 0) {
    selected.pop();
    text = render(selected);
    tokens = tokenizer.count(text);
  }
  selected.forEach((item, index) => (item.rank = index + 1));
  return { items: selected, context: { text, tokens, budgetTokens, tokenizer: tokenizer.name } };
}

function render(items: readonly RecallItem[]): string {
  // Within one time, ids keep the order of writing (they are monotonic), e.g. turns of one session.
  const ordered = [...items].sort(
    (a, b) => compareTime(a.memory.validFrom, b.memory.validFrom) || (a.memory.id < b.memory.id ? -1 : a.memory.id > b.memory.id ? 1 : 0),
  );
  const lines: string[] = [];
  let currentHeader: string | null = null;
  for (const item of ordered) {
    const header = dateHeader(item.memory.validFrom);
    if (header !== null && header !== currentHeader) {
      lines.push(header);
      currentHeader = header;
    }
    lines.push(renderMemoryLine(item.memory));
  }
  return lines.join("\n");
}

/** Timeless (null) first, then oldest first. ISO strings in UTC compare correctly as text. */
function compareTime(a: string | null, b: string | null): number {
  if (a === b) return 0;
  if (a === null) return -1;
  if (b === null) return 1;
  return a < b ? -1 : 1;
}
