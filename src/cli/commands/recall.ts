import { InvalidArgumentError, type Command } from "commander";
import { MemoryError } from "../../domain/memory-error.js";
import { toEpochMs } from "../../domain/time.js";
import { MEMORY_KINDS, type MemoryKind, type RecallOptions } from "../../domain/types.js";
import { formatRecall } from "../format-recall.js";
import { integerOption } from "../integer-option.js";
import { openMemory } from "../open-memory.js";
import { collect, collectKind } from "../collect-flags.js";

interface RecallFlags {
  budget?: number;
  limit?: number;
  space: string[];
  kind: MemoryKind[];
  from?: string;
  to?: string;
  asOf?: string;
  now?: string;
  json?: boolean;
}

/** `mnemo recall "<query>"`: the context assembled within the budget, and the ranked items behind it. */
export function registerRecallCommand(program: Command): void {
  program
    .command("recall")
    .description("Recall memories for a query, assembled into a context within a token budget")
    .argument("<query>", "what to look for, in words")
    .option("--budget <tokens>", "most tokens the context may take (default: 2000)", integerOption("--budget", { min: 1, max: 1_000_000 }))
    .option("--limit <n>", "at most this many items (default: as many as fit the budget)", integerOption("--limit", { min: 1, max: 1_000 }))
    .option("--space <name>", "search this space; repeat for several (default: every space)", collect, [])
    .option("--kind <kind>", `only memories of this kind (${MEMORY_KINDS.join(", ")}); repeat for several`, collectKind, [])
    .option("--from <date>", "only memories from this time on (ISO 8601; a date alone is 00:00 UTC)", isoDate("--from"))
    .option("--to <date>", "only memories up to this time (ISO 8601; a date alone includes that whole day)", isoDate("--to"))
    .option("--as-of <date>", "answer as the memory stood at this time (ISO 8601)", isoDate("--as-of"))
    .option("--now <date>", 'read "last week", "two days ago"… in the query from this time (ISO 8601)', isoDate("--now"))
    .option("--json", "print the RecallResult as JSON")
    .action(async (query: string, flags: RecallFlags, command: Command) => {
      const options: RecallOptions = {
        ...(flags.budget === undefined ? {} : { budgetTokens: flags.budget }),
        ...(flags.limit === undefined ? {} : { limit: flags.limit }),
        ...(flags.space.length === 0 ? {} : { spaces: flags.space }),
        ...(flags.kind.length === 0 ? {} : { kinds: flags.kind }),
        ...(flags.from === undefined && flags.to === undefined ? {} : { timeRange: { from: flags.from, to: flags.to } }),
        ...(flags.asOf === undefined ? {} : { asOf: flags.asOf }),
        ...(flags.now === undefined ? {} : { now: flags.now }),
      };
      const { memory } = await openMemory(command, { mustExist: true });
      try {
        const result = await memory.recall(query, options);
        console.log(flags.json ? JSON.stringify(result, null, 2) : formatRecall(result));
      } finally {
        await memory.close();
      }
    });
}

/** Checks a date flag at parse time, so a typo is a usage error like any other bad flag. */
function isoDate(flag: string): (value: string) => string {
  return (value) => {
    try {
      toEpochMs(value, flag);
    } catch (error) {
      if (error instanceof MemoryError) throw new InvalidArgumentError(error.message);
      throw error;
    }
    return value;
  };
}
