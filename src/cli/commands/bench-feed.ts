import { Option, type Command } from "commander";
import { currentCommit, packageVersion } from "../../../bench/bench-environment.js";
import { formatFeedReport, runFeedBench } from "../../../bench/feed/run-feed-bench.js";
import { checkOutputFolder, writeJsonReport } from "../check-output-folder.js";
import { integerOption } from "../integer-option.js";

interface FeedFlags {
  subscribers: number;
  changes: number;
  latencyChanges: number;
  intervalMs: number;
  batchSize: number;
  durability: "full" | "normal";
  timeLimit: number;
  json?: string;
}

/** `mnemo bench feed`: change-feed latency from commit to subscriber, and changes per second. */
export function registerBenchFeedCommand(bench: Command): void {
  bench
    .command("feed")
    .description("The change feed in process: latency from commit to subscriber (p50/p99) and changes per second delivered to every subscriber")
    .option("--subscribers <n>", "subscribers, each its own principal with read access to the shared space", integerOption("--subscribers", { min: 1, max: 1_000 }), 10)
    .option("--changes <n>", "changes written in batches as fast as possible, for throughput", integerOption("--changes", { min: 1, max: 1_000_000 }), 20_000)
    .option("--latency-changes <n>", "changes written one per ingest call at a steady pace, for latency", integerOption("--latency-changes", { min: 0, max: 1_000_000 }), 2_000)
    .option("--interval-ms <ms>", "time between the paced writes", integerOption("--interval-ms", { min: 0, max: 10_000 }), 2)
    .option("--batch-size <n>", "events per ingest call while measuring throughput", integerOption("--batch-size", { min: 1, max: 10_000 }), 100)
    .addOption(new Option("--durability <mode>", "SQLite durability of the writes").choices(["full", "normal"]).default("full"))
    .option("--time-limit <seconds>", "stop writing after this long (subscribers get 30 s more to catch up)", integerOption("--time-limit", { min: 1, max: 86_400 }), 120)
    .option("--json <path>", "also write the figures as JSON here")
    .addHelpText(
      "after",
      `
One writer and the subscribers share one SQLite store (a temp file, deleted afterwards), so commits wake
subscribers at once, as in a single process. Latency is timed from the store's commit notice to the
subscriber's loop receiving the change (and, for comparison, from the ingest call); throughput from the
first batch written to the last change received by the last subscriber.`,
    )
    .action(async (flags: FeedFlags) => {
      if (flags.json) checkOutputFolder(flags.json, "--json");
      const report = await runFeedBench({
        subscribers: flags.subscribers,
        changes: flags.changes,
        latencyChanges: flags.latencyChanges,
        intervalMs: flags.intervalMs,
        batchSize: flags.batchSize,
        durability: flags.durability,
        timeLimitMs: flags.timeLimit * 1000,
        version: packageVersion(),
        commit: currentCommit(),
      });
      console.log(formatFeedReport(report));
      if (flags.json) writeJsonReport(flags.json, report);
    });
}
