import type { Command } from "commander";
import type { MemoryStats } from "../../domain/types.js";
import { formatBytes, formatCount } from "../format-figures.js";
import { openMemory } from "../open-memory.js";

/** `mnemo stats`: what the database holds. */
export function registerStatsCommand(program: Command): void {
  program
    .command("stats")
    .description("Show what the database holds: events, memories by kind, spaces, size, schema version")
    .option("--json", "print Memory.stats() as JSON")
    .action(async (flags: { json?: boolean }, command: Command) => {
      const { memory, embedder } = await openMemory(command, { mustExist: true });
      try {
        const stats = await memory.stats();
        const spaces = (await memory.listSpaces()).map((space) => space.name);
        console.log(flags.json ? JSON.stringify(stats, null, 2) : formatStats(stats, spaces, embedder?.name));
      } finally {
        await memory.close();
      }
    });
}

function formatStats(stats: MemoryStats, spaces: readonly string[], embedder: string | undefined): string {
  const store = stats.store;
  const text = (key: string): string => (store[key] === undefined || store[key] === null ? "-" : String(store[key]));
  const size = typeof store["sizeBytes"] === "number" ? formatBytes(store["sizeBytes"]) : "-";
  const kinds = Object.entries(stats.memoriesByKind).map(([kind, count]) => `${kind} ${formatCount(count ?? 0)}`);
  const rows: [string, string][] = [
    ["database", `${text("path")} (${size})`],
    ["store", `${text("name")}, schema version ${text("schemaVersion")}, journal ${text("journalMode")}`],
    ["tokenizer", text("tokenizer")],
    ["embedder", embedder ?? "none (set MNEMO_EMBEDDER_BASE_URL, see mnemo embed --help)"],
    ["tenant", stats.tenant],
    ["events", formatCount(stats.events)],
    ["memories", `${formatCount(stats.memories)}${kinds.length > 0 ? ` (${kinds.join(", ")})` : ""}`],
    ["versions", formatCount(stats.versions)],
    ["forgotten", formatCount(stats.forgotten)],
    ["spaces", `${formatCount(stats.spaces)} (${spaces.join(", ")})`],
    ["last change", `#${stats.lastChangeSeq}`],
  ];
  return rows.map(([label, value]) => `${label.padEnd(12)} ${value}`).join("\n");
}
