import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const TSX = import.meta.resolve("tsx");
const MAIN = fileURLToPath(new URL("../../src/cli/main.ts", import.meta.url));

export interface CliRun {
  status: number | null;
  stdout: string;
  stderr: string;
}

/** A temp folder to run the CLI in, with a database path inside it. */
export interface CliSandbox {
  directory: string;
  db: string;
  /** Runs `mnemo <args>` as a real process, in the sandbox, with `--db` pointing at the sandbox database. */
  run: (args: readonly string[], options?: { env?: Record<string, string>; withoutDb?: boolean }) => CliRun;
  /** Writes a file into the sandbox and returns its path. */
  write: (name: string, content: string) => string;
  /** `mnemo stats --json`, parsed. */
  stats: () => { events: number; memories: number; spaces: number; store: Record<string, unknown> };
  remove: () => void;
}

export function cliSandbox(): CliSandbox {
  const directory = mkdtempSync(join(tmpdir(), "mnemo-cli-"));
  const db = join(directory, "test.db");
  const run: CliSandbox["run"] = (args, options = {}) => {
    const env: NodeJS.ProcessEnv = { ...process.env, ...options.env };
    delete env["MNEMO_DEBUG"];
    if (!options.env?.["MNEMO_DB"]) delete env["MNEMO_DB"];
    // An embedder configured in the caller's shell would change what every command does.
    for (const name of Object.keys(env)) if (name.startsWith("MNEMO_EMBEDDER_") && !options.env?.[name]) delete env[name];
    const result = spawnSync(process.execPath, ["--import", TSX, MAIN, ...args, ...(options.withoutDb ? [] : ["--db", db])], {
      cwd: directory,
      env,
      encoding: "utf8",
    });
    return { status: result.status, stdout: result.stdout, stderr: result.stderr };
  };
  return {
    directory,
    db,
    run,
    write: (name, content) => {
      const path = join(directory, name);
      writeFileSync(path, content);
      return path;
    },
    stats: () => {
      const result = run(["stats", "--json"]);
      if (result.status !== 0) throw new Error(`mnemo stats failed (${result.status}): ${result.stderr}`);
      return JSON.parse(result.stdout) as ReturnType<CliSandbox["stats"]>;
    },
    remove: () => rmSync(directory, { recursive: true, force: true }),
  };
}

/** JSONL text: one JSON value per line. */
export function jsonl(values: readonly unknown[]): string {
  return values.map((value) => JSON.stringify(value)).join("\n") + "\n";
}

/** The value printed after a summary label such as "inserted", as a number ("1,234" reads as 1234). */
export function summaryFigure(stdout: string, label: string): number {
  const match = new RegExp(`^\\s+${label}\\s+([\\d,]+)`, "m").exec(stdout);
  if (!match) throw new Error(`No "${label}" line in:\n${stdout}`);
  return Number(match[1]!.replace(/,/g, ""));
}
