import type { JobRecord, JobStatus } from "../domain/types.js";
import { counted, formatCount, formatInstant, formatTime } from "./format-figures.js";
import { indent } from "./format-recall.js";
import { shortened } from "./collect-flags.js";

/** How much of a last error the list shows, on a line of its own under the job's row. */
const ERROR_WIDTH = 160;

/** Jobs as a table, newest first, each failed one with its last error under it, and a hint at what to do. */
export function formatJobList(jobs: readonly JobRecord[], query: { limit: number; statuses: readonly JobStatus[] }): string {
  if (jobs.length === 0) return query.statuses.length === 0 ? "No jobs: ingest queues them." : `No ${query.statuses.join(" or ")} jobs.`;
  const header = ["id", "status", "space", "events", "tries", "llm calls", "tokens in/out", "updated"];
  const rows = jobs.map((job) => [
    String(job.id),
    job.status,
    job.space,
    formatCount(job.eventIds.length),
    String(job.attempts),
    formatCount(job.llmCalls),
    `${formatCount(job.inputTokens)}/${formatCount(job.outputTokens)}`,
    formatTime(job.updatedAt),
  ]);
  const numeric = new Set([0, 3, 4, 5, 6]);
  const widths = header.map((title, column) => Math.max(title.length, ...rows.map((row) => row[column]!.length)));
  const line = (cells: readonly string[]): string => cells.map((cell, column) => (numeric.has(column) ? cell.padStart(widths[column]!) : cell.padEnd(widths[column]!))).join("  ").trimEnd();
  const lines = [line(header)];
  for (const [index, job] of jobs.entries()) {
    lines.push(line(rows[index]!));
    if (job.lastError !== null) lines.push(`${" ".repeat(widths[0]! + 2)}${job.status === "done" ? "error before it succeeded" : "last error"}: ${shortened(job.lastError, ERROR_WIDTH)}`);
  }
  if (jobs.length === query.limit) lines.push(`(the ${counted(query.limit, "newest job", "newest jobs")}${query.statuses.length === 0 ? "" : ` that ${query.limit === 1 ? "is" : "are"} ${query.statuses.join(" or ")}`}; --limit for more)`);
  if (jobs.some((job) => job.status === "dead")) lines.push("Dead jobs failed too often: mnemo jobs show <id> prints the error and the model's last reply; mnemo jobs replay runs them again.");
  return lines.join("\n");
}

/** One job with everything kept about it, the last reply in full. */
export function formatJob(job: JobRecord): string {
  const rows: [string, string][] = [
    ["kind", job.kind],
    ["space", job.space],
    ["events", `${formatCount(job.eventIds.length)}: ${job.eventIds.join(", ")}`],
    ["llm", `${counted(job.llmCalls, "call")}, ${formatCount(job.inputTokens)} tokens in, ${formatCount(job.outputTokens)} out`],
    ["created", formatInstant(job.createdAt)],
    ["updated", formatInstant(job.updatedAt)],
    ...(job.status === "pending" ? [["next try", `from ${formatInstant(job.runAfter)}`] as [string, string]] : []),
    ...(job.status === "running" ? [["lease ends", formatInstant(job.runAfter)] as [string, string]] : []),
    ["last error", job.lastError === null ? "-" : `${job.status === "done" ? "(before it succeeded) " : ""}${job.lastError}`],
  ];
  const lines = [`Job ${job.id}: ${job.status} after ${counted(job.attempts, "attempt")}`, ...rows.map(([label, value]) => `  ${label.padEnd(10)}  ${value}`)];
  if (job.lastReply === null) lines.push(`  ${"last reply".padEnd(10)}  -`);
  else lines.push(`  ${"last reply".padEnd(10)}  ${counted(job.lastReply.length, "character")}, as kept:`, indent(job.lastReply, "  │ "));
  if (job.status === "dead") lines.push(`Run it again: mnemo jobs replay ${job.id}`);
  if (job.status === "pending") lines.push("It runs with the next mnemo jobs run (or mnemo ingest) from that time on.");
  return lines.join("\n");
}
