import { execFileSync } from "node:child_process";
import { resolve } from "node:path";
import { packageRoot } from "../src/cli/package-root.js";

export { packageVersion } from "../src/cli/package-root.js";

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
