import { readFileSync, writeFileSync } from "node:fs";
import { Command, Option } from "commander";
import { currentCommit, defaultLocomoPath, packageVersion } from "../../../bench/bench-environment.js";
import { convertLocomo } from "../../../bench/locomo/convert-locomo.js";
import { parseBenchCases, type BenchCase } from "../../../bench/neutral-format.js";
import { formatQualityReport, type QualityReport } from "../../../bench/quality-report.js";
import { runQualityBench } from "../../../bench/run-quality-bench.js";

interface QualityFlags {
  json?: string;
  durability: "full" | "normal";
  /** False with --no-neighbours. */
  neighbours: boolean;
}

/** `mnemo bench …`: the benchmarks of BENCHMARKS.md, printed as tables and written as JSON. */
export function registerBenchCommand(program: Command): void {
  const bench = program.command("bench").description("Run the benchmarks (see BENCHMARKS.md)");
  const durability = new Option("--durability <mode>", "SQLite durability while ingesting").choices(["full", "normal"]).default("full");

  bench
    .command("locomo")
    .description("Evidence recall and speed on LoCoMo (locomo10.json)")
    .argument("[path]", "locomo10.json", defaultLocomoPath())
    .option("--json <path>", "also write the figures as JSON here")
    .option("--no-neighbours", "ablation: recall without spreading matches to neighbouring turns")
    .addOption(durability)
    .action(async (path: string, flags: QualityFlags) => {
      const cases = convertLocomo(readJson(path, "Pass the path of locomo10.json: mnemo bench locomo <path>."));
      await runAndReport(cases, "locomo10", flags);
    });

  bench
    .command("run")
    .description("Evidence recall and speed on a dataset in the neutral JSONL format")
    .argument("<file>", "a .jsonl file, one case per line")
    .option("--json <path>", "also write the figures as JSON here")
    .option("--no-neighbours", "ablation: recall without spreading matches to neighbouring turns")
    .addOption(durability)
    .action(async (file: string, flags: QualityFlags) => {
      const cases = parseBenchCases(readText(file));
      await runAndReport(cases, file.replace(/^.*\//, "").replace(/\.jsonl$/, ""), flags);
    });

  bench
    .command("convert-locomo")
    .description("Write LoCoMo in the neutral JSONL format, so `bench run` gives the same figures as `bench locomo`")
    .argument("<in>", "locomo10.json")
    .argument("<out>", "the .jsonl file to write")
    .action((input: string, output: string) => {
      const cases = convertLocomo(readJson(input, "Pass the path of locomo10.json."));
      writeFileSync(output, cases.map((benchCase) => JSON.stringify(benchCase)).join("\n") + "\n");
      const questions = cases.reduce((sum, benchCase) => sum + benchCase.questions.length, 0);
      console.log(`wrote ${cases.length} cases, ${questions} questions to ${output}`);
    });
}

async function runAndReport(cases: BenchCase[], dataset: string, flags: QualityFlags): Promise<void> {
  if (cases.length === 0) throw new Error("The dataset has no cases: nothing to measure.");
  const report: QualityReport = await runQualityBench(cases, {
    dataset,
    version: packageVersion(),
    commit: currentCommit(),
    durability: flags.durability,
    recall: flags.neighbours ? {} : { neighbours: false },
    onCase: (done, total) => process.stderr.write(`\rcase ${done}/${total}${done === total ? "\n" : ""}`),
  });
  console.log(formatQualityReport(report));
  if (flags.json) {
    writeFileSync(flags.json, JSON.stringify(report, null, 2) + "\n");
    console.log(`\nwrote ${flags.json}`);
  }
}

function readText(path: string): string {
  try {
    return readFileSync(path, "utf8");
  } catch (error) {
    throw new Error(`Cannot read ${path}: ${(error as Error).message}`, { cause: error });
  }
}

function readJson(path: string, hint: string): unknown {
  const text = readText(path);
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new Error(`${path} is not valid JSON (${(error as Error).message}). ${hint}`, { cause: error });
  }
}
