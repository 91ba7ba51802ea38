import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createMemory, type CreateMemoryOptions, type Memory, type MemoryStats } from "../../src/index.js";

/** A clock the test moves by hand. */
export interface ManualClock {
  now: () => Date;
  set: (time: string | number) => void;
  advance: (ms: number) => void;
}

export function manualClock(start: string | number): ManualClock {
  let current = new Date(start).getTime();
  return {
    now: () => new Date(current),
    set: (time) => {
      current = new Date(time).getTime();
    },
    advance: (ms) => {
      current += ms;
    },
  };
}

/** Ids that sort in the order they were made, like the default ULIDs, but readable and repeatable. */
export function counterIds(prefix = "t"): () => string {
  let next = 0;
  return () => {
    next += 1;
    return `${prefix}${String(next).padStart(6, "0")}`;
  };
}

/** An in-memory SQLite memory with a manual clock and counter ids. */
export async function testMemory(options: Partial<CreateMemoryOptions> = {}): Promise<{ memory: Memory; clock: ManualClock }> {
  const clock = manualClock("2024-03-01T12:00:00Z");
  // Extraction is off unless a test turns it on: background jobs would add memories while a test counts them.
  const memory = await createMemory({ path: ":memory:", clock: clock.now, generateId: counterIds(), extraction: false, ...options });
  return { memory, clock };
}

/** A fresh temp directory, removed by the returned `remove`. */
export async function tempDirectory(prefix: string): Promise<{ path: string; remove: () => Promise<void> }> {
  const path = await mkdtemp(join(tmpdir(), prefix));
  return { path, remove: () => rm(path, { recursive: true, force: true }) };
}

export { rejectsWith } from "../../src/testing/store-contract-fixtures.js";

/** Stats without the store's file details, which say nothing about what is stored. */
export async function counts(memory: Memory): Promise<Omit<MemoryStats, "store">> {
  const { store: _store, ...rest } = await memory.stats();
  return rest;
}

export async function recallTexts(memory: Memory, query: string, options: Parameters<Memory["recall"]>[1] = {}): Promise<string[]> {
  const { items } = await memory.recall(query, options);
  return items.map((item) => item.memory.text);
}
