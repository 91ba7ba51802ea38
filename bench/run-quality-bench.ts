import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { createMemory, type Memory, type RecallItem, type RecallTuningOptions } from "../src/index.js";
import type { Embedder } from "../src/providers/embedder.js";
import { DEFAULT_GENERATOR_WEIGHTS } from "../src/recall/recall-tuning.js";
import type { BenchCase } from "./neutral-format.js";
import { caseToEvents } from "./neutral-format.js";
import { mean, percentile, round } from "./percentiles.js";
import { BUDGETS, RECALL_KS, SESSION_KS, roundFigures, type QualityReport } from "./quality-report.js";

export interface QualityBenchOptions {
  dataset: string;
  version: string;
  commit: string;
  /** @default "full" */
  durability?: "full" | "normal";
  /** Read-path switches, for ablations. @default everything on */
  recall?: RecallTuningOptions;
  /** Semantic recall with this embedder. @default none */
  embedder?: Embedder;
  /** False measures recall over the raw turns alone. @default the heuristic extractor, run after each case's ingest */
  extraction?: false;
  /** Called after each case, for progress output. */
  onCase?: (done: number, total: number) => void;
}

interface QuestionScores {
  category: string;
  atBudget: Record<number, number>;
  tokens: Record<number, number>;
  atK: Record<number, number>;
  sessionsAtK: Record<number, number>;
}

/** Ranked items fetched for recall@k and session recall: enough to see 10 distinct sessions. */
const RANKED_ITEMS = 200;

/**
 * Ingests each case into a fresh SQLite file (one session per ingest call), asks its questions, and
 * scores what landed in the context: a question's score is the share of its evidence turns covered by
 * the provenance of the items in the assembled context.
 */
export async function runQualityBench(cases: readonly BenchCase[], options: QualityBenchOptions): Promise<QualityReport> {
  const directory = mkdtempSync(join(tmpdir(), "mnemo-bench-"));
  const scores: QuestionScores[] = [];
  const recallMs: number[] = [];
  let turns = 0;
  let ingestMs = 0;
  let tokenizer = "";
  let wallIngestMs = 0;
  try {
    for (const [index, benchCase] of cases.entries()) {
      const caseStart = performance.now();
      // Extraction runs as by default (heuristic, no model), but after the ingest rather than beside it,
      // so that recall is timed alone and every question sees the extracted memories.
      const memory = await createMemory({
        path: join(directory, `case-${index}.db`),
        durability: options.durability ?? "full",
        recall: options.recall,
        embedder: options.embedder,
        extraction: options.extraction === false ? false : { background: false },
      });
      try {
        const turnOfEvent = new Map<string, string>();
        for (const session of benchCase.sessions) {
          const events = caseToEvents({ ...benchCase, sessions: [session] });
          const start = performance.now();
          const result = await memory.ingest(events);
          ingestMs += performance.now() - start;
          result.events.forEach((event, position) => turnOfEvent.set(event.eventId, session.turns[position]!.id));
          turns += events.length;
        }
        wallIngestMs += performance.now() - caseStart;
        await memory.jobs.run();
        const sessionOfTurn = new Map(benchCase.sessions.flatMap((session) => session.turns.map((turn) => [turn.id, session.id] as const)));
        // One untimed recall warms the statement cache; its result also names the tokenizer.
        if (benchCase.questions[0]) tokenizer = (await memory.recall(benchCase.questions[0].question)).context.tokenizer;
        // A question without evidence cannot be scored (BENCHMARKS.md leaves such questions out).
        // A question without a date is asked after the conversation: "last year" is read from its last session.
        const askedAfter = benchCase.sessions.map((session) => session.date).filter((date) => date !== undefined).sort().at(-1);
        for (const question of benchCase.questions.filter((item) => item.evidence.length > 0)) {
          scores.push(await scoreQuestion(memory, { ...question, date: question.date ?? askedAfter }, turnOfEvent, sessionOfTurn, recallMs));
        }
      } finally {
        await memory.close();
      }
      options.onCase?.(index + 1, cases.length);
    }
  } finally {
    rmSync(directory, { recursive: true, force: true });
  }
  return buildReport(scores, { options, turns, ingestMs, wallIngestMs, recallMs, tokenizer });
}

async function scoreQuestion(
  memory: Memory,
  question: BenchCase["questions"][number],
  turnOfEvent: ReadonlyMap<string, string>,
  sessionOfTurn: ReadonlyMap<string, string>,
  recallMs: number[],
): Promise<QuestionScores> {
  const evidence = new Set(question.evidence);
  const coverage = (items: readonly RecallItem[]): number => {
    const covered = new Set(items.flatMap((item) => item.memory.sourceEventIds.map((id) => turnOfEvent.get(id))));
    return [...evidence].filter((turn) => covered.has(turn)).length / evidence.size;
  };
  const atBudget: Record<number, number> = {};
  const tokens: Record<number, number> = {};
  for (const budget of BUDGETS) {
    const start = performance.now();
    const result = await memory.recall(question.question, { budgetTokens: budget, now: question.date });
    if (budget === 2000) recallMs.push(performance.now() - start);
    atBudget[budget] = coverage(result.items);
    tokens[budget] = result.context.tokens;
  }
  const ranked = (await memory.recall(question.question, { budgetTokens: 1_000_000, limit: RANKED_ITEMS, now: question.date })).items;
  const atK = Object.fromEntries(RECALL_KS.map((k) => [k, coverage(ranked.slice(0, k))]));
  const evidenceSessions = new Set(question.evidence.map((turn) => sessionOfTurn.get(turn)));
  const rankedSessions: string[] = [];
  for (const item of ranked) {
    for (const eventId of item.memory.sourceEventIds) {
      const session = sessionOfTurn.get(turnOfEvent.get(eventId) ?? "");
      if (session !== undefined && !rankedSessions.includes(session)) rankedSessions.push(session);
    }
  }
  const sessionsAtK = Object.fromEntries(
    SESSION_KS.map((k) => [k, [...evidenceSessions].every((session) => session !== undefined && rankedSessions.slice(0, k).includes(session)) ? 1 : 0]),
  );
  return { category: question.category ?? "uncategorised", atBudget, tokens, atK, sessionsAtK };
}

function buildReport(
  scores: readonly QuestionScores[],
  run: { options: QualityBenchOptions; turns: number; ingestMs: number; wallIngestMs: number; recallMs: number[]; tokenizer: string },
): QualityReport {
  const average = <K extends number>(keys: readonly K[], pick: (score: QuestionScores) => Record<number, number>, subset = scores) =>
    roundFigures(Object.fromEntries(keys.map((key) => [String(key), mean(subset.map((score) => pick(score)[key]!))])) as Record<`${K}`, number>);
  const categories = [...new Set(scores.map((score) => score.category))].sort();
  return {
    dataset: run.options.dataset,
    config: {
      store: "sqlite",
      embedder: run.options.embedder?.name ?? "none",
      llm: "none",
      tokenizer: run.tokenizer,
      version: run.options.version,
      commit: run.options.commit,
      durability: run.options.durability ?? "full",
      ingestBatch: "one session per ingest call",
      neighbours: run.options.recall?.neighbours === false ? "off" : "on",
      generators: activeGenerators(run.options),
    },
    quality: {
      questions: scores.length,
      evidenceRecallAtTokens: average(BUDGETS, (score) => score.atBudget),
      tokensUsed: roundFigures(average(BUDGETS, (score) => score.tokens), 1),
      recallAtK: average(RECALL_KS, (score) => score.atK),
      sessionRecallAllAtK: average(SESSION_KS, (score) => score.sessionsAtK),
      byCategory: Object.fromEntries(
        categories.map((category) => {
          const subset = scores.filter((score) => score.category === category);
          return [category, { questions: subset.length, evidenceRecallAtTokens: average(BUDGETS, (score) => score.atBudget, subset) }];
        }),
      ),
    },
    speed: {
      turns: run.turns,
      ingestTurnsPerSecond: round(run.turns / (run.ingestMs / 1000), 0),
      ingestWallMs: round(run.wallIngestMs, 1),
      recallMs: { p50: round(percentile(run.recallMs, 50), 3), p95: round(percentile(run.recallMs, 95), 3), p99: round(percentile(run.recallMs, 99), 3) },
      peakRssMB: round(process.resourceUsage().maxRSS / 1024, 1),
    },
  };
}

/** The candidate generators that take part, e.g. "text,time": those with a weight, vector only with an embedder. */
function activeGenerators(options: QualityBenchOptions): string {
  const weights = options.recall?.generators ?? {};
  const names = (Object.keys(DEFAULT_GENERATOR_WEIGHTS) as (keyof typeof DEFAULT_GENERATOR_WEIGHTS)[]).filter((name) => name !== "vector" || options.embedder);
  return names.filter((name) => (weights[name] ?? DEFAULT_GENERATOR_WEIGHTS[name]) !== false && (weights[name] ?? DEFAULT_GENERATOR_WEIGHTS[name]) !== 0).join(",");
}
