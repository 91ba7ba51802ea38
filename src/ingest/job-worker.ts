import { randomUUID } from "node:crypto";
import { MemoryError } from "../domain/memory-error.js";
import type { Engine, ExtractionSettings } from "../engine.js";
import type { ClaimedJobs, JobUsage } from "../store/store.js";
import { extractBatch } from "./extraction/extract-batch.js";
import { embedMemories } from "./embed-memories.js";

export const EXTRACT_JOB = "extract";
const MAX_RETRY_DELAY_MS = 3_600_000;
const MAX_KEPT_REPLY_CHARS = 4_000;

/** What one `run` did. */
export interface JobRunSummary {
  /** Jobs finished, their writes stored. */
  done: number;
  /** Jobs that failed this time and wait for a retry. */
  retrying: number;
  /** Jobs that failed for the last time: now in the dead-letter list (`mnemo jobs`). */
  dead: number;
  /** Memories written: new ones, and new versions of older ones. */
  created: number;
  updated: number;
}

export interface JobWorker {
  /** Runs every job that is ready now, `concurrency` batches at a time; resolves when none is left. */
  run(): Promise<JobRunSummary>;
  /** Starts a run in the background unless one is under way (a run then goes again when it ends). */
  kick(): void;
  /** Stops: aborts model calls under way, hands their jobs back untried, and waits for the runs to end. */
  stop(): Promise<void>;
}

/**
 * Runs the extraction jobs of the engine's tenant. Each batch is claimed under a fresh lease, worked on
 * outside any transaction, and its writes are stored with `completeJobs` in the transaction that marks
 * it done: a crash before that leaves the jobs to be claimed again when the lease runs out, and a late
 * completion from a worker whose lease ran out is refused, so every job's writes land exactly once.
 */
export function createJobWorker(engine: Engine, settings: ExtractionSettings, onError: (error: unknown) => void): JobWorker {
  const controller = new AbortController();
  let running: Promise<JobRunSummary> | null = null;
  let again = false;
  let retryTimer: NodeJS.Timeout | null = null;
  let leases = 0;
  // Not from engine.generateId: leases are no part of what is stored for good, and must not shift its ids.
  const workerId = randomUUID();

  const runOnce = async (): Promise<JobRunSummary> => {
    const summary: JobRunSummary = { done: 0, retrying: 0, dead: 0, created: 0, updated: 0 };
    let nextRetry = Number.POSITIVE_INFINITY;
    const lane = async (): Promise<void> => {
      while (!controller.signal.aborted) {
        leases += 1;
        const batch = await engine.store.claimJobs(
          engine.scope,
          { kind: EXTRACT_JOB, maxEvents: settings.batchSize, leaseMs: settings.leaseMs, leaseToken: `${workerId}:${leases}` },
          engine.clock().getTime(),
        );
        if (!batch) return;
        const retryAt = await work(batch, summary);
        if (retryAt !== null) nextRetry = Math.min(nextRetry, retryAt);
      }
    };
    await Promise.all(Array.from({ length: settings.concurrency }, lane));
    if (settings.background && Number.isFinite(nextRetry) && !controller.signal.aborted) scheduleRetry(nextRetry);
    return summary;
  };

  /** Works one batch; returns when it should be retried, if it failed and will be. */
  const work = async (batch: ClaimedJobs, summary: JobRunSummary): Promise<number | null> => {
    const usage: JobUsage = { llmCalls: 0, inputTokens: 0, outputTokens: 0 };
    try {
      const writes = await extractBatch(engine, settings, batch, usage, controller.signal);
      const stored = await engine.store.completeJobs(engine.scope, { ...batch, ...writes, usage }, engine.clock().getTime());
      summary.done += batch.jobIds.length;
      summary.created += stored.created.length;
      summary.updated += stored.updated.length;
      if (engine.vectors) {
        const ids = [...stored.created, ...stored.updated].map((record) => record.id);
        if (ids.length > 0) await embedMemories(engine, engine.vectors, { ids });
      }
      return null;
    } catch (error) {
      if (controller.signal.aborted) {
        await engine.store.releaseJobs(engine.scope, batch, engine.clock().getTime());
        return null;
      }
      // Another worker holds these jobs now (our lease ran out): its completion is the one that counts.
      if (error instanceof MemoryError && error.code === "conflict" && error.details["lease"] === true) return null;
      const now = engine.clock().getTime();
      const last = batch.attempt >= settings.maxAttempts;
      const retryAt = last ? null : now + Math.min(settings.retryDelayMs * 4 ** (batch.attempt - 1), MAX_RETRY_DELAY_MS);
      await engine.store.failJobs(engine.scope, { ...batch, error: describe(error), reply: replyOf(error), retryAt, usage }, now);
      if (last) summary.dead += batch.jobIds.length;
      else summary.retrying += batch.jobIds.length;
      return retryAt;
    }
  };

  const scheduleRetry = (at: number): void => {
    if (retryTimer) clearTimeout(retryTimer);
    retryTimer = setTimeout(() => ((retryTimer = null), worker.kick()), Math.max(0, at - engine.clock().getTime()));
    // A retry waiting is no reason to keep the process alive.
    retryTimer.unref();
  };

  const worker: JobWorker = {
    run: async () => {
      if (controller.signal.aborted) return { done: 0, retrying: 0, dead: 0, created: 0, updated: 0 };
      // One run at a time: a second caller waits for the one under way, then runs what is left.
      while (running) await running.catch(() => undefined);
      running = runOnce();
      try {
        return await running;
      } finally {
        running = null;
      }
    },
    kick: () => {
      if (controller.signal.aborted) return;
      if (running) {
        again = true;
        return;
      }
      void worker
        .run()
        .catch(onError)
        .finally(() => {
          if (again) {
            again = false;
            worker.kick();
          }
        });
    },
    stop: async () => {
      controller.abort(new MemoryError("closed", "The memory was closed while a job ran; the job was handed back and will run again."));
      if (retryTimer) clearTimeout(retryTimer);
      while (running) await running.catch(() => undefined);
    },
  };
  return worker;
}

function describe(error: unknown): string {
  if (error instanceof Error) return error.message;
  return String(error);
}

function replyOf(error: unknown): string | null {
  if (!(error instanceof MemoryError)) return null;
  const raw = error.details["raw"];
  return typeof raw === "string" ? raw.slice(0, MAX_KEPT_REPLY_CHARS) : null;
}
