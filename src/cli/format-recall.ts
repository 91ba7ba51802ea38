import type { RecallItem, RecallResult } from "../domain/types.js";
import { formatTime } from "./format-figures.js";

/** The context as a prompt would get it, then the ranked items with their provenance. */
export function formatRecall(result: RecallResult): string {
  const { context, items } = result;
  const warnings = (result.warnings ?? []).map((warning) => `warning: ${warning}`);
  if (items.length === 0) return [...warnings, `No memory matched "${result.query}".`].join("\n");
  const lines = [
    ...warnings,
    `Context: ${context.tokens} of ${context.budgetTokens} tokens (${context.tokenizer}), ${items.length} item${items.length === 1 ? "" : "s"}`,
    indent(context.text, "  │ "),
    "",
    "Ranked items:",
  ];
  for (const item of items) lines.push(...formatItem(item));
  return lines.join("\n");
}

function formatItem(item: RecallItem): string[] {
  const { memory } = item;
  // A memory extracted from events has no speaker of its own: its kind tells what it is.
  const speaker = memory.kind === "episode" ? (memory.origin?.speaker ?? "-") : `(${memory.kind})`;
  const head = `${String(item.rank).padStart(4)}. score ${item.score.toFixed(3)}  ${formatTime(memory.validFrom)}  ${speaker}  space ${memory.space}  ${memory.id}@${memory.version}`;
  return [head, `      ${provenance(item)}`];
}

/** Where an item came from: its source events and session, or the events it was extracted from. */
function provenance(item: RecallItem): string {
  const events = item.memory.sourceEventIds;
  const session = item.memory.origin?.sessionId;
  const source = `${events.length === 1 ? "event" : "events"} ${events.join(", ") || "(none)"}`;
  return item.memory.kind === "episode" ? `from ${source}${session ? `, session ${session}` : ""}` : `extracted from ${source}`;
}

export function indent(text: string, prefix: string): string {
  return text
    .split("\n")
    .map((line) => prefix + line)
    .join("\n");
}
