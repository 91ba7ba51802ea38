import type { MemoryKind, MemoryRecord } from "../../domain/types.js";
import type { Engine } from "../../engine.js";
import { queryTerms } from "../../recall/query-terms.js";
import type { ExistingMemory, ExtractedMemory } from "./extracted-memory.js";

/** Memories consolidation may merge into or invalidate: what extraction makes, never raw episodes. */
export const DERIVED_KINDS: readonly MemoryKind[] = ["fact", "preference", "procedure", "event"];

const NEAREST_PER_CANDIDATE = 5;
const MAX_EXISTING = 40;

/**
 * The current memories of `space` nearest each candidate (by full text over its words and keywords), in
 * one list without repeats: what one consolidation decision per batch compares the candidates with.
 */
export async function findExisting(engine: Engine, space: string, candidates: readonly ExtractedMemory[]): Promise<MemoryRecord[]> {
  const asOf = engine.clock().getTime();
  const keys = new Set<number>();
  for (const candidate of candidates) {
    const terms = queryTerms([candidate.text, ...candidate.keywords].join(" "));
    if (terms.length === 0) continue;
    const hits = await engine.store.searchText(engine.scope, { terms, spaces: [space], kinds: DERIVED_KINDS, asOf, current: true, limit: NEAREST_PER_CANDIDATE });
    for (const hit of hits) keys.add(hit.key);
    if (keys.size >= MAX_EXISTING) break;
  }
  return engine.store.loadMemories(engine.scope, [...keys].slice(0, MAX_EXISTING));
}

/** What consolidation sees of a stored memory; slot and keywords come from the metadata extraction wrote. */
export function toExistingMemory(record: MemoryRecord): ExistingMemory {
  const slot = record.metadata["slot"];
  return {
    id: record.id,
    version: record.version,
    kind: record.kind,
    text: record.text,
    validFrom: record.validFrom,
    validTo: record.validTo,
    slot: typeof slot === "string" ? slot : null,
    keywords: metadataKeywords(record),
  };
}

/** The keywords extraction kept in a memory's metadata; none for memories it did not write. */
export function metadataKeywords(record: MemoryRecord): string[] {
  const keywords = record.metadata["keywords"];
  return Array.isArray(keywords) ? keywords.filter((keyword): keyword is string => typeof keyword === "string") : [];
}
