// One of several processes racing to update the same memory, for the concurrent-writers test.
// Arguments: the database path, the memory id, this writer's name (also its principal) and how many
// update attempts to make. It reads the memory, prints "ready", and waits for its stdin to close (the
// parent's barrier) before it starts, so that every writer's first attempt expects the same version.
// Then it prints one JSON line: a `WriterSummary`.
import { text } from "node:stream/consumers";
import { setTimeout as sleep } from "node:timers/promises";
import { MemoryError, createMemory } from "../../src/index.js";

/** What one writer saw. `applied` lists its updates that went through, with the version each wrote. */
export interface WriterSummary {
  writer: string;
  applied: { text: string; version: number; expectedVersion: number }[];
  conflicts: { expectedVersion: number; currentVersion: number }[];
  /** Any failure other than a conflict, e.g. a storage error from a busy database file. */
  errors: string[];
}

const [path, id, writer, attemptsArgument] = process.argv.slice(2);
const attempts = Number(attemptsArgument);
if (!path || !id || !writer || !Number.isInteger(attempts)) throw new Error("usage: update-loop-child <db> <memory id> <writer> <attempts>");

const memory = await createMemory({ path, principal: writer, extraction: false });
let expectedVersion = (await memory.get(id)).version;
process.stdout.write("ready\n");
await text(process.stdin);

const summary: WriterSummary = { writer, applied: [], conflicts: [], errors: [] };
for (let attempt = 0; attempt < attempts; attempt += 1) {
  const next = `${writer}-${attempt}`;
  // Work between the read and the write, as an agent would do. Without it the writer that holds the
  // lock updates again at once while the others sleep in SQLite's busy handler: a run of updates from
  // one process, then from the next, with almost no interleaving.
  if (attempt > 0) await sleep(Math.random() * 3);
  try {
    const record = await memory.update(id, { expectedVersion, text: next });
    summary.applied.push({ text: next, version: record.version, expectedVersion });
    expectedVersion = (await memory.get(id)).version;
  } catch (error) {
    if (error instanceof MemoryError && error.code === "conflict") {
      const currentVersion = Number(error.details.currentVersion);
      summary.conflicts.push({ expectedVersion, currentVersion });
      // Retry with the version the conflict reported, which may itself be stale by then.
      expectedVersion = currentVersion;
    } else {
      summary.errors.push(error instanceof MemoryError ? `${error.code}: ${error.message}` : String(error));
      expectedVersion = (await memory.get(id)).version;
    }
  }
}
await memory.close();
process.stdout.write(`${JSON.stringify(summary)}\n`);
