import type { Engine, ExtractionSettings } from "../../engine.js";
import type { JsonCompletionRequest } from "../../providers/llm.js";
import type { ClaimedJobs, JobUsage } from "../../store/store.js";
import { CONSOLIDATION_PROMPT_VERSION, consolidationRequest } from "./consolidation-request.js";
import { extractHeuristically } from "./extract-heuristically.js";
import type { ConsolidationPlan, ExtractedMemory, SourceTurn } from "./extracted-memory.js";
import { EXTRACTION_PROMPT_VERSION, extractionRequest } from "./extraction-request.js";
import { findExisting, toExistingMemory } from "./find-existing.js";
import { planHeuristically } from "./plan-heuristically.js";
import { planToWrites, type BatchWrites, type DatedCandidate } from "./plan-to-writes.js";
import { proposeAdmissions } from "../../share/propose-admissions.js";
import { resolveValidTime } from "./resolve-valid-time.js";

/**
 * Extracts memories from a claimed batch of events and consolidates them with what the space already
 * holds: with a model, one call to extract and (when there is anything near to compare with) one call to
 * decide the whole batch; without one, the heuristic extractor and planner. Reads only: the caller
 * writes the result with `completeJobs`, under the jobs' lease. `usage` is added to as calls are made,
 * so a failure still accounts for them.
 */
export async function extractBatch(engine: Engine, settings: ExtractionSettings, batch: ClaimedJobs, usage: JobUsage, signal: AbortSignal): Promise<BatchWrites> {
  const turns: SourceTurn[] = batch.events.map((event) => ({
    eventId: event.id,
    text: event.text,
    speaker: event.speaker,
    role: event.role,
    sessionId: event.sessionId,
    occurredAt: event.occurredAt,
  }));
  if (turns.length === 0) return { memories: [], versions: [], links: [] };
  const { llm } = settings;
  const complete = async <T>(request: JsonCompletionRequest<T>): Promise<T> => {
    usage.llmCalls += 1;
    try {
      const reply = await llm!.completeJson<T>({ ...request, signal });
      addTokens(usage, reply.usage);
      return reply.value;
    } catch (error) {
      const spent = (error as { details?: { usage?: { inputTokens: number; outputTokens: number } } }).details?.usage;
      if (spent) addTokens(usage, spent);
      throw error;
    }
  };
  const extracted = llm ? await complete(extractionRequest(turns)) : extractHeuristically(turns);
  const candidates = datedCandidates(extracted, turns);
  if (candidates.length === 0) return { memories: [], versions: [], links: [] };
  const records = await findExisting(engine, batch.space, candidates.map((candidate) => candidate.memory));
  const existing = records.map(toExistingMemory);
  let plan: ConsolidationPlan;
  if (!llm) plan = planHeuristically(candidates, existing);
  else if (existing.length === 0) plan = { decisions: candidates.map((_, candidate) => ({ candidate, action: "add", links: [] })), refinements: [] };
  else plan = await complete(consolidationRequest(candidates, existing));
  const writes = planToWrites(engine, plan, candidates, new Map(records.map((record) => [record.id, record])), {
    extractor: llm ? "llm" : "heuristic",
    model: llm?.name ?? null,
    promptVersion: llm ? `${EXTRACTION_PROMPT_VERSION}+${CONSOLIDATION_PROMPT_VERSION}` : null,
    jobIds: batch.jobIds,
  });
  // New memories pass the space's admission like ingested events; new versions keep their memory's standing.
  const proposals = await proposeAdmissions(
    engine,
    writes.memories.map((memory) => ({ space: batch.space, text: memory.text, keywords: memory.keywords })),
  );
  return { ...writes, memories: writes.memories.map((memory, index) => (proposals[index] ? { ...memory, admission: proposals[index] } : memory)) };
}

/** Each extracted memory once, with its times resolved against when its first source turn was said. */
function datedCandidates(extracted: readonly ExtractedMemory[], turns: readonly SourceTurn[]): DatedCandidate[] {
  const saidAt = new Map(turns.map((turn) => [turn.eventId, turn.occurredAt]));
  const seen = new Set<string>();
  const candidates: DatedCandidate[] = [];
  for (const memory of extracted) {
    const key = memory.text.toLowerCase().replace(/\s+/g, " ").replace(/[.!?]+$/, "").trim();
    if (seen.has(key)) continue;
    seen.add(key);
    const said = Math.min(...memory.sourceEventIds.map((id) => saidAt.get(id) ?? Number.POSITIVE_INFINITY));
    const when = Number.isFinite(said) ? said : turns[0]!.occurredAt;
    const validFrom = resolveValidTime(memory.when, when) ?? when;
    const until = resolveValidTime(memory.until, when);
    candidates.push({ memory, validFrom, validTo: until !== null && until > validFrom ? until : null });
  }
  return candidates;
}

function addTokens(usage: JobUsage, spent: { inputTokens: number; outputTokens: number }): void {
  usage.inputTokens += spent.inputTokens;
  usage.outputTokens += spent.outputTokens;
}
