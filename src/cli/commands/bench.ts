import { writeFileSync } from "node:fs";
import { Command, InvalidArgumentError, Option } from "commander";
import { currentCommit, defaultLocomoPath, packageVersion } from "../../../bench/bench-environment.js";
import { convertLocomo } from "../../../bench/locomo/convert-locomo.js";
import { parseBenchCases, type BenchCase } from "../../../bench/neutral-format.js";
import { ABLATION_PARTS, formatAblation, type AblationPart, type AblationRun } from "../../../bench/ablation-report.js";
import { formatQualityReport } from "../../../bench/quality-report.js";
import { runQualityBench } from "../../../bench/run-quality-bench.js";
import type { Embedder } from "../../providers/embedder.js";
import { DEFAULT_GENERATOR_WEIGHTS } from "../../recall/recall-tuning.js";
import { embedderFromEnvironment } from "../embedder-from-environment.js";
import { llmFromEnvironment } from "../llm-from-environment.js";
import { readJsonFile, readTextFile } from "../read-bench-data.js";
import { checkOutputFolder, writeJsonReport } from "../check-output-folder.js";
import { registerBenchFeedCommand } from "./bench-feed.js";
import { registerBenchLlmCommand } from "./bench-llm.js";
import { registerBenchScaleCommand } from "./bench-scale.js";
import { registerBenchServerCommand } from "./bench-server.js";

interface QualityFlags {
  json?: string;
  durability: "full" | "normal";
  /** False with --no-neighbours. */
  neighbours: boolean;
  without?: AblationPart[];
  weights?: Partial<Record<WeightedGenerator, number>>;
  ablation?: boolean;
}

const WEIGHTED_GENERATORS = ["text", "sessions", "feedback", "graph", "time"] as const;
type WeightedGenerator = (typeof WEIGHTED_GENERATORS)[number];

/** `mnemo bench …`: the benchmarks of BENCHMARKS.md, printed as tables and written as JSON. */
export function registerBenchCommand(program: Command): void {
  const bench = program.command("bench").description("Run the benchmarks (see BENCHMARKS.md)");
  const qualityOptions = (command: Command): Command =>
    command
      .option("--json <path>", "also write the figures as JSON here")
      .option("--no-neighbours", "ablation: recall without spreading matches to neighbouring turns (same as --without neighbours)")
      .option("--without <parts>", `turn these read-path parts off (comma-separated: ${ABLATION_PARTS.join(", ")})`, parseParts)
      .option("--weights <list>", `fusion weights of the generators, e.g. feedback=0.5,time=1 (${WEIGHTED_GENERATORS.join(", ")}; default 1 each)`, parseWeights)
      .option("--ablation", "run once as configured, then once with each part switched (off if on, on if off), and print the differences")
      .addOption(new Option("--durability <mode>", "SQLite durability while ingesting").choices(["full", "normal"]).default("full"));

  qualityOptions(
    bench.command("locomo").description("Evidence recall and speed on LoCoMo (locomo10.json)").argument("[path]", "locomo10.json", defaultLocomoPath()),
  ).action(async (path: string, flags: QualityFlags) => {
      const cases = convertLocomo(readJsonFile(path, "Pass the path of locomo10.json: mnemo bench locomo <path>."));
      await runAndReport(cases, "locomo10", flags);
    });

  qualityOptions(
    bench.command("run").description("Evidence recall and speed on a dataset in the neutral JSONL format").argument("<file>", "a .jsonl file, one case per line"),
  ).action(async (file: string, flags: QualityFlags) => {
      const cases = parseBenchCases(readTextFile(file));
      await runAndReport(cases, file.replace(/^.*\//, "").replace(/\.jsonl$/, ""), flags);
    });

  bench
    .command("convert-locomo")
    .description("Write LoCoMo in the neutral JSONL format, so `bench run` gives the same figures as `bench locomo`")
    .argument("<in>", "locomo10.json")
    .argument("<out>", "the .jsonl file to write")
    .action((input: string, output: string) => {
      const cases = convertLocomo(readJsonFile(input, "Pass the path of locomo10.json."));
      writeFileSync(output, cases.map((benchCase) => JSON.stringify(benchCase)).join("\n") + "\n");
      const questions = cases.reduce((sum, benchCase) => sum + benchCase.questions.length, 0);
      console.log(`wrote ${cases.length} cases, ${questions} questions to ${output}`);
    });

  registerBenchScaleCommand(bench);
  registerBenchLlmCommand(bench);
  registerBenchFeedCommand(bench);
  registerBenchServerCommand(bench);
}

async function runAndReport(cases: BenchCase[], dataset: string, flags: QualityFlags): Promise<void> {
  if (cases.length === 0) throw new Error("The dataset has no cases: nothing to measure.");
  if (flags.json) checkOutputFolder(flags.json, "--json");
  // Semantic recall is measured when the MNEMO_EMBEDDER_* variables configure an embedder, as for every command.
  const embedder = embedderFromEnvironment();
  // Checked like every command's (a malformed setup is an error), but the quality bench has no way yet
  // to extract with a model: say so rather than let the figures pass for a run with one.
  const llm = llmFromEnvironment();
  if (llm !== undefined) console.error(`note: MNEMO_LLM_* is set, but mnemo bench does not extract with a model yet; ${llm.name} is not used (the report says llm "none").`);
  const base = baseConfiguration(flags, embedder);
  const variants: Configuration[] = [base];
  if (flags.ablation) {
    // Without an embedder there is no vector search to switch on.
    for (const part of ABLATION_PARTS.filter((name) => name !== "vector" || embedder !== undefined)) {
      const on = isOn(base, part);
      variants.push({ ...switchPart(base, part, !on, embedder), label: `${on ? "without" : "with"} ${part}` });
    }
  }
  const runs: AblationRun[] = [];
  for (const configuration of variants) {
    if (flags.ablation) console.error(configuration.label);
    const report = await runQualityBench(cases, {
      dataset,
      version: packageVersion(),
      commit: currentCommit(),
      durability: flags.durability,
      recall: { ...(configuration.neighbours ? {} : { neighbours: false }), generators: configuration.weights },
      ...(configuration.embedder === undefined ? {} : { embedder: configuration.embedder }),
      onCase: (done, total) => process.stderr.write(`\rcase ${done}/${total}${done === total ? "\n" : ""}`),
    });
    runs.push({ label: configuration.label, report });
    if (!flags.ablation) console.log(formatQualityReport(report));
  }
  if (flags.ablation) console.log(formatAblation(runs));
  if (flags.json) {
    const json = flags.ablation ? { dataset, ablation: runs.map((run) => ({ configuration: run.label, ...run.report })) } : runs[0]!.report;
    writeJsonReport(flags.json, json);
  }
}

/** One configuration of the read path, as the bench switches it. */
interface Configuration {
  label: string;
  neighbours: boolean;
  weights: Record<WeightedGenerator, number>;
  /** Vector search is on when there is an embedder; a run without it does not embed at all. */
  embedder: Embedder | undefined;
}

/** The library's defaults, changed by --weights, --without and --no-neighbours. */
function baseConfiguration(flags: QualityFlags, embedder: Embedder | undefined): Configuration {
  const without = new Set(flags.without ?? []);
  const weights = Object.fromEntries(
    WEIGHTED_GENERATORS.map((name) => [name, without.has(name) ? 0 : (flags.weights?.[name] ?? DEFAULT_GENERATOR_WEIGHTS[name])]),
  ) as Record<WeightedGenerator, number>;
  const changed = [...without, ...(flags.neighbours ? [] : ["neighbours"])];
  return {
    label: changed.length === 0 ? "defaults" : `defaults without ${[...new Set(changed)].join(", ")}`,
    neighbours: flags.neighbours && !without.has("neighbours"),
    weights,
    embedder: without.has("vector") ? undefined : embedder,
  };
}

function isOn(configuration: Configuration, part: AblationPart): boolean {
  if (part === "vector") return configuration.embedder !== undefined;
  return part === "neighbours" ? configuration.neighbours : configuration.weights[part] > 0;
}

/** Switching vector search on needs the environment's embedder: the ablation offers it only then. */
function switchPart(configuration: Configuration, part: AblationPart, on: boolean, embedder: Embedder | undefined): Configuration {
  if (part === "vector") return { ...configuration, embedder: on ? embedder : undefined };
  if (part === "neighbours") return { ...configuration, neighbours: on };
  return { ...configuration, weights: { ...configuration.weights, [part]: on ? 1 : 0 } };
}

function parseWeights(value: string): Partial<Record<WeightedGenerator, number>> {
  const weights: Partial<Record<WeightedGenerator, number>> = {};
  for (const pair of value.split(",")) {
    const [name = "", weight = ""] = pair.split("=").map((part) => part.trim());
    const number = Number(weight);
    if (!(WEIGHTED_GENERATORS as readonly string[]).includes(name) || weight === "" || !(number >= 0 && number <= 100)) {
      throw new InvalidArgumentError(`"${pair}" is not name=weight with a name among ${WEIGHTED_GENERATORS.join(", ")} and a weight from 0 to 100, e.g. feedback=0.5.`);
    }
    weights[name as WeightedGenerator] = number;
  }
  return weights;
}

function parseParts(value: string): AblationPart[] {
  const parts = value.split(",").map((part) => part.trim()).filter((part) => part !== "");
  const unknown = parts.filter((part) => !(ABLATION_PARTS as readonly string[]).includes(part));
  if (unknown.length > 0 || parts.length === 0) {
    throw new InvalidArgumentError(`"${value}" names ${unknown.length > 0 ? `unknown parts (${unknown.join(", ")})` : "no parts"}. Use a comma-separated list of: ${ABLATION_PARTS.join(", ")}.`);
  }
  return [...new Set(parts)] as AblationPart[];
}
