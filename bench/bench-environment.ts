import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

/** The repository (or installed package) root, found from this file whether it runs from src or dist. */
export function packageRoot(): string {
  let directory = dirname(fileURLToPath(import.meta.url));
  for (let depth = 0; depth < 5; depth += 1) {
    try {
      const manifest = JSON.parse(readFileSync(join(directory, "package.json"), "utf8")) as { name?: string };
      if (manifest.name === "mnemo") return directory;
    } catch {
      // no package.json here: keep climbing
    }
    directory = dirname(directory);
  }
  throw new Error("Cannot find mnemo's package.json above the bench code.");
}

export function packageVersion(): string {
  return (JSON.parse(readFileSync(join(packageRoot(), "package.json"), "utf8")) as { version: string }).version;
}

/** The commit the bench ran on, so figures can be traced; "unknown" outside a git checkout. */
export function currentCommit(): string {
  try {
    const commit = execFileSync("git", ["rev-parse", "--short", "HEAD"], { cwd: packageRoot(), stdio: ["ignore", "pipe", "ignore"] }).toString().trim();
    const dirty = execFileSync("git", ["status", "--porcelain", "--untracked-files=no"], { cwd: packageRoot(), stdio: ["ignore", "pipe", "ignore"] }).toString().trim();
    return dirty === "" ? commit : `${commit}+dirty`;
  } catch {
    return "unknown";
  }
}

/** Where the shared LoCoMo copy sits beside a checkout (../shared/bench-data/locomo/locomo10.json). */
export function defaultLocomoPath(): string {
  return resolve(packageRoot(), "..", "shared", "bench-data", "locomo", "locomo10.json");
}
