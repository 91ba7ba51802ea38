import { join } from "node:path";
import type { Command } from "commander";
import type { EventInput, RecallResult } from "../../domain/types.js";
import { formatCount, formatTime } from "../format-figures.js";
import { indent } from "../format-recall.js";
import { ingestInBatches } from "../ingest-in-batches.js";
import { openMemory } from "../open-memory.js";
import { packageRoot } from "../package-root.js";
import { readEventsFile } from "../read-events-file.js";

const DEMO_SPACE = "demo";
const DEMO_BUDGET_TOKENS = 100;
const DEMO_QUESTIONS = ["Where does Maya live?", "When is the Atlas launch deadline?", "Does Maya drink coffee?", "When does Maya prefer meetings?"];

/** `mnemo demo`: ingests a short sample conversation, then recalls from it within a small budget. */
export function registerDemoCommand(program: Command): void {
  program
    .command("demo")
    .description(`Ingest a sample conversation into space "${DEMO_SPACE}" and recall from it (re-running is a no-op)`)
    .action(async (_flags: unknown, command: Command) => {
      const file = readEventsFile(join(packageRoot(), "data", "demo-conversation.jsonl"), { space: DEMO_SPACE });
      const events = file.events.map(({ event }) => event as EventInput);
      const { memory, path } = await openMemory(command, { mustExist: false });
      try {
        await memory.createSpace(DEMO_SPACE);
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

function formatAnswer(result: RecallResult): string {
  const { context, items } = result;
  const lines = [`   context, ${context.tokens} of ${context.budgetTokens} tokens:`, indent(context.text, "   │ "), "   provenance, best match first:"];
  for (const item of items) {
    const { memory } = item;
    lines.push(`   ${item.rank}. ${memory.sourceEventIds.join(", ")}  session ${memory.origin?.sessionId ?? "-"}  ${formatTime(memory.validFrom)}`);
  }
  return lines.join("\n");
}
