import { MemoryError } from "../domain/memory-error.js";
import { validateEvent } from "../domain/validate-event.js";
import { DEFAULT_ENGINE_LIMITS } from "../engine.js";

/** An event read from a file, with the line it came from (for error messages). */
export interface LocatedEvent {
  event: unknown;
  line: number;
}

/**
 * Validates every event of a file the way `memory.ingest` will (the CLI opens memories with the default
 * limits), before anything is written: the file is ingested in several batches, each its own
 * transaction, so an event found bad in a late batch would otherwise leave the earlier ones stored.
 * Also catches an idempotency key used twice in the file with different content.
 */
export function checkEvents(file: string, events: readonly LocatedEvent[]): void {
  const keys = new Map<string, { contentHash: string; line: number }>();
  for (const { event, line } of events) {
    let contentHash: string;
    let key: string | null;
    try {
      // The default space only feeds the content hash compared below: any fixed name does.
      ({ contentHash, idempotencyKey: key } = validateEvent(event, "event", DEFAULT_ENGINE_LIMITS, "default"));
    } catch (error) {
      if (!(error instanceof MemoryError)) throw error;
      throw atLine(file, line, error, error.message);
    }
    if (key === null) continue;
    const earlier = keys.get(key);
    if (earlier && earlier.contentHash !== contentHash) {
      const error = new MemoryError("idempotency_conflict", "", { details: { idempotencyKey: key, firstLine: earlier.line } });
      throw atLine(file, line, error, `idempotency key "${key}" is also used on line ${earlier.line}, for different content. Give each event its own key.`);
    }
    if (!earlier) keys.set(key, { contentHash, line });
  }
}

/** Re-throws a library error with the file and line it concerns, and what happened to the file. */
export function atLine(file: string, line: number, error: MemoryError, message: string, outcome = "Nothing was ingested; fix that line and run the command again."): MemoryError {
  return new MemoryError(error.code, `${file} line ${line}: ${message} ${outcome}`, { details: { ...error.details, file, line }, cause: error });
}
