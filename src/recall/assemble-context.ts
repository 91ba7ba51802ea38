import type { AssembledContext, MemoryRecord, RecallItem } from "../domain/types.js";
import type { Tokenizer } from "../providers/tokenizer.js";
import type { Candidate } from "../store/store.js";
import { dateHeader, renderMemoryLine } from "./render-memory.js";

export interface AssembleOptions {
  budgetTokens: number;
  limit: number;
  tokenizer: Tokenizer;
  /** Loads the content of the chosen candidates, in the order given (see MemoryStore.loadMemories). */
  load: (keys: readonly number[]) => Promise<MemoryRecord[]>;
  /** Who recalls: lines written by another principal name their author. @default no authors named */
  reader?: string;
}

/**
 * Packs ranked candidates into the budget: best first, skipping any that no longer fit so smaller ones
 * can still use the room. Only the chosen ones are loaded. The context lists them in a stable order
 * (timeless memories first, then by world time under date headers), so consecutive recalls share a
 * prefix. The final text is counted as a whole, and trimmed from the lowest rank until it fits: the
 * budget is never exceeded.
 */
export async function assembleContext(ranked: readonly Candidate[], options: AssembleOptions): Promise<{ items: RecallItem[]; context: AssembledContext }> {
  const { budgetTokens, tokenizer } = options;
  const chosen = choose(ranked, options);
  const records = new Map((await options.load(chosen.map((candidate) => candidate.key))).map((record) => [`${record.id}@${record.version}`, record]));
  const items: RecallItem[] = chosen.flatMap((candidate) => {
    const memory = records.get(`${candidate.id}@${candidate.version}`);
    return memory ? [{ memory, rank: 0, score: candidate.score, tokens: candidate.tokens }] : [];
  });
  let text = render(items, options.reader);
  let tokens = tokenizer.count(text);
  while (tokens > budgetTokens && items.length > 0) {
    items.pop();
    text = render(items, options.reader);
    tokens = tokenizer.count(text);
  }
  items.forEach((item, index) => (item.rank = index + 1));
  return { items, context: { text, tokens, budgetTokens, tokenizer: tokenizer.name } };
}

/** Greedy by rank, estimating each line as its tokens plus a newline, and each new day's header once. */
function choose(ranked: readonly Candidate[], options: AssembleOptions): Candidate[] {
  const headers = new Set<string>();
  const bylines = new Map<string, number>();
  const byline = (author: string): number => {
    if (options.reader === undefined || author === options.reader) return 0;
    let cost = bylines.get(author);
    if (cost === undefined) bylines.set(author, (cost = options.tokenizer.count(byLine(author))));
    return cost;
  };
  const chosen: Candidate[] = [];
  let remaining = options.budgetTokens;
  for (const candidate of ranked) {
    if (chosen.length >= options.limit || remaining <= 0) break;
    // Most candidates no longer fit once the budget is nearly spent: skip them before counting a header.
    const tokens = candidate.tokens + byline(candidate.author);
    if (tokens + 1 > remaining) continue;
    const header = dateHeader(candidate.validFrom === null ? null : new Date(candidate.validFrom).toISOString());
    const opensDay = header !== null && !headers.has(header);
    const cost = tokens + 1 + (opensDay ? options.tokenizer.count(header) + 1 : 0);
    if (cost > remaining) continue;
    if (opensDay) headers.add(header);
    remaining -= cost;
    chosen.push(candidate);
  }
  return chosen;
}

/** A line another principal wrote says so, so that an agent knows whose finding it reads. */
function render(items: readonly RecallItem[], reader: string | undefined): string {
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
    const line = renderMemoryLine(item.memory);
    lines.push(reader === undefined || item.memory.author === reader ? line : line + byLine(item.memory.author));
  }
  return lines.join("\n");
}

/** What a line another principal wrote ends with. */
function byLine(author: string): string {
  return ` [by ${author}]`;
}

/** Timeless (null) first, then oldest first. ISO strings in UTC compare correctly as text. */
function compareTime(a: string | null, b: string | null): number {
  if (a === b) return 0;
  if (a === null) return -1;
  if (b === null) return 1;
  return a < b ? -1 : 1;
}
