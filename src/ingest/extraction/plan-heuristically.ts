import type { CandidateDecision, ConsolidationPlan, ExistingMemory, ExtractedMemory, PlannedLink } from "./extracted-memory.js";

/** Links to memories about the same names and terms, per candidate and per side (existing, batch). */
const MAX_SAME_ENTITY = 3;

/**
 * Consolidation without a model, candidate by candidate in order:
 * - noop when a memory says the same (same text, ignoring case, spacing and the final full stop) and
 *   still held when the candidate became true, unless an earlier decision of this plan invalidated it;
 * - invalidate when a current memory fills the candidate's slot with other words ("ana|lives in":
 *   Boston, then Denver): the candidate replaces it and links to it with "updates"; other current
 *   memories of the slot get "contradicts";
 * - add otherwise, and also when that memory began after the candidate (old news arriving late): the
 *   candidate is linked to it with "contradicts" and replaces nothing.
 * Added and invalidating candidates link with "same_entity" to up to three existing memories and three
 * earlier candidates that share a keyword, most shared first. An earlier candidate of the same slot is
 * linked with "updates" (or "contradicts" when it began later): the plan cannot invalidate a memory that
 * does not exist yet. No refinements.
 *
 * Candidates are expected to be unique by text (the caller dedupes). A repeat anyway is a noop on the
 * memory its first occurrence matched, or else an add linked "same_entity" to that first occurrence:
 * the plan has no way to name a memory of the batch as a noop's target.
 *
 * `validFrom` is when the candidate became true, epoch ms; null when unknown (it then never counts as old news).
 */
export function planHeuristically(candidates: readonly { memory: ExtractedMemory; validFrom: number | null }[], existing: readonly ExistingMemory[]): ConsolidationPlan {
  const retired = new Set<string>();
  const firstByText = new Map<string, number>();
  const decisions: CandidateDecision[] = [];
  /** Earlier candidates this plan stores as new memories (added or invalidating, repeats left out), in order. */
  const stored: number[] = [];
  candidates.forEach(({ memory, validFrom }, candidate) => {
    const text = normalise(memory.text);
    const first = firstByText.get(text);
    if (first !== undefined) {
      const earlier = decisions[first];
      if (earlier?.action === "noop") decisions.push({ candidate, action: "noop", target: earlier.target });
      else decisions.push({ candidate, action: "add", links: [{ type: "same_entity", to: { candidate: first } }] });
      return;
    }
    firstByText.set(text, candidate);
    const same = existing.find((other) => !retired.has(other.id) && normalise(other.text) === text && heldAt(other, validFrom));
    if (same) {
      decisions.push({ candidate, action: "noop", target: same.id });
      return;
    }
    const rivals = memory.slot === null ? [] : existing.filter((other) => !retired.has(other.id) && other.validTo === null && other.slot === memory.slot && normalise(other.text) !== text);
    const latest = rivals.reduce<ExistingMemory | undefined>((best, other) => (best === undefined || startOf(other) > startOf(best) ? other : best), undefined);
    const replaces = latest !== undefined && !(validFrom !== null && validFrom < startOf(latest));
    const links: PlannedLink[] = rivals.map((rival) => ({ type: replaces && rival === latest ? "updates" : "contradicts", to: rival.id }));
    links.push(...batchSlotLinks(candidates, stored, candidate));
    links.push(...sameEntityLinks(candidates, stored, existing, candidate, links));
    if (replaces) {
      retired.add(latest.id);
      decisions.push({ candidate, action: "invalidate", target: latest.id, links });
    } else {
      decisions.push({ candidate, action: "add", links });
    }
    stored.push(candidate);
  });
  return { decisions, refinements: [] };
}

type Candidates = readonly { memory: ExtractedMemory; validFrom: number | null }[];

/** Stored earlier candidates that fill the same slot with other words: "updates", or "contradicts" when they began later. */
function batchSlotLinks(candidates: Candidates, stored: readonly number[], index: number): PlannedLink[] {
  const { memory, validFrom } = candidates[index]!;
  if (memory.slot === null) return [];
  return stored.flatMap((earlier): PlannedLink[] => {
    const other = candidates[earlier]!;
    if (other.memory.slot !== memory.slot) return [];
    const later = validFrom !== null && other.validFrom !== null && other.validFrom > validFrom;
    return [{ type: later ? "contradicts" : "updates", to: { candidate: earlier } }];
  });
}

/** Up to three existing memories and three stored earlier candidates sharing a keyword, most shared first; none already linked. */
function sameEntityLinks(candidates: Candidates, stored: readonly number[], existing: readonly ExistingMemory[], index: number, linked: readonly PlannedLink[]): PlannedLink[] {
  const keywords = new Set(candidates[index]!.memory.keywords.map((keyword) => keyword.toLowerCase()));
  if (keywords.size === 0) return [];
  const shared = (others: readonly string[]): number => new Set(others.map((keyword) => keyword.toLowerCase()).filter((keyword) => keywords.has(keyword))).size;
  const taken = new Set(linked.map((link) => (typeof link.to === "string" ? link.to : `#${link.to.candidate}`)));
  const memories = existing.filter((other) => !taken.has(other.id)).map((other) => ({ to: other.id, count: shared(other.keywords) }));
  const batch = [...stored]
    .reverse()
    .filter((earlier) => !taken.has(`#${earlier}`))
    .map((earlier) => ({ to: { candidate: earlier }, count: shared(candidates[earlier]!.memory.keywords) }));
  return [...mostShared(memories), ...mostShared(batch)].map(({ to }) => ({ type: "same_entity", to }));
}

function mostShared<T extends { count: number }>(found: readonly T[]): T[] {
  // The sort is stable: among equals, existing memories keep the order given and earlier candidates stay nearest first.
  return found.filter(({ count }) => count > 0).sort((a, b) => b.count - a.count).slice(0, MAX_SAME_ENTITY);
}

/** Whether `memory` still held at `validFrom`: it is current, or the candidate began before it ended. */
function heldAt(memory: ExistingMemory, validFrom: number | null): boolean {
  if (memory.validTo === null) return true;
  const end = Date.parse(memory.validTo);
  return validFrom !== null && !Number.isNaN(end) && validFrom < end;
}

/** When `memory` began, epoch ms; the earliest possible when unknown. */
function startOf(memory: ExistingMemory): number {
  const start = memory.validFrom === null ? Number.NaN : Date.parse(memory.validFrom);
  return Number.isNaN(start) ? Number.NEGATIVE_INFINITY : start;
}

/** Texts compared as the same statement: case, runs of spaces and final punctuation ignored. */
function normalise(text: string): string {
  return text.toLowerCase().replace(/\s+/g, " ").trim().replace(/[\s.!?…;:,]+$/u, "");
}
