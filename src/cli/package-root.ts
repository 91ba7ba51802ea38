import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

/** The folder of mnemo's package.json, found from this file whether it runs from src/ (tsx) or dist/src/. */
export function packageRoot(): string {
  let directory = dirname(fileURLToPath(import.meta.url));
  for (let depth = 0; depth < 6; depth += 1) {
    try {
      const manifest = JSON.parse(readFileSync(join(directory, "package.json"), "utf8")) as { name?: unknown };
      if (manifest.name === "mnemo") return directory;
    } catch {
      // No package.json in this folder: keep climbing.
    }
    directory = dirname(directory);
  }
  throw new Error(`Cannot find mnemo's package.json above ${fileURLToPath(import.meta.url)}. Reinstall mnemo.`);
}

export function packageVersion(): string {
  const manifest = JSON.parse(readFileSync(join(packageRoot(), "package.json"), "utf8")) as { version?: unknown };
  return typeof manifest.version === "string" ? manifest.version : "0.0.0";
}
