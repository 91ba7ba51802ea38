import type { SpaceRecord } from "../domain/spaces.js";
import type { Engine } from "../engine.js";
import { isStopWord } from "../recall/query-terms.js";
import type { AdmissionProposal, UsefulnessCounts, UsefulnessStats } from "../store/store.js";

/**
 * A candidate with fewer content words than this has little to add, however new they are: one word
 * ("ok", "thanks") says nothing, and the credit grows with each word up to this many.
 */
const FULL_CONTENT_TERMS = 4;
/** Below this novelty a candidate is a near-duplicate (or says nothing): rejected whatever its usefulness. */
const MIN_NOVELTY = 0.2;
/** What usefulness is believed to be before any feedback, and how many recalls that belief is worth. */
const PRIOR_USEFULNESS = 0.5;
const PRIOR_WEIGHT = 2;
const UNJUDGED_RECALL_WEIGHT = 0.25;
const NOVELTY_WEIGHT = 0.5;
/** Nearest memories of the space a candidate is compared with. */
const NEIGHBOURS = 5;
/** Keywords of a candidate whose track record is looked up. */
const MAX_KEYWORDS = 8;

export interface AdmissionCandidate {
  text: string;
  keywords: readonly string[];
}

/**
 * Scores new memories for a space whose policy is "scored": novelty against what the space already
 * holds (and earlier candidates of the same batch), and usefulness learned from how often others used
 * what this author, and memories on the same keywords, contributed there. Each verdict says why.
 */
export async function scoreAdmission(engine: Engine, space: SpaceRecord, candidates: readonly AdmissionCandidate[]): Promise<AdmissionProposal[]> {
  const admittedInBatch: { id: string; terms: Set<string> }[] = [];
  const proposals: AdmissionProposal[] = [];
  // One read of the track record for the whole batch: nothing the batch writes is stored before it ends.
  const asked = [...new Set(candidates.flatMap((candidate) => candidate.keywords.slice(0, MAX_KEYWORDS)))];
  const record = await engine.store.usefulness(engine.scope, { space: space.name, author: engine.scope.principalId, keywords: asked });
  const byKeyword = new Map(record.keywords.map((entry) => [entry.keyword, entry]));
  for (const [index, candidate] of candidates.entries()) {
    const terms = contentTerms(candidate.text);
    const novelty = await measureNovelty(engine, space.name, terms, admittedInBatch);
    const usefulness = measureUsefulness(engine, {
      author: record.author,
      keywords: candidate.keywords.slice(0, MAX_KEYWORDS).map((keyword) => byKeyword.get(keyword)!),
    });
    const score = round(NOVELTY_WEIGHT * novelty.value + (1 - NOVELTY_WEIGHT) * usefulness.value);
    const reasons = `novelty ${novelty.value.toFixed(2)} (${novelty.why}); usefulness ${usefulness.value.toFixed(2)} (${usefulness.why})`;
    const admitted = novelty.value >= MIN_NOVELTY && score >= space.admission.threshold;
    const verdict =
      novelty.value < MIN_NOVELTY
        ? `rejected: novelty under ${MIN_NOVELTY}`
        : `${admitted ? "admitted" : "rejected"}: score ${score.toFixed(2)} ${admitted ? "≥" : "<"} threshold ${space.admission.threshold}`;
    proposals.push({ status: admitted ? "admitted" : "rejected", why: `${verdict}; ${reasons}`, score, novelty: novelty.value, usefulness: usefulness.value });
    if (admitted) admittedInBatch.push({ id: `candidate ${index + 1} of this write`, terms });
  }
  return proposals;
}

async function measureNovelty(
  engine: Engine,
  space: string,
  terms: Set<string>,
  batch: readonly { id: string; terms: Set<string> }[],
): Promise<{ value: number; why: string }> {
  if (terms.size === 0) return { value: 0, why: "no words to go by" };
  const now = engine.clock().getTime();
  const hits = await engine.store.searchText(engine.scope, { terms: [...terms], spaces: [space], limit: NEIGHBOURS, asOf: now, current: true });
  // Only what the space holds for every reader counts (not the writer's own held memories), and the
  // verdict names the nearest by id, never by its words: others read the verdict, and the words may be
  // forgotten or held later.
  const nearest = (await engine.store.loadMemories(engine.scope, hits.map((hit) => hit.key))).filter((memory) => memory.admission.status === "admitted");
  let closest = { overlap: 0, id: "" };
  for (const other of [...nearest.map((memory) => ({ id: memory.id, terms: contentTerms(memory.text) })), ...batch]) {
    const shared = [...terms].filter((term) => other.terms.has(term)).length;
    const overlap = shared / terms.size;
    if (overlap > closest.overlap) closest = { overlap, id: other.id };
  }
  const substance = Math.min(1, (terms.size - 1) / (FULL_CONTENT_TERMS - 1));
  const value = round((1 - closest.overlap) * substance);
  const parts = [closest.overlap > 0 ? `${Math.round(closest.overlap * 100)}% of its words are in ${closest.id}` : "nothing like it in the space"];
  if (substance < 1) parts.push(`only ${terms.size} content word${terms.size === 1 ? "" : "s"}`);
  return { value, why: parts.join(", ") };
}

function measureUsefulness(engine: Engine, stats: UsefulnessStats): { value: number; why: string } {
  const author = evidence(stats.author);
  const topics = stats.keywords.map(evidence).reduce((sum, part) => ({ used: sum.used + part.used, seen: sum.seen + part.seen }), { used: 0, seen: 0 });
  const value = round((author.used + topics.used + PRIOR_USEFULNESS * PRIOR_WEIGHT) / (author.seen + topics.seen + PRIOR_WEIGHT));
  const recalled = (counts: UsefulnessCounts): string => `${counts.used} used, ${counts.unused} unused, ${counts.recalls} recalls`;
  if (author.seen + topics.seen === 0) return { value, why: "no feedback yet: the prior" };
  const named = stats.keywords.filter((entry) => entry.memories > 0).map((entry) => `"${entry.keyword}"`);
  const parts = [`by others, ${engine.scope.principalId}'s memories here: ${recalled(stats.author)}`];
  if (named.length > 0) {
    const onTopics = stats.keywords.reduce<UsefulnessCounts>(
      (sum, entry) => ({ memories: sum.memories + entry.memories, used: sum.used + entry.used, unused: sum.unused + entry.unused, recalls: sum.recalls + entry.recalls }),
      { memories: 0, used: 0, unused: 0, recalls: 0 },
    );
    parts.push(`memories on ${named.slice(0, 3).join(", ")}: ${recalled(onTopics)}`);
  }
  return { value, why: parts.join("; ") };
}

/**
 * Verdicts count in full; a recall that got no verdict counts as a quarter of an "unused" one, since a
 * memory in a context may simply not have been needed there.
 */
function evidence(counts: UsefulnessCounts): { used: number; seen: number } {
  const verdicts = counts.used + counts.unused;
  return { used: counts.used, seen: verdicts + UNJUDGED_RECALL_WEIGHT * Math.max(0, counts.recalls - verdicts) };
}

/** The words that carry meaning: "on it" has none. */
function contentTerms(text: string): Set<string> {
  return new Set((text.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? []).filter((word) => !isStopWord(word)));
}

function round(value: number): number {
  return Math.round(value * 1000) / 1000;
}
