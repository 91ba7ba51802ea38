import type { Command } from "commander";
import { currentCommit, defaultLocomoPath, packageVersion } from "../../../bench/bench-environment.js";
import { formatLlmReport, runLlmBench } from "../../../bench/llm/run-llm-bench.js";
import { convertLocomo } from "../../../bench/locomo/convert-locomo.js";
import { parseBenchCases } from "../../../bench/neutral-format.js";
import { checkOutputFolder, writeJsonReport } from "../check-output-folder.js";
import { integerOption } from "../integer-option.js";
import { readJsonFile, readTextFile } from "../read-bench-data.js";

interface LlmFlags {
  turns: number;
  batchSize: number;
  slowMs: number;
  json?: string;
}

/** `mnemo bench llm`: model calls and tokens per 1,000 turns, and ingest latency with a slow model. */
export function registerBenchLlmCommand(bench: Command): void {
  bench
    .command("llm")
    .description("The write path with a language model (a scripted OpenAI-format server on 127.0.0.1): calls and tokens per 1,000 turns, ingest p95 with and without a slow model")
    .argument("[path]", "locomo10.json, or a neutral .jsonl dataset", defaultLocomoPath())
    .option("--turns <n>", "ingest whole sessions up to this many turns", integerOption("--turns", { min: 1, max: 1_000_000 }), 2_000)
    .option("--batch-size <n>", "turns per extraction call", integerOption("--batch-size", { min: 1, max: 1_000 }), 20)
    .option("--slow-ms <ms>", "how long the model takes per call", integerOption("--slow-ms", { min: 0, max: 60_000 }), 200)
    .option("--json <path>", "also write the figures as JSON here")
    .action(async (path: string, flags: LlmFlags) => {
      if (flags.json) checkOutputFolder(flags.json, "--json");
      const cases = path.endsWith(".jsonl") ? parseBenchCases(readTextFile(path)) : convertLocomo(readJsonFile(path, "Pass the path of locomo10.json: mnemo bench llm <path>."));
      const report = await runLlmBench(cases, { maxTurns: flags.turns, batchSize: flags.batchSize, slowMs: flags.slowMs, version: packageVersion(), commit: currentCommit() });
      console.log(formatLlmReport(report));
      if (flags.json) writeJsonReport(flags.json, report);
    });
}
