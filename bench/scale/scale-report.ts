import { formatCount, formatSeconds } from "../../src/cli/format-figures.js";
import { percentile, round } from "../percentiles.js";
import type { VectorSearchReport } from "./measure-vector-search.js";

export interface LatencyFigures {
  p50: number;
  p95: number;
  p99: number;
}

/** The figures for one corpus size; the first keys are fixed by BENCHMARKS.md. */
export interface ScaleSizeFigures {
  memories: number;
  /** "none": recall runs on text search alone. */
  embedder: string;
  /** The index recall searches: "fts5" (SQLite full text, BM25). */
  index: string;
  ingestPerSecond: number;
  /** Recall with the default budget, warm. */
  recallMs: LatencyFigures;
  /** Null without an embedder: there is no approximate index to compare with exact search. */
  recallAt10VsExact: number | null;
  peakRssMB: number;
  sessions: number;
  /** Time spent inside `ingest` calls. */
  ingestSeconds: number;
  /** Share of the queries whose target turn is among the first 10 recalled items. */
  targetInTop10: number;
  /** The database file once closed. */
  dbSizeMB: number;
  /**
   * Vector search at this size, when measured: synthetic embeddings in each vector index, with the
   * approximate index's recall@10 against exact search. Measured after every size's text-search figures.
   */
  vectorSearch?: VectorSearchReport;
}

/** The JSON that `mnemo bench scale --json` writes (BENCHMARKS.md, "Commands and their JSON"). */
export interface ScaleReport {
  config: {
    store: string;
    embedder: string;
    llm: string;
    tokenizer: string;
    version: string;
    commit: string;
    durability: string;
    ingestBatch: string;
    seed: number;
    queries: number;
    budgetTokens: number;
    peakRss: string;
    data: string;
  };
  sizes: ScaleSizeFigures[];
}

/** p50/p95/p99 of latency samples in ms, rounded to µs. */
export function latencyFigures(samples: readonly number[]): LatencyFigures {
  return { p50: round(percentile(samples, 50), 3), p95: round(percentile(samples, 95), 3), p99: round(percentile(samples, 99), 3) };
}

export function formatScaleReport(report: ScaleReport): string {
  const { config } = report;
  const ms = (value: number): string => value.toFixed(2);
  const header = ["memories", "sessions", "index", "ingest/s", "ingest s", "recall p50 ms", "p95", "p99", "target in top 10", "peak RSS MB", "db MB"];
  const rows = report.sizes.map((size) => [
    formatCount(size.memories),
    formatCount(size.sessions),
    size.index,
    formatCount(size.ingestPerSecond),
    size.ingestSeconds.toFixed(1),
    ms(size.recallMs.p50),
    ms(size.recallMs.p95),
    ms(size.recallMs.p99),
    size.targetInTop10.toFixed(3),
    size.peakRssMB.toFixed(0),
    size.dbSizeMB.toFixed(1),
  ]);
  const vectorRows = report.sizes.flatMap((size) =>
    (size.vectorSearch?.indexes ?? []).map((vectors) => [
      formatCount(size.memories),
      `${vectors.index} (${size.vectorSearch!.dimensions} dims)`,
      formatSeconds(vectors.buildMs),
      ms(vectors.recallMs.p50),
      ms(vectors.recallMs.p95),
      ms(vectors.recallMs.p99),
      vectors.recallAt10VsExact.toFixed(3),
    ]),
  );
  return [
    `synthetic conversations (seed ${config.seed}), ${config.queries} queries per size, budget ${config.budgetTokens} tokens`,
    `config: store=${config.store} (durability ${config.durability}, ingest ${config.ingestBatch}) embedder=${config.embedder} llm=${config.llm} tokenizer=${config.tokenizer} version=${config.version} commit=${config.commit}`,
    "",
    alignColumns([header, ...rows]),
    ...(vectorRows.length === 0
      ? []
      : ["", "vector search on synthetic embeddings (approximate index against exact)", alignColumns([["memories", "index", "build", "recall p50 ms", "p95", "p99", "recall@10 vs exact"], ...vectorRows])]),
  ].join("\n");
}

/** Rows of cells as text columns: the first left-aligned, the others right-aligned (figures). */
function alignColumns(rows: readonly (readonly string[])[]): string {
  const widths = rows[0]!.map((_, column) => Math.max(...rows.map((row) => row[column]!.length)));
  return rows.map((row) => row.map((cell, column) => (column === 0 ? cell.padEnd(widths[column]!) : cell.padStart(widths[column]!))).join("  ")).join("\n");
}
