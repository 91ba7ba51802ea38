#!/usr/bin/env node
import { Command } from "commander";
import { registerBenchCommand } from "./commands/bench.js";
import { registerDemoCommand } from "./commands/demo.js";
import { registerEmbedCommand } from "./commands/embed.js";
import { registerFeedCommand } from "./commands/feed.js";
import { registerIngestCommand } from "./commands/ingest.js";
import { registerJobsCommand } from "./commands/jobs.js";
import { registerKeysCommand } from "./commands/keys.js";
import { registerMcpCommand } from "./commands/mcp.js";
import { registerRecallCommand } from "./commands/recall.js";
import { registerReviewCommand } from "./commands/review.js";
import { registerServeCommand } from "./commands/serve.js";
import { registerSpacesCommand } from "./commands/spaces.js";
import { registerStatsCommand } from "./commands/stats.js";
import { identityOption } from "./open-memory.js";
import { packageVersion } from "./package-root.js";
import { reportError } from "./report-error.js";

const program = new Command("mnemo")
  .description("Long-term memory for LLM agents, in one SQLite file.")
  .version(packageVersion(), "-V, --version")
  .option("--db <path>", "the SQLite database file (default: $MNEMO_DB if set, else ./mnemo.db in the current directory)")
  .option("--tenant <name>", "the tenant to act in (default: $MNEMO_TENANT if set, else default)", identityOption("--tenant"))
  .option("--principal <name>", "who acts: your roles in spaces decide what you see and may do (default: $MNEMO_PRINCIPAL if set, else default)", identityOption("--principal"))
  .option("--debug", "print the stack trace of unexpected errors (or set MNEMO_DEBUG=1)")
  .exitOverride()
  .showHelpAfterError("(add --help for usage)")
  .addHelpText(
    "after",
    `
Environment:
  MNEMO_DB          the database file when --db is not given (default: ./mnemo.db)
  MNEMO_TENANT      the tenant when --tenant is not given (default: default)
  MNEMO_PRINCIPAL   who acts when --principal is not given (default: default)
  MNEMO_DEBUG       set to 1 to print stack traces
  MNEMO_EMBEDDER_*  an embeddings API for semantic recall (see mnemo embed --help)
  MNEMO_LLM_*       a chat model for extracting memories (see mnemo jobs --help)

Exit codes: 0 success, 1 error, 2 bad usage (unknown option, missing or invalid argument).
Start with: mnemo demo`,
  );

// `mnemo recall … | head` closes the pipe early: that is not an error worth a stack trace.
process.stdout.on("error", (error: NodeJS.ErrnoException) => {
  if (error.code !== "EPIPE") throw error;
  process.exit(0);
});

registerIngestCommand(program);
registerRecallCommand(program);
registerEmbedCommand(program);
registerJobsCommand(program);
registerKeysCommand(program);
registerServeCommand(program);
registerMcpCommand(program);
registerSpacesCommand(program);
registerReviewCommand(program);
registerFeedCommand(program);
registerStatsCommand(program);
registerDemoCommand(program);
registerBenchCommand(program);

try {
  await program.parseAsync(process.argv);
} catch (error) {
  process.exitCode = reportError(error, program.opts<{ debug?: boolean }>().debug === true || process.env["MNEMO_DEBUG"] === "1");
}
