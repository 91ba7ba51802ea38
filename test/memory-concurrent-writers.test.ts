import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { join } from "node:path";
import { describe, it } from "node:test";
import { setImmediate as nextTurn } from "node:timers/promises";
import { fileURLToPath } from "node:url";
import { MemoryError, createMemory, type Memory, type MemoryRecord } from "../src/index.js";
import { tempDirectory } from "./support/memory-fixtures.js";
import type { WriterSummary } from "./support/update-loop-child.js";

const TSX = import.meta.resolve("tsx");
const CHILD = fileURLToPath(new URL("./support/update-loop-child.ts", import.meta.url));
const SEED = "Ana lives in Boston";

/**
 * Checks that `history` is one unbroken chain (versions 1..N, each replacing the one before, only the
 * last current) and that its versions after the first are exactly the updates the writers report as
 * applied, each once, at the version and under the author they were told.
 */
function assertConsistentChain(history: MemoryRecord[], summaries: WriterSummary[]): void {
  assert.deepEqual(
    history.map((record) => record.version),
    history.map((_record, index) => index + 1),
    "versions are 1..N with no gap and no duplicate",
  );
  history.forEach((record, index) => {
    assert.equal(record.replacesVersion, index === 0 ? null : index, `version ${record.version} replaces the one before it`);
    const next = history[index + 1];
    if (next) assert.equal(record.supersededAt, next.recordedAt, `version ${record.version} is superseded when version ${next.version} is written`);
    else assert.equal(record.supersededAt, null, "only the last version is current");
  });
  assert.equal(history[0]?.text, SEED);

  const applied = summaries.flatMap((summary) => summary.applied.map((update) => ({ ...update, writer: summary.writer })));
  assert.equal(history.length - 1, applied.length, "every applied update, and nothing else, added one version");
  const written = new Map(history.slice(1).map((record) => [record.text, record]));
  assert.equal(written.size, history.length - 1, "no text appears twice in the history");
  for (const update of applied) {
    const record = written.get(update.text);
    assert.ok(record, `applied update ${update.text} is in the history`);
    assert.equal(record.version, update.version, `${update.text} is at the version its writer was told`);
    assert.equal(update.version, update.expectedVersion + 1, `${update.text} was written on top of the version it expected`);
    assert.equal(record.author, update.writer);
  }
}

async function seed(path: string): Promise<string> {
  const memory = await createMemory({ path, principal: "seeder", extraction: false });
  try {
    const { events } = await memory.ingest({ text: SEED, idempotencyKey: "seed" });
    return events[0]!.memoryId;
  } finally {
    await memory.close();
  }
}

interface ChildWriter {
  /** Resolves once the child has read the memory and waits at the barrier. */
  ready: Promise<void>;
  /** Lifts the barrier: the child starts updating. */
  release: () => void;
  summary: Promise<WriterSummary>;
}

function startWriter(path: string, id: string, writer: string, attempts: number): ChildWriter {
  const child = spawn(process.execPath, ["--import", TSX, CHILD, path, id, writer, String(attempts)], { stdio: ["pipe", "pipe", "pipe"] });
  let stdout = "";
  let stderr = "";
  let markReady: () => void = () => {};
  const ready = new Promise<void>((resolve) => (markReady = resolve));
  child.stdout.on("data", (chunk: Buffer) => {
    stdout += chunk.toString();
    if (stdout.startsWith("ready\n")) markReady();
  });
  child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
  // A child that died early breaks the pipe; its exit, reported by `summary`, is what fails the test.
  child.stdin.on("error", () => {});
  const summary = new Promise<WriterSummary>((resolve, reject) => {
    child.on("error", reject);
    child.on("close", (code) => {
      const line = stdout.split("\n").find((candidate) => candidate.startsWith("{"));
      if (code === 0 && line) resolve(JSON.parse(line) as WriterSummary);
      else reject(new Error(`writer ${writer} exited with code ${code}; stdout: ${stdout}; stderr: ${stderr}`));
    });
  });
  return {
    // A child that dies before it is ready must fail the test, not leave it waiting.
    ready: Promise.race([ready, summary.then(() => {})]),
    release: () => child.stdin.end(),
    summary,
  };
}

describe("compare-and-set on update under concurrent writers", () => {
  it("several processes updating one memory in a SQLite file leave one unbroken chain of versions", { timeout: 60_000 }, async (t) => {
    const directory = await tempDirectory("mnemo-concurrent-writers-");
    try {
      const path = join(directory.path, "memory.db");
      const id = await seed(path);
      const attempts = 25;
      const writers = ["w1", "w2", "w3", "w4"].map((writer) => startWriter(path, id, writer, attempts));
      await Promise.all(writers.map((writer) => writer.ready));
      for (const writer of writers) writer.release();
      const summaries = await Promise.all(writers.map((writer) => writer.summary));

      assert.deepEqual(
        summaries.flatMap((summary) => summary.errors),
        [],
        "no failure other than a conflict",
      );
      for (const summary of summaries) {
        assert.equal(summary.applied.length + summary.conflicts.length, attempts, `${summary.writer}: every attempt either applied or conflicted`);
        for (const conflict of summary.conflicts) assert.ok(conflict.currentVersion > conflict.expectedVersion, `${summary.writer}: a conflict reports a newer version`);
      }
      // Every writer read version 1 before the barrier, so exactly one first attempt can win.
      const firstAttempts = summaries.map((summary) => summary.applied.some((update) => update.text === `${summary.writer}-0`));
      assert.equal(firstAttempts.filter(Boolean).length, 1, "exactly one writer's first attempt (on version 1) applied");
      const conflicts = summaries.reduce((sum, summary) => sum + summary.conflicts.length, 0);
      assert.ok(conflicts >= writers.length - 1, `the writers contended (${conflicts} conflicts)`);
      t.diagnostic(`applied ${summaries.map((summary) => `${summary.writer}=${summary.applied.length}`).join(" ")}; ${conflicts} conflicts`);

      const reader = await createMemory({ path, extraction: false });
      try {
        const history = await reader.history(id);
        assertConsistentChain(history, summaries);
        assert.deepEqual(await reader.get(id), history.at(-1));
      } finally {
        await reader.close();
      }
    } finally {
      await directory.remove();
    }
  });

  it("updates fired at once on one handle with the same expectedVersion: exactly one applies", async () => {
    const directory = await tempDirectory("mnemo-concurrent-writers-");
    const handles: Memory[] = [];
    try {
      const memory = await createMemory({ path: join(directory.path, "memory.db"), extraction: false });
      handles.push(memory);
      const { events } = await memory.ingest({ text: SEED });
      const id = events[0]!.memoryId;
      for (const expectedVersion of [1, 2, 3]) {
        const outcomes = await Promise.allSettled(
          Array.from({ length: 10 }, (_unused, index) => memory.update(id, { expectedVersion, text: `round ${expectedVersion}, writer ${index}` })),
        );
        const applied = outcomes.flatMap((outcome) => (outcome.status === "fulfilled" ? [outcome.value] : []));
        assert.equal(applied.length, 1, `exactly one update on version ${expectedVersion} applied`);
        assert.equal(applied[0]!.version, expectedVersion + 1);
        for (const outcome of outcomes) {
          if (outcome.status === "fulfilled") continue;
          const error: unknown = outcome.reason;
          assert.ok(error instanceof MemoryError && error.code === "conflict", `the others fail with conflict, got ${String(error)}`);
          assert.equal(error.details.currentVersion, expectedVersion + 1, "a conflict reports the version that won");
        }
      }
      const history = await memory.history(id);
      assert.deepEqual(
        history.map((record) => [record.version, record.replacesVersion, record.supersededAt === null]),
        [
          [1, null, false],
          [2, 1, false],
          [3, 2, false],
          [4, 3, true],
        ],
      );
    } finally {
      for (const memory of handles) await memory.close();
      await directory.remove();
    }
  });

  it("several handles on one file, reading then updating with awaits between, leave one unbroken chain", async () => {
    const directory = await tempDirectory("mnemo-concurrent-writers-");
    const handles: Memory[] = [];
    try {
      const path = join(directory.path, "memory.db");
      const id = await seed(path);
      const writers = ["h1", "h2", "h3", "h4"];
      for (const writer of writers) handles.push(await createMemory({ path, principal: writer, extraction: false }));
      const attempts = 20;
      const loop = async (memory: Memory, writer: string): Promise<WriterSummary> => {
        const summary: WriterSummary = { writer, applied: [], conflicts: [], errors: [] };
        for (let attempt = 0; attempt < attempts; attempt += 1) {
          const { version: expectedVersion } = await memory.get(id);
          // Let the other handles read before this one writes.
          await nextTurn();
          const text = `${writer}-${attempt}`;
          try {
            const record = await memory.update(id, { expectedVersion, text });
            summary.applied.push({ text, version: record.version, expectedVersion });
          } catch (error) {
            if (!(error instanceof MemoryError && error.code === "conflict")) throw error;
            summary.conflicts.push({ expectedVersion, currentVersion: Number(error.details.currentVersion) });
          }
          await nextTurn();
        }
        return summary;
      };
      const summaries = await Promise.all(handles.map((memory, index) => loop(memory, writers[index]!)));

      const conflicts = summaries.reduce((sum, summary) => sum + summary.conflicts.length, 0);
      assert.ok(conflicts > 0, "the handles contended");
      for (const summary of summaries) {
        for (const conflict of summary.conflicts) assert.ok(conflict.currentVersion > conflict.expectedVersion, `${summary.writer}: a conflict reports a newer version`);
      }
      assertConsistentChain(await handles[0]!.history(id), summaries);
    } finally {
      for (const memory of handles) await memory.close();
      await directory.remove();
    }
  });
});
