import type { Command } from "commander";
import { JOB_STATUSES, MEMORY_KINDS, type MemoryKind, type MemoryStats } from "../../domain/types.js";
import { counted, formatBytes, formatCount } from "../format-figures.js";
import { openMemory } from "../open-memory.js";

/** `mnemo stats`: what the database holds. */
export function registerStatsCommand(program: Command): void {
  program
    .command("stats")
    .description("Show what the database holds: events, memories by kind, spaces, extraction jobs and model usage, size, schema version")
    .option("--json", "print Memory.stats() as JSON")
    .action(async (flags: { json?: boolean }, command: Command) => {
      const { memory, embedder, llm } = await openMemory(command, { mustExist: true });
      try {
        const stats = await memory.stats();
        const spaces = (await memory.spaces.list()).map((space) => space.name);
        console.log(flags.json ? JSON.stringify(stats, null, 2) : formatStats(stats, spaces, { embedder: embedder?.name, llm: llm?.name }));
      } finally {
        await memory.close();
      }
    });
}

function formatStats(stats: MemoryStats, spaces: readonly string[], providers: { embedder: string | undefined; llm: string | undefined }): string {
  const store = stats.store;
  const text = (key: string): string => (store[key] === undefined || store[key] === null ? "-" : String(store[key]));
  const size = typeof store["sizeBytes"] === "number" ? formatBytes(store["sizeBytes"]) : "-";
  // Episodes first, then what was extracted from them, in the order the kinds are documented.
  const rank = (kind: string): number => (MEMORY_KINDS.includes(kind as MemoryKind) ? MEMORY_KINDS.indexOf(kind as MemoryKind) : MEMORY_KINDS.length);
  const kinds = Object.entries(stats.memoriesByKind)
    .sort(([a], [b]) => rank(a) - rank(b))
    .map(([kind, count]) => `${kind} ${formatCount(count ?? 0)}`);
  const jobs = JOB_STATUSES.map((status) => `${formatCount(stats.jobs[status])} ${status}`).join(", ");
  const { llmCalls, inputTokens, outputTokens } = stats.llm;
  const rows: [string, string][] = [
    ["database", `${text("path")} (${size})`],
    ["store", `${text("name")}, schema version ${text("schemaVersion")}, journal ${text("journalMode")}`],
    ["tokenizer", text("tokenizer")],
    ["embedder", providers.embedder ?? "none (set MNEMO_EMBEDDER_BASE_URL, see mnemo embed --help)"],
    ["llm", providers.llm ?? "none: heuristic extraction (set MNEMO_LLM_BASE_URL, see mnemo jobs --help)"],
    ["tenant", stats.tenant],
    ["events", formatCount(stats.events)],
    ["memories", `${formatCount(stats.memories)}${kinds.length > 0 ? ` (${kinds.join(", ")})` : ""}`],
    ["versions", formatCount(stats.versions)],
    ["forgotten", formatCount(stats.forgotten)],
    ["jobs", jobs],
    ["llm usage", `${counted(llmCalls, "call")}, ${formatCount(inputTokens)} tokens in, ${formatCount(outputTokens)} out`],
    ["spaces", `${formatCount(stats.spaces)} (${spaces.join(", ")})`],
    ["last change", `#${stats.lastChangeSeq}`],
  ];
  return rows.map(([label, value]) => `${label.padEnd(12)} ${value}`).join("\n");
}
