import { round } from "./percentiles.js";

export const BUDGETS = [500, 1000, 2000, 4000] as const;
export const RECALL_KS = [5, 10, 25] as const;
export const SESSION_KS = [1, 3, 5, 10] as const;

type Figures<K extends number> = Record<`${K}`, number>;

/** The JSON that `mnemo bench locomo|run --json` writes; key names are fixed by BENCHMARKS.md. */
export interface QualityReport {
  dataset: string;
  config: { store: string; embedder: string; llm: string; tokenizer: string; version: string; commit: string; durability: string; ingestBatch: string; neighbours: string; generators: string };
  quality: {
    questions: number;
    evidenceRecallAtTokens: Figures<(typeof BUDGETS)[number]>;
    tokensUsed: Figures<(typeof BUDGETS)[number]>;
    recallAtK: Figures<(typeof RECALL_KS)[number]>;
    sessionRecallAllAtK: Figures<(typeof SESSION_KS)[number]>;
    byCategory: Record<string, { questions: number; evidenceRecallAtTokens: Figures<(typeof BUDGETS)[number]> }>;
  };
  speed: {
    turns: number;
    ingestTurnsPerSecond: number;
    ingestWallMs: number;
    recallMs: { p50: number; p95: number; p99: number };
    peakRssMB: number;
  };
}

export function formatQualityReport(report: QualityReport): string {
  const { quality, speed, config } = report;
  const f3 = (value: number): string => value.toFixed(3);
  const lines = [
    `dataset ${report.dataset}: ${quality.questions} questions, ${speed.turns} turns`,
    `config: store=${config.store} (durability ${config.durability}, ingest ${config.ingestBatch}) generators=${config.generators} neighbours=${config.neighbours} embedder=${config.embedder} llm=${config.llm} tokenizer=${config.tokenizer} version=${config.version} commit=${config.commit}`,
    "",
    table(
      ["budget (tokens)", ...BUDGETS.map(String)],
      [
        ["evidence recall", ...BUDGETS.map((budget) => f3(quality.evidenceRecallAtTokens[budget]))],
        ["tokens used (mean)", ...BUDGETS.map((budget) => quality.tokensUsed[budget].toFixed(0))],
        ...Object.entries(quality.byCategory).map(([category, figures]) => [
          `  ${category} (${figures.questions})`,
          ...BUDGETS.map((budget) => f3(figures.evidenceRecallAtTokens[budget])),
        ]),
      ],
    ),
    "",
    table(["k", ...RECALL_KS.map(String)], [["recall@k (items)", ...RECALL_KS.map((k) => f3(quality.recallAtK[k]))]]),
    table(["k", ...SESSION_KS.map(String)], [["session recall_all@k", ...SESSION_KS.map((k) => f3(quality.sessionRecallAllAtK[k]))]]),
    "",
    `ingest: ${speed.ingestTurnsPerSecond.toFixed(0)} turns/s (${speed.turns} turns, ${(speed.ingestWallMs / 1000).toFixed(2)} s wall incl. opening databases)`,
    `recall: p50 ${speed.recallMs.p50.toFixed(2)} ms, p95 ${speed.recallMs.p95.toFixed(2)} ms, p99 ${speed.recallMs.p99.toFixed(2)} ms (budget 2000, warm)`,
    `peak RSS: ${speed.peakRssMB.toFixed(0)} MB`,
  ];
  return lines.join("\n");
}

export function table(header: string[], rows: string[][]): string {
  const widths = header.map((_, column) => Math.max(...[header, ...rows].map((row) => (row[column] ?? "").length)));
  const format = (row: string[]): string => row.map((cell, column) => (column === 0 ? cell.padEnd(widths[column]!) : cell.padStart(widths[column]!))).join("  ");
  return [format(header), ...rows.map(format)].join("\n");
}

export function roundFigures<K extends string>(figures: Record<K, number>, digits = 4): Record<K, number> {
  return Object.fromEntries(Object.entries(figures).map(([key, value]) => [key, round(value as number, digits)])) as Record<K, number>;
}
