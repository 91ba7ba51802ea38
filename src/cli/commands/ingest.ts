import { performance } from "node:perf_hooks";
import type { Command } from "commander";
import { MemoryError } from "../../domain/memory-error.js";
import type { EventInput } from "../../domain/types.js";
import type { Memory } from "../../memory.js";
import { counted, formatCount, formatSeconds } from "../format-figures.js";
import { ingestInBatches, type IngestTotals } from "../ingest-in-batches.js";
import { maxAttemptsOption } from "../max-attempts-option.js";
import { openMemory } from "../open-memory.js";
import { progressBar } from "../progress-bar.js";
import { readEventsFile } from "../read-events-file.js";
import { formatJobRun, runJobs } from "../run-jobs.js";

/** Above this many events, a TTY gets a progress bar. */
const PROGRESS_THRESHOLD = 2_000;

interface IngestFlags {
  space?: string;
  /** False with --no-extract. */
  extract: boolean;
  maxAttempts?: number;
}

/** `mnemo ingest <file>`: every event of a JSON, JSONL or neutral-format file, all or nothing per batch, then extraction. */
export function registerIngestCommand(program: Command): void {
  program
    .command("ingest")
    .description("Ingest events from a JSON, JSONL or neutral-bench-format file, then extract memories from them")
    .argument("<file>", "a JSON event or array of events, JSONL (one event per line), or neutral-format cases (JSONL with sessions)")
    .option("--space <name>", "write every event into this space (created if missing)")
    .option("--no-extract", "do not run the extraction jobs now: they stay queued for mnemo jobs run")
    .addOption(maxAttemptsOption())
    .addHelpText(
      "after",
      `
The format is told by content, not by extension. Every event is validated before anything is written,
so a bad event anywhere in the file stores nothing. Events with an idempotencyKey that is already stored
are skipped (counted as duplicates), so re-ingesting a file is safe.

Each new event is queued for extraction (facts, preferences, procedures, events), which runs once the
events are stored: with the model of the MNEMO_LLM_* variables when they are set (see mnemo jobs --help),
heuristically otherwise. A job that fails is kept with its error and retried by mnemo jobs run; the
events stay stored and recallable either way.`,
    )
    .action(async (file: string, flags: IngestFlags, command: Command) => {
      const started = performance.now();
      const events = readEventsFile(file, flags.space === undefined ? {} : { space: flags.space });
      const { memory, path, embedder, llm } = await openMemory(command, { mustExist: false, maxAttempts: flags.maxAttempts });
      const embedding: EmbeddingTotals = { embedded: 0, error: null };
      try {
        if (flags.space !== undefined) await createSpace(memory, flags.space);
        const bar = process.stderr.isTTY && events.events.length > PROGRESS_THRESHOLD ? progressBar(events.events.length) : undefined;
        let totals: IngestTotals;
        try {
          totals = await ingestInBatches(recordEmbedding(memory, embedding), events, { onProgress: (done) => bar?.update(done) });
        } finally {
          bar?.stop();
        }
        const elapsed = performance.now() - started;
        const perSecond = elapsed > 0 ? Math.round((totals.read / elapsed) * 1000) : totals.read;
        const withoutKey = events.events.filter(({ event }) => !(event as EventInput).idempotencyKey).length;
        const rows: [string, string][] = [
          ["file", `${file} (${events.format})`],
          ["database", path],
          ...(flags.space === undefined ? [] : [["space", flags.space] as [string, string]]),
          ["events read", formatCount(totals.read)],
          ["inserted", formatCount(totals.inserted)],
          ["duplicates", `${formatCount(totals.duplicates)}${totals.duplicates > 0 ? " (idempotency key already stored: skipped)" : ""}`],
          ...(embedder === undefined ? [] : [["embedding", embeddingSummary(embedding, totals.inserted, embedder.name)] as [string, string]]),
          ["elapsed", `${formatSeconds(elapsed)} (${formatCount(perSecond)} events/s)`],
        ];
        console.log(`Ingested ${formatCount(totals.inserted)} new event${totals.inserted === 1 ? "" : "s"}.`);
        for (const [label, value] of rows) console.log(`  ${label.padEnd(11)} ${value}`);
        if (withoutKey > 0) {
          console.log(`  note: ${formatCount(withoutKey)} event${withoutKey === 1 ? " has" : "s have"} no idempotencyKey; ingesting this file again would store ${withoutKey === 1 ? "it" : "them"} again.`);
        }
        if (embedding.error !== null) {
          console.log("  note: the events are stored and recallable by text; run `mnemo embed` once the embeddings provider works to embed the rest.");
        }
        if (flags.extract) {
          console.log(formatJobRun(await runJobs(memory, llm?.name)));
        } else {
          const { jobs } = await memory.stats();
          console.log(`Extraction skipped (--no-extract): ${counted(jobs.pending + jobs.running, "job")} queued; mnemo jobs run runs them.`);
        }
      } finally {
        await memory.close();
      }
    });
}

/** What embedding did over the file's batches (ingestInBatches adds up only the event counts). */
interface EmbeddingTotals {
  embedded: number;
  /** The first provider failure. */
  error: string | null;
}

/** The memory as ingestInBatches sees it (a Memory is a plain object of functions): each batch's embedding outcome is added to `totals`. */
function recordEmbedding(memory: Memory, totals: EmbeddingTotals): Memory {
  return {
    ...memory,
    ingest: async (events) => {
      const result = await memory.ingest(events);
      if (result.embedding) {
        totals.embedded += result.embedding.embedded;
        totals.error ??= result.embedding.error;
      }
      return result;
    },
  };
}

function embeddingSummary(totals: EmbeddingTotals, inserted: number, embedder: string): string {
  const memories = `new memor${inserted === 1 ? "y" : "ies"}`;
  if (totals.error === null) return `${formatCount(totals.embedded)} ${memories} embedded with ${embedder}`;
  return `${formatCount(totals.embedded)} of ${formatCount(inserted)} ${memories} embedded with ${embedder}, then the provider failed: ${totals.error}`;
}

/** The library names the argument `name`; the user typed `--space`. */
async function createSpace(memory: Memory, name: string): Promise<void> {
  try {
    await memory.spaces.create(name);
  } catch (error) {
    if (error instanceof MemoryError && error.code === "invalid_input") {
      throw new MemoryError(error.code, error.message.replace(/^name: /, "--space: ") + " Nothing was ingested.", { details: { ...error.details, field: "--space" }, cause: error });
    }
    // The name belongs to a space this principal may not read: to the user that is a space it cannot use.
    if (error instanceof MemoryError && error.code === "conflict") {
      throw new MemoryError("space_not_found", `--space: "${name}" is not a space you may write to; ask one of its admins to add you, or use another name. Nothing was ingested.`, {
        details: { space: name, field: "--space" },
        cause: error,
      });
    }
    throw error;
  }
}
