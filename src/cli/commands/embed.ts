import type { Command } from "commander";
import { MemoryError } from "../../domain/memory-error.js";
import { EMBEDDINGS_EXAMPLE, embedderFromEnvironment } from "../embedder-from-environment.js";
import { formatCount } from "../format-figures.js";
import { integerOption } from "../integer-option.js";
import { openMemory } from "../open-memory.js";

/** `mnemo embed`: gives a vector to the memories that have none from the configured embedder. */
export function registerEmbedCommand(program: Command): void {
  program
    .command("embed")
    .description("Embed the memories that have no vector yet, with the embedder of the MNEMO_EMBEDDER_* variables")
    .option("--limit <n>", "embed at most this many memories (default: all of them)", integerOption("--limit", { min: 1, max: 1_000_000_000 }))
    .addHelpText(
      "after",
      `
Environment (semantic recall is on for every command when MNEMO_EMBEDDER_BASE_URL is set):
  MNEMO_EMBEDDER_BASE_URL         the root URL of an OpenAI-compatible embeddings API (requests go to <url>/embeddings)
  MNEMO_EMBEDDER_MODEL       the embedding model, e.g. nomic-embed-text or text-embedding-3-small
  MNEMO_EMBEDDER_DIMENSIONS  the length of the model's vectors, e.g. 768 or 1536
  MNEMO_EMBEDDER_API_KEY     sent as a bearer token; local servers usually need none

Ingest embeds new memories as it goes. This command embeds the others: those written before the
variables were set or with another model, and those a provider failure left behind. Vectors are kept
per model, so switching models means running it again. Example (Ollama):
  ${EMBEDDINGS_EXAMPLE} mnemo embed`,
    )
    .action(async (flags: { limit?: number }, command: Command) => {
      // Checked before the database, since without it the command has no point.
      const embedder = embedderFromEnvironment();
      if (embedder === undefined) {
        throw new Error(`No embedder is configured, so there is nothing to embed with. Set MNEMO_EMBEDDER_BASE_URL, MNEMO_EMBEDDER_MODEL and MNEMO_EMBEDDER_DIMENSIONS (and MNEMO_EMBEDDER_API_KEY if the server needs one), e.g. ${EMBEDDINGS_EXAMPLE} mnemo embed`);
      }
      const { memory } = await openMemory(command, { mustExist: true });
      try {
        const { embedded, error } = await memory.embedPending(flags.limit === undefined ? {} : { limit: flags.limit });
        const count = `${formatCount(embedded)} memor${embedded === 1 ? "y" : "ies"}`;
        if (error !== null) {
          throw new MemoryError("provider", `Embedded ${count} with ${embedder.name}, then the provider failed: ${error} The rest still have no vector: run mnemo embed again once the provider works.`);
        }
        if (embedded === 0) console.log(`Nothing to embed: every memory has a vector from ${embedder.name}.`);
        else if (embedded === flags.limit) console.log(`Embedded ${count} with ${embedder.name} (--limit reached: run it again for the rest, if any).`);
        else console.log(`Embedded ${count} with ${embedder.name}.`);
      } finally {
        await memory.close();
      }
    });
}
