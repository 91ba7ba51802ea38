// Runs every *.test.ts under src/ and test/ with node's test runner (Node 20 has no --test globs).
// Usage: node scripts/run-tests.mjs [--test-… flags for node's runner] [part of a file path]
import { spawnSync } from "node:child_process";
import { readdirSync } from "node:fs";
import { availableParallelism } from "node:os";
import { join } from "node:path";

function findTests(directory) {
  return readdirSync(directory, { withFileTypes: true }).flatMap((entry) => {
    const path = join(directory, entry.name);
    if (entry.isDirectory()) return findTests(path);
    return entry.name.endsWith(".test.ts") ? [path] : [];
  });
}

const flags = process.argv.slice(2).filter((argument) => argument.startsWith("--"));
const filter = process.argv.slice(2).find((argument) => !argument.startsWith("--"));
// Node 20 starts the files in the order of their absolute paths, whatever the order given here.
const files = ["src", "test", "bench"].flatMap(findTests).filter((file) => !filter || file.includes(filter)).sort();
if (files.length === 0) {
  console.error(`No test files match ${filter ?? "src/ test/ bench/"}.`);
  process.exit(1);
}
// Node runs one file at a time where it sees 2 cores (its default is one fewer than the cores), yet a file's
// process mostly waits on what it started (the CLI tests' mnemo runs, servers, the disk): two at a time use both.
// A --test-concurrency flag given here wins (node reads the last one).
const concurrency = Math.max(2, availableParallelism() - 1);
const result = spawnSync(process.execPath, ["--import", "tsx", "--test", "--test-reporter=spec", `--test-concurrency=${concurrency}`, ...flags, ...files], {
  stdio: "inherit",
});
process.exit(result.status ?? 1);
