import { join } from "node:path";
import type { Command } from "commander";
import { MEMORY_KINDS, type EventInput, type MemoryRecord, type RecallResult } from "../../domain/types.js";
import type { Memory } from "../../memory.js";
import { formatCount, formatTime } from "../format-figures.js";
import { indent } from "../format-recall.js";
import { ingestInBatches } from "../ingest-in-batches.js";
import { openMemory } from "../open-memory.js";
import { packageRoot } from "../package-root.js";
import { readEventsFile } from "../read-events-file.js";
import { formatJobRun, runJobs } from "../run-jobs.js";

const DEMO_SPACE = "demo";
const DEMO_BUDGET_TOKENS = 120;
/** Extracted memories listed before the questions; a model may find many more than the heuristics. */
const SHOWN_EXTRACTED = 8;
const DEMO_QUESTIONS = ["Where does Maya live?", "When is the Atlas launch deadline?", "Does Maya drink coffee?", "When does Maya prefer meetings?"];

/** `mnemo demo`: ingests a short sample conversation, then recalls from it within a small budget. */
export function registerDemoCommand(program: Command): void {
  program
    .command("demo")
    .description(`Ingest a sample conversation into space "${DEMO_SPACE}", extract memories from it, and recall (re-running is a no-op)`)
    .action(async (_flags: unknown, command: Command) => {
      const file = readEventsFile(join(packageRoot(), "data", "demo-conversation.jsonl"), { space: DEMO_SPACE });
      const events = file.events.map(({ event }) => event as EventInput);
      const { memory, path, llm } = await openMemory(command, { mustExist: false });
      try {
        await memory.spaces.create(DEMO_SPACE);
        const totals = await ingestInBatches(memory, file);
        const sessions = new Set(events.map((event) => event.sessionId)).size;
        const days = events.map((event) => String(event.occurredAt).slice(0, 10)).sort();
        console.log(`mnemo demo: Maya and her assistant, ${events.length} turns in ${sessions} sessions from ${days[0]} to ${days.at(-1)}.`);
        console.log(`  database  ${path}, space "${DEMO_SPACE}"`);
        console.log(
          totals.duplicates === 0
            ? `  ingested  ${formatCount(totals.inserted)} new events (every turn has an idempotency key: running the demo again stores nothing new)`
            : `  ingested  ${formatCount(totals.inserted)} new events, ${formatCount(totals.duplicates)} already stored (idempotency keys make a re-run a no-op)`,
        );
        const extraction = await runJobs(memory, llm?.name);
        // The list below shows what extraction found; the run's own line matters when a job failed.
        if (extraction.summary.retrying + extraction.summary.dead > 0) console.log(`  ${formatJobRun(extraction)}`);
        console.log(await formatExtracted(memory, llm?.name));
        for (const [index, question] of DEMO_QUESTIONS.entries()) {
          const result = await memory.recall(question, { spaces: [DEMO_SPACE], budgetTokens: DEMO_BUDGET_TOKENS });
          console.log(`\n${index + 1}. ${question}`);
          console.log(formatAnswer(result));
        }
        console.log(`\nAsk your own: mnemo recall "Pixel vet" --space ${DEMO_SPACE} --db ${path}`);
      } finally {
        await memory.close();
      }
    });
}

/** The memories extracted into the demo space so far (by this run or an earlier one), oldest first. */
async function formatExtracted(memory: Memory, llm: string | undefined): Promise<string> {
  const kinds = MEMORY_KINDS.filter((kind) => kind !== "episode");
  const { items } = await memory.list({ spaces: [DEMO_SPACE], kinds, limit: 1_000 });
  if (items.length === 0) return "  extracted nothing from the turns";
  const extracted = items.sort((a, b) => (a.validFrom ?? "").localeCompare(b.validFrom ?? ""));
  const lines = [`  extracted ${formatCount(extracted.length)} memories from the turns ${llm === undefined ? "by heuristics (set MNEMO_LLM_* to use a model)" : `with ${llm}`}:`];
  for (const record of extracted.slice(0, SHOWN_EXTRACTED)) lines.push(`   ${formatTime(record.validFrom)}  ${record.kind.padEnd(10)}  ${record.text}${until(record)}`);
  if (extracted.length > SHOWN_EXTRACTED) lines.push(`   … and ${formatCount(extracted.length - SHOWN_EXTRACTED)} more: mnemo recall "Maya" --kind fact --space ${DEMO_SPACE}`);
  return lines.join("\n");
}

function until(record: MemoryRecord): string {
  return record.validTo === null ? "" : ` (until ${formatTime(record.validTo)})`;
}

function formatAnswer(result: RecallResult): string {
  const { context, items } = result;
  const lines = [`   context, ${context.tokens} of ${context.budgetTokens} tokens:`, indent(context.text, "   │ "), "   provenance, best match first:"];
  for (const item of items) {
    const { memory } = item;
    // An extracted memory comes from events of any session: its kind says what it is instead.
    const origin = memory.kind === "episode" ? `session ${memory.origin?.sessionId ?? "-"}` : `extracted ${memory.kind}`;
    lines.push(`   ${item.rank}. ${memory.sourceEventIds.join(", ")}  ${origin}  ${formatTime(memory.validFrom)}`);
  }
  return lines.join("\n");
}
