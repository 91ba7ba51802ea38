import type { Command } from "commander";
import { currentCommit, defaultLocomoPath, packageVersion } from "../../../bench/bench-environment.js";
import { convertLocomo } from "../../../bench/locomo/convert-locomo.js";
import { formatServerReport, runServerBench } from "../../../bench/server/run-server-bench.js";
import { checkOutputFolder, writeJsonReport } from "../check-output-folder.js";
import { integerOption } from "../integer-option.js";
import { readJsonFile } from "../read-bench-data.js";

interface ServerFlags {
  duration: number;
  connections: number;
  json?: string;
}

/** `mnemo bench server`: recall and ingest requests per second and latency over HTTP on loopback. */
export function registerBenchServerCommand(bench: Command): void {
  bench
    .command("server")
    .description("The HTTP API on loopback: recall and ingest requests/s and p99 latency (autocannon, bounded in time)")
    .argument("[path]", "locomo10.json: the conversations seeded and the questions asked", defaultLocomoPath())
    .option("--duration <seconds>", "load per phase", integerOption("--duration", { min: 1, max: 3_600 }), 10)
    .option("--connections <n>", "keep-alive connections, one request in flight on each", integerOption("--connections", { min: 1, max: 1_000 }), 10)
    .option("--json <path>", "also write the figures as JSON here")
    .addHelpText(
      "after",
      `
The server runs in a child process with the settings of mnemo serve, except that the rate limit is off;
the load comes from this process. Recall asks the dataset's questions in turn; ingest sends a new event
per request. Errors count non-2xx replies, socket errors and timeouts.`,
    )
    .action(async (path: string, flags: ServerFlags) => {
      if (flags.json) checkOutputFolder(flags.json, "--json");
      const cases = convertLocomo(readJsonFile(path, "Pass the path of locomo10.json: mnemo bench server <path>."));
      const report = await runServerBench({ cases, durationSeconds: flags.duration, connections: flags.connections, version: packageVersion(), commit: currentCommit() });
      console.log(formatServerReport(report));
      if (flags.json) writeJsonReport(flags.json, report);
    });
}
