import { invalidInput } from "../domain/memory-error.js";
import { isPlainObject, rejectUnknownFields, requireInteger } from "../domain/validate.js";
import type { GeneratorWeights, RecallTuning } from "../engine.js";
import { DEFAULT_FUSION_K } from "./fuse-rankings.js";
import { DEFAULT_NEIGHBOUR_SPREADING, type NeighbourSpreading } from "./spread-to-neighbours.js";

export interface RecallTuningOptions {
  /**
   * Matches lend weight to the turns around them in their session; `false` turns it off.
   * @default { radius: 3, decay: 0.5 }
   */
  neighbours?: false | Partial<NeighbourSpreading>;
  /**
   * How much each candidate generator's ranking counts when rankings are fused; `false` or 0 turns one
   * off. `vector` takes part only when an embedder is configured.
   * @default { text: 1, sessions: 0, feedback: 0, graph: 0, time: 1, vector: 1 }
   */
  generators?: { [name in keyof GeneratorWeights]?: number | false };
  /** Reciprocal-rank fusion's k: larger flattens the advantage of top ranks. @default 60 */
  fusionK?: number;
}

/**
 * Sessions, feedback and the keyword graph are off by default: on LoCoMo each lowered evidence recall at
 * 2,000 tokens (0.858 with the defaults; with sessions 0.845, or 0.855 at weight 0.5; with feedback
 * 0.845, or 0.854 at 0.3; with the graph 0.847); feedback and the graph also raised recall p95 (10.5 →
 * 19.0 and 13.7 ms). They stay available for collections where they help.
 */
export const DEFAULT_GENERATOR_WEIGHTS: GeneratorWeights = { text: 1, sessions: 0, feedback: 0, graph: 0, time: 1, vector: 1 };
const GENERATORS = Object.keys(DEFAULT_GENERATOR_WEIGHTS) as (keyof GeneratorWeights)[];

/** The read path's tuning from `createMemory({ recall })`; every part is on by default. */
export function validateRecallTuning(options: RecallTuningOptions | undefined): RecallTuning {
  const tuning: RecallTuning = { neighbours: DEFAULT_NEIGHBOUR_SPREADING, weights: { ...DEFAULT_GENERATOR_WEIGHTS }, fusionK: DEFAULT_FUSION_K };
  if (options === undefined) return tuning;
  if (!isPlainObject(options as unknown)) throw invalidInput("options.recall", "must be an object such as { neighbours: false }.");
  rejectUnknownFields(options, ["neighbours", "generators", "fusionK"], "options.recall");
  if (options.neighbours !== undefined) tuning.neighbours = validateNeighbours(options.neighbours);
  if (options.fusionK !== undefined) tuning.fusionK = requireInteger(options.fusionK, "options.recall.fusionK", { min: 1, max: 10_000 });
  const generators = options.generators;
  if (generators !== undefined) {
    if (!isPlainObject(generators as unknown)) throw invalidInput("options.recall.generators", `must be an object such as { time: false } (generators: ${GENERATORS.join(", ")}).`);
    rejectUnknownFields(generators, GENERATORS, "options.recall.generators");
    for (const name of GENERATORS) {
      const weight = generators[name];
      if (weight === undefined) continue;
      if (weight !== false && (typeof weight !== "number" || !(weight >= 0 && weight <= 100))) {
        throw invalidInput(`options.recall.generators.${name}`, `must be false or a weight from 0 to 100, got ${String(weight)}.`);
      }
      tuning.weights[name] = weight === false ? 0 : weight;
    }
  }
  return tuning;
}

function validateNeighbours(neighbours: false | Partial<NeighbourSpreading>): NeighbourSpreading | null {
  if (neighbours === false) return null;
  if (!isPlainObject(neighbours as unknown)) throw invalidInput("options.recall.neighbours", "must be false or { radius?, decay? }.");
  rejectUnknownFields(neighbours, ["radius", "decay"], "options.recall.neighbours");
  const decay = neighbours.decay ?? DEFAULT_NEIGHBOUR_SPREADING.decay;
  if (typeof decay !== "number" || !(decay >= 0 && decay <= 1)) throw invalidInput("options.recall.neighbours.decay", `must be a number from 0 to 1, got ${String(decay)}.`);
  return {
    radius: requireInteger(neighbours.radius ?? DEFAULT_NEIGHBOUR_SPREADING.radius, "options.recall.neighbours.radius", { min: 0, max: 50 }),
    decay,
  };
}
