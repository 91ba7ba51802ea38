import { InvalidArgumentError, Option, type Command } from "commander";
import { currentCommit, packageVersion } from "../../../bench/bench-environment.js";
import { runScaleBench, type ScaleProgress } from "../../../bench/scale/run-scale-bench.js";
import { formatScaleReport } from "../../../bench/scale/scale-report.js";
import { checkOutputFolder, writeJsonReport } from "../check-output-folder.js";
import { formatCount } from "../format-figures.js";
import { integerOption } from "../integer-option.js";

interface ScaleFlags {
  sizes: number[];
  queries: number;
  json?: string;
  durability: "full" | "normal";
  seed: number;
  vectorsUpTo: number;
  dimensions: number;
}

const MAX_SIZE = 10_000_000;

/** `mnemo bench scale`: ingest and recall speed on synthetic conversations of growing size. */
export function registerBenchScaleCommand(bench: Command): void {
  bench
    .command("scale")
    .description("Ingest and recall speed on synthetic conversations of growing size (no embedder), plus vector search")
    .addOption(new Option("--sizes <list>", "comma-separated corpus sizes, in memories").argParser(parseSizes).default([10_000, 100_000], "10000,100000"))
    .option("--queries <n>", "timed recalls per size", integerOption("--queries", { min: 1, max: 100_000 }), 200)
    .option("--json <path>", "also write the figures as JSON here")
    .addOption(new Option("--durability <mode>", "SQLite durability while ingesting").choices(["full", "normal"]).default("full"))
    .option("--seed <n>", "seed of the synthetic data", integerOption("--seed", { min: 0, max: 2 ** 32 - 1 }), 1)
    .option("--vectors-up-to <memories>", "measure vector search (approximate index against exact) at sizes up to this; 0 skips it", integerOption("--vectors-up-to", { min: 0, max: MAX_SIZE }), 100_000)
    .option("--dimensions <n>", "dimensions of the synthetic embeddings", integerOption("--dimensions", { min: 1, max: 4096 }), 384)
    .addHelpText(
      "after",
      `
Each size gets a fresh SQLite file in the temp folder (deleted afterwards), ingested one session per
ingest call, then recalled with the default budget (2000 tokens). Sizes run smallest first.
1,000,000 memories works (--sizes 1000000) but takes long: several minutes of ingest and about 1 GB of
disk. Vector search at 100,000 vectors takes about two minutes (building the HNSW index); sizes above
--vectors-up-to skip it.`,
    )
    .action(async (flags: ScaleFlags) => {
      if (flags.json) checkOutputFolder(flags.json, "--json");
      const report = await runScaleBench({
        sizes: flags.sizes,
        queries: flags.queries,
        durability: flags.durability,
        seed: flags.seed,
        version: packageVersion(),
        commit: currentCommit(),
        vectors: flags.vectorsUpTo > 0 ? { upTo: flags.vectorsUpTo, dimensions: flags.dimensions } : undefined,
        onProgress: reportProgress,
      });
      console.log(formatScaleReport(report));
      if (flags.json) writeJsonReport(flags.json, report);
    });
}

/** "10000,100000" → [10000, 100000], deduplicated and smallest first; anything else is a usage error. */
export function parseSizes(value: string): number[] {
  const items = value.split(",").map((item) => item.trim());
  const sizes = items.map((item) => {
    const size = /^\d+$/.test(item) ? Number(item) : Number.NaN;
    if (!Number.isSafeInteger(size) || size < 1 || size > MAX_SIZE) {
      throw new InvalidArgumentError(
        `--sizes must be a comma-separated list of whole numbers from 1 to ${formatCount(MAX_SIZE)}, e.g. 10000,100000; ${item === "" ? "an empty item" : `"${item}"`} is not one.`,
      );
    }
    return size;
  });
  return [...new Set(sizes)].sort((a, b) => a - b);
}

function reportProgress(progress: ScaleProgress): void {
  const done = progress.done === progress.total;
  const figures = progress.phase === "vectors" ? (done ? "done" : "building indexes…") : `${formatCount(progress.done)}/${formatCount(progress.total)}`;
  // Padded so a shorter line fully covers the one it overwrites.
  process.stderr.write(`\r${`${formatCount(progress.memories)} memories: ${progress.phase} ${figures}`.padEnd(48)}${done ? "\n" : ""}`);
}
