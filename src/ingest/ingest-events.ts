import { MemoryError, invalidInput } from "../domain/memory-error.js";
import type { EventInput, IngestResult, MemoryOrigin } from "../domain/types.js";
import { validateEvent, describe } from "../domain/validate-event.js";
import type { Engine } from "../engine.js";
import { indexExtra, memoryKeywords, renderMemoryLine } from "../recall/render-memory.js";
import type { NewEpisode } from "../store/store.js";
import { proposeAdmissions } from "../share/propose-admissions.js";
import { EXTRACT_JOB } from "./job-worker.js";

/** Default importance of a raw episode; distilled memories may rate themselves higher or lower. */
const EPISODE_IMPORTANCE = 0.5;

/**
 * Appends events and makes each one an episode memory, in one transaction: when this returns, every
 * event is durable and recallable. The whole batch is validated first, so a bad event stores nothing.
 */
export async function ingestEvents(engine: Engine, input: EventInput | readonly EventInput[]): Promise<IngestResult> {
  // Array.from turns holes of a sparse array into undefined, which validation then reports.
  const events: readonly unknown[] = Array.isArray(input) ? Array.from(input as unknown[]) : [input];
  if (input === null || typeof input !== "object") {
    throw invalidInput("events", `must be an event object or an array of them, got ${describe(input)}.`);
  }
  if (events.length > engine.limits.maxEventsPerIngest) {
    throw new MemoryError(
      "too_large",
      `events: ${events.length} events in one call, over the limit of ${engine.limits.maxEventsPerIngest}. Send them in smaller batches, or raise limits.maxEventsPerIngest.`,
      { details: { field: "events", length: events.length, limit: engine.limits.maxEventsPerIngest } },
    );
  }
  const now = engine.clock().getTime();
  const entries = events.map((raw, index): NewEpisode => {
    const event = validateEvent(raw, Array.isArray(input) ? `events[${index}]` : "event", engine.limits, engine.defaultSpace);
    const occurredAt = event.occurredAt ?? now;
    const origin: MemoryOrigin = {
      eventKind: event.kind,
      role: event.role,
      speaker: event.speaker,
      sessionId: event.sessionId,
      attachments: event.attachments,
    };
    const memory = { kind: "episode" as const, text: event.text, origin };
    return {
      event: { ...event, id: `evt_${engine.generateId()}`, occurredAt },
      memory: {
        ...memory,
        id: `mem_${engine.generateId()}`,
        indexText: indexExtra(origin),
        keywords: memoryKeywords(event.text, origin),
        tokens: engine.tokenizer.count(renderMemoryLine(memory)),
        metadata: event.metadata,
        importance: EPISODE_IMPORTANCE,
        validFrom: occurredAt,
        validTo: null,
      },
    };
  });
  if (entries.length === 0) return { events: [], inserted: 0, duplicates: 0 };
  const proposals = await proposeAdmissions(
    engine,
    entries.map((entry) => ({ space: entry.event.space, text: entry.memory.text, keywords: entry.memory.keywords })),
  );
  proposals.forEach((proposal, index) => proposal && (entries[index]!.admission = proposal));
  const enqueue = engine.extraction ? { enqueue: { kind: EXTRACT_JOB, eventsPerJob: engine.extraction.batchSize } } : {};
  const outcomes = await engine.store.appendEvents(engine.scope, entries, now, enqueue);
  const ingested = outcomes.map((outcome, index) => ({ ...outcome, idempotencyKey: entries[index]!.event.idempotencyKey }));
  const duplicates = ingested.filter((event) => event.duplicate).length;
  return { events: ingested, inserted: ingested.length - duplicates, duplicates };
}
