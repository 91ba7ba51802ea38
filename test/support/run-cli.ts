import { spawn, spawnSync, type ChildProcessWithoutNullStreams } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import type { BenchCase } from "../../bench/neutral-format.js";
import type { MemoryStats } from "../../src/domain/types.js";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));
/** Where each test process builds the CLI: inside node_modules, whose packages its imports resolve to, 5 folders below package.json. */
const CACHE = join(ROOT, "node_modules", ".cache");
const BUILD_PREFIX = "mnemo-cli-";

/** The part of esbuild's API used here. esbuild is tsx's own dependency, loaded from where tsx finds it: the same version. */
interface Esbuild {
  transformSync: (code: string, options: Record<string, unknown>) => { code: string };
}

/** The modules the CLI may load, or start as a process of its own (bench/server/server-child.ts): all but tests and fixtures. */
function sources(directory: string): string[] {
  return readdirSync(directory, { withFileTypes: true }).flatMap((entry) => {
    const path = join(directory, entry.name);
    if (entry.isDirectory()) return entry.name === "__fixtures__" ? [] : sources(path);
    return entry.name.endsWith(".ts") && !entry.name.endsWith(".test.ts") && !entry.name.endsWith(".d.ts") ? [path] : [];
  });
}

/** Removes the builds of test processes that are gone (killed before their exit handler ran). */
function removeAbandonedBuilds(): void {
  for (const name of readdirSync(CACHE)) {
    const pid = Number(new RegExp(`^${BUILD_PREFIX}(\\d+)-`).exec(name)?.[1]);
    if (!pid || pid === process.pid) continue;
    try {
      process.kill(pid, 0);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === "ESRCH") rmSync(join(CACHE, name), { recursive: true, force: true });
    }
  }
}

let builtMain: string | undefined;

/**
 * The CLI's entry point as plain JavaScript, built on first use in this test process: each .ts file of src/ and
 * bench/ as it is now, transformed on its own by the esbuild tsx uses, with tsx's settings (tsconfig.json, the
 * running node as target, names kept, inline source maps), laid out as in dist/ (src/cli/main.js, …). Each
 * module is the one `node --import tsx src/cli/main.ts` would run, and, as under tsx, a file that does not compile
 * (someone's work in progress) fails only the runs that import it. A `mnemo` child then starts without tsx's loader thread and esbuild service, about
 * 0.6 s of CPU instead of 1.6 s, for each of the few hundred CLI runs of the suite. The build takes a few tenths of
 * a second; it is private to this process, so that concurrent test files and runs never share a half-written one,
 * and it is removed at exit.
 */
function cliMain(): string {
  if (builtMain) return builtMain;
  const esbuild = createRequire(import.meta.resolve("tsx"))("esbuild") as Esbuild;
  const tsconfigRaw = readFileSync(join(ROOT, "tsconfig.json"), "utf8");
  mkdirSync(CACHE, { recursive: true });
  removeAbandonedBuilds();
  const outdir = mkdtempSync(join(CACHE, `${BUILD_PREFIX}${process.pid}-`));
  process.on("exit", () => rmSync(outdir, { recursive: true, force: true }));
  for (const file of ["src", "bench"].flatMap((folder) => sources(join(ROOT, folder)))) {
    const target = join(outdir, relative(ROOT, file)).replace(/\.ts$/, ".js");
    const options = { loader: "ts", format: "esm", platform: "node", target: `node${process.versions.node}`, keepNames: true, sourcemap: "inline", sourcefile: file, tsconfigRaw };
    try {
      const { code } = esbuild.transformSync(readFileSync(file, "utf8"), options);
      mkdirSync(dirname(target), { recursive: true });
      writeFileSync(target, code);
    } catch (error) {
      // Left out: a CLI run that imports it fails with "Cannot find module …", and this says why.
      console.warn(`run-cli: ${relative(ROOT, file)} does not compile, so the CLI cannot import it: ${(error as Error).message}`);
    }
  }
  // Outside a package of type module, node would read the .js files as CommonJS.
  writeFileSync(join(outdir, "package.json"), '{ "type": "module", "private": true }\n');
  builtMain = join(outdir, "src", "cli", "main.js");
  return builtMain;
}

/** The node arguments that run `mnemo <args>`, with source maps on as under tsx: a stack trace names the .ts lines. */
function cliArgv(args: readonly string[]): string[] {
  return ["--enable-source-maps", cliMain(), ...args];
}

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
  run: (args: readonly string[], options?: RunOptions) => CliRun;
  /** `run` without blocking this process, for commands that talk to a server the test runs in process. */
  runAsync: (args: readonly string[], options?: RunOptions) => Promise<CliRun>;
  /** Writes a file into the sandbox and returns its path. */
  write: (name: string, content: string) => string;
  /** `mnemo stats --json`, parsed. */
  stats: () => MemoryStats;
  remove: () => void;
}

export interface RunOptions {
  env?: Record<string, string>;
  withoutDb?: boolean;
}

export function cliSandbox(): CliSandbox {
  const directory = mkdtempSync(join(tmpdir(), "mnemo-cli-"));
  const db = join(directory, "test.db");
  /** The command line and environment of one run: settings from the caller's shell never leak in. */
  const invocation = (args: readonly string[], options: RunOptions): { argv: string[]; env: NodeJS.ProcessEnv } => {
    // A database, an embedder or debug output set in the caller's shell would change what every command does.
    const env: NodeJS.ProcessEnv = { ...process.env, ...options.env };
    for (const name of Object.keys(env)) if (name.startsWith("MNEMO_") && !options.env?.[name]) delete env[name];
    return { argv: cliArgv([...args, ...(options.withoutDb ? [] : ["--db", db])]), env };
  };
  const run: CliSandbox["run"] = (args, options = {}) => {
    const { argv, env } = invocation(args, options);
    const result = spawnSync(process.execPath, argv, { cwd: directory, env, encoding: "utf8" });
    return { status: result.status, stdout: result.stdout, stderr: result.stderr };
  };
  const runAsync: CliSandbox["runAsync"] = (args, options = {}) => {
    const { argv, env } = invocation(args, options);
    return new Promise((resolve, reject) => {
      const child = spawn(process.execPath, argv, { cwd: directory, env });
      let stdout = "";
      let stderr = "";
      child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString("utf8")));
      child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString("utf8")));
      child.on("error", reject);
      child.on("close", (status) => resolve({ status, stdout, stderr }));
    });
  };
  return {
    directory,
    db,
    run,
    runAsync,
    write: (name, content) => {
      const path = join(directory, name);
      writeFileSync(path, content);
      return path;
    },
    stats: () => {
      const result = run(["stats", "--json"]);
      if (result.status !== 0) throw new Error(`mnemo stats failed (${result.status}): ${result.stderr}`);
      return JSON.parse(result.stdout) as MemoryStats;
    },
    remove: () => rmSync(directory, { recursive: true, force: true }),
  };
}

/** A small case in the bench's neutral format: two sessions, one question. */
export const TINY_NEUTRAL_CASE: BenchCase = {
  id: "case-1",
  sessions: [
    { id: "s1", date: "2023-05-08T13:56:00Z", turns: [{ id: "D1:1", speaker: "Caroline", text: "I went to the pottery class yesterday." }, { id: "D1:2", speaker: "Melanie", text: "Nice! What did you make?" }] },
    { id: "s2", date: "2023-06-01T10:00:00Z", turns: [{ id: "D2:1", speaker: "Caroline", text: "I made a blue vase for my mum." }] },
  ],
  questions: [{ id: "q1", question: "What did Caroline make?", evidence: ["D2:1"] }],
};

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

/** `mnemo <args>` on the sandbox database, as a child to signal; MNEMO_* settings of the caller's shell stay out. */
export function spawnCli(sandbox: CliSandbox, args: readonly string[]): ChildProcessWithoutNullStreams {
  const env = Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.startsWith("MNEMO_")));
  return spawn(process.execPath, cliArgv([...args, "--db", sandbox.db]), { cwd: sandbox.directory, env });
}

/** Everything the child wrote to `stream` once it matches `pattern`; fails if the child exits first. */
export async function output(child: ChildProcessWithoutNullStreams, stream: "stdout" | "stderr", pattern: RegExp): Promise<string> {
  let text = "";
  return new Promise((resolve, reject) => {
    const onData = (chunk: Buffer): void => {
      text += chunk.toString("utf8");
      if (pattern.test(text)) {
        child[stream].off("data", onData);
        child.off("close", onClose);
        resolve(text);
      }
    };
    const onClose = (status: number | null): void => reject(new Error(`mnemo exited (${status}) before its ${stream} matched ${pattern}: ${text}`));
    child[stream].on("data", onData);
    child.on("close", onClose);
  });
}
