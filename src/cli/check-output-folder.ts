import { existsSync, writeFileSync } from "node:fs";
import { dirname, resolve } from "node:path";

/** Fails before a long run, not after it, when the file a flag names could not be written. */
export function checkOutputFolder(path: string, flag: string): void {
  const folder = dirname(resolve(path));
  if (!existsSync(folder)) throw new Error(`Cannot write ${flag} ${path}: the folder ${folder} does not exist. Create it or pick another path.`);
}

/** Writes a bench's figures as JSON to the path its --json flag named, and says so. */
export function writeJsonReport(path: string, report: unknown): void {
  writeFileSync(path, JSON.stringify(report, null, 2) + "\n");
  console.log(`\nwrote ${path}`);
}
