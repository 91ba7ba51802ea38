import type { Engine } from "../engine.js";

/** Recalls are counted in batches: a write per recall would cost the read path a disk sync. */
const FLUSH_AFTER_MS = 1_000;
const FLUSH_AT_IDS = 1_000;

export interface RecallLog {
  /** Notes memories that were in a recalled context; those the caller wrote are not counted. */
  add(memories: readonly { id: string; author: string }[]): void;
  /** Writes what was noted; resolves when it is stored. */
  flush(): Promise<void>;
}

/**
 * Counts how often memories reach other principals' contexts: the admission scorer's measure of
 * exposure. Counts wait up to a second in memory, so a crash may lose that second of statistics (never
 * a memory).
 */
export function createRecallLog(engine: Engine): RecallLog {
  let pending: string[] = [];
  let timer: NodeJS.Timeout | undefined;
  const flush = async (): Promise<void> => {
    clearTimeout(timer);
    timer = undefined;
    const ids = pending;
    pending = [];
    if (ids.length > 0) await engine.store.recordRecalls(engine.scope, ids);
  };
  const flushInBackground = (): void => {
    flush().catch((error: unknown) => process.emitWarning(`mnemo: recall statistics were not saved: ${(error as Error)?.message ?? String(error)}`, "MnemoRecallWarning"));
  };
  return {
    add: (memories) => {
      for (const memory of memories) if (memory.author !== engine.scope.principalId) pending.push(memory.id);
      if (pending.length >= FLUSH_AT_IDS) flushInBackground();
      else if (pending.length > 0 && !timer) {
        timer = setTimeout(flushInBackground, FLUSH_AFTER_MS);
        timer.unref();
      }
    },
    flush,
  };
}
