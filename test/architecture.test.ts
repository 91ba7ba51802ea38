import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { describe, it } from "node:test";
import { fileURLToPath } from "node:url";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const IMPORT = /(?:^|\n)\s*(?:import|export)\b[^;]*?\bfrom\s+["'](\.[^"']+)["']|\bimport\(\s*["'](\.[^"']+)["']\s*\)/g;

function sourceFiles(directory: string): string[] {
  return readdirSync(directory, { withFileTypes: true }).flatMap((entry) => {
    const path = join(directory, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return entry.name.endsWith(".ts") && !entry.name.endsWith(".test.ts") ? [path] : [];
  });
}

/** Each source file's relative imports, resolved to the .ts files they name. */
function importGraph(files: readonly string[]): Map<string, string[]> {
  return new Map(
    files.map((file) => {
      const targets = [...readFileSync(file, "utf8").matchAll(IMPORT)].map((match) => resolve(dirname(file), (match[1] ?? match[2])!.replace(/\.js$/, ".ts")));
      return [file, targets];
    }),
  );
}

/** One import cycle, as a list of files, or undefined when there is none. */
function findCycle(graph: ReadonlyMap<string, readonly string[]>): string[] | undefined {
  const state = new Map<string, "visiting" | "done">();
  const path: string[] = [];
  const visit = (file: string): string[] | undefined => {
    if (state.get(file) === "done") return undefined;
    if (state.get(file) === "visiting") return [...path.slice(path.indexOf(file)), file];
    state.set(file, "visiting");
    path.push(file);
    for (const target of graph.get(file) ?? []) {
      const cycle = visit(target);
      if (cycle) return cycle;
    }
    path.pop();
    state.set(file, "done");
    return undefined;
  };
  for (const file of graph.keys()) {
    const cycle = visit(file);
    if (cycle) return cycle;
  }
  return undefined;
}

describe("the architecture", () => {
  const files = [...sourceFiles(join(root, "src")), ...sourceFiles(join(root, "bench"))];
  const graph = importGraph(files);

  it("has no import cycles", () => {
    const cycle = findCycle(graph);
    assert.equal(cycle && cycle.map((file) => relative(root, file)).join(" -> "), undefined);
  });

  it("resolves every relative import to a file that exists, so the graph above is complete", () => {
    const known = new Set(files);
    const missing = [...graph].flatMap(([file, targets]) => targets.filter((target) => !known.has(target)).map((target) => `${relative(root, file)} -> ${relative(root, target)}`));
    assert.deepEqual(missing, []);
  });

  it("finds a cycle when there is one (the checker itself works)", () => {
    assert.deepEqual(findCycle(new Map([["a", ["b"]], ["b", ["c"]], ["c", ["a"]]])), ["a", "b", "c", "a"]);
    assert.equal(findCycle(new Map([["a", ["b"]], ["b", []]])), undefined);
  });
});
