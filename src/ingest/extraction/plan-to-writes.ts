import { extractKeywords } from "../../domain/extract-keywords.js";
import type { MemoryRecord } from "../../domain/types.js";
import type { Engine } from "../../engine.js";
import { renderMemoryLine } from "../../recall/render-memory.js";
import type { NewDerivedMemory, NewLink, NewMemoryVersion, VersionUpdate } from "../../store/store.js";
import type { ConsolidationCandidate } from "./consolidation-request.js";
import type { ConsolidationPlan, PlannedLink } from "./extracted-memory.js";
import { metadataKeywords } from "./find-existing.js";

/** How a batch's memories were made: kept in each one's metadata as provenance. */
export interface Derivation {
  extractor: "llm" | "heuristic";
  model: string | null;
  promptVersion: string | null;
  jobIds: readonly number[];
}

/** A candidate with the world times resolved from its words. */
export interface DatedCandidate extends ConsolidationCandidate {
  validFrom: number;
  validTo: number | null;
}

export interface BatchWrites {
  memories: NewDerivedMemory[];
  versions: VersionUpdate[];
  links: NewLink[];
}

/**
 * Turns a consolidation plan into store writes: a new memory per added (or invalidating) candidate, a
 * new version per updated, invalidated or refined memory (the old version stays in history), and the
 * links. `existing` holds the current versions the plan's targets name.
 */
export function planToWrites(
  engine: Engine,
  plan: ConsolidationPlan,
  candidates: readonly DatedCandidate[],
  existing: ReadonlyMap<string, MemoryRecord>,
  derivation: Derivation,
): BatchWrites {
  const provenance = { extractor: derivation.extractor, model: derivation.model, promptVersion: derivation.promptVersion, jobIds: [...derivation.jobIds] };
  const ids = candidates.map(() => `mem_${engine.generateId()}`);
  const memories: NewDerivedMemory[] = [];
  const changed = new Map<string, NewMemoryVersion>();
  const links: NewLink[] = [];
  const linkTo = (from: string, link: PlannedLink): void => {
    const to = typeof link.to === "string" ? link.to : ids[link.to.candidate];
    if (to !== undefined && to !== from) links.push({ from, to, type: link.type });
  };
  for (const decision of plan.decisions) {
    const candidate = candidates[decision.candidate];
    if (!candidate || decision.action === "noop") continue;
    const id = ids[decision.candidate]!;
    const target = decision.action === "add" ? undefined : existing.get(decision.target);
    if (decision.action === "update" && target) {
      changed.set(target.id, version(engine, target, { text: decision.text, keywords: merge(metadataKeywords(target), candidate.memory.keywords), sourceEventIds: candidate.memory.sourceEventIds, provenance }));
      for (const link of decision.links) linkTo(target.id, link);
      continue;
    }
    const { memory } = candidate;
    const metadata = { keywords: memory.keywords, tags: memory.tags, slot: memory.slot, extraction: provenance };
    memories.push({
      id,
      kind: memory.kind,
      sourceEventIds: memory.sourceEventIds,
      ...content(engine, memory.kind, memory.text, memory.keywords, memory.tags),
      metadata,
      importance: memory.importance,
      origin: null,
      validFrom: candidate.validFrom,
      validTo: candidate.validTo,
    });
    if (decision.action === "invalidate" && target) {
      // It was true until the candidate became true (never before it itself began).
      const from = target.validFrom === null ? null : Date.parse(target.validFrom);
      const until = Math.max(candidate.validFrom, from ?? Number.NEGATIVE_INFINITY);
      changed.set(target.id, version(engine, target, { validTo: until, invalidatedBy: id, provenance }));
    }
    for (const link of decision.links) linkTo(id, link);
  }
  for (const refinement of plan.refinements) {
    const target = existing.get(refinement.target);
    if (!target || changed.has(target.id)) continue;
    changed.set(target.id, version(engine, target, { text: refinement.text, keywords: refinement.keywords, provenance }));
  }
  const versions = [...changed].map(([id, next]) => ({ id, expectedVersion: existing.get(id)!.version, next }));
  return { memories, versions, links: dedupeLinks(links) };
}

interface VersionChange {
  text?: string | undefined;
  keywords?: readonly string[] | undefined;
  validTo?: number;
  sourceEventIds?: readonly string[];
  invalidatedBy?: string;
  provenance: object;
}

/** The next version of `target` with `change` applied; what the change does not name carries over. */
function version(engine: Engine, target: MemoryRecord, change: VersionChange): NewMemoryVersion {
  const text = change.text ?? target.text;
  const keywords = change.keywords ? [...change.keywords] : metadataKeywords(target);
  const tags = Array.isArray(target.metadata["tags"]) ? (target.metadata["tags"] as string[]) : [];
  const metadata: Record<string, unknown> = { ...target.metadata, keywords, revision: change.provenance };
  if (change.invalidatedBy) metadata["invalidatedBy"] = change.invalidatedBy;
  if (change.sourceEventIds) metadata["mergedFrom"] = [...change.sourceEventIds];
  return {
    ...content(engine, target.kind, text, keywords, tags),
    metadata,
    importance: target.importance,
    origin: target.origin,
    validFrom: target.validFrom === null ? null : Date.parse(target.validFrom),
    validTo: change.validTo ?? (target.validTo === null ? null : Date.parse(target.validTo)),
  };
}

function content(engine: Engine, kind: string, text: string, keywords: readonly string[], tags: readonly string[]): Pick<NewMemoryVersion, "text" | "indexText" | "keywords" | "tokens"> {
  return {
    text,
    // Keywords and tags are searchable at the lower weight of extra words.
    indexText: [...keywords, ...tags].join(" "),
    keywords: merge(extractKeywords(text), keywords.map((keyword) => keyword.toLowerCase())),
    tokens: engine.tokenizer.count(renderMemoryLine({ kind, text, origin: null })),
  };
}

function merge(first: readonly string[], second: readonly string[]): string[] {
  return [...new Set([...first, ...second])];
}

function dedupeLinks(links: readonly NewLink[]): NewLink[] {
  const seen = new Set<string>();
  return links.filter((link) => {
    const key = `${link.from}\u0000${link.to}\u0000${link.type}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
