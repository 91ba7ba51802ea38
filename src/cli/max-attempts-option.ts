import { Option } from "commander";
import { integerOption } from "./integer-option.js";

/** `--max-attempts <n>`, for the commands that run extraction jobs. */
export function maxAttemptsOption(): Option {
  return new Option("--max-attempts <n>", "a failing extraction job is dead after this many tries in all (default: 4)").argParser(integerOption("--max-attempts", { min: 1, max: 100 }));
}
