import type { JobUsage } from "../domain/types.js";
import type { JobRunSummary } from "../ingest/job-worker.js";
import type { Memory } from "../memory.js";
import { counted, formatCount, formatInstant } from "./format-figures.js";

/** What a run of the extraction jobs did, what it cost, and what it left in the queue. */
export interface JobRunReport {
  summary: JobRunSummary;
  /** Model calls and tokens the run spent: the database's totals before and after it. */
  usage: JobUsage;
  /** Jobs still queued after the run: waiting for a retry, or held by another process. */
  queued: number;
  /** When the first of them may run (ISO), or null when none is queued. */
  nextReady: string | null;
}

/**
 * Runs every extraction job that is ready, and waits for them. On a terminal, says on stderr what it is
 * doing meanwhile (a run with a language model can take minutes), and clears that line at the end.
 */
export async function runJobs(memory: Memory, llm: string | undefined): Promise<JobRunReport> {
  const before = await memory.stats();
  const ready = before.jobs.pending + before.jobs.running;
  const status = process.stderr.isTTY && ready > 0 ? `extracting memories (${counted(ready, "job")} queued${llm ? `, with ${llm}` : ""})…` : "";
  if (status) process.stderr.write(status);
  let summary: JobRunSummary;
  try {
    summary = await memory.jobs.run();
  } finally {
    if (status) process.stderr.write(`\r${" ".repeat(status.length)}\r`);
  }
  const after = await memory.stats();
  const queued = after.jobs.pending + after.jobs.running;
  const waiting = queued === 0 ? [] : await memory.jobs.list({ status: ["pending", "running"], limit: 10_000 });
  return {
    summary,
    usage: {
      llmCalls: after.llm.llmCalls - before.llm.llmCalls,
      inputTokens: after.llm.inputTokens - before.llm.inputTokens,
      outputTokens: after.llm.outputTokens - before.llm.outputTokens,
    },
    queued,
    nextReady: waiting.map((job) => job.runAfter).sort()[0] ?? null,
  };
}

/**
 * One line: "Extracted 12 memories (9 new, 3 updated) in 2 jobs; no job failed.", with the model's calls
 * and tokens when it made any, what failed and where to look, and when queued jobs can run.
 */
export function formatJobRun(report: JobRunReport): string {
  const { summary, usage, queued, nextReady } = report;
  const failed = summary.retrying + summary.dead;
  if (summary.done === 0 && failed === 0) {
    if (queued === 0) return "Extraction: no job to run.";
    return `Extraction: no job is ready; ${counted(queued, "job")} queued, the first ready from ${formatInstant(nextReady)}: run mnemo jobs run then.`;
  }
  const written = summary.created + summary.updated;
  const head =
    summary.done === 0 ? "Extracted no memories" : `Extracted ${counted(written, "memory", "memories")} (${formatCount(summary.created)} new, ${formatCount(summary.updated)} updated) in ${counted(summary.done, "job")}`;
  const cost = usage.llmCalls === 0 ? "" : `, ${counted(usage.llmCalls, "LLM call")} (${formatCount(usage.inputTokens)} tokens in, ${formatCount(usage.outputTokens)} out)`;
  const failures = [
    ...(summary.retrying === 0 ? [] : [`${formatCount(summary.retrying)} will be retried`]),
    ...(summary.dead === 0 ? [] : [`${formatCount(summary.dead)} ${summary.dead === 1 ? "is" : "are"} dead (mnemo jobs replay)`]),
  ];
  const outcome = failed === 0 ? "; no job failed." : `; ${counted(failed, "job")} failed: ${failures.join(", ")}. See mnemo jobs.`;
  const later = queued === 0 ? "" : ` ${counted(queued, "job")} ${queued === 1 ? "is" : "are"} still queued, the first ready from ${formatInstant(nextReady)} (mnemo jobs run).`;
  return head + cost + outcome + later;
}
