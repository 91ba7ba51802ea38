import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createMemory, createOpenAIChat, type LanguageModel } from "../../src/index.js";
import { startOpenAITestServer } from "../../src/testing/openai-test-server.js";
import { caseToEvents, type BenchCase } from "../neutral-format.js";
import { percentile, round } from "../percentiles.js";
import { scriptedExtractionModel } from "./scripted-extraction-model.js";

export interface LlmBenchOptions {
  /** Ingest at most this many turns (whole sessions, in dataset order). */
  maxTurns: number;
  /** Turns per extraction call. */
  batchSize: number;
  /** How long the slow model takes to answer each call. */
  slowMs: number;
  version: string;
  commit: string;
}

/** BENCHMARKS.md's keys for `mnemo bench llm`, and what the run was. */
export interface LlmBenchReport {
  turns: number;
  llmCalls: number;
  llmCallsPer1000Turns: number;
  tokensPer1000Turns: { in: number; out: number };
  ingestMs: { p95WithoutLlm: number; p95WithSlowLlm: number };
  config: { batchSize: number; slowMs: number; sessions: number; model: string; version: string; commit: string };
  /** What extraction made with the model (current memories that are not episodes; new versions), and how its jobs ended. */
  extraction: { created: number; updated: number; jobsDone: number; jobsDead: number };
}

/**
 * The write path against the scripted OpenAI-format server: the same sessions are ingested (one session per
 * ingest call, jobs running in the background as by default) into a memory without a model and into one
 * whose model takes `slowMs` per call. Ingest latency is timed per call in both; model calls and tokens
 * are counted from the slow run once its queue is drained.
 */
export async function runLlmBench(cases: readonly BenchCase[], options: LlmBenchOptions): Promise<LlmBenchReport> {
  const sessions = pickSessions(cases, options.maxTurns);
  const turns = sessions.reduce((sum, events) => sum + events.length, 0);
  const server = await startOpenAITestServer({ chat: scriptedExtractionModel, chatDelayMs: options.slowMs });
  const directory = mkdtempSync(join(tmpdir(), "mnemo-bench-llm-"));
  try {
    const withoutLlm = await timeIngest(join(directory, "without-llm.db"), sessions, undefined, options.batchSize);
    const llm = createOpenAIChat({ baseURL: server.baseURL, model: "scripted-extraction", timeoutMs: 60_000 });
    const withSlowLlm = await timeIngest(join(directory, "slow-llm.db"), sessions, llm, options.batchSize);
    const calls = server.requests.filter((request) => request.path.endsWith("/chat/completions")).length;
    const per1000 = (value: number): number => round((value * 1000) / turns, 1);
    return {
      turns,
      llmCalls: calls,
      llmCallsPer1000Turns: per1000(calls),
      tokensPer1000Turns: { in: per1000(withSlowLlm.usage.inputTokens), out: per1000(withSlowLlm.usage.outputTokens) },
      ingestMs: { p95WithoutLlm: round(percentile(withoutLlm.ingestMs, 95), 2), p95WithSlowLlm: round(percentile(withSlowLlm.ingestMs, 95), 2) },
      config: { batchSize: options.batchSize, slowMs: options.slowMs, sessions: sessions.length, model: llm.name, version: options.version, commit: options.commit },
      extraction: withSlowLlm.extraction,
    };
  } finally {
    await server.close();
    rmSync(directory, { recursive: true, force: true });
  }
}

/** Whole sessions, in order, until the next would pass `maxTurns` (at least one). */
function pickSessions(cases: readonly BenchCase[], maxTurns: number): ReturnType<typeof caseToEvents>[] {
  const picked: ReturnType<typeof caseToEvents>[] = [];
  let turns = 0;
  for (const benchCase of cases) {
    for (const session of benchCase.sessions) {
      const events = caseToEvents({ ...benchCase, sessions: [session] });
      if (picked.length > 0 && turns + events.length > maxTurns) return picked;
      picked.push(events);
      turns += events.length;
    }
  }
  return picked;
}

async function timeIngest(path: string, sessions: readonly ReturnType<typeof caseToEvents>[], llm: LanguageModel | undefined, batchSize: number) {
  const memory = await createMemory({ path, ...(llm ? { llm } : {}), extraction: { batchSize } });
  try {
    const ingestMs: number[] = [];
    for (const events of sessions) {
      const start = performance.now();
      await memory.ingest(events);
      ingestMs.push(performance.now() - start);
    }
    // The background worker may still be busy: run() waits for it, then finishes the queue.
    await memory.jobs.run();
    const stats = await memory.stats();
    const created = Object.entries(stats.memoriesByKind).reduce((sum, [kind, count]) => sum + (kind === "episode" ? 0 : (count ?? 0)), 0);
    return { ingestMs, usage: stats.llm, extraction: { created, updated: stats.versions - stats.memories, jobsDone: stats.jobs.done, jobsDead: stats.jobs.dead } };
  } finally {
    await memory.close();
  }
}

export function formatLlmReport(report: LlmBenchReport): string {
  const { config } = report;
  return [
    `turns ${report.turns} (${config.sessions} sessions, one ingest call each), batch ${config.batchSize} turns, model ${config.model} answering in ${config.slowMs} ms`,
    `LLM calls: ${report.llmCalls} (${report.llmCallsPer1000Turns} per 1,000 turns); tokens per 1,000 turns: ${report.tokensPer1000Turns.in} in, ${report.tokensPer1000Turns.out} out`,
    `ingest p95: ${report.ingestMs.p95WithoutLlm} ms without a model, ${report.ingestMs.p95WithSlowLlm} ms with the slow model`,
    `extraction with the model: ${report.extraction.created} memories, ${report.extraction.updated} new versions of older ones; ${report.extraction.jobsDone} jobs done, ${report.extraction.jobsDead} dead`,
  ].join("\n");
}
