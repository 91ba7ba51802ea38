import { table, type QualityReport } from "./quality-report.js";

/** The read-path parts an ablation can turn off, one at a time. */
export const ABLATION_PARTS = ["neighbours", "text", "sessions", "feedback", "graph", "time", "vector"] as const;
export type AblationPart = (typeof ABLATION_PARTS)[number];

export interface AblationRun {
  /** What this run changed, e.g. "without time"; the first run is the reference. */
  label: string;
  report: QualityReport;
}

/**
 * One row per configuration: evidence recall at 2,000 tokens overall and by category, and recall p95,
 * with each figure's difference from the reference configuration (the first run) in parentheses.
 */
export function formatAblation(runs: readonly AblationRun[]): string {
  const [full] = runs;
  if (!full) return "";
  const categories = Object.keys(full.report.quality.byCategory);
  const at2000 = (report: QualityReport, category?: string): number =>
    category === undefined ? report.quality.evidenceRecallAtTokens["2000"] : (report.quality.byCategory[category]?.evidenceRecallAtTokens["2000"] ?? Number.NaN);
  const cell = (value: number, base: number, isFull: boolean): string => (isFull ? value.toFixed(3) : `${value.toFixed(3)} (${signed(value - base)})`);
  const rows = runs.map((run, index) => [
    run.label,
    cell(at2000(run.report), at2000(full.report), index === 0),
    ...categories.map((category) => cell(at2000(run.report, category), at2000(full.report, category), index === 0)),
    run.report.speed.recallMs.p95.toFixed(1),
  ]);
  return [
    `evidence recall at 2,000 tokens, overall and by category (difference from ${full.label}); recall p95 in ms`,
    table(["configuration", "overall", ...categories, "p95 ms"], rows),
  ].join("\n");
}

function signed(delta: number): string {
  const text = delta.toFixed(3);
  return delta >= 0 ? `+${text}` : text;
}
