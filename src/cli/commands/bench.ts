import type { Command } from "commander";

/** `mnemo bench …`: filled in with the bench runners. */
export function registerBenchCommand(program: Command): void {
  program.command("bench").description("Run the benchmarks (see BENCHMARKS.md)");
}
