import { MemoryError } from "../domain/memory-error.js";
import type { EventInput } from "../domain/types.js";
import type { Memory } from "../memory.js";
import { atLine } from "./check-events.js";
import type { EventsFile } from "./read-events-file.js";

/** Events per `memory.ingest` call: each call is one transaction. */
export const INGEST_BATCH_SIZE = 1_000;

export interface IngestTotals {
  read: number;
  inserted: number;
  duplicates: number;
}

export interface IngestInBatchesOptions {
  /** @default INGEST_BATCH_SIZE */
  batchSize?: number;
  /** Called after each batch with the number of events done so far. */
  onProgress?: (done: number) => void;
}

/**
 * Ingests a validated file batch by batch. Spaces the events name must exist, which is checked first.
 * A library error names `events[i]` of one batch: it is re-thrown naming the file's line instead.
 */
export async function ingestInBatches(memory: Memory, file: EventsFile, options: IngestInBatchesOptions = {}): Promise<IngestTotals> {
  await requireSpaces(memory, file);
  const batchSize = options.batchSize ?? INGEST_BATCH_SIZE;
  const totals: IngestTotals = { read: file.events.length, inserted: 0, duplicates: 0 };
  for (let start = 0; start < file.events.length; start += batchSize) {
    const batch = file.events.slice(start, start + batchSize);
    try {
      const result = await memory.ingest(batch.map((located) => located.event as EventInput));
      totals.inserted += result.inserted;
      totals.duplicates += result.duplicates;
    } catch (error) {
      if (!(error instanceof MemoryError)) throw error;
      const line = lineOf(error, batch);
      const stored = totals.inserted + totals.duplicates;
      const outcome =
        stored === 0
          ? "Nothing was ingested."
          : `The ${stored} events before this batch were stored (${totals.inserted} new); nothing of this batch or later ones was. Fix the file and run the command again: events whose idempotencyKey is already stored are skipped.`;
      if (line === undefined) throw new MemoryError(error.code, `${file.path}: ${error.message} ${outcome}`, { details: { ...error.details, file: file.path }, cause: error });
      throw atLine(file.path, line, error, error.message.replace(/^events\[\d+\]/, "event"), outcome);
    }
    options.onProgress?.(Math.min(start + batchSize, file.events.length));
  }
  return totals;
}

function lineOf(error: MemoryError, batch: EventsFile["events"]): number | undefined {
  const index = /^events\[(\d+)\]/.exec(String(error.details["field"] ?? ""))?.[1];
  if (index !== undefined) return batch[Number(index)]?.line;
  const key = error.details["idempotencyKey"];
  if (typeof key === "string") return batch.find((located) => (located.event as EventInput).idempotencyKey === key)?.line;
  return undefined;
}

async function requireSpaces(memory: Memory, file: EventsFile): Promise<void> {
  const known = new Set((await memory.spaces.list()).map((space) => space.name));
  for (const { event, line } of file.events) {
    const space = (event as EventInput).space;
    if (space === undefined || space === null || known.has(space)) continue;
    throw new MemoryError(
      "space_not_found",
      `${file.path} line ${line}: space "${space}" does not exist (known: ${[...known].join(", ")}). Pass --space ${space} to create it and write every event of the file there, or remove "space" from the events. Nothing was ingested.`,
      { details: { file: file.path, line, space } },
    );
  }
}
