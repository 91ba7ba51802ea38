import { invalidInput } from "../../domain/memory-error.js";
import type { JsonCompletionRequest, JsonSchema } from "../../providers/llm.js";
import { arrayAt, nullableTextAt, objectAt, oneOf, quote, refAt, refRange, replyError, termsAt } from "./check-reply.js";
import { LINK_TYPES, type CandidateDecision, type ConsolidationPlan, type ExistingMemory, type ExtractedMemory, type PlannedLink, type Refinement } from "./extracted-memory.js";

/** Names the prompt in each memory's provenance; change it whenever the prompt or schema changes. */
export const CONSOLIDATION_PROMPT_VERSION: string = "consolidate-1";

/** A candidate as consolidation sees it: the extracted memory and when it became true (epoch ms), if known. */
export interface ConsolidationCandidate {
  memory: ExtractedMemory;
  validFrom: number | null;
}

type Action = CandidateDecision["action"];
const ACTIONS: readonly Action[] = ["add", "update", "invalidate", "noop"];

// Every batch pays for these tokens: the prompt says only what the schema cannot.
const SYSTEM = `You keep an agent's long-term memory consistent. Input: existing memories (m1, m2, …) and new candidates (c1, c2, …), one per line: ref (kind; valid from – to, or date; slot) text [keywords].

Give exactly one decision per candidate:
- add: new information.
- update: target says the same thing less precisely or less completely; text is the merged statement, keeping every detail of both.
- invalidate: target was true but no longer is, because the candidate replaces it (moved house, changed job); target is closed and the candidate added.
- noop: target already says it.
target is an m ref for update, invalidate and noop, null for add. text is null unless update. A memory can be the target of one update or invalidate only. A different fact about the same subject is add, not update.

links, from a stored candidate (not noop) to m or c refs: same_entity (same person or thing), updates (new state of), contradicts (conflict you cannot resolve), part_of (a detail of), follows (happened after). Only clear ones; often none.

refinements: rarely, when the candidates show what an existing memory (not one you update or invalidate) is about, give it better lower-case keywords or a clearer text; null for what stays. Usually none.`;

const REF = { type: "string" } as const;
const NULLABLE_STRING = { type: ["string", "null"] } as const;

/** OpenAI strict mode: every object closed, every property required (optional ones are nullable). */
const SCHEMA: JsonSchema = {
  type: "object",
  properties: {
    decisions: {
      type: "array",
      items: {
        type: "object",
        properties: {
          candidate: REF,
          action: { type: "string", enum: ACTIONS },
          target: NULLABLE_STRING,
          text: NULLABLE_STRING,
          links: {
            type: "array",
            items: { type: "object", properties: { type: { type: "string", enum: LINK_TYPES }, to: REF }, required: ["type", "to"], additionalProperties: false },
          },
        },
        required: ["candidate", "action", "target", "text", "links"],
        additionalProperties: false,
      },
    },
    refinements: {
      type: "array",
      items: {
        type: "object",
        properties: { target: REF, keywords: { type: ["array", "null"], items: { type: "string" } }, text: NULLABLE_STRING },
        required: ["target", "keywords", "text"],
        additionalProperties: false,
      },
    },
  },
  required: ["decisions", "refinements"],
  additionalProperties: false,
};

/**
 * The request that asks a `LanguageModel` how a batch of candidates fits the existing memories near them:
 * one call, one decision per candidate (see `CandidateDecision`), plus refinements of existing memories.
 * Both lists are given short refs ("m1", "c1"); `parse` maps them back to memory ids and candidate indexes,
 * returns the decisions in candidate order, and rejects (with the path of the problem) a reply that skips
 * or repeats a candidate, names an unknown ref, or plans two rewrites of one memory.
 *
 * @example
 * const { value: plan } = await llm.completeJson(consolidationRequest([{ memory, validFrom: Date.UTC(2023, 8, 5) }], nearest));
 * // { decisions: [{ candidate: 0, action: "invalidate", target: "mem_12", links: [{ type: "updates", to: "mem_12" }] }], refinements: [] }
 */
export function consolidationRequest(candidates: readonly ConsolidationCandidate[], existing: readonly ExistingMemory[]): JsonCompletionRequest<ConsolidationPlan> {
  if (candidates.length === 0) throw invalidInput("candidates", "must hold at least one candidate to decide on.");
  const existingLines = existing.map((memory, index) => `m${index + 1} (${describe(memory.kind, `${day(memory.validFrom)} – ${memory.validTo === null ? "now" : day(memory.validTo)}`, memory.slot)}) ${oneLine(memory.text)}${keywords(memory.keywords)}`);
  const candidateLines = candidates.map(({ memory, validFrom }, index) => `c${index + 1} (${describe(memory.kind, validFrom === null ? "?" : day(new Date(validFrom).toISOString()), memory.slot)}) ${oneLine(memory.text)}${keywords(memory.keywords)}`);
  return {
    system: SYSTEM,
    user: `Existing memories:\n${existingLines.length === 0 ? "none" : existingLines.join("\n")}\n\nCandidates:\n${candidateLines.join("\n")}`,
    schema: SCHEMA,
    schemaName: "consolidation_plan",
    parse: (value) => parsePlan(value, candidates.length, existing),
  };
}

function describe(kind: string, dates: string, slot: string | null): string {
  return [kind, dates, ...(slot === null ? [] : [slot])].join("; ");
}

/** The date part of an ISO time, or "?" when unknown. */
function day(iso: string | null): string {
  return iso === null ? "?" : iso.slice(0, 10);
}

function keywords(terms: readonly string[]): string {
  return terms.length === 0 ? "" : ` [${terms.join(", ")}]`;
}

function oneLine(text: string): string {
  return text.replace(/\s+/g, " ").trim();
}

/** A decision as read, before the checks that need all of them. */
type Parsed = CandidateDecision & { path: string };

function parsePlan(value: unknown, candidateCount: number, existing: readonly ExistingMemory[]): ConsolidationPlan {
  const reply = objectAt("reply", value);
  const byCandidate = new Map<number, Parsed>();
  arrayAt("decisions", reply["decisions"]).forEach((item, index) => {
    const decision = parseDecision(`decisions[${index}]`, item, candidateCount, existing);
    const earlier = byCandidate.get(decision.candidate);
    if (earlier !== undefined) throw replyError(`decisions[${index}].candidate`, `c${decision.candidate + 1} already has a decision (${earlier.path}); give exactly one per candidate`);
    byCandidate.set(decision.candidate, decision);
  });
  const missing = Array.from({ length: candidateCount }, (_, index) => index).filter((index) => !byCandidate.has(index));
  if (missing.length > 0) throw replyError("decisions", `no decision for ${missing.map((index) => `c${index + 1}`).join(", ")}; give exactly one per candidate (${refRange("c", candidateCount)})`);
  const decisions = Array.from({ length: candidateCount }, (_, index) => byCandidate.get(index)!);
  const rewritten = checkRewrites(decisions, existing);
  checkLinksToNoops(decisions, existing);
  return { decisions: decisions.map(({ path: _path, ...decision }) => decision), refinements: parseRefinements(reply["refinements"], existing, rewritten) };
}

function parseDecision(path: string, value: unknown, candidateCount: number, existing: readonly ExistingMemory[]): Parsed {
  const item = objectAt(path, value);
  const candidate = refAt(`${path}.candidate`, item["candidate"], "c", candidateCount, "a candidate");
  const action = oneOf(`${path}.action`, item["action"], ACTIONS);
  const target = targetAt(path, item["target"], action, existing);
  const text = nullableTextAt(`${path}.text`, item["text"]);
  if (action === "update" && text === null) throw replyError(`${path}.text`, `must be the merged statement for "update", got ${quote(item["text"])}`);
  if (action !== "update" && text !== null) throw replyError(`${path}.text`, `must be null for "${action}" (only an update gives a text), got ${quote(item["text"])}`);
  const links = parseLinks(`${path}.links`, item["links"], { candidate, action, target }, candidateCount, existing);
  switch (action) {
    case "add":
      return { path, candidate, action, links };
    case "update":
      return { path, candidate, action, target: target!, text: text!, links };
    case "invalidate":
      return { path, candidate, action, target: target!, links };
    case "noop":
      return { path, candidate, action, target: target! };
  }
}

/** The id of the memory a decision is about; undefined for "add", which is about none. */
function targetAt(path: string, value: unknown, action: Action, existing: readonly ExistingMemory[]): string | undefined {
  if (action === "add") {
    if (value !== null) throw replyError(`${path}.target`, `must be null for "add", got ${quote(value)}; to relate the candidate to a memory, use a link`);
    return undefined;
  }
  if (existing.length === 0) throw replyError(`${path}.action`, `cannot be "${action}": there are no existing memories, so every candidate is "add"`);
  if (value === null) throw replyError(`${path}.target`, `must name the memory (${refRange("m", existing.length)}) that the "${action}" is about, got null`);
  return existing[memoryRef(`${path}.target`, value, existing)]!.id;
}

function memoryRef(path: string, value: unknown, existing: readonly ExistingMemory[]): number {
  return refAt(path, value, "m", existing.length, "an existing memory");
}

function parseLinks(path: string, value: unknown, from: { candidate: number; action: Action; target: string | undefined }, candidateCount: number, existing: readonly ExistingMemory[]): PlannedLink[] {
  const items = arrayAt(path, value);
  if (from.action === "noop" && items.length > 0) throw replyError(path, 'must be [] for "noop": the candidate is not stored, so it has nothing to link from');
  const links = new Map<string, PlannedLink>();
  items.forEach((item, index) => {
    const link = objectAt(`${path}[${index}]`, item);
    const type = oneOf(`${path}[${index}].type`, link["type"], LINK_TYPES);
    const toPath = `${path}[${index}].to`;
    const ref = typeof link["to"] === "string" ? link["to"].trim() : link["to"];
    let to: PlannedLink["to"];
    if (typeof ref === "string" && ref.startsWith("c")) {
      to = { candidate: refAt(toPath, ref, "c", candidateCount, "a candidate") };
      if (to.candidate === from.candidate) throw replyError(toPath, `${ref} is the candidate itself; a link must go to another memory or candidate`);
    } else if (typeof ref === "string" && ref.startsWith("m")) {
      to = existing[memoryRef(toPath, ref, existing)]!.id;
      if (from.action === "update" && to === from.target) throw replyError(toPath, `${ref} is the memory this update rewrites; a link must go to another memory or candidate`);
    } else {
      throw replyError(toPath, `${quote(link["to"])} is not an existing memory (${refRange("m", existing.length)}) or a candidate (${refRange("c", candidateCount)})`);
    }
    links.set(`${type} ${JSON.stringify(to)}`, { type, to });
  });
  return [...links.values()];
}

/** One memory cannot get two new versions from one plan; returns the memories updated or invalidated, by id, with the candidate. */
function checkRewrites(decisions: readonly Parsed[], existing: readonly ExistingMemory[]): Map<string, number> {
  const rewritten = new Map<string, number>();
  for (const decision of decisions) {
    if (decision.action !== "update" && decision.action !== "invalidate") continue;
    const earlier = rewritten.get(decision.target);
    if (earlier !== undefined) {
      const ref = `m${existing.findIndex((memory) => memory.id === decision.target) + 1}`;
      throw replyError(`${decision.path}.target`, `${ref} is already the target of c${earlier + 1}'s ${decisions[earlier]!.action}; a memory can be updated or invalidated by one candidate only`);
    }
    rewritten.set(decision.target, decision.candidate);
  }
  return rewritten;
}

/** A noop candidate is not stored, so a link to it would point nowhere. */
function checkLinksToNoops(decisions: readonly Parsed[], existing: readonly ExistingMemory[]): void {
  for (const decision of decisions) {
    if (decision.action === "noop") continue;
    decision.links.forEach((link, index) => {
      if (typeof link.to === "string") return;
      const other = decisions[link.to.candidate]!;
      if (other.action !== "noop") return;
      const ref = `m${existing.findIndex((memory) => memory.id === other.target) + 1}`;
      throw replyError(`${decision.path}.links[${index}].to`, `c${other.candidate + 1} is a noop, so it is not stored; link to ${ref}, which already says it, instead`);
    });
  }
}

function parseRefinements(value: unknown, existing: readonly ExistingMemory[], rewritten: ReadonlyMap<string, number>): Refinement[] {
  const refined = new Map<string, string>();
  return arrayAt("refinements", value).flatMap((item, index) => {
    const path = `refinements[${index}]`;
    const refinement = objectAt(path, item);
    const memory = existing[memoryRef(`${path}.target`, refinement["target"], existing)]!;
    const ref = String(refinement["target"]).trim();
    const candidate = rewritten.get(memory.id);
    if (candidate !== undefined) throw replyError(`${path}.target`, `${ref} is already rewritten by c${candidate + 1}'s decision; put the improvement there, or leave it out`);
    const earlier = refined.get(memory.id);
    if (earlier !== undefined) throw replyError(`${path}.target`, `${ref} is already refined by ${earlier}; give one refinement per memory`);
    refined.set(memory.id, path);
    const keywords = refinement["keywords"] === null ? [] : termsAt(`${path}.keywords`, refinement["keywords"]);
    const text = nullableTextAt(`${path}.text`, refinement["text"]);
    // What would not change the memory is left out, so applying the plan never writes a version for nothing.
    const changed: Refinement = { target: memory.id };
    if (keywords.length > 0 && !sameTerms(keywords, memory.keywords)) changed.keywords = keywords;
    if (text !== null && text !== memory.text.trim()) changed.text = text;
    return changed.keywords === undefined && changed.text === undefined ? [] : [changed];
  });
}

function sameTerms(a: readonly string[], b: readonly string[]): boolean {
  const set = new Set(b.map((term) => term.toLowerCase()));
  return a.length === set.size && a.every((term) => set.has(term));
}
